/**
 * Electron's entry point: thin on purpose. It builds the one app (electron/app.ts) and hands windows and IPC to
 * the shell adapter. Everything else runs under plain Node and is shared with the web host.
 */
import * as electron from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock';
import { createElectronStoreBackend } from './adapters/electron-store-backend';
import { wireElectronShell } from './adapters/electron-shell';
import { createApp } from './app';
import { createFileLogger } from './log/file-logger';
import { settingsPath } from './settings/conf-backend';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  if (!electron.app.requestSingleInstanceLock()) {
    electron.app.quit();
    return;
  }
  await electron.app.whenReady();
  const dataDir = electron.app.getPath('userData');
  const logger = createFileLogger(dataDir, systemClock);
  const app = createApp({
    dataDir,
    clock: systemClock,
    logger,
    createSettingsBackend: createElectronStoreBackend,
    settingsFile: settingsPath(dataDir),
  });
  wireElectronShell(electron, {
    dispatch: app.dispatch,
    events: app.events,
    logger,
    rendererDir: join(here, '..', 'renderer'),
    preloadDir: here,
  });
  electron.app.on('window-all-closed', () => {
    void app.close().then(() => electron.app.quit());
  });
}

void main();
