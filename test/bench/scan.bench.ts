import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { closeSync, openSync, writeSync } from 'node:fs';
import { createServer, request as httpRequest, Agent, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { App } from '../../electron/app';
import type { SaleView } from '../../shared/payments';
import { startSocatPair, type SocatPair } from '../helpers/socat';
import { startBenchApp, call, instantWalletCode, signInWithShift } from './app-under-bench';
import { benchDir, openAppDatabase } from './bench-env';
import { latencyRow, nowNs, type Benchmark } from './stats';

// (1) Scan to request: the scanner's suffix byte written to a socat pty → the micropay request arriving at the
// sandbox's HTTP server (node:http's 'http.server.request.start' diagnostics channel, in this process). Between
// them: the app's serial port, line assembly, classification, the counter, one durable transaction with its
// outbox row, the worker, signing and the HTTPS request. Floor: one raw durable insert (same pragmas) plus one
// HTTP POST on loopback to a bare server, timed to the same point (the server sees the request).

const ROUNDS = 40;
const PACE_MS = 250;
const MICROPAY = /\/pay\/micropay|\/v3\/pay\/transactions\/codepay/;

interface Arrival {
  next(): Promise<number>;
  close(): void;
}

export function watchMicropayArrivals(): Arrival {
  let waiting: ((at: number) => void) | null = null;
  const onStart = (message: unknown): void => {
    const url = (message as { request?: IncomingMessage }).request?.url ?? '';
    if (waiting && MICROPAY.test(url)) {
      const resolve = waiting;
      waiting = null;
      resolve(nowNs());
    }
  };
  subscribe('http.server.request.start', onStart);
  return {
    next: () =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no micropay request reached the sandbox within 5 s')), 5000);
        waiting = (at) => {
          clearTimeout(timer);
          resolve(at);
        };
      }),
    close: () => unsubscribe('http.server.request.start', onStart),
  };
}

export function salePaid(app: App): Promise<SaleView> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('sale not paid within 5 s')), 5000);
    const off = app.payments.on('sale.paid', ({ sale }) => {
      clearTimeout(timer);
      off();
      resolve(sale);
    });
  });
}

export async function waitForScannerOpen(app: App): Promise<void> {
  const deadline = Date.now() + 5000;
  while (Date.now() < deadline) {
    const opened = app.events.snapshot().some((e) => e.event === 'scanner.state' && (e.payload as { status?: string }).status === 'connected');
    if (opened) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('the scanner port did not open within 5 s');
}

async function ourSample(app: App, ptyFd: number, serial: number, arrivals: Arrival): Promise<number> {
  await call(app, 'cart.preview', { lines: [], amountFen: 1250 });
  writeSync(ptyFd, instantWalletCode(serial));
  const paid = salePaid(app);
  const arrived = arrivals.next();
  const start = nowNs();
  writeSync(ptyFd, '\r');
  const at = await arrived;
  const sale = await paid;
  await call(app, 'sale.finish', { saleId: sale.id });
  return at - start;
}

async function floorSampler(dir: string): Promise<{ sample(): Promise<number>; close(): Promise<void> }> {
  const db = openAppDatabase(dir, 'floor.db');
  const insert = db.prepare("INSERT INTO sequences (name, next_value) VALUES (?, 1)");
  let seen: ((at: number) => void) | null = null;
  const server = createServer((req, res) => {
    seen?.(nowNs());
    req.resume();
    req.on('end', () => res.end('<xml><return_code>SUCCESS</return_code></xml>'));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const agent = new Agent({ keepAlive: true });
  let n = 0;
  const body = `<xml><auth_code>${instantWalletCode(1)}</auth_code><total_fee>1250</total_fee></xml>`;
  return {
    async sample() {
      const arrived = new Promise<number>((resolve) => (seen = resolve));
      const start = nowNs();
      insert.run(`floor:${n++}`);
      const done = new Promise<void>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/pay/micropay', agent, headers: { 'content-type': 'text/xml' } }, (res) => {
          res.resume();
          res.on('end', resolve);
        });
        req.on('error', reject);
        req.end(body);
      });
      const at = await arrived;
      await done;
      return at - start;
    },
    async close() {
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

export const benchmark: Benchmark = {
  id: 'scan',
  title: '(1) Scan to request: suffix byte on a pty → micropay at the sandbox',
  async run() {
    const scratch = benchDir('scan');
    let pair: SocatPair | undefined;
    let app: App | undefined;
    const arrivals = watchMicropayArrivals();
    const floor = await floorSampler(scratch.dir);
    try {
      pair = await startSocatPair();
      app = await startBenchApp(scratch.dir, pair.pathA);
      await waitForScannerOpen(app);
      await signInWithShift(app);
      const fd = openSync(pair.pathB, 'w');
      const ours: number[] = [];
      const floors: number[] = [];
      try {
        const base = Date.now() % 1e6;
        for (let round = 0; round < ROUNDS + 5; round++) {
          // A real counter takes far fewer than 5 scans a second: stay under the app's micropay rate limit
          // (5/s, burst 10) so the figure is the app's latency, not the limiter's deliberate wait.
          const paced = new Promise((resolve) => setTimeout(resolve, PACE_MS));
          const o = await ourSample(app, fd, base * 100 + round, arrivals);
          await paced;
          const f = await floor.sample();
          if (round >= 5) {
            ours.push(o);
            floors.push(f);
          }
        }
      } finally {
        closeSync(fd);
      }
      const row = latencyRow({ id: '1.scan-to-request', name: 'scan to micropay request (serial pty → sandbox)', target: 'p99 < 10 ms, ratio < 2' }, ours, '1 durable insert + 1 HTTP POST', floors);
      return [{ ...row, met: row.p99 < 10 && (row.ratio ?? Infinity) < 2 }];
    } finally {
      arrivals.close();
      await app?.close();
      await pair?.stop();
      await floor.close();
      scratch.dispose();
    }
  },
};
