import type * as Electron from 'electron';
import { join } from 'node:path';
import { apiEventAudience, IPC_EVENT_CHANNEL, ipcInvokeChannel, METHOD_NAMES, type WindowRole } from '../../shared/api';
import type { Logger } from '../../shared/log';
import type { Dispatch } from '../host/dispatch';
import type { EventHub } from '../host/event-hub';
import { placeCustomerWindow, type CustomerWindowPlacement } from './display-placement';

export type ElectronModule = Pick<typeof Electron, 'app' | 'BrowserWindow' | 'ipcMain' | 'screen' | 'session' | 'Menu' | 'dialog'>;

export interface ShellOptions {
  dispatch: Dispatch;
  events: EventHub;
  logger: Logger;
  /** Folder with index.html of the built renderer and the bundled preloads (preload-<role>.cjs). */
  rendererDir: string;
  preloadDir: string;
  /** A window closed or reloaded: whoever was signed in there is signed out. */
  onDisconnect?: (connectionId: string) => void;
}

export interface Shell {
  windows: Map<WindowRole, Electron.BrowserWindow>;
  placeDisplay(): CustomerWindowPlacement;
  openManager(): Electron.BrowserWindow;
  /**
   * Shows the one-time first-run setup code in a dialog of the main process over the local manager window (the
   * install happens at this computer): the code is drawn by Electron, never handed to a renderer.
   */
  showSetupCode(code: string): void;
}

/**
 * Electron's part of the app: windows on the right displays, IPC wired to the one dispatcher, events to the
 * windows in each event's audience, and the hardening (isolated sandboxed renderers, no navigation, no new
 * windows, no permissions). Everything it calls is the same app the web host runs.
 */
export function wireElectronShell(electron: ElectronModule, options: ShellOptions): Shell {
  const { BrowserWindow, ipcMain, screen } = electron;
  const windows = new Map<WindowRole, Electron.BrowserWindow>();
  const roleBySender = new Map<number, WindowRole>();

  for (const method of METHOD_NAMES) {
    ipcMain.handle(ipcInvokeChannel(method), (event, request: unknown) => {
      const role = roleBySender.get(event.sender.id);
      if (!role) return { ok: false, error: { code: 'FORBIDDEN', message: 'unknown window' } };
      return options.dispatch(method, request, { window: role, connectionId: `ipc-${event.sender.id}` });
    });
  }

  const sendTo = (role: WindowRole, event: keyof typeof apiEventAudience, payload: unknown): void => {
    const win = windows.get(role);
    if (win && !win.isDestroyed() && apiEventAudience[event].includes(role)) win.webContents.send(IPC_EVENT_CHANNEL, event, payload);
  };
  options.events.subscribe((event, payload) => {
    for (const role of windows.keys()) sendTo(role, event, payload);
  });

  const createWindow = (role: WindowRole, extra: Electron.BrowserWindowConstructorOptions): Electron.BrowserWindow => {
    const win = new BrowserWindow({
      show: false,
      backgroundColor: '#ffffff',
      ...extra,
      webPreferences: {
        preload: join(options.preloadDir, `preload-${role}.cjs`),
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    const senderId = win.webContents.id;
    roleBySender.set(senderId, role);
    windows.set(role, win);
    harden(win, options.logger);
    win.webContents.on('did-finish-load', () => {
      for (const { event, payload } of options.events.snapshot()) sendTo(role, event, payload);
    });
    // A reload is a new page: the person signed in there must sign in again.
    win.webContents.on('did-start-navigation', () => options.onDisconnect?.(`ipc-${senderId}`));
    win.on('closed', () => {
      options.onDisconnect?.(`ipc-${senderId}`);
      roleBySender.delete(senderId);
      windows.delete(role);
    });
    win.once('ready-to-show', () => win.show());
    void win.loadFile(join(options.rendererDir, 'index.html'), { query: { window: role } });
    return win;
  };

  const primary = screen.getPrimaryDisplay();
  const cashier = createWindow('cashier', { ...primary.workArea, title: '微信收银台' });
  cashier.maximize();

  const placeDisplay = (): CustomerWindowPlacement => {
    const placement = placeCustomerWindow(screen.getAllDisplays(), screen.getPrimaryDisplay().id);
    let win = windows.get('display');
    if (!win || win.isDestroyed()) {
      win = createWindow('display', { ...placement.bounds, title: '顾客显示屏', frame: placement.kind === 'window', autoHideMenuBar: true });
    }
    win.setBounds(placement.bounds);
    win.setFullScreen(placement.kind === 'fullscreen');
    return placement;
  };
  placeDisplay();
  screen.on('display-added', () => placeDisplay());
  screen.on('display-removed', () => placeDisplay());

  const openManager = (): Electron.BrowserWindow => {
    const existing = windows.get('manager');
    if (existing && !existing.isDestroyed()) {
      existing.focus();
      return existing;
    }
    return createWindow('manager', { width: 1280, height: 800, title: '经理后台' });
  };
  electron.Menu.setApplicationMenu(
    electron.Menu.buildFromTemplate([
      { label: '收银 / POS', submenu: [{ label: '经理后台 / Manager', accelerator: 'CmdOrCtrl+M', click: () => openManager() }, { role: 'quit', label: '退出 / Quit' }] },
    ]),
  );
  const showSetupCode = (code: string): void => {
    const parent = windows.get('manager') ?? windows.get('cashier');
    const box = {
      type: 'info' as const,
      title: '首次设置码 / Setup code',
      message: `首次设置码 / Setup code: ${code}`,
      detail: '在经理后台创建老板账号时输入；只在本机显示，用一次即失效。\nType it where the manager window creates the owner; shown only on this computer, it works once.',
      buttons: ['好 / OK'],
    };
    void (parent && !parent.isDestroyed() ? electron.dialog.showMessageBox(parent, box) : electron.dialog.showMessageBox(box));
  };
  return { windows, placeDisplay, openManager, showSetupCode };
}

/** No navigation away from the app, no pop-ups, no permission prompts. */
function harden(win: Electron.BrowserWindow, logger: Logger): void {
  const contents = win.webContents;
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    logger.warn('blocked navigation', { url: url.slice(0, 100) });
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.warn('blocked new window', { url: url.slice(0, 100) });
    return { action: 'deny' };
  });
  contents.session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  contents.session.setPermissionCheckHandler(() => false);
}
