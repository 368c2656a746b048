import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer, request as httpsRequest, Agent } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { App } from '../../electron/app';
import { startApp } from '../../electron/app';
import { SANDBOX_ANSWER_CHANNEL, type SandboxAnswerTiming } from '../../electron/sandbox/server';
import { openKeyFileCipher } from '../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../electron/shifts/pdf';
import { startSocatPair, type SocatPair } from '../helpers/socat';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { createTestPki } from '../unit/wechat/helpers/pki';
import { call, instantWalletCode, signInWithShift } from './app-under-bench';
import { benchDir, openAppDatabase, silentLogger, systemClock } from './bench-env';
import { salePaid, waitForScannerOpen, watchMicropayArrivals } from './scan.bench';
import { latencyRow, nowNs, nsToMs, summarize, type Benchmark, type BenchRow } from './stats';

// (8) The counter over a store's link: a TCP proxy holds every chunk ONE_WAY_MS in each direction (30 ms round
// trip) between the app and its embedded sandbox. Scan = the scanner's suffix byte on a socat pty, as in (1).
// - cold: the connections were just dropped (first sale of the day, or after a long pause): the cashier's key
//   pre-connects, and the code follows at once, so the payment pays the TCP + TLS handshakes itself;
// - warm: the cashier's key pre-connected a moment before the code (the customer reaching for the phone).
// Floors, in the same rounds: one durable insert + one HTTPS POST through an identical proxy to a bare HTTPS
// server, on a new connection (cold) or a kept one (warm); the display row's floor is 1 RTT + the sandbox's own
// time for that very call (request in → answer written, its timing channel).

const ONE_WAY_MS = Number(process.env.BENCH_ONE_WAY_MS ?? 15);
const RTT_MS = 2 * ONE_WAY_MS;
const ROUNDS = Number(process.env.BENCH_WAN_ROUNDS ?? 30);
/** The cashier's key to the scan in the warm case: well over the 3 round trips a cold pre-connect needs. */
const KEY_TO_SCAN_MS = 400;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** When the customer display is next told 支付成功 (display.state paid), as the app's event hub sends it. */
function displayPaid(app: App): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no display.state paid within 5 s')), 5000);
    const off = app.events.subscribe((name, payload) => {
      if (name !== 'display.state' || (payload as { kind?: string }).kind !== 'paid') return;
      const at = nowNs();
      clearTimeout(timer);
      off();
      resolve(at);
    });
  });
}

/** The sandbox's own time (request in → answer written) of the next successful micropay. */
function sandboxTimes(): { next(): Promise<number>; close(): void } {
  let waiting: ((ns: number) => void) | null = null;
  const on = (message: unknown): void => {
    const t = message as SandboxAnswerTiming;
    if (!/\/pay\/micropay|\/v3\/pay\/transactions\/codepay/.test(t.path) || t.status !== 200) return;
    waiting?.(t.answeredNs - t.receivedNs);
    waiting = null;
  };
  subscribe(SANDBOX_ANSWER_CHANNEL, on);
  return { next: () => new Promise<number>((resolve) => (waiting = resolve)), close: () => unsubscribe(SANDBOX_ANSWER_CHANNEL, on) };
}

async function floorSampler(dir: string): Promise<{ cold(): Promise<number>; warm(): Promise<number>; close(): Promise<void> }> {
  const pki = await createTestPki();
  const db = openAppDatabase(dir, 'floor.db');
  const insert = db.prepare('INSERT INTO sequences (name, next_value) VALUES (?, 1)');
  let seen: ((at: number) => void) | null = null;
  const server = createServer({ cert: pki.serverCertPem, key: pki.serverKeyPem }, (req, res) => {
    seen?.(nowNs());
    req.resume();
    req.on('end', () => res.end('<xml><return_code>SUCCESS</return_code></xml>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const proxy = await startTcpProxy({ host: '127.0.0.1', port: (server.address() as AddressInfo).port }, { oneWayDelayMs: ONE_WAY_MS });
  const kept = new Agent({ keepAlive: true, ca: pki.caCertPem });
  const fresh = new Agent({ keepAlive: false, ca: pki.caCertPem });
  const body = `<xml><auth_code>${instantWalletCode(1)}</auth_code><total_fee>1250</total_fee></xml>`;
  let n = 0;
  const sample = async (agent: Agent): Promise<number> => {
    const arrived = new Promise<number>((resolve) => (seen = resolve));
    const start = nowNs();
    insert.run(`floor:${n++}`);
    const done = new Promise<void>((resolve, reject) => {
      const req = httpsRequest({ host: '127.0.0.1', port: proxy.port, method: 'POST', path: '/floor', agent, headers: { 'content-type': 'text/xml' } }, (res) => {
        res.resume();
        res.on('end', resolve);
      });
      req.on('error', reject);
      req.end(body);
    });
    const at = await arrived;
    await done;
    return at - start;
  };
  await sample(kept);
  return {
    cold: () => sample(fresh),
    warm: () => sample(kept),
    async close() {
      kept.destroy();
      fresh.destroy();
      await proxy.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

export const benchmark: Benchmark = {
  id: 'wan',
  title: `(8) Scan over a ${RTT_MS} ms round trip: cold and warm connections, scan → request and scan → 支付成功 on the display`,
  async run() {
    const scratch = benchDir('wan');
    let pair: SocatPair | undefined;
    let app: App | undefined;
    let proxy: TcpProxy | undefined;
    let sandboxPort = 0;
    const arrivals = watchMicropayArrivals();
    const answers = sandboxTimes();
    const floor = await floorSampler(scratch.dir);
    try {
      proxy = await startTcpProxy(() => ({ host: '127.0.0.1', port: sandboxPort }), { oneWayDelayMs: ONE_WAY_MS });
      const via = proxy;
      pair = await startSocatPair();
      app = await startApp({
        dataDir: scratch.dir,
        clock: systemClock,
        logger: silentLogger,
        createSettingsBackend: createConfBackend,
        settingsFile: settingsPath(scratch.dir),
        overrides: { sandbox: true, scannerPath: pair.pathA },
        createCipher: (dir, logger) => openKeyFileCipher(join(dir, 'secret.key'), { logger }),
        pdfRenderer: chromiumPdfRenderer(),
        routeSandbox: (url) => {
          sandboxPort = Number(new URL(url).port);
          return via.url;
        },
      });
      const pos = app;
      await waitForScannerOpen(pos);
      await signInWithShift(pos);
      const fd = openSync(pair.pathB, 'w');
      const cold: number[] = [];
      const warm: number[] = [];
      const toDisplay: number[] = [];
      const displayFloor: number[] = [];
      const coldFloor: number[] = [];
      const warmFloor: number[] = [];
      const base = (Date.now() % 1e6) * 100;
      /** One sale: the cashier's key (cart.preview), `pause` ms, then the code; scan → request and → display paid. */
      const sale = async (serial: number, pause: number): Promise<{ request: number; display: number; sandboxNs: number }> => {
        await call(pos, 'cart.preview', { lines: [], amountFen: 1250 });
        if (pause > 0) await sleep(pause);
        writeSync(fd, instantWalletCode(serial));
        const arrived = arrivals.next();
        const paid = salePaid(pos);
        const shown = displayPaid(pos);
        const own = answers.next();
        const start = nowNs();
        writeSync(fd, '\r');
        const request = (await arrived) - start;
        const display = (await shown) - start;
        const sandboxNs = await own;
        const done = await paid;
        await call(pos, 'sale.finish', { saleId: done.id });
        return { request, display, sandboxNs };
      };
      try {
        for (let round = 0; round < ROUNDS + 3; round++) {
          // Cold: every connection dropped (the proxy cuts them; the client sees the close first).
          via.cutAll();
          await sleep(100);
          const c = await sale(base + 2 * round, 0);
          const fc = await floor.cold();
          await sleep(250);
          const w = await sale(base + 2 * round + 1, KEY_TO_SCAN_MS);
          const fw = await floor.warm();
          if (round < 3) continue;
          cold.push(c.request);
          coldFloor.push(fc);
          warm.push(w.request);
          warmFloor.push(fw);
          toDisplay.push(w.display);
          displayFloor.push(RTT_MS * 1e6 + w.sandboxNs);
        }
      } finally {
        closeSync(fd);
      }
      const rows: BenchRow[] = [];
      rows.push({
        ...latencyRow({ id: '8.scan-to-request-cold', name: `scan → request at the sandbox, ${RTT_MS} ms RTT, cold (handshakes on the payment)`, target: '(none given)' }, cold, 'insert + HTTPS POST on a new connection, same proxy', coldFloor),
        met: null,
      });
      const w = latencyRow(
        { id: '8.scan-to-request-warm', name: `scan → request at the sandbox, ${RTT_MS} ms RTT, warm (pre-connected at the first key)`, target: `median ≤ ${RTT_MS / 2 + 5} ms, p99 ≤ ${RTT_MS / 2 + 15} ms` },
        warm,
        'insert + HTTPS POST on a kept connection, same proxy',
        warmFloor,
      );
      rows.push({ ...w, met: w.median <= RTT_MS / 2 + 5 && w.p99 <= RTT_MS / 2 + 15 });
      const d = latencyRow(
        { id: '8.scan-to-paid-display-warm', name: `scan → 支付成功 (display.state paid) at the customer display, ${RTT_MS} ms RTT, warm`, target: 'median ≤ 1 RTT + sandbox time + 10 ms' },
        toDisplay,
        '1 RTT + the sandbox’s own time for that call',
        displayFloor,
      );
      const overFloor = summarize(toDisplay.map((ns, i) => ns - (displayFloor[i] ?? 0)));
      rows.push({ ...d, met: nsToMs(overFloor.median) <= 10, note: `median over (1 RTT + sandbox time): ${nsToMs(overFloor.median).toFixed(1)} ms; display.state seen on the app's event hub (in process)` });
      return rows;
    } finally {
      arrivals.close();
      answers.close();
      await app?.close();
      await proxy?.close();
      await pair?.stop();
      await floor.close();
      scratch.dispose();
    }
  },
};
