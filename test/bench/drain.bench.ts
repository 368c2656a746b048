import { spawn, type ChildProcess } from 'node:child_process';
import { countOpenOutbox } from '../../electron/db/outbox';
import { createPaymentService, type PaymentService } from '../../electron/payments/service';
import type { SandboxCredentials } from '../../electron/sandbox/server';
import type { EndpointLimit } from '../../electron/sync/rate-limit';
import { DEFAULT_ENDPOINT_LIMIT } from '../../electron/sync/rate-limit';
import { createWechatPayClient } from '../../electron/wechat/factory';
import type { WechatPayClient } from '../../electron/wechat/types';
import { fen } from '../../shared/money';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';
import { stopChild } from '../helpers/web-host-process';
import { instantWalletCode } from './app-under-bench';
import { benchDir, openAppDatabase, repoRoot, silentLogger, systemClock } from './bench-env';
import { nowNs, summarize, type Benchmark, type BenchRow } from './stats';

// (4) Outbox drain: OPS micropay payments are scanned while the sandbox is down (its outage fault switch: the port
// is closed), so they wait in the outbox; then the outage ends. Measured from the moment the app sees WeChat again
// (its connectivity probe) until every queued payment is paid: payments per second, in 1-second windows. The
// sandbox runs in a child process (test/bench/sandbox-child.ts) so the CPU time of each side can be told apart,
// and it reports its own handler time (request in → answer written) on its timing channel.
// Floor: the same client making the same micropay calls straight to the sandbox, as many at once as the worker
// runs (4), with no outbox and no database.
//
// Bench settings (documented in the README): the worker's per-endpoint limit is raised from the app's 5/s
// (burst 10) to DRAIN_LIMIT, else the drain is the limiter's 5/s by design; the micropay send window (50 s in the
// app: a scanned code is dropped if not sent by then) is raised to an hour so the queue outlives the outage; the
// queue is written with synchronous=OFF (seeding is not measured), the drain runs with the app's synchronous=FULL.

const OPS = Number(process.env.BENCH_DRAIN_OPS ?? 10_000);
/** The second run goes through a TCP proxy holding every chunk this long each way (a store's link; 30 ms RTT). */
const ONE_WAY_MS = Number(process.env.BENCH_ONE_WAY_MS ?? 15);
const FLOOR_OPS = Math.min(OPS, 2_000);
const DRAIN_LIMIT: EndpointLimit = { burst: 100, perSecond: 100_000 };
const INFLIGHT = 4;
const WINDOW_NS = 1e9;

interface SandboxStats {
  cpu: NodeJS.CpuUsage;
  answers: number;
  handlerNs: number;
  handlerSamples: number[];
}

class SandboxChild {
  private constructor(
    private readonly child: ChildProcess,
    readonly credentials: SandboxCredentials,
    readonly url: string,
  ) {}

  static async start(): Promise<SandboxChild> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/sandbox-child.ts'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const ready = await new Promise<{ credentials: SandboxCredentials; url: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('sandbox child not ready in 30 s')), 30_000);
      child.once('message', (message) => {
        clearTimeout(timer);
        resolve(message as { credentials: SandboxCredentials; url: string });
      });
      child.once('exit', (code) => reject(new Error(`sandbox child exited with ${code}`)));
    });
    return new SandboxChild(child, ready.credentials, ready.url);
  }

  ask<T = unknown>(cmd: 'outage' | 'restore' | 'stats' | 'stop'): Promise<T> {
    return new Promise((resolve) => {
      const onMessage = (message: unknown): void => {
        if ((message as { cmd?: string }).cmd !== cmd) return;
        this.child.off('message', onMessage);
        resolve(message as T);
      };
      this.child.on('message', onMessage);
      this.child.send({ cmd });
    });
  }

  async stop(): Promise<void> {
    if (this.child.connected) await this.ask('stop').catch(() => undefined);
    await stopChild(this.child);
  }
}

function clientFor(sandbox: SandboxChild, baseUrl: string): WechatPayClient {
  const { baseUrl: _unused, ...credentials } = sandbox.credentials;
  return createWechatPayClient({
    apiVersion: 'v3',
    credentials,
    baseUrl,
    timeouts: { connectMs: 5_000, totalMs: 15_000 },
    clock: systemClock,
    logger: silentLogger,
    spbillCreateIp: '127.0.0.1',
  });
}

/** Completions per 1-second window, from `start`: the last, partial window is left out unless it is the only one. */
function windowRates(start: number, completions: readonly number[]): number[] {
  const end = completions.reduce((m, t) => Math.max(m, t), start);
  const full = Math.floor((end - start) / WINDOW_NS);
  if (full === 0) return [completions.length / ((end - start) / 1e9)];
  const counts = new Array<number>(full).fill(0);
  for (const t of completions) {
    const w = Math.floor((t - start) / WINDOW_NS);
    if (w < full) counts[w] = (counts[w] ?? 0) + 1;
  }
  return counts;
}

/** The rate of the slowest 1% of windows (ops/s rows report the slow end as their p99). */
function slowest1Percent(rates: readonly number[]): number {
  const sorted = [...rates].sort((a, b) => a - b);
  return sorted[Math.floor(0.01 * sorted.length)] ?? Number.NaN;
}

function waitFor(check: () => boolean, what: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + timeoutMs;
    const poll = (): void => {
      if (check()) return resolve();
      if (Date.now() > deadline) return reject(new Error(`${what} not within ${timeoutMs} ms`));
      setTimeout(poll, 20);
    };
    poll();
  });
}

async function floorRun(client: WechatPayClient, serialBase: number): Promise<{ rates: number[]; seconds: number }> {
  const completions: number[] = [];
  let next = 0;
  const start = nowNs();
  const lane = async (): Promise<void> => {
    while (next < FLOOR_OPS) {
      const i = next++;
      const outcome = await client.micropay({ outTradeNo: `FLOOR${serialBase}${String(i).padStart(6, '0')}`.slice(0, 32), authCode: instantWalletCode(serialBase + i), totalFen: fen(100 + (i % 500)), description: 'floor', deviceInfo: 'FLOOR' });
      if (outcome.kind !== 'success') throw new Error(`floor micropay ${i}: ${outcome.kind}`);
      completions.push(nowNs());
    }
  };
  await Promise.all(Array.from({ length: INFLIGHT }, lane));
  return { rates: windowRates(start, completions), seconds: (nowNs() - start) / 1e9 };
}

function queueDuringOutage(service: PaymentService, db: ReturnType<typeof openAppDatabase>, serialBase: number): void {
  db.pragma('synchronous = OFF');
  for (let i = 0; i < OPS; i++) {
    const sale = service.createSale({ cashierId: 'c1', amountFen: 100 + (i % 500) });
    service.scanPaymentCode(sale.id, instantWalletCode(serialBase + i));
  }
  db.pragma('synchronous = FULL');
}

/** The drain and its floor, both reaching the sandbox at `baseUrl` (straight, or through the delaying proxy). */
async function drainRun(sandbox: SandboxChild, baseUrl: string, path: { id: string; label: string; terminalId: string }): Promise<BenchRow> {
  const scratch = benchDir(`drain-${path.id}`);
  const db = openAppDatabase(scratch.dir, 'drain.db');
  const client = clientFor(sandbox, baseUrl);
  const service = createPaymentService({
    db,
    client,
    clock: systemClock,
    logger: silentLogger,
    terminalId: path.terminalId,
    policy: { micropaySendWindowMs: 3_600_000 },
    endpointLimit: DRAIN_LIMIT,
    maxInflight: INFLIGHT,
  });
  try {
    const serialBase = (Date.now() % 1e5) * 1000;
    const completions: number[] = [];
    service.on('sale.paid', () => completions.push(nowNs()));
    await sandbox.ask('outage');
    service.start();
    queueDuringOutage(service, db, serialBase);
    await waitFor(() => service.syncStatus().connectivity === 'offline', 'the app going offline', 30_000);
    const queued = countOpenOutbox(db).open;

    const cpu0 = process.cpuUsage();
    const sandbox0 = await sandbox.ask<SandboxStats>('stats');
    const restoredAt = nowNs();
    await sandbox.ask('restore');
    let onlineAt = 0;
    await waitFor(() => {
      if (onlineAt === 0 && service.syncStatus().connectivity === 'online') onlineAt = nowNs();
      return completions.length >= OPS;
    }, `${OPS} payments paid`, 30 * 60_000);
    const drainedAt = completions.reduce((m, t) => Math.max(m, t), 0);
    const appCpu = process.cpuUsage(cpu0);
    const sandbox1 = await sandbox.ask<SandboxStats>('stats');
    const start = onlineAt === 0 ? restoredAt : Math.min(onlineAt, completions[0] ?? onlineAt);
    const ours = windowRates(start, completions);

    const floorCpu0 = process.cpuUsage();
    const floor = await floorRun(client, serialBase + OPS + 10);
    const floorCpu = process.cpuUsage(floorCpu0);
    const sandbox2 = await sandbox.ask<SandboxStats>('stats');

    const cpuMs = (u: NodeJS.CpuUsage): number => (u.user + u.system) / 1000;
    const sandboxCpuMs = cpuMs(sandbox1.cpu) - cpuMs(sandbox0.cpu);
    const floorSandboxCpuMs = cpuMs(sandbox2.cpu) - cpuMs(sandbox1.cpu);
    const appCpuMs = cpuMs(appCpu);
    const drainSeconds = (drainedAt - start) / 1e9;
    const handlerMs = summarize(sandbox1.handlerSamples).median / 1e6;
    const o = summarize(ours);
    const f = summarize(floor.rates);
    const share = (a: number, b: number): string => `${Math.round((100 * a) / (a + b))}%`;
    const note =
      `${path.label}: ${queued} jobs queued; WeChat back → app online after ${((start - restoredAt) / 1e6).toFixed(0)} ms (probe backoff); ` +
      `drained in ${drainSeconds.toFixed(1)} s = ${(OPS / drainSeconds).toFixed(0)}/s overall. CPU: app ${(appCpuMs / OPS).toFixed(2)} ms/op, ` +
      `sandbox ${(sandboxCpuMs / OPS).toFixed(2)} ms/op (app ${share(appCpuMs, sandboxCpuMs)} / sandbox ${share(sandboxCpuMs, appCpuMs)} of the CPU time; ` +
      `floor: client ${(cpuMs(floorCpu) / FLOOR_OPS).toFixed(2)} ms/op, sandbox ${(floorSandboxCpuMs / FLOOR_OPS).toFixed(2)} ms/op); ` +
      `sandbox handler (request in → answer written) median ${handlerMs.toFixed(2)} ms. Limit raised to ${DRAIN_LIMIT.perSecond}/s for the bench ` +
      `(the app's own: ${DEFAULT_ENDPOINT_LIMIT.perSecond}/s, burst ${DEFAULT_ENDPOINT_LIMIT.burst} → ${Math.ceil(OPS / DEFAULT_ENDPOINT_LIMIT.perSecond)} s for ${OPS}); ${INFLIGHT} in flight.`;
    return {
      id: path.id === 'direct' ? '4.outbox-drain' : `4.outbox-drain-${path.id}`,
      name: `outbox drain after an outage, ${path.label} (${OPS} queued micropays, 1 s windows)`,
      unit: 'ops/s',
      median: o.median,
      p99: slowest1Percent(ours),
      samples: o.samples,
      floor: { name: `same calls straight to the sandbox, ${path.label}, ${INFLIGHT} at once, no outbox`, median: f.median, p99: slowest1Percent(floor.rates) },
      ratio: o.median / f.median,
      met: null,
      note,
    };
  } finally {
    await service.stop();
    db.close();
    scratch.dispose();
  }
}

export const benchmark: Benchmark = {
  id: 'drain',
  title: `(4) Outbox drain: ${OPS} micropays queued during an outage, then the outage ends (loopback, then ${2 * ONE_WAY_MS} ms RTT)`,
  async run(): Promise<BenchRow[]> {
    const sandbox = await SandboxChild.start();
    let proxy: TcpProxy | undefined;
    try {
      const direct = await drainRun(sandbox, sandbox.url, { id: 'direct', label: 'loopback', terminalId: 'DRN1' });
      // The same sandbox behind the store's link: the app (and the floor's client) reach it only through the proxy.
      const target = new URL(sandbox.url);
      proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port) }, { oneWayDelayMs: ONE_WAY_MS });
      const viaProxy = await drainRun(sandbox, proxy.url, { id: 'rtt', label: `${2 * ONE_WAY_MS} ms RTT (proxy, ${ONE_WAY_MS} ms each way)`, terminalId: 'DRN2' });
      return [direct, viaProxy];
    } finally {
      await proxy?.close();
      await sandbox.stop();
    }
  },
};
