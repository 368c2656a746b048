import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { defaultSettings } from '../../../electron/settings/schema';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { Result } from '../../../shared/result';

/**
 * Issue 17, finding 5: the demo accounts never come back on a live install — not through a broken settings file
 * (a UTF-8 BOM in front of it, bad JSON), not through a later switch back to sandbox — and staff made in sandbox
 * mode do not carry into live mode. The real app on a real data folder (no credentials: the embedded sandbox
 * stands in for WeChat while settings say live, which is exactly when 9999 used to work).
 */
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

const manager: CallContext = { window: 'manager', connectionId: 'm' };
const cashier: CallContext = { window: 'cashier', connectionId: 'c' };

function open(dataDir: string): Promise<App> {
  return startApp({
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
}

async function call<T>(target: App, method: string, request: unknown, context: CallContext): Promise<Result<T>> {
  return (await target.dispatch(method, request, context)) as Result<T>;
}

function liveSettingsText(): string {
  const s = defaultSettings();
  return JSON.stringify({ ...s, storeName: '街角便利店', wechat: { ...s.wechat, mode: 'live' } });
}

/** A sandbox install where the demo manager made a cashier, then settings set to live through the manager screen. */
async function installThenGoLive(): Promise<string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-live-install-'));
  app = await open(dataDir);
  expect((await call(app, 'auth.signIn', { pin: '9999' }, manager)).ok).toBe(true);
  const grant = await call<{ token: string }>(app, 'approval.request', { action: 'user-manage', pin: '9999' }, manager);
  if (!grant.ok) throw new Error(grant.error.message);
  expect((await call(app, 'users.create', { name: '沙箱收银', role: 'cashier', pin: '5937', approvalToken: grant.value.token }, manager)).ok).toBe(true);
  const settingsGrant = await call<{ token: string }>(app, 'approval.request', { action: 'settings-change', pin: '9999' }, manager);
  if (!settingsGrant.ok) throw new Error(settingsGrant.error.message);
  const live = JSON.parse(liveSettingsText()) as Record<string, unknown>;
  expect((await call(app, 'settings.update', { settings: live, approvalToken: settingsGrant.value.token }, manager)).ok).toBe(true);
  // The moment live is set: the demo manager signed in here is out, and nobody from the sandbox days gets in.
  expect(await call(app, 'auth.current', {}, manager)).toMatchObject({ ok: true, value: null });
  expect((await call(app, 'auth.signIn', { pin: '9999' }, cashier)).ok).toBe(false);
  expect((await call(app, 'auth.signIn', { pin: '5937' }, cashier)).ok).toBe(false);
  await app.close();
  app = null;
  return dataDir;
}

describe('a live install', () => {
  it('tolerates a UTF-8 BOM in front of its settings file: stays live, and 9999 does not sign in', async () => {
    const dataDir = await installThenGoLive();
    writeFileSync(settingsPath(dataDir), `\uFEFF${liveSettingsText()}`);
    app = await open(dataDir);
    expect(app.settings.get()).toMatchObject({ storeName: '街角便利店', wechat: { mode: 'live' } });
    expect(app.settings.problem).toBeNull();
    expect(readFileSync(settingsPath(dataDir), 'utf8').startsWith('\uFEFF')).toBe(false);
    expect((await call(app, 'auth.signIn', { pin: '9999' }, manager)).ok).toBe(false);
    expect((await call(app, 'auth.signIn', { pin: '1111' }, cashier)).ok).toBe(false);
    expect(await call(app, 'setup.getState', {}, manager)).toMatchObject({ value: { needsOwner: true, demoUsersActive: false } });
  });

  it('runs on the last good settings when its settings file is broken, and says so', async () => {
    const dataDir = await installThenGoLive();
    writeFileSync(settingsPath(dataDir), '{"wechat": {"mode": "li');
    app = await open(dataDir);
    expect(app.settings.get()).toMatchObject({ storeName: '街角便利店', wechat: { mode: 'live' } });
    expect(app.info().settingsProblem).toMatch(/上次有效的设置/);
    expect(readdirSync(dataDir).some((f) => f.startsWith('settings.json.broken-'))).toBe(true);
    expect((await call(app, 'auth.signIn', { pin: '9999' }, manager)).ok).toBe(false);
  });

  it('refuses to start, saying why, when its settings file is broken and no good copy is left', async () => {
    const dataDir = await installThenGoLive();
    writeFileSync(settingsPath(dataDir), 'not json');
    writeFileSync(join(dataDir, 'settings.json.last-good'), 'not json either');
    await expect(open(dataDir)).rejects.toThrow(/不会退回沙箱.*will not fall back to the sandbox/s);
  });

  it('never lets the demo accounts back, even when settings are later set to sandbox again', async () => {
    const dataDir = await installThenGoLive();
    writeFileSync(settingsPath(dataDir), JSON.stringify(defaultSettings()));
    app = await open(dataDir);
    expect(app.info().sandbox).toBe(true);
    expect((await call(app, 'auth.signIn', { pin: '9999' }, manager)).ok).toBe(false);
    expect((await call(app, 'auth.signIn', { pin: '5937' }, cashier)).ok).toBe(false);
    expect(await call(app, 'setup.getState', {}, manager)).toMatchObject({ value: { needsOwner: true, demoUsersActive: false } });
  });
});
