import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fen } from '../../../shared/money';
import { createHttpTransport } from '../../../electron/wechat/transport';
import { createTestPki, type TestPki } from './helpers/pki';
import { startScriptServer, type ScriptServer } from './helpers/script-server';
import { AUTH_CODE, v2Client, v2Credentials } from './helpers/v2-fixture';

let pki: TestPki;
let plain: ScriptServer;
let tls: ScriptServer;
/** Accepts TCP connections and never speaks: a TLS handshake against it never completes. */
let silent: net.Server;
let silentPort: number;
const silentSockets = new Set<net.Socket>();

beforeAll(async () => {
  pki = await createTestPki();
  plain = await startScriptServer(() => ({ status: 200, body: 'hello' }));
  tls = await startScriptServer(() => ({ status: 200, body: 'secure hello' }), { certPem: pki.serverCertPem, keyPem: pki.serverKeyPem });
  silent = net.createServer((socket) => {
    silentSockets.add(socket);
    socket.on('close', () => silentSockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  silentPort = (silent.address() as AddressInfo).port;
});
afterAll(async () => {
  await plain.close();
  await tls.close();
  for (const socket of silentSockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

const timeouts = { connectMs: 300, totalMs: 800 };

/** A port nothing listens on: bind one, note it, release it. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

describe('HTTP transport', () => {
  it('sends to the base URL, keeping its path prefix', async () => {
    const transport = createHttpTransport({ baseUrl: `${plain.url}/prefix/`, timeouts });
    const result = await transport.send({ method: 'POST', path: '/pay/orderquery', headers: { 'X-Test': '1' }, body: '<xml/>' });
    expect(result).toMatchObject({ ok: true, response: { status: 200 } });
    if (result.ok) expect(result.response.body.toString()).toBe('hello');
    expect(plain.requests.at(-1)).toMatchObject({ method: 'POST', url: '/prefix/pay/orderquery', body: '<xml/>' });
    expect(transport.serverPath('/v3/x?a=1')).toBe('/prefix/v3/x?a=1');
  });

  it('reports a refused connection as network ECONNREFUSED', async () => {
    const transport = createHttpTransport({ baseUrl: `http://127.0.0.1:${await closedPort()}`, timeouts });
    expect(await transport.send({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, cause: 'network', code: 'ECONNREFUSED' });
  });

  it('times out a TLS handshake that never completes as a connect timeout', async () => {
    const transport = createHttpTransport({ baseUrl: `https://127.0.0.1:${silentPort}`, timeouts });
    expect(await transport.send({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, cause: 'timeout', code: 'CONNECT_TIMEOUT' });
  });

  it('times out an answer that never comes as a total timeout', async () => {
    plain.setScript(() => 'hang');
    const transport = createHttpTransport({ baseUrl: plain.url, timeouts });
    expect(await transport.send({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, cause: 'timeout', code: 'TOTAL_TIMEOUT' });
    plain.setScript(() => ({ status: 200, body: 'hello' }));
  });

  it('reports a connection dropped after the request as network', async () => {
    plain.setScript(() => 'drop');
    const transport = createHttpTransport({ baseUrl: plain.url, timeouts });
    expect(await transport.send({ method: 'POST', path: '/', headers: {}, body: 'x' })).toMatchObject({ ok: false, cause: 'network' });
    plain.setScript(() => ({ status: 200, body: 'hello' }));
  });

  it('trusts a server certificate only with the configured extra CA', async () => {
    const untrusted = createHttpTransport({ baseUrl: tls.url, timeouts });
    const refused = await untrusted.send({ method: 'GET', path: '/', headers: {} });
    expect(refused).toMatchObject({ ok: false, cause: 'network' });
    if (!refused.ok) expect(refused.code).toMatch(/CERT|SIGNATURE|ISSUER|SELF_SIGNED/);
    const trusted = createHttpTransport({ baseUrl: tls.url, timeouts, caCertPem: pki.caCertPem });
    expect(await trusted.send({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: true });
  });

  it('cuts off an answer larger than the limit', async () => {
    plain.setScript(() => ({ status: 200, body: Buffer.alloc(4096, 65) }));
    const transport = createHttpTransport({ baseUrl: plain.url, timeouts, maxResponseBytes: 1024 });
    expect(await transport.send({ method: 'GET', path: '/', headers: {} })).toMatchObject({ ok: false, code: 'RESPONSE_TOO_LARGE' });
    plain.setScript(() => ({ status: 200, body: 'hello' }));
  });

  it('refuses a base URL that is not http(s) or carries a query', () => {
    expect(() => createHttpTransport({ baseUrl: 'ftp://x', timeouts })).toThrow();
    expect(() => createHttpTransport({ baseUrl: 'https://x/?a=1', timeouts })).toThrow();
    expect(() => createHttpTransport({ baseUrl: 'not a url', timeouts })).toThrow();
  });
});

describe('client outcomes for transport problems', () => {
  const request = { outTradeNo: 'T1', authCode: AUTH_CODE, totalFen: fen(1), description: 'x' };

  it('maps refused, dropped, hung and 5xx answers to unknown, never failure', async () => {
    const refused = v2Client(`http://127.0.0.1:${await closedPort()}`, v2Credentials(), timeouts).client;
    expect(await refused.micropay(request)).toMatchObject({ kind: 'unknown', cause: 'network', code: 'ECONNREFUSED' });
    const client = v2Client(plain.url, v2Credentials(), timeouts).client;
    plain.setScript(() => 'drop');
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', cause: 'network' });
    plain.setScript(() => 'hang');
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', cause: 'timeout' });
    plain.setScript(() => ({ status: 503, headers: { 'Content-Type': 'text/html' }, body: '<html>503</html>' }));
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', cause: 'http-5xx', code: 'HTTP_503' });
    plain.setScript(() => ({ status: 200, body: 'not xml at all' }));
    expect(await client.micropay(request)).toMatchObject({ kind: 'unknown', cause: 'malformed' });
    plain.setScript(() => ({ status: 200, body: 'hello' }));
  });
});
