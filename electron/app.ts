import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AppInfo } from '../shared/api';
import type { Clock } from '../shared/clock';
import type { Logger } from '../shared/log';
import { openDatabase, type Database } from './db/open';
import { appMigrations } from './db/migrations/index';
import { CustomerDisplay } from './display/customer-display';
import { createDispatcher, type ApiHandlers, type Dispatch } from './host/dispatch';
import { EventHub } from './host/event-hub';
import { openSettings, type SettingsBackend, type SettingsStore } from './settings/settings-store';

export const APP_VERSION = '0.1.0';

/** Everything the composition root needs from its host (Electron or the web host). */
export interface AppOptions {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** electron-store in Electron, conf under the web host. */
  createSettingsBackend(dataDir: string): SettingsBackend;
  /** Path of the settings file inside dataDir, read and checked before the backend opens it. */
  settingsFile: string;
  /** Set when the embedded WeChat Pay sandbox is in use. */
  sandbox?: { baseUrl: string } | undefined;
}

export interface App {
  dispatch: Dispatch;
  events: EventHub;
  settings: SettingsStore;
  db: Database;
  info(): AppInfo;
  close(): Promise<void>;
}

/**
 * The composition root: builds every service from settings and wires side effects (clock, database, devices,
 * WeChat) into them. electron/main.ts and the web host (electron/serve.ts) both call this; nothing else builds
 * services, so both hosts run exactly the same app.
 */
export function createApp(options: AppOptions): App {
  mkdirSync(options.dataDir, { recursive: true });
  const { logger, clock } = options;
  const settings = openSettings(options.settingsFile, () => options.createSettingsBackend(options.dataDir), clock, logger);
  const db = openDatabase(join(options.dataDir, 'pos.sqlite'), appMigrations);
  const events = new EventHub();

  const info = (): AppInfo => {
    const s = settings.get();
    return {
      version: APP_VERSION,
      storeName: s.storeName,
      terminalId: s.terminalId,
      sandbox: options.sandbox !== undefined,
      language: s.language,
      settingsProblem: settings.problem,
    };
  };
  const display = new CustomerDisplay(events, () => ({
    storeName: settings.get().storeName,
    sandbox: options.sandbox !== undefined,
    wechatAvailable: true,
  }));
  settings.onChange(() => {
    events.emit('app.info', info());
    display.refresh();
  });
  events.emit('app.info', info());

  const handlers: ApiHandlers = {
    'app.getInfo': () => info(),
    'app.setLanguage': ({ language }) => {
      settings.update((s) => ({ ...s, language }));
      return info();
    },
    'cart.preview': (preview) => ({ totalFen: display.showCart(preview) }),
  };

  logger.info('app started', { dataDir: options.dataDir, sandbox: options.sandbox !== undefined });
  return {
    dispatch: createDispatcher(handlers, logger),
    events,
    settings,
    db,
    info,
    close: () => {
      db.close();
      return Promise.resolve();
    },
  };
}
