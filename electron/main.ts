/**
 * Electron's entry point: thin on purpose. It builds the one app (electron/app.ts) and hands windows and IPC to
 * the shell adapter. Everything else runs under plain Node and is shared with the web host.
 */
import * as electron from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemClock } from '../shared/clock';
import { createElectronStoreBackend } from './adapters/electron-store-backend';
import { wireElectronShell, type Shell } from './adapters/electron-shell';
import { startHostedApp } from './app';
import { createOsPrinterSink } from './adapters/os-printer';
import { createSafeStorageCipher } from './adapters/safe-storage';
import { createElectronPdfRenderer } from './adapters/electron-pdf';
import { createFileLogger } from './log/file-logger';
import { defaultUserDataDir } from './host/cli-args';
import { settingsPath } from './settings/conf-backend';
import { CipherUnavailableError, type SecretCipher } from './security/cipher';
import { runRestoreBackup } from './security/restore-backup-cli';

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
  // `wechat-pos --restore-backup <file>`: backups are sealed with the OS keychain, which only Electron can open,
  // so the restore of an Electron install runs here (the same procedure as restore-backup-cli), then quits.
  const restoreAt = process.argv.indexOf('--restore-backup');
  if (restoreAt >= 0) {
    let cipher: SecretCipher | CipherUnavailableError;
    try {
      cipher = createSafeStorageCipher(electron.safeStorage);
    } catch (error) {
      if (!(error instanceof CipherUnavailableError)) throw error;
      cipher = error;
    }
    const code = runRestoreBackup([process.argv[restoreAt + 1] ?? '', dataDir], (line) => process.stdout.write(`${line}\n`), undefined, cipher);
    electron.app.exit(code);
    return;
  }
  const logger = createFileLogger(dataDir, systemClock);
  // The shell exists once the app does; the setup code is only ever asked for from its manager window, later.
  let shell: Shell | null = null;
  const app = await startHostedApp({
    dataDir,
    clock: systemClock,
    logger,
    createSettingsBackend: createElectronStoreBackend,
    settingsFile: settingsPath(dataDir),
    createCipher: () => createSafeStorageCipher(electron.safeStorage),
    restoreCommand: (file) => `wechat-pos --restore-backup "${file}"`,
    pdfRenderer: createElectronPdfRenderer((options) => new electron.BrowserWindow(options)),
    printerSinkDeps: {
      openOsPrinter: (deviceName) =>
        createOsPrinterSink(deviceName, { createWindow: (options) => new electron.BrowserWindow(options), paper: 80 }),
    },
    showSetupCode: (code) => shell?.showSetupCode(code),
  });
  shell = wireElectronShell(electron, {
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

// A start that cannot go on (e.g. a live install whose settings file is broken) says why in a box, then quits.
main().catch((error: unknown) => {
  electron.dialog.showErrorBox('微信收银台无法启动 / WeChat POS cannot start', error instanceof Error ? error.message : String(error));
  electron.app.quit();
});
