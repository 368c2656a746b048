import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatcher } from '../../../electron/host/dispatch';
import { EventHub } from '../../../electron/host/event-hub';
import { startWebHost, type WebHost } from '../../../electron/host/web-host';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { MemoryLogger } from '../../../shared/log';
import { handlersFor } from '../../helpers/handlers';

let sandbox: Sandbox;
let sandboxHost: WebHost;
let liveHost: WebHost;

async function hostWith(route: Parameters<typeof startWebHost>[0]['sandboxAdmin']): Promise<WebHost> {
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>pos</title>');
  const dispatch = createDispatcher(handlersFor({}), new MemoryLogger(), { signedInRole: () => null, approvalUsableBy: () => true });
  return startWebHost({ dispatch, events: new EventHub(), logger: new MemoryLogger(), rendererDir, port: 0, sandboxAdmin: route });
}

beforeAll(async () => {
  sandbox = await startSandbox();
  sandboxHost = await hostWith((request) => sandbox.handleAdminRequest(request));
  liveHost = await hostWith(undefined);
});
afterAll(async () => {
  await sandboxHost.close();
  await liveHost.close();
  await sandbox.close();
});

const post = (host: WebHost, path: string, body: unknown, headers: Record<string, string> = { 'Content-Type': 'application/json' }): Promise<Response> =>
  fetch(`${host.origin}${path}?token=${host.tokens.manager}`, { method: 'POST', headers, body: JSON.stringify(body) });

describe('the sandbox\'s testing aids on the web host', () => {
  it('serves the sandbox page with the aids under the web host\'s own origin and token, with a page-specific CSP', async () => {
    const page = await fetch(`${sandboxHost.origin}/sandbox/?token=${sandboxHost.tokens.manager}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="aid-payment"');
    expect(page.headers.get('content-security-policy')).toMatch(/script-src 'sha256-/);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect((await fetch(`${sandboxHost.origin}/sandbox/`)).status).toBe(403);
    // The customer display's and the cashier's credentials open no testing aid.
    for (const role of ['display', 'cashier'] as const) expect((await fetch(`${sandboxHost.origin}/sandbox/?token=${sandboxHost.tokens[role]}`)).status).toBe(403);
  });

  it('plants a payment over HTTP, and refuses a body that is not JSON', async () => {
    const planted = await post(sandboxHost, '/sandbox/admin/plant/payment', { total_fen: 888 });
    expect(planted.status).toBe(200);
    const { order } = (await planted.json()) as { order: { outTradeNo: string } };
    expect(sandbox.getOrder(order.outTradeNo)).toMatchObject({ totalFen: 888 });
    expect((await post(sandboxHost, '/sandbox/admin/plant/payment', { total_fen: 1 }, { 'Content-Type': 'text/plain' })).status).toBe(415);
    expect((await post(sandboxHost, '/sandbox/admin/clock', { shift_ms: 3_600_000 })).status).toBe(200);
    expect(sandbox.billClockShiftMs()).toBe(3_600_000);
  });

  it('refuses every aid in live mode (no embedded sandbox), in words', async () => {
    const refused = await post(liveHost, '/sandbox/admin/plant/payment', { total_fen: 888 });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ error: 'LIVE_MODE', message: '测试工具只在沙箱模式下可用 / Testing aids work in sandbox mode only' });
    expect((await fetch(`${liveHost.origin}/sandbox/?token=${liveHost.tokens.manager}`)).status).toBe(403);
  });
});
