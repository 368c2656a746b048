import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock } from '../../shared/clock';
import { silentLogger } from '../../shared/log';
import { fen } from '../../shared/money';
import { startHub } from '../../electron/hub/app';
import { createNotificationDecoders } from '../../electron/hub/notify/decode';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { SandboxMerchants } from '../helpers/chain-day';
import { startNotifyReceiver, type Received } from '../helpers/notify-receiver';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { qrPaidToDisplay } from './qr-display';
import { nowNs, summarize, type Benchmark, type BenchRow } from './stats';

/**
 * Issue 14's rows. (1) Notification handling at the hub: N real v3 payment notifications (signed and encrypted by
 * the sandbox, captured at a receiver) POSTed to the hub's `/wechatpay/v3/notify` over loopback HTTP by 8 senders
 * on kept-alive connections, on SQLite and PostgreSQL (verify + decrypt + record, each a new order no counter
 * reported yet: `awaiting-order`). Floors: the hub's own decoders (verify + decrypt) on the same bodies in-process,
 * and the same decoders behind a bare node:http server fed by the same senders (what the HTTP round trips cost in
 * this one process). Rates per window of 100. `BENCH_NOTIFY_CPU_PROF=<dir>` profiles each engine's run.
 * (2) Native QR paid at the sandbox → `display.state` paid at the customer display's WebSocket, with the push
 * channel and without (polling every 2–3 s): qr-display.ts.
 */
const N = Number(process.env.BENCH_NOTIFY_COUNT ?? 1_000);
const QR_SAMPLES = Number(process.env.BENCH_NOTIFY_QR ?? 20);
const IN_FLIGHT = 8;
const WINDOW = 100;

function rates(doneAtNs: readonly number[], startNs: number): number[] {
  const sorted = [...doneAtNs].sort((a, b) => a - b);
  const out: number[] = [];
  let from = startNs;
  for (let i = WINDOW - 1; i < sorted.length; i += WINDOW) {
    const at = sorted[i] ?? from;
    out.push(WINDOW / ((at - from) / 1e9));
    from = at;
  }
  return out;
}

async function captureNotifications(sandbox: Sandbox, clock: ManualClock): Promise<Received[]> {
  const receiver = await startNotifyReceiver(sandbox, clock);
  try {
    const client = createWechatPayClient({
      apiVersion: 'v3', credentials: sandbox.credentials, baseUrl: sandbox.url, timeouts: { connectMs: 3_000, totalMs: 10_000 }, clock,
      logger: silentLogger, spbillCreateIp: '127.0.0.1', notifyUrl: receiver.url('/v3'),
    });
    for (let i = 0; i < N; i += 1) {
      const no = `BNCHabcdefgh261207P${String(i + 1).padStart(6, '0')}`;
      const created = await client.createNativeOrder({ outTradeNo: no, totalFen: fen(100 + i), description: '压测', productId: no, timeExpire: clock.now() + 30 * 60_000 });
      if (created.kind !== 'success') throw new Error(`native order refused: ${JSON.stringify(created)}`);
      sandbox.customerPay(created.value.codeUrl);
    }
    while ((await sandbox.notifications.pump()) > 0);
    const ok = receiver.received.filter((r) => r.result.ok);
    if (ok.length !== N) throw new Error(`captured ${ok.length} of ${N} notifications`);
    return ok;
  } finally {
    await receiver.close();
  }
}

/**
 * BENCH_NOTIFY_CPU_PROF=<dir>: a V8 CPU profile of each engine's phase (hub and its HTTP client share this process)
 * is written there as notify-<engine>.cpuprofile (open it in Chrome's DevTools).
 */
async function profiled<T>(name: string, run: () => Promise<T>): Promise<T> {
  const dir = process.env.BENCH_NOTIFY_CPU_PROF;
  if (!dir) return run();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await run();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `notify-${name}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  }
}

/**
 * The WeChat side of the bench: 8 senders, each POSTing one captured notification at a time over a kept-alive
 * connection (WeChat keeps its connections to a notify_url alive too). node:http rather than fetch: fetch's own
 * per-request cost in this process was about twice node:http's here and was being charged to the hub.
 */
async function deliverAll(url: string, captured: readonly Received[]): Promise<number[]> {
  const agent = new Agent({ keepAlive: true, maxSockets: IN_FLIGHT });
  const done: number[] = [];
  let next = 0;
  const post = (r: Received): Promise<number> => new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { 'content-type': 'application/json', 'content-length': r.body.length };
    for (const name of ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial', 'wechatpay-signature-type']) headers[name] = String(r.headers[name] ?? '');
    const req = request(url, { method: 'POST', headers, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(r.body);
  });
  const worker = async (): Promise<void> => {
    while (next < captured.length) {
      const r = captured[next++];
      if (!r) break;
      const status = await post(r);
      if (status >= 300) throw new Error(`answered ${status}`);
      done.push(nowNs());
    }
  };
  try {
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    return done;
  } finally {
    agent.destroy();
  }
}

async function hubRate(engine: 'sqlite' | 'postgres', sandbox: Sandbox, clock: ManualClock, captured: readonly Received[], databaseUrl?: string): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), `notify-bench-${engine}-`));
  const merchants = new SandboxMerchants();
  merchants.add(sandbox, 'v3', []);
  const hub = await startHub({ dataDir, port: 0, databaseUrl, clock, log: silentLogger, merchants, pagesDir: null });
  try {
    const start = nowNs();
    const done = await profiled(engine, () => deliverAll(`${hub.url}/wechatpay/v3/notify`, captured));
    const stored = await hub.database.db.selectFrom('hub_notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== captured.length) throw new Error(`hub recorded ${stored.n} of ${captured.length}`);
    return rates(done, start);
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** Verify + decrypt behind a bare node:http server (no database, no routing): what the HTTP round trips cost. */
async function httpFloorRate(sandbox: Sandbox, clock: ManualClock, captured: readonly Received[]): Promise<number[]> {
  const merchants = new SandboxMerchants();
  merchants.add(sandbox, 'v3', []);
  const decoders = createNotificationDecoders({ list: () => merchants.list(), credentialsFor: (m) => merchants.credentialsFor(m), generation: 1, reload: () => Promise.resolve() }, clock);
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const ok = decoders.decodeV3(Buffer.concat(chunks), req.headers).ok;
      res.writeHead(ok ? 204 : 401).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const start = nowNs();
    return rates(await deliverAll(`http://127.0.0.1:${port}/wechatpay/v3/notify`, captured), start);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

function floorRate(sandbox: Sandbox, clock: ManualClock, captured: readonly Received[]): number[] {
  const merchants = new SandboxMerchants();
  merchants.add(sandbox, 'v3', []);
  const decoders = createNotificationDecoders({ list: () => merchants.list(), credentialsFor: (m) => merchants.credentialsFor(m), generation: 1, reload: () => Promise.resolve() }, clock);
  const done: number[] = [];
  const start = nowNs();
  for (const r of captured) {
    if (!decoders.decodeV3(r.body, r.headers).ok) throw new Error('floor could not decode');
    done.push(nowNs());
  }
  return rates(done, start);
}

export const benchmark: Benchmark = {
  id: 'notify',
  title: `hub notifications: ${N} v3 payment notifications per engine vs bare verify+decrypt; QR paid → customer display paid with and without the push`,
  async run() {
    const out: BenchRow[] = [];
    const clock = new ManualClock(Date.now());
    const dir = mkdtempSync(join(tmpdir(), 'notify-bench-sandbox-'));
    const sandbox = await startSandbox({ clock, dataDir: dir });
    try {
      const captured = await captureNotifications(sandbox, clock);
      const floor = summarize(floorRate(sandbox, clock, captured));
      const floorRow = { name: 'verify + decrypt (hub decoders, in-process)', median: floor.median, p99: floor.p99 };
      const overHttp = summarize(await httpFloorRate(sandbox, clock, captured));
      out.push({ id: '14.notify-http-floor', name: 'verify + decrypt behind a bare node:http server (no database)', unit: 'ops/s', ...overHttp, floor: floorRow, ratio: overHttp.median / floor.median });
      const sqlite = summarize(await hubRate('sqlite', sandbox, clock, captured));
      out.push({ id: '14.notify-sqlite', name: 'hub notifications handled (verify + decrypt + record), sqlite', unit: 'ops/s', ...sqlite, floor: floorRow, ratio: sqlite.median / floor.median });
      const cluster = await startPostgresCluster();
      try {
        const admin = new pg.Client({ connectionString: cluster.adminUrl });
        await admin.connect();
        await admin.query('CREATE DATABASE notify_bench');
        await admin.end();
        const url = new URL(cluster.adminUrl);
        url.pathname = '/notify_bench';
        const postgres = summarize(await hubRate('postgres', sandbox, clock, captured, url.toString()));
        out.push({ id: '14.notify-postgres', name: 'hub notifications handled (verify + decrypt + record), postgres', unit: 'ops/s', ...postgres, floor: floorRow, ratio: postgres.median / floor.median });
      } finally {
        await cluster.stop();
      }
    } finally {
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
    // BENCH_NOTIFY_QR=0: the notification rates only.
    if (QR_SAMPLES === 0) return out;
    try {
      out.push(...(await qrPaidToDisplay(QR_SAMPLES)));
    } catch (error) {
      out.push({ id: '14.qr-display-push', name: 'native QR paid → display.state "paid" at the customer display', unit: 'ms', median: Number.NaN, p99: Number.NaN, samples: 0, note: `FAILED: ${error instanceof Error ? error.message : String(error)}` });
    }
    return out;
  },
};
