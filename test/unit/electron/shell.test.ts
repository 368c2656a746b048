import { describe, expect, it } from 'vitest';
import { wireElectronShell, type ElectronModule } from '../../../electron/adapters/electron-shell';
import { placeCustomerWindow } from '../../../electron/adapters/display-placement';
import type { Dispatch } from '../../../electron/host/dispatch';
import { EventHub } from '../../../electron/host/event-hub';
import { IPC_EVENT_CHANNEL, METHOD_NAMES } from '../../../shared/api';
import { MemoryLogger } from '../../../shared/log';
import { createFakeElectron, FakeBrowserWindow } from '../../helpers/fake-electron';

const PRIMARY = { id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } };
const SECOND = { id: 2, bounds: { x: 1366, y: 0, width: 1920, height: 1080 } };

function wire(displays = [PRIMARY, SECOND]) {
  const fake = createFakeElectron(displays);
  const calls: { method: unknown; request: unknown; window: string }[] = [];
  const dispatch: Dispatch = (method, request, context) => {
    calls.push({ method, request, window: context.window });
    return Promise.resolve({ ok: true, value: 'done' });
  };
  const events = new EventHub();
  const shell = wireElectronShell(fake.module as unknown as ElectronModule, {
    dispatch,
    events,
    logger: new MemoryLogger(),
    rendererDir: '/app/renderer',
    preloadDir: '/app/electron',
  });
  const byRole = (role: string) => FakeBrowserWindow.all.find((w) => (w.loaded?.options as { query: { window: string } }).query.window === role)!;
  return { fake, calls, events, shell, byRole };
}

describe('the Electron shell', () => {
  it('opens every window isolated and sandboxed, without Node, with its own preload', () => {
    const { byRole } = wire();
    for (const role of ['cashier', 'display']) {
      const prefs = byRole(role).options.webPreferences;
      expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true });
      expect(prefs.preload).toBe(`/app/electron/preload-${role}.cjs`);
    }
  });

  it('puts the customer display fullscreen and frameless on the second monitor', () => {
    const { byRole } = wire();
    const display = byRole('display');
    expect(display.fullScreen).toBe(true);
    expect(display.options.frame).toBe(false);
    expect(display.bounds).toEqual(SECOND.bounds);
  });

  it('moves the customer display into a window when the second monitor is unplugged, and back when it returns', () => {
    const { fake, byRole } = wire();
    fake.screen.displays = [PRIMARY];
    fake.screen.emit('display-removed');
    expect(byRole('display').fullScreen).toBe(false);
    expect(byRole('display').bounds.x).toBeLessThan(PRIMARY.bounds.width);
    fake.screen.displays = [PRIMARY, SECOND];
    fake.screen.emit('display-added');
    expect(byRole('display').fullScreen).toBe(true);
    expect(byRole('display').bounds).toEqual(SECOND.bounds);
  });

  it('registers one IPC handler per contract method and nothing else', () => {
    const { fake } = wire();
    expect([...fake.handlers.keys()].sort()).toEqual(METHOD_NAMES.map((m) => `pos:call:${m}`).sort());
  });

  it('dispatches an IPC call with the role of the window that sent it', async () => {
    const { fake, calls, byRole } = wire();
    const handler = fake.handlers.get('pos:call:cart.preview')!;
    await handler({ sender: { id: byRole('display').webContents.id } }, { lines: [] });
    expect(calls).toEqual([{ method: 'cart.preview', request: { lines: [] }, window: 'display' }]);
  });

  it('refuses an IPC call from a web contents that is not one of its windows', async () => {
    const { fake, calls } = wire();
    const result = await fake.handlers.get('pos:call:app.getInfo')!({ sender: { id: 99_999 } });
    expect(result).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(calls).toEqual([]);
  });

  it('sends an event to the windows in its audience only', () => {
    const { events, byRole, shell } = wire();
    const manager = shell.openManager() as unknown as FakeBrowserWindow;
    events.emit('display.state', { kind: 'cancelled', sandbox: false, amountFen: 100 });
    const got = (w: FakeBrowserWindow) => w.webContents.sent.filter((s) => s.channel === IPC_EVENT_CHANNEL && s.args[0] === 'display.state');
    expect(got(byRole('display'))).toHaveLength(1);
    expect(got(byRole('cashier'))).toHaveLength(1);
    expect(got(manager)).toHaveLength(0);
  });

  it('blocks navigation, new windows and permission requests', () => {
    const { byRole } = wire();
    const contents = byRole('cashier').webContents;
    let prevented = false;
    contents.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example');
    expect(prevented).toBe(true);
    expect(contents.windowOpenHandler?.({ url: 'https://evil.example' })).toEqual({ action: 'deny' });
    let granted: boolean | undefined;
    contents.permissionRequestHandler?.(contents, 'media', (g) => (granted = g));
    expect(granted).toBe(false);
    expect(contents.permissionCheckHandler?.()).toBe(false);
  });
});

describe('customer display placement', () => {
  it('uses a movable window on the primary display when there is only one monitor', () => {
    expect(placeCustomerWindow([PRIMARY], 1)).toMatchObject({ kind: 'window' });
  });
  it('picks the first non-primary display, whatever order Electron lists them in', () => {
    expect(placeCustomerWindow([SECOND, PRIMARY], 1)).toMatchObject({ kind: 'fullscreen', displayId: 2 });
  });
});
