import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { ManualClock, systemClock } from '../../shared/clock';
import { silentLogger } from '../../shared/log';
import { fen } from '../../shared/money';
import { notifyUrlOf } from '../../shared/hub-wechat-admin-api';
import { startHub } from '../../electron/hub/app';
import { createNotificationDecoders } from '../../electron/hub/notify/decode';
import { PushChannel } from '../../electron/hub-link/push-channel';
import { openWsHubSocket } from '../../electron/hub-link/push-socket';
import { createPaymentService } from '../../electron/payments/service';
import { startSandbox, type Sandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { SandboxMerchants } from '../helpers/chain-day';
import { AdminClient } from '../helpers/hub-harness';
import { enterSandboxMerchant } from '../helpers/hub-wechat';
import { openLinkedCounter } from '../helpers/linked-counter';
import { startNotifyReceiver, type Received } from '../helpers/notify-receiver';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { nowNs, nsToMs, summarize, type Benchmark, type BenchRow } from './stats';

/**
 * Issue 14's rows. (1) Notification handling at the hub: N real v3 payment notifications (signed and encrypted by
 * the sandbox, captured at a receiver) POSTed to the hub's `/wechatpay/v3/notify` over loopback HTTP, 8 at once, on
 * SQLite and PostgreSQL (verify + decrypt + record, each a new order no counter reported yet: `awaiting-order`);
 * floor: the hub's own decoders (verify + decrypt) on the same bodies in-process. Rates per window of 100.
 * (2) Native QR paid at the sandbox → the counter's `sale.paid` (what the customer display shows paid from), with
 * the push channel and without (polling every 2–3 s), the sandbox sending its notification at once.
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

async function hubRate(engine: 'sqlite' | 'postgres', sandbox: Sandbox, clock: ManualClock, captured: readonly Received[], databaseUrl?: string): Promise<number[]> {
  const dataDir = mkdtempSync(join(tmpdir(), `notify-bench-${engine}-`));
  const merchants = new SandboxMerchants();
  merchants.add(sandbox, 'v3', []);
  const hub = await startHub({ dataDir, port: 0, databaseUrl, clock, log: silentLogger, merchants, pagesDir: null });
  try {
    const url = `${hub.url}/wechatpay/v3/notify`;
    const done: number[] = [];
    let next = 0;
    const start = nowNs();
    const worker = async (): Promise<void> => {
      while (next < captured.length) {
        const r = captured[next++];
        if (!r) break;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        for (const name of ['wechatpay-timestamp', 'wechatpay-nonce', 'wechatpay-signature', 'wechatpay-serial', 'wechatpay-signature-type']) headers[name] = String(r.headers[name] ?? '');
        const response = await fetch(url, { method: 'POST', headers, body: new Uint8Array(r.body) });
        await response.arrayBuffer();
        if (response.status >= 300) throw new Error(`hub answered ${response.status}`);
        done.push(nowNs());
      }
    };
    await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
    const stored = await hub.database.db.selectFrom('hub_notifications').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    if (Number(stored.n) !== captured.length) throw new Error(`hub recorded ${stored.n} of ${captured.length}`);
    return rates(done, start);
  } finally {
    await hub.close();
    rmSync(dataDir, { recursive: true, force: true });
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

async function qrToPaid(): Promise<{ push: number[]; poll: number[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'notify-bench-qr-'));
  const sandbox = await startSandbox({ clock: systemClock, dataDir: join(dir, 'sandbox') });
  const hub = await startHub({ dataDir: join(dir, 'hub'), port: 0, clock: systemClock, log: silentLogger, pagesDir: null });
  mkdirSync(join(dir, 'counter'));
  const counter = openLinkedCounter(join(dir, 'counter'), systemClock);
  let channel: PushChannel | null = null;
  const payments: { stop(): Promise<void> }[] = [];
  try {
    const admin = new AdminClient(hub.url);
    const storeId = (await admin.setUp(hub.adminUrl)).storeId;
    await enterSandboxMerchant(admin, storeId, sandbox);
    const enrolled = await counter.link.enrol({ hubUrl: hub.url, pairingCode: await admin.pairingCode(storeId), counterName: '压测' }, { id: 'm1', name: '经理' });
    const client = createWechatPayClient({
      apiVersion: 'v3', credentials: sandbox.credentials, baseUrl: sandbox.url, timeouts: { connectMs: 3_000, totalMs: 10_000 }, clock: systemClock,
      logger: silentLogger, spbillCreateIp: '127.0.0.1', notifyUrl: notifyUrlOf(hub.url, 'v3'),
    });
    const service = createPaymentService({ db: counter.db, client, clock: systemClock, logger: silentLogger, terminalId: enrolled.terminalId ?? '', tickMs: 20 });
    payments.push(service);
    service.start();
    const paidAt = new Map<number, number>();
    service.on('sale.paid', ({ sale }) => paidAt.set(sale.id, nowNs()));
    channel = new PushChannel({ identity: () => counter.link.currentIdentity(), open: openWsHubSocket, onHint: (h) => service.takeHint(h), logger: silentLogger, now: () => Date.now() });
    const waitFor = async (check: () => boolean, limitMs: number): Promise<void> => {
      const until = Date.now() + limitMs;
      while (!check()) {
        if (Date.now() > until) throw new Error('timed out');
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    };
    const sample = async (): Promise<number> => {
      const sale = service.createSale({ cashierId: 'c1', amountFen: 1_250 });
      const attempt = service.startNativeQr(sale.id);
      await waitFor(() => service.getAttempt(attempt.id).state === 'awaiting-scan', 10_000);
      // A moment for the create's own answer to settle and the first poll to be scheduled (as at a real counter).
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 2_000));
      const t0 = nowNs();
      sandbox.customerPay(service.getAttempt(attempt.id).codeUrl ?? '');
      void sandbox.notifications.pump();
      await waitFor(() => paidAt.has(sale.id), 15_000);
      return nsToMs((paidAt.get(sale.id) ?? t0) - t0);
    };
    const poll: number[] = [];
    for (let i = 0; i < QR_SAMPLES; i += 1) poll.push(await sample());
    channel.start();
    await waitFor(() => channel?.state() === 'open', 10_000);
    const push: number[] = [];
    for (let i = 0; i < QR_SAMPLES; i += 1) push.push(await sample());
    return { push, poll };
  } finally {
    channel?.stop();
    for (const p of payments) await p.stop();
    counter.db.close();
    await hub.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmark: Benchmark = {
  id: 'notify',
  title: `hub notifications: ${N} v3 payment notifications per engine vs bare verify+decrypt; QR paid → sale.paid with and without the push`,
  async run() {
    const out: BenchRow[] = [];
    const clock = new ManualClock(Date.now());
    const dir = mkdtempSync(join(tmpdir(), 'notify-bench-sandbox-'));
    const sandbox = await startSandbox({ clock, dataDir: dir });
    try {
      const captured = await captureNotifications(sandbox, clock);
      const floor = summarize(floorRate(sandbox, clock, captured));
      const floorRow = { name: 'verify + decrypt (hub decoders, in-process)', median: floor.median, p99: floor.p99 };
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
    let qr: { push: number[]; poll: number[] };
    try {
      qr = await qrToPaid();
    } catch (error) {
      out.push({ id: '14.qr-push', name: 'native QR paid → sale.paid at the counter, with the push', unit: 'ms', median: Number.NaN, p99: Number.NaN, samples: 0, note: `FAILED: ${error instanceof Error ? error.message : String(error)}` });
      return out;
    }
    const push = summarize(qr.push);
    const poll = summarize(qr.poll);
    out.push({ id: '14.qr-push', name: 'native QR paid → sale.paid at the counter, with the push', unit: 'ms', ...push, floor: { name: 'without the push (polling 2–3 s)', median: poll.median, p99: poll.p99 }, ratio: push.median / poll.median });
    return out;
  },
};
