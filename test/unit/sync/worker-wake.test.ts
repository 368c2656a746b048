import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import { enqueueOutbox, getOutbox } from '../../../electron/db/outbox';
import { ConnectivityMonitor } from '../../../electron/sync/connectivity';
import { EndpointLimiter } from '../../../electron/sync/rate-limit';
import { callThen, type OperationHandler } from '../../../electron/sync/types';
import { OutboxWorker, type WorkerTimers } from '../../../electron/sync/worker';
import type { WechatOutcome } from '../../../electron/wechat/types';
import { openPaymentsDb, T0 } from '../../helpers/payments-harness';

const TICK_MS = 250;

/** The worker's timer, by hand: nothing runs until the test says so, and the test sees every delay asked for. */
class ManualTimers implements WorkerTimers {
  private next = 1;
  private readonly pending = new Map<number, { run: () => void; delayMs: number }>();

  set(run: () => void, delayMs: number): number {
    const id = this.next++;
    this.pending.set(id, { run, delayMs });
    return id;
  }

  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  delays(): number[] {
    return [...this.pending.values()].map((t) => t.delayMs);
  }

  /** Runs what was asked for "now" (delay 0); a timer waiting for the tick is left alone. */
  runImmediate(): number {
    let ran = 0;
    for (const [id, timer] of [...this.pending]) {
      if (timer.delayMs !== 0) continue;
      this.pending.delete(id);
      timer.run();
      ran += 1;
    }
    return ran;
  }
}

/** Lets promise callbacks (a call's answer, the apply step) run; no clock moves and no timer fires. */
const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function rig(maxInflight = 4) {
  const clock = new ManualClock(T0);
  const timers = new ManualTimers();
  const db = openPaymentsDb();
  const calls: string[] = [];
  const answers: ((outcome: WechatOutcome<void>) => void)[] = [];
  const handler: OperationHandler = {
    operation: 'test.op',
    prepare(_db, job) {
      return callThen(
        'test',
        () =>
          new Promise<WechatOutcome<void>>((resolve) => {
            calls.push(String((job.payload as { name: string }).name));
            answers.push(resolve);
          }),
        () => ({ transition: { kind: 'done' } }),
      );
    },
  };
  const monitor = new ConnectivityMonitor(clock, () => Promise.resolve({ kind: 'success', value: undefined }), () => 0.5, {
    failuresToOffline: 1,
    probeBaseMs: 1_000,
    probeCapMs: 8_000,
    idleProbeMs: 600_000,
  });
  // A probe answered just now: the pass under test runs jobs, not a probe.
  monitor.record('reachable');
  const worker = new OutboxWorker({
    db,
    clock,
    logger: silentLogger,
    monitor,
    limiter: new EndpointLimiter(clock, () => ({ burst: 100, perSecond: 100 })),
    handlers: [handler],
    maxInflight,
    tickMs: TICK_MS,
    timers,
  });
  const add = (name: string): number =>
    enqueueOutbox(db, {
      operation: 'test.op', payload: { name }, idempotencyKey: `k:${name}`, orderKey: name, saleId: null,
      nextAttemptAt: clock.now(), deadlineAt: null, createdAt: clock.now(),
    });
  const answer = (index: number): void => answers[index]?.({ kind: 'success', value: undefined });
  return { clock, timers, db, calls, worker, add, answer };
}

describe('outbox worker loop', () => {
  it('runs a job queued and woken between ticks at once, without waiting for the tick', async () => {
    const r = rig();
    r.worker.start();
    expect(r.timers.runImmediate()).toBe(1); // the first pass after start: nothing queued yet
    expect(r.timers.delays()).toEqual([TICK_MS]);

    const id = r.add('scan');
    r.worker.wake();
    // The tick's timer is replaced by one for now; the clock has not moved.
    expect(r.timers.delays()).toEqual([0]);
    r.timers.runImmediate();
    expect(r.calls).toEqual(['scan']);
    expect(r.clock.now()).toBe(T0);

    r.answer(0);
    await settle();
    expect(getOutbox(r.db, id)?.state).toBe('done');
    await r.worker.stop();
  });

  it('fills a slot freed by a finished job at once instead of at the next tick', async () => {
    const r = rig(1);
    r.add('first');
    r.add('second');
    r.worker.start();
    r.timers.runImmediate();
    expect(r.calls).toEqual(['first']); // one in flight at most
    expect(r.timers.delays()).toEqual([TICK_MS]);

    r.answer(0);
    await settle();
    expect(r.timers.delays()).toEqual([0]);
    r.timers.runImmediate();
    expect(r.calls).toEqual(['first', 'second']);
    r.answer(1);
    await settle();
    await r.worker.stop();
  });

  it('does nothing on wake before start or after stop (tests drive runDue by hand)', async () => {
    const r = rig();
    r.add('idle');
    r.worker.wake();
    expect(r.timers.delays()).toEqual([]);
    r.worker.start();
    await r.worker.stop();
    r.worker.wake();
    expect(r.timers.delays()).toEqual([]);
    expect(r.calls).toEqual([]);
  });
});
