import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { wireElectronShell, type ElectronModule, type Shell } from '../../../electron/adapters/electron-shell';
import { startApp, type App } from '../../../electron/app';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import { createFakeElectron, FakeBrowserWindow } from '../../helpers/fake-electron';

/**
 * Electron's path for the first-run setup code: the real app behind the shell's IPC handlers (Electron itself is
 * the fake, the binary cannot run here). The code is drawn by the main process in its own dialog over the local
 * manager window, never sent to a renderer, and the owner is created over IPC with it.
 */
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

describe('the setup code under Electron', () => {
  it('is shown in a main-process dialog over the manager window, reaches no window, and creates the owner once', async () => {
    const fake = createFakeElectron([{ id: 1, bounds: { x: 0, y: 0, width: 1366, height: 768 } }]);
    let shell: Shell | null = null;
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-electron-setup-'));
    app = await startApp({
      dataDir,
      clock: systemClock,
      logger: new MemoryLogger(),
      createSettingsBackend: createConfBackend,
      settingsFile: settingsPath(dataDir),
      overrides: { sandbox: true },
      createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
      pdfRenderer: chromiumPdfRenderer(),
      showSetupCode: (code) => shell?.showSetupCode(code),
    });
    shell = wireElectronShell(fake.module as unknown as ElectronModule, {
      dispatch: app.dispatch,
      events: app.events,
      logger: new MemoryLogger(),
      rendererDir: '/app/renderer',
      preloadDir: '/app/electron',
    });
    const manager = shell.openManager() as unknown as FakeBrowserWindow;
    const cashier = FakeBrowserWindow.all.find((w) => w !== manager && (w.loaded?.options as { query: { window: string } }).query.window === 'cashier')!;
    const invoke = (method: string, from: FakeBrowserWindow, request: unknown) => fake.handlers.get(`pos:call:${method}`)!({ sender: { id: from.webContents.id } }, request);

    expect(await invoke('setup.showCode', manager, {})).toEqual({ ok: true, value: { shown: true } });
    expect(fake.dialogs).toHaveLength(1);
    expect(fake.dialogs[0]?.parent).toBe(manager);
    const code = /([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})/.exec(fake.dialogs[0]?.message ?? '')?.[1] ?? '';
    expect(code).not.toBe('');
    for (const window of FakeBrowserWindow.all) expect(JSON.stringify(window.webContents.sent)).not.toContain(code);

    const owner = { name: '店主', pin: '604172', setupCode: code };
    expect(await invoke('setup.createOwner', cashier, owner)).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await invoke('setup.createOwner', manager, { ...owner, setupCode: 'AAAA-BBBB-CCCC' })).toMatchObject({ ok: false, error: { code: 'SETUP_CODE_WRONG' } });
    expect(await invoke('setup.createOwner', manager, owner)).toMatchObject({ ok: true, value: { role: 'owner' } });
    expect(await invoke('setup.createOwner', manager, { ...owner, name: '第二个' })).toMatchObject({ ok: false, error: { code: 'SETUP_DONE' } });
  });
});
