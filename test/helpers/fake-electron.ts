import { EventEmitter } from 'node:events';

/**
 * A stand-in for the parts of the electron module the shell uses. The Electron binary cannot run on these
 * machines, so the wiring is tested against this: it records what was asked of Electron.
 */
export class FakeWebContents extends EventEmitter {
  static nextId = 1;
  readonly id = FakeWebContents.nextId++;
  readonly sent: { channel: string; args: unknown[] }[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  permissionRequestHandler: ((c: unknown, p: string, cb: (granted: boolean) => void) => void) | null = null;
  permissionCheckHandler: (() => boolean) | null = null;
  readonly session = {
    setPermissionRequestHandler: (h: FakeWebContents['permissionRequestHandler']) => (this.permissionRequestHandler = h),
    setPermissionCheckHandler: (h: FakeWebContents['permissionCheckHandler']) => (this.permissionCheckHandler = h),
  };
  send(channel: string, ...args: unknown[]): void {
    this.sent.push({ channel, args });
  }
  setWindowOpenHandler(handler: FakeWebContents['windowOpenHandler']): void {
    this.windowOpenHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  static all: FakeBrowserWindow[] = [];
  readonly webContents = new FakeWebContents();
  bounds: { x: number; y: number; width: number; height: number };
  fullScreen = false;
  loaded: { file: string; options: unknown } | null = null;
  maximized = false;
  constructor(readonly options: Record<string, unknown> & { webPreferences: Record<string, unknown> }) {
    super();
    this.bounds = { x: Number(options.x ?? 0), y: Number(options.y ?? 0), width: Number(options.width ?? 800), height: Number(options.height ?? 600) };
    FakeBrowserWindow.all.push(this);
  }
  loadFile(file: string, options: unknown): Promise<void> {
    this.loaded = { file, options };
    return Promise.resolve();
  }
  isDestroyed(): boolean {
    return false;
  }
  setBounds(bounds: FakeBrowserWindow['bounds']): void {
    this.bounds = bounds;
  }
  setFullScreen(value: boolean): void {
    this.fullScreen = value;
  }
  maximize(): void {
    this.maximized = true;
  }
  show(): void {}
  focus(): void {}
}

export function createFakeElectron(displays: { id: number; bounds: { x: number; y: number; width: number; height: number } }[]) {
  FakeBrowserWindow.all = [];
  const handlers = new Map<string, (event: { sender: { id: number } }, ...args: unknown[]) => unknown>();
  const screen = Object.assign(new EventEmitter(), {
    displays,
    getAllDisplays: () => screen.displays,
    getPrimaryDisplay: () => ({ ...screen.displays[0]!, workArea: screen.displays[0]!.bounds }),
  });
  /** What the main process showed in its own dialogs (message boxes), with the window each was shown over. */
  const dialogs: { parent: FakeBrowserWindow | null; message: string }[] = [];
  const showMessageBox = (...args: unknown[]): Promise<{ response: number }> => {
    const options = args.at(-1) as { message: string };
    dialogs.push({ parent: args.length > 1 ? (args[0] as FakeBrowserWindow) : null, message: options.message });
    return Promise.resolve({ response: 0 });
  };
  return {
    handlers,
    screen,
    dialogs,
    module: {
      dialog: { showMessageBox },
      app: {},
      BrowserWindow: FakeBrowserWindow,
      ipcMain: { handle: (channel: string, handler: (event: { sender: { id: number } }, ...args: unknown[]) => unknown) => handlers.set(channel, handler) },
      screen,
      session: {},
      Menu: { setApplicationMenu: () => {}, buildFromTemplate: (template: unknown) => template },
    },
  };
}
