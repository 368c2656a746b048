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
import { startApp } from './app';
import { createOsPrinterSink } from './adapters/os-printer';
import { createSafeStorageCipher } from './adapters/safe-storage';
import { createElectronPdfRenderer } from './adapters/electron-pdf';
import { createFileLogger } from './log/file-logger';
import { defaultUserDataDir } from './host/cli-args';
import { settingsPath } from './settings/conf-backend';

const here = dirname(fileURLToPath(import.meta.url));

async function main(): Promise<void> {
  // The same data folder as the web host's default (not one named after the product name), so both share it.
  electron.app.setPath('userData', defaultUserDataDir());
  if (!electron.app.requestSingleInstanceLock()) {
    electron.app.quit();
    return;
  }
  await electron.app.whenReady();
  const dataDir = electron.app.getPath('userData');
  const logger = createFileLogger(dataDir, systemClock);
  const app = await startApp({
    dataDir,
    clock: systemClock,
    logger,
    createSettingsBackend: createElectronStoreBackend,
    settingsFile: settingsPath(dataDir),
    createCipher: () => createSafeStorageCipher(electron.safeStorage),
    pdfRenderer: createElectronPdfRenderer((options) => new electron.BrowserWindow(options)),
    printerSinkDeps: {
      openOsPrinter: (deviceName) =>
        createOsPrinterSink(deviceName, { createWindow: (options) => new electron.BrowserWindow(options), paper: 80 }),
    },
  });
  wireElectronShell(electron, {
    dispatch: app.dispatch,
    events: app.events,
    logger,
    rendererDir: join(here, '..', 'renderer'),
    preloadDir: here,
    onDisconnect: (connectionId) => app.disconnect(connectionId),
  });
  electron.app.on('window-all-closed', () => {
    void app.close().then(() => electron.app.quit());
  });
}

void main();
