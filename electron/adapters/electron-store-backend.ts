import ElectronStore from 'electron-store';
import type { Settings } from '../settings/schema';
import type { SettingsBackend } from '../settings/settings-store';

/** Electron's settings storage: electron-store in the app's user-data folder, same file as the web host's. */
export function createElectronStoreBackend(dataDir: string): SettingsBackend {
  const store = new ElectronStore<Settings>({ cwd: dataDir, name: 'settings', clearInvalidConfig: false });
  return {
    path: store.path,
    read: () => store.store,
    write: (settings) => {
      store.store = settings;
    },
  };
}
