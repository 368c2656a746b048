import Conf from 'conf';
import { join } from 'node:path';
import type { Settings } from './schema';
import type { SettingsBackend } from './settings-store';

export const SETTINGS_FILE_NAME = 'settings.json';

export function settingsPath(dataDir: string): string {
  return join(dataDir, SETTINGS_FILE_NAME);
}

/** The web host's settings storage: conf, the library electron-store is built on, with the same file layout. */
export function createConfBackend(dataDir: string): SettingsBackend {
  const conf = new Conf<Settings>({ cwd: dataDir, configName: 'settings', clearInvalidConfig: false, projectName: 'wechat-pos' });
  return {
    path: conf.path,
    read: () => conf.store,
    write: (settings) => {
      conf.store = settings;
    },
  };
}
