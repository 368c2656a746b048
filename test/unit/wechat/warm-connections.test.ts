import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpTransport, type HttpTransport } from '../../../electron/wechat/transport';
import { createTestPki, type TestPki } from './helpers/pki';
import { startScriptServer, type ScriptServer } from './helpers/script-server';

/**
 * Kept-alive TLS connections to the WeChat host, driven against a real TLS server that closes idle connections
 * at the worst moments: right as the next request goes out, and right after it arrived.
 */

let pki: TestPki;
let server: ScriptServer | undefined;

beforeAll(async () => {
  pki = await createTestPki();
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const timeouts = { connectMs: 2_000, totalMs: 5_000 };

async function tlsServer(): Promise<ScriptServer> {
  server = await startScriptServer(() => ({ status: 200, body: 'ok' }), { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem, clientCaPem: pki.caCertPem });
  return server;
}

function transportTo(s: ScriptServer, extra: { idleMs?: number } = {}): HttpTransport {
  return createHttpTransport({
    baseUrl: s.url,
    timeouts,
    caCertPem: pki.caCertPem,
    clientCertPem: pki.merchantCertPem,
    clientKeyPem: pki.merchantKeyPem,
    ...extra,
  });
}

const micropay = { method: 'POST' as const, path: '/pay/micropay', headers: {}, body: '<xml>sale</xml>' };

describe('warm connections to the WeChat host', () => {
  it('sends the next sale on the connection the previous one opened: one TLS handshake for two calls', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(s.connections).toBe(1);
    expect(s.requests.map((r) => r.connection)).toEqual([1, 1]);
  });

  it('a kept connection the server closes just as the next sale goes out: sent once, on a fresh connection, answered', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    // The server's FIN leaves in this very tick: the client has not read it yet when the sale is sent.
    s.closeIdleConnections();
    const result = await transport.send({ ...micropay, body: '<xml>second sale</xml>' });
    expect(result).toMatchObject({ ok: true, response: { status: 200 } });
    expect(s.requests.filter((r) => r.body === '<xml>second sale</xml>').map((r) => r.connection)).toEqual([2]);
  });

  it('several sales in a row, each after the server closed the idle connections: every one answered, none sent twice', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    for (let sale = 1; sale <= 10; sale += 1) {
      const result = await transport.send({ ...micropay, body: `<xml>${sale}</xml>` });
      expect(result).toMatchObject({ ok: true });
      s.closeIdleConnections();
    }
    expect(s.requests.map((r) => r.body)).toEqual(Array.from({ length: 10 }, (_, i) => `<xml>${i + 1}</xml>`));
  });

  it('a kept connection the server drops after the request arrived: not sent again, reported as a network failure (unknown outcome)', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    s.setScript(() => 'drop');
    const result = await transport.send({ ...micropay, body: '<xml>dropped</xml>' });
    expect(result).toMatchObject({ ok: false, cause: 'network' });
    expect(s.requests.filter((r) => r.body === '<xml>dropped</xml>')).toHaveLength(1);
  });

  it('closes an idle connection itself before the server would (client FIN first)', async () => {
    const s = await tlsServer();
    s.setKeepAliveTimeout(60_000);
    const transport = transportTo(s, { idleMs: 200 });
    const closed = s.nextClientClose();
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(await closed).toBe(1);
  });

  it("follows the server's announced Keep-Alive timeout when it is shorter than its own", async () => {
    const s = await tlsServer();
    s.setKeepAliveTimeout(2_000); // announced as timeout=2: the client keeps the connection at most 1 s
    const transport = transportTo(s, { idleMs: 60_000 });
    const closed = s.nextClientClose();
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(await closed).toBe(1);
  });

  it('pre-connect opens the connection the next sale uses, so the sale itself makes no handshake', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    await transport.warm?.();
    expect(s.connections).toBe(1);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(s.connections).toBe(1);
    expect(s.requests.at(-1)?.connection).toBe(1);
    // Warming again while a connection is kept opens nothing more.
    await transport.warm?.();
    expect(s.connections).toBe(1);
  });

  it('a code scanned while the pre-connect is still under way goes out on that connection, not on a second handshake', async () => {
    const s = await tlsServer();
    let answerWarm: () => void = () => undefined;
    const warmAnswered = new Promise<void>((resolve) => {
      answerWarm = resolve;
    });
    let warmArrived: () => void = () => undefined;
    const warmAtServer = new Promise<void>((resolve) => {
      warmArrived = resolve;
    });
    // The server holds the pre-connect's GET (its connection busy) until the payment has been handed to the client.
    s.setScript((request) => {
      if (request.url !== '/') return { status: 200, body: 'ok' };
      warmArrived();
      return warmAnswered.then(() => ({ status: 404, body: 'not here' }));
    });
    const transport = transportTo(s);
    const warming = transport.warm?.();
    await warmAtServer;
    const payment = transport.send(micropay);
    answerWarm();
    expect(await payment).toMatchObject({ ok: true, response: { status: 200 } });
    await warming;
    expect(s.connections).toBe(1);
    expect(s.requests.map((r) => [r.url, r.connection])).toEqual([
      ['/', 1],
      ['/pay/micropay', 1],
    ]);
  });

  it('a kept connection the server closed before the first key is not taken as warm: the pre-connect opens a new one', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    const closed = s.nextServerClose();
    s.closeIdleConnections();
    await closed;
    await transport.warm?.();
    expect(s.requests.map((r) => [r.url, r.connection])).toEqual([
      ['/pay/micropay', 1],
      ['/', 2],
    ]);
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(s.requests.at(-1)?.connection).toBe(2);
  });

  it('secapi calls (mutual TLS) get their own warm connection with the client certificate; the others present none', async () => {
    const s = await tlsServer();
    const transport = transportTo(s);
    await transport.warm?.();
    await transport.warm?.({ mutualTls: true });
    expect(s.connections).toBe(2);
    expect(await transport.send({ ...micropay, path: '/secapi/pay/reverse', mutualTls: true })).toMatchObject({ ok: true });
    expect(await transport.send(micropay)).toMatchObject({ ok: true });
    expect(s.connections).toBe(2);
    const [reverse, pay] = s.requests.slice(-2);
    expect(reverse?.clientCertSerial).toBe(pki.merchantSerial.toUpperCase());
    expect(pay?.clientCertSerial).toBeNull();
    expect(reverse?.connection).not.toBe(pay?.connection);
  });

  it('pre-connect to a host that cannot be reached resolves quietly; the sale then reports the problem', async () => {
    const s = await tlsServer();
    const url = s.url;
    await s.close();
    server = undefined;
    const transport = createHttpTransport({ baseUrl: url, timeouts, caCertPem: pki.caCertPem });
    await expect(transport.warm?.()).resolves.toBeUndefined();
    expect(await transport.send(micropay)).toMatchObject({ ok: false, cause: 'network', code: 'ECONNREFUSED' });
  });
});
