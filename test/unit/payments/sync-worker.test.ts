import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import { enqueueOutbox, getOutbox } from '../../../electron/db/outbox';
import { backoffDelay } from '../../../electron/sync/backoff';
import { ConnectivityMonitor } from '../../../electron/sync/connectivity';
import { EndpointLimiter } from '../../../electron/sync/rate-limit';
import { callThen, type OperationHandler } from '../../../electron/sync/types';
import { OutboxWorker } from '../../../electron/sync/worker';
import type { WechatOutcome } from '../../../electron/wechat/types';
import { openPaymentsDb, T0 } from '../../helpers/payments-harness';

const ok: WechatOutcome<void> = { kind: 'success', value: undefined };
const down: WechatOutcome<void> = { kind: 'unknown', cause: 'network', code: 'ECONNREFUSED', detail: 'refused' };

function rig(options: { probe?: () => WechatOutcome<void>; burst?: number } = {}) {
  const clock = new ManualClock(T0);
  const db = openPaymentsDb();
  const log: string[] = [];
  let answer: WechatOutcome<void> = ok;
  const handler: OperationHandler = {
    operation: 'test.op',
    prepare(_db, job) {
      return callThen(
        'test',
        () => {
          log.push(`${String((job.payload as { name: string }).name)}@${clock.now() - T0}`);
          return Promise.resolve(answer);
        },
        (_tx, outcome, now) => ({
          transition: outcome.kind === 'success' ? { kind: 'done' } : { kind: 'retry', at: now + 1_000 },
        }),
      );
    },
  };
  const monitor = new ConnectivityMonitor(clock, () => Promise.resolve(options.probe?.() ?? answer), () => 0.5, {
    failuresToOffline: 1,
    probeBaseMs: 1_000,
    probeCapMs: 8_000,
    idleProbeMs: 600_000,
  });
  const worker = new OutboxWorker({
    db,
    clock,
    logger: silentLogger,
    monitor,
    limiter: new EndpointLimiter(clock, () => ({ burst: options.burst ?? 10, perSecond: 1 })),
    handlers: [handler],
  });
  const add = (name: string, orderKey: string, extra: { at?: number; deadlineAt?: number } = {}) =>
    enqueueOutbox(db, {
      operation: 'test.op', payload: { name }, idempotencyKey: `k:${name}`, orderKey, saleId: null,
      nextAttemptAt: extra.at ?? clock.now(), deadlineAt: extra.deadlineAt ?? null, createdAt: clock.now(),
    });
  return { clock, db, log, worker, monitor, add, setAnswer: (a: WechatOutcome<void>) => (answer = a) };
}

describe('outbox worker', () => {
  it('runs one order’s jobs strictly in order, other orders in parallel', async () => {
    const r = rig();
    r.add('a1', 'A');
    r.add('a2', 'A');
    r.add('b1', 'B');
    await r.worker.runDue();
    expect(r.log.sort()).toEqual(['a1@0', 'b1@0']);
    await r.worker.runUntilIdle();
    expect(r.log).toContain('a2@0');
  });

  it('fails a job whose deadline passes before it could be sent', async () => {
    const r = rig();
    const id = r.add('late', 'L', { at: T0 + 5_000, deadlineAt: T0 + 3_000 });
    r.clock.advance(4_000);
    await r.worker.runUntilIdle();
    expect(getOutbox(r.db, id)?.state).toBe('failed');
    expect(r.log).toEqual([]);
  });

  it('goes offline from real outcomes, probes with backoff, and resumes when the probe answers', async () => {
    const r = rig();
    r.setAnswer(down);
    r.add('x', 'X');
    await r.worker.runUntilIdle();
    expect(r.worker.status()).toMatchObject({ connectivity: 'offline', wechatAvailable: false, queueLength: 1 });
    expect(r.worker.status().lastError).toMatch(/network/);
    const probes: number[] = [];
    for (let t = 0; t < 20_000; t += 250) {
      r.clock.advance(250);
      const before = r.monitor.nextProbeTime();
      await r.worker.runUntilIdle();
      if (r.monitor.nextProbeTime() !== before) probes.push(r.clock.now() - T0);
    }
    expect(probes.length).toBeGreaterThanOrEqual(3);
    const gaps = probes.slice(1).map((t, i) => t - (probes[i] ?? 0));
    expect(gaps.every((g, i) => i === 0 || g >= (gaps[i - 1] ?? 0))).toBe(true);
    expect(r.log).toEqual(['x@0']);
    r.setAnswer(ok);
    r.clock.advance(10_000);
    await r.worker.runUntilIdle();
    expect(r.worker.status()).toMatchObject({ connectivity: 'online', queueLength: 0 });
    expect(r.worker.status().lastSuccessAt).toBe(r.clock.now());
  });

  it('holds jobs whose endpoint has no token left and sends them as tokens refill', async () => {
    const r = rig({ burst: 2 });
    for (const n of ['1', '2', '3', '4']) r.add(n, n);
    await r.worker.runUntilIdle();
    expect(r.log).toHaveLength(2);
    r.clock.advance(2_000);
    await r.worker.runUntilIdle();
    expect(r.log).toHaveLength(4);
  });

  it('reports the oldest open job’s age', () => {
    const r = rig();
    r.add('old', 'O');
    r.clock.advance(90_000);
    r.add('new', 'N');
    expect(r.worker.status()).toMatchObject({ queueLength: 2, oldestCreatedAt: T0, oldestAgeMs: 90_000 });
  });
});

describe('backoff', () => {
  it('doubles up to the cap with jitter between half and all of it', () => {
    const policy = { baseMs: 1_000, capMs: 60_000 };
    expect(backoffDelay(1, policy, () => 0)).toBe(500);
    expect(backoffDelay(1, policy, () => 0.999999)).toBe(1_000);
    expect(backoffDelay(4, policy, () => 0)).toBe(4_000);
    expect(backoffDelay(30, policy, () => 0.999999)).toBe(60_000);
  });
});
