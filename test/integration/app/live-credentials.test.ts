import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { defaultSettings } from '../../../electron/settings/schema';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';

/**
 * Live mode: the merchant's credentials, entered through the contract with a manager's approval and kept
 * encrypted, are what the app uses at its next start — against a WeChat Pay server of its own (here a separate
 * sandbox over plain HTTP standing in for the real service), not the embedded one.
 */
let app: App | null = null;
let server: Sandbox | null = null;

afterEach(async () => {
  await app?.close();
  await server?.close();
  app = null;
  server = null;
});

const manager: CallContext = { window: 'manager', connectionId: 'm' };
const cashier: CallContext = { window: 'cashier', connectionId: 'c' };

async function call<T>(target: App, method: string, request: unknown, context: CallContext): Promise<T> {
  const result = (await target.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method}: ${result.error.code} ${result.error.message}`);
  return result.value;
}

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

describe('live mode', () => {
  it('uses the credentials entered by a manager at the next start, against the configured server', async () => {
    server = await startSandbox({ tls: false });
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-live-'));
    // First start: sandbox mode (the default), where the demo manager can enter the merchant's credentials.
    app = await open(dataDir);
    expect(app.sandbox).not.toBeNull();
    await call(app, 'auth.signIn', { pin: '9999' }, manager);
    const c = server.credentials;
    for (const [field, value] of [
      ['apiV3Key', c.apiV3Key],
      ['merchantPrivateKeyPem', c.merchantPrivateKeyPem],
      ['merchantCertSerial', c.merchantCertSerial],
      ['wechatPayPublicKeyPem', c.wechatPayPublicKeyPem],
      ['wechatPayPublicKeyId', c.wechatPayPublicKeyId],
    ] as const) {
      const grant = await call<{ token: string }>(app, 'approval.request', { action: 'settings-change', pin: '9999', subject: `secret:${field}` }, manager);
      await call(app, 'secrets.replace', { field, value, approvalToken: grant.token }, manager);
    }
    // Test connection checks the credentials just entered, against their server: it answers now, and not
    // while that server is down (the embedded sandbox the app still runs on is up all along).
    const live = { ...defaultSettings(), wechat: { ...defaultSettings().wechat, baseUrl: server.url, mchid: c.mchid, appid: c.appid } };
    const grant = await call<{ token: string }>(app, 'approval.request', { action: 'settings-change', pin: '9999' }, manager);
    await call(app, 'settings.update', { settings: live, approvalToken: grant.token }, manager);
    expect(await call(app, 'wechat.testConnection', {}, manager)).toMatchObject({ ok: true, apiVersion: 'v3' });
    await server.faults.add({ kind: 'outage' });
    expect(await call(app, 'wechat.testConnection', {}, manager)).toMatchObject({ ok: false });
    await server.faults.clear();
    // An owner made before live mode is sandbox staff: it does not carry into live mode (issue 17). First-run
    // setup takes the one-time code the host shows where the app runs (here: read from the app itself).
    await call(app, 'setup.createOwner', { name: '沙箱店主', pin: '604172', setupCode: app.security.setupCode.current() ?? '' }, manager);
    await app.close();
    app = null;
    const settings = defaultSettings();
    writeFileSync(
      settingsPath(dataDir),
      JSON.stringify({ ...settings, wechat: { ...settings.wechat, mode: 'live', apiVersion: 'v3', baseUrl: server.url, mchid: c.mchid, appid: c.appid } }),
    );

    app = await open(dataDir);
    expect(app.sandbox).toBeNull();
    expect(app.info().sandbox).toBe(false);
    await expect(call(app, 'auth.signIn', { pin: '1111' }, cashier)).rejects.toThrow();
    await expect(call(app, 'auth.signIn', { pin: '604172' }, cashier)).rejects.toThrow();
    expect(await call(app, 'setup.getState', {}, manager)).toMatchObject({ needsOwner: true, demoUsersActive: false });
    await call(app, 'setup.createOwner', { name: '店主', pin: '604172', setupCode: app.security.setupCode.current() ?? '' }, manager);
    await call(app, 'auth.signIn', { pin: '604172' }, cashier);
    await call(app, 'shift.open', { openingFloatFen: 0 }, cashier);
    const sale = await call<SaleView>(app, 'sale.checkout', { lines: [], amountFen: 321 }, cashier);
    const paid = new Promise<void>((resolve) => {
      app!.events.subscribe((event, payload) => {
        if (event === 'sale.updated' && (payload as SaleView).id === sale.id && (payload as SaleView).state === 'paid') resolve();
      });
    });
    await call(app, 'payment.submitCode', { saleId: sale.id, code: '130100000000000051' }, cashier);
    await paid;
    expect(server.listOrders().map((o) => [o.totalFen, o.tradeState])).toEqual([[321, 'SUCCESS']]);
  });
});
