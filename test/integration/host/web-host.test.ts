import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatcher } from '../../../electron/host/dispatch';
import { EventHub } from '../../../electron/host/event-hub';
import { startWebHost, type WebHost } from '../../../electron/host/web-host';
import type { AppInfo, WindowRole } from '../../../shared/api';
import { MemoryLogger } from '../../../shared/log';
import { handlersFor } from '../../helpers/handlers';

const info: AppInfo = { version: '1', storeName: '测试店', terminalId: 'T01', sandbox: true, languages: { cashier: 'zh-CN', manager: 'zh-CN', display: 'zh-CN', receipt: 'zh-CN' }, timeZone: 'Asia/Shanghai', settingsProblem: null, voiceAnnouncements: true, dataProblems: [] };

let host: WebHost;
let events: EventHub;

beforeEach(async () => {
  const rendererDir = mkdtempSync(join(tmpdir(), 'renderer-'));
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>pos</title>');
  events = new EventHub();
  const dispatch = createDispatcher(
    handlersFor({ 'app.getInfo': () => info, 'app.setLanguage': () => info, 'cart.preview': () => ({ totalFen: 1250 }) }),
    new MemoryLogger(),
    // Everyone counts as signed in: these tests are about the transport, the sign-in rule has its own.
    { signedInRole: () => 'cashier', approvalUsableBy: () => true },
  );
  host = await startWebHost({ dispatch, events, logger: new MemoryLogger(), rendererDir, port: 0 });
});

afterEach(async () => {
  await host.close();
});

interface Client {
  ws: WebSocket;
  received: Record<string, unknown>[];
  /** Resolves with the first message, already received or still to come, that matches. */
  waitFor: (predicate: (m: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  send: (message: unknown) => void;
  close: () => void;
}

/**
 * Opens a socket with a window's own token (or the given one) and records every message from the first byte on,
 * so nothing sent on connect is missed. `claimedRole` is put in the URL as an old client or an attacker would.
 */
function connect(role: WindowRole, options: { token?: string | null; origin?: string; claimedRole?: string } = {}): Promise<Client> {
  const token = options.token === undefined ? host.tokens[role] : options.token;
  const claimed = options.claimedRole ? `role=${options.claimedRole}&` : '';
  const url = `${host.origin.replace('http', 'ws')}/ws?${claimed}${token === null ? '' : `token=${token}`}`;
  const ws = new WebSocket(url, { origin: options.origin ?? host.origin });
  const received: Record<string, unknown>[] = [];
  const waiters: { predicate: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }[] = [];
  ws.on('message', (data) => {
    const message = JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>;
    received.push(message);
    for (const waiter of waiters.splice(0)) {
      if (waiter.predicate(message)) waiter.resolve(message);
      else waiters.push(waiter);
    }
  });
  const client: Client = {
    ws,
    received,
    waitFor: (predicate) =>
      new Promise((resolve) => {
        const found = received.find(predicate);
        if (found) resolve(found);
        else waiters.push({ predicate, resolve });
      }),
    send: (message) => ws.send(JSON.stringify(message)),
    close: () => ws.close(),
  };
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(client));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('the web host', () => {
  it('serves a page with the token and sets a same-site cookie for its assets', async () => {
    const response = await fetch(host.urls.cashier);
    expect(response.status).toBe(200);
    expect(response.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
  });

  it('refuses a page request without the token or with a wrong one', async () => {
    expect((await fetch(`${host.origin}/cashier`)).status).toBe(403);
    expect((await fetch(`${host.origin}/cashier?token=wrong`)).status).toBe(403);
    expect((await fetch(`${host.origin}/index.html`)).status).toBe(403);
  });

  it("gives each window its own token and opens a window's page only with that window's token", async () => {
    expect(new Set(Object.values(host.tokens)).size).toBe(3);
    for (const page of ['cashier', 'manager'] as const) {
      expect((await fetch(`${host.origin}/${page}?token=${host.tokens.display}`)).status).toBe(403);
      expect((await fetch(host.urls[page])).status).toBe(200);
    }
    expect((await fetch(`${host.origin}/manager?token=${host.tokens.cashier}`)).status).toBe(403);
  });

  it('never serves a file outside the renderer folder', async () => {
    const response = await fetch(`${host.origin}/..%2f..%2fetc%2fpasswd?token=${host.tokens.cashier}`);
    expect(response.status).toBe(404);
  });

  it('answers a call over the websocket', async () => {
    const client = await connect('cashier');
    client.send({ type: 'call', id: 7, method: 'cart.preview', request: { lines: [], amountFen: 1250 } });
    expect(await client.waitFor((m) => m.type === 'result')).toEqual({ type: 'result', id: 7, result: { ok: true, value: { totalFen: 1250 } } });
    client.close();
  });

  it('refuses a websocket without the token', async () => {
    await expect(connect('cashier', { token: null })).rejects.toThrow('HTTP 403');
    await expect(connect('cashier', { token: 'x'.repeat(48) })).rejects.toThrow('HTTP 403');
  });

  it('refuses a websocket opened from another origin even with the token', async () => {
    await expect(connect('cashier', { origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it("takes the window's role from its token, whatever role the URL names", async () => {
    const display = await connect('display', { claimedRole: 'cashier' });
    display.send({ type: 'call', id: 1, method: 'cart.preview', request: { lines: [] } });
    expect(await display.waitFor((m) => m.type === 'result')).toMatchObject({ result: { ok: false, error: { code: 'FORBIDDEN' } } });
    display.close();
  });

  it('refuses a websocket whose only credential is the page cookie', async () => {
    const ws = new WebSocket(`${host.origin.replace('http', 'ws')}/ws`, { origin: host.origin, headers: { cookie: `pos_token=${host.tokens.cashier}` } });
    await expect(
      new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
      }),
    ).rejects.toThrow('HTTP 403');
  });

  it('closes a connection that sends an oversized message', async () => {
    const { ws, send } = await connect('cashier');
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    send({ type: 'call', id: 1, method: 'cart.preview', request: { lines: [], pad: 'x'.repeat(70 * 1024) } });
    expect(await closed).toBe(1009);
  });

  it('does not let the display window call anything', async () => {
    const client = await connect('display');
    client.send({ type: 'call', id: 1, method: 'cart.preview', request: { lines: [] } });
    expect(await client.waitFor((m) => m.type === 'result')).toMatchObject({ result: { ok: false, error: { code: 'FORBIDDEN' } } });
    client.close();
  });

  it('delivers an event only to the windows in its audience, and the latest state to late joiners', async () => {
    const display = await connect('display');
    const manager = await connect('manager');
    events.emit('display.state', { kind: 'paid', sandbox: true, amountFen: 1250 });
    expect(await display.waitFor((m) => m.event === 'display.state')).toMatchObject({ payload: { kind: 'paid', amountFen: 1250 } });
    const late = await connect('display');
    expect(await late.waitFor((m) => m.type === 'event')).toMatchObject({ payload: { kind: 'paid' } });
    // A round trip on the manager's socket proves the event had its chance to arrive there and did not.
    manager.send({ type: 'call', id: 1, method: 'app.getInfo', request: {} });
    await manager.waitFor((m) => m.type === 'result');
    expect(manager.received.filter((m) => m.event === 'display.state')).toEqual([]);
    for (const c of [display, manager, late]) c.close();
  });
});

describe('a handler that misbehaves', () => {
  it('still answers the call when its result cannot be sent, and when the dispatcher rejects', async () => {
    const unsendable = createDispatcher(
      handlersFor({ 'app.getInfo': () => ({ ...info, version: 1n as unknown as string }) }),
      new MemoryLogger(),
      { signedInRole: () => null, approvalUsableBy: () => true },
    );
    for (const dispatch of [unsendable, () => Promise.reject(new Error('boom'))]) {
      const own = await startWebHost({ dispatch, events: new EventHub(), logger: new MemoryLogger(), rendererDir: tmpdir(), port: 0 });
      const ws = new WebSocket(`${own.origin.replace('http', 'ws')}/ws?token=${own.tokens.cashier}`, { origin: own.origin });
      await new Promise((resolve) => ws.once('open', resolve));
      const answer = new Promise<unknown>((resolve) => ws.once('message', (data) => resolve(JSON.parse((data as Buffer).toString('utf8')))));
      ws.send(JSON.stringify({ type: 'call', id: 3, method: 'app.getInfo', request: {} }));
      expect(await answer).toMatchObject({ type: 'result', id: 3, result: { ok: false, error: { code: 'INTERNAL' } } });
      ws.close();
      await own.close();
    }
  });
});

describe('binding', () => {
  it('refuses a LAN address unless explicitly allowed', async () => {
    await expect(
      startWebHost({
        dispatch: createDispatcher(handlersFor({}), new MemoryLogger(), { signedInRole: () => null, approvalUsableBy: () => true }),
        events: new EventHub(),
        logger: new MemoryLogger(),
        rendererDir: tmpdir(),
        host: '0.0.0.0',
      }),
    ).rejects.toThrow(/--allow-lan/);
  });
});
