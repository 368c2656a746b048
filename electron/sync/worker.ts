import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type { Localized } from '../../shared/i18n';
import type { SyncStatus } from '../../shared/payments';
import {
  countOpenOutbox,
  finishOutbox,
  getDueOutbox,
  listDueOutbox,
  listExpiredOutbox,
  listInflightOutbox,
  markOutboxInflight,
  nextOutboxDueAt,
  rescheduleOutbox,
  type OutboxRow,
} from '../db/outbox';
import type { ConnectivityMonitor } from './connectivity';
import { PROBE_UNREACHABLE } from './outcome';
import type { EndpointLimiter } from './rate-limit';
import type { OperationHandler, OutboxJob, Prepared, Settled, Transition } from './types';

export interface OutboxWorkerDeps {
  db: Database;
  clock: Clock;
  logger: Logger;
  monitor: ConnectivityMonitor;
  limiter: EndpointLimiter;
  handlers: readonly OperationHandler[];
  /** Jobs in flight at once (calls for one WeChat order never overlap regardless). */
  maxInflight?: number;
  /** Real loop only: how often it looks for due work. */
  tickMs?: number;
  /** How long an endpoint rests after WeChat answered "too fast". */
  rateLimitPauseMs?: (endpoint: string) => number;
  /**
   * Runs `then` once the requests just started are written (the WeChat client's afterRequestsWritten): a call's
   * "sending" events wait for its request's write instead of delaying it. Absent: they run at once.
   */
  afterRequestsWritten?: (then: () => void) => void;
  /** Real loop only: its timer (default setTimeout); tests pass a manual one. */
  timers?: WorkerTimers;
}

/** The one timer the loop keeps: the next look for due work. */
export interface WorkerTimers {
  set(run: () => void, delayMs: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: WorkerTimers = {
  set: (run, delayMs) => setTimeout(run, delayMs),
  clear: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

class SkipClaim extends Error {}

/** A job claimed inside its creator's transaction, to be started once that transaction has committed. */
export interface ClaimedJob {
  job: OutboxJob;
  prepared: Extract<Prepared, { kind: 'call' }>;
}

function toJob(row: OutboxRow): OutboxJob {
  return {
    id: row.id,
    operation: row.operation,
    payload: JSON.parse(row.payload) as unknown,
    idempotencyKey: row.idempotency_key,
    orderKey: row.order_key,
    saleId: row.sale_id,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    deadlineAt: row.deadline_at,
    lastError: row.last_error,
    createdAt: row.created_at,
  };
}

/**
 * Carries outbox jobs to WeChat. Tests drive it with `runDue()` / `runUntilIdle()` on a fake clock; the app calls
 * `start()`, which recovers jobs a crash left in flight and then runs a timer loop. No network call ever happens
 * inside a database transaction.
 */
export class OutboxWorker {
  private readonly handlers = new Map<string, OperationHandler>();
  private readonly running = new Set<Promise<void>>();
  private readonly statusListeners = new Set<(status: SyncStatus) => void>();
  private timer: unknown = null;
  private started = false;
  private lastError: string | null = null;
  private lastErrorAt: number | null = null;
  private lastProblem: Localized | null = null;
  private lastSuccessAt: number | null = null;
  private lastStatusKey = '';
  private readonly maxInflight: number;
  private readonly tickMs: number;
  private readonly timers: WorkerTimers;

  constructor(private readonly deps: OutboxWorkerDeps) {
    for (const handler of deps.handlers) this.handlers.set(handler.operation, handler);
    this.maxInflight = deps.maxInflight ?? 4;
    this.tickMs = deps.tickMs ?? 250;
    this.timers = deps.timers ?? realTimers;
    deps.monitor.onChange(() => {
      this.emitStatus();
      this.wake();
    });
  }

  /** Adds an operation owned by another feature (e.g. the shifts feature's bill download). One handler per name. */
  registerHandler(handler: OperationHandler): void {
    if (this.handlers.has(handler.operation)) throw new Error(`outbox operation ${handler.operation} already has a handler`);
    this.handlers.set(handler.operation, handler);
  }

  onStatus(listener: (status: SyncStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  status(): SyncStatus {
    const now = this.deps.clock.now();
    const counts = countOpenOutbox(this.deps.db);
    const connectivity = this.deps.monitor.state;
    return {
      connectivity,
      wechatAvailable: connectivity !== 'offline',
      queueLength: counts.open,
      oldestCreatedAt: counts.oldestCreatedAt,
      oldestAgeMs: counts.oldestCreatedAt === null ? null : Math.max(0, now - counts.oldestCreatedAt),
      lastError: this.lastError,
      lastErrorAt: this.lastErrorAt,
      lastProblem: this.lastProblem,
      lastSuccessAt: this.lastSuccessAt,
    };
  }

  /** Puts jobs a crash left in flight back in line, each as its handler says (a maybe-sent payment is queried). */
  recover(): number {
    const { db, clock } = this.deps;
    const rows = listInflightOutbox(db);
    for (const row of rows) {
      const job = toJob(row);
      const now = clock.now();
      db.transaction(() => {
        const handler = this.handlers.get(job.operation);
        const transition: Transition = handler?.recover?.(db, job, now) ?? { kind: 'retry', at: now };
        this.applyTransition(job, transition, now, null);
      })();
    }
    if (rows.length > 0) this.deps.logger.info('outbox recovered jobs left in flight', { count: rows.length });
    return rows.length;
  }

  /** Claims and runs every job due now (once each) and waits for them. Returns how many were started. */
  async runDue(): Promise<number> {
    const started = this.pump();
    await Promise.all(started);
    return started.length;
  }

  /** Repeats `runDue` until nothing more is due at the current clock time. */
  async runUntilIdle(maxRounds = 10_000): Promise<number> {
    let total = 0;
    for (let round = 0; round < maxRounds; round++) {
      const n = await this.runDue();
      if (n === 0) return total;
      total += n;
    }
    throw new Error(`outbox still busy after ${maxRounds} rounds: a job keeps rescheduling itself to now`);
  }

  /** The app's loop: recover, then look for due work every tick (and at once after `wake`). */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.recover();
    this.scheduleTick(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = null;
    await Promise.allSettled([...this.running]);
  }

  /** New work was queued: look now instead of at the next tick. */
  wake(): void {
    if (this.started) this.scheduleTick(0);
  }

  /**
   * The fast path for a job a person is waiting for: called INSIDE the transaction that created the jobs, it claims
   * them there (the handler's "about to send" mark and the in-flight mark commit with the scan itself), so the
   * request can leave right after that one commit — no second commit, no timer hop. A crash after the commit finds
   * the job in flight and recovers it exactly as one claimed by the loop (query first). Only the running loop
   * does this, only while WeChat is reachable and a slot is free; anything not claimed here is left pending for
   * the loop, unchanged. Start what this returns with `startClaimed` after the commit.
   */
  claimWithin(jobIds: Iterable<number>): ClaimedJob[] {
    const claimed: ClaimedJob[] = [];
    if (!this.started || !this.deps.monitor.isOnline()) return claimed;
    const now = this.deps.clock.now();
    for (const id of jobIds) {
      if (this.running.size + claimed.length >= this.maxInflight) break;
      const row = getDueOutbox(this.deps.db, id, now);
      if (!row) continue;
      const job = toJob(row);
      try {
        const prepared = this.claim(job, now);
        if (prepared) claimed.push({ job, prepared });
      } catch (error) {
        // The claim's savepoint rolled back: the job is pending as it was, and the loop's claimOrPostpone handles it.
        this.deps.logger.error('outbox job could not be claimed with its scan; left to the loop', {
          job: job.id,
          operation: job.operation,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return claimed;
  }

  /** Sends what claimWithin claimed; call only after the claiming transaction committed. */
  startClaimed(claimed: readonly ClaimedJob[]): void {
    for (const { job, prepared } of claimed) void this.track(this.execute(job, prepared));
  }

  /** When the next job is due (null when the queue is empty). */
  nextDueAt(): number | null {
    return nextOutboxDueAt(this.deps.db);
  }

  private scheduleTick(delay: number): void {
    if (this.timer !== null) this.timers.clear(this.timer);
    this.timer = this.timers.set(() => {
      this.timer = null;
      if (!this.started) return;
      try {
        void this.pump();
      } catch (error) {
        // A busy or failing database must not kill the loop: everything is retried from the database next tick.
        this.deps.logger.error('outbox pass failed', { error: error instanceof Error ? error.message : String(error) });
      }
      this.scheduleTick(this.tickMs);
    }, delay);
  }

  /** Starts what is due now; each started job removes itself from `running` when done. */
  private pump(): Promise<void>[] {
    const { db, clock, monitor } = this.deps;
    const started: Promise<void>[] = [];
    this.expireDue(clock.now());
    if (monitor.probeDue()) started.push(this.track(this.runProbe()));
    if (!monitor.isOnline()) {
      this.emitStatus();
      return started;
    }
    let free = this.maxInflight - this.running.size + started.length;
    if (free <= 0) return started;
    const now = clock.now();
    for (const row of listDueOutbox(db, now, free * 4)) {
      if (free <= 0) break;
      const job = toJob(row);
      const prepared = this.claimOrPostpone(job, now);
      if (!prepared) continue;
      free -= 1;
      started.push(this.track(this.execute(job, prepared)));
    }
    this.emitStatus();
    return started;
  }

  private track(promise: Promise<void>): Promise<void> {
    const tracked = promise.catch((error: unknown) => {
      this.deps.logger.error('outbox job crashed', { error: error instanceof Error ? error.message : String(error) });
    });
    this.running.add(tracked);
    void tracked.finally(() => {
      this.running.delete(tracked);
      // A slot is free and the job's next step may be due now (send → query, a queue after an outage): look at once
      // rather than at the next tick. Only the real loop does; runDue/runUntilIdle callers pump themselves.
      this.wake();
    });
    return tracked;
  }

  /**
   * A handler that throws is a bug: the job is kept (never dropped: it may carry money) and tried again in a
   * minute, and the jobs behind it still run.
   */
  private claimOrPostpone(job: OutboxJob, now: number): Extract<Prepared, { kind: 'call' }> | null {
    try {
      return this.claim(job, now);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.logger.error('outbox job could not be prepared; postponed', { job: job.id, operation: job.operation, error: message });
      this.deps.db.transaction(() => this.applyTransition(job, { kind: 'retry', at: now + 60_000, error: `prepare failed: ${message}` }, now, null))();
      return null;
    }
  }

  /** In one transaction: let the handler prepare, then mark the job in flight (or settle it without a call). */
  private claim(job: OutboxJob, now: number): Extract<Prepared, { kind: 'call' }> | null {
    const { db, limiter } = this.deps;
    const handler = this.handlers.get(job.operation);
    if (!handler) {
      finishOutbox(db, job.id, 'failed', `no handler for ${job.operation}`, now);
      return null;
    }
    let notify: (() => void) | undefined;
    try {
      const prepared = db.transaction((): Prepared => {
        const p = handler.prepare(db, job, now);
        if (p.kind === 'settle') {
          this.applyTransition(job, p.settled.transition, now, null);
          notify = p.settled.notify;
          return p;
        }
        // Rolls back the handler's "about to send" marks when the endpoint has no token left.
        if (!limiter.tryTake(p.endpoint)) throw new SkipClaim();
        markOutboxInflight(db, job.id, now);
        return p;
      })();
      notify?.();
      return prepared.kind === 'call' ? prepared : null;
    } catch (error) {
      if (error instanceof SkipClaim) return null;
      throw error;
    }
  }

  private async execute(job: OutboxJob, prepared: Extract<Prepared, { kind: 'call' }>): Promise<void> {
    const { db, clock, monitor, limiter, logger } = this.deps;
    const sentAt = clock.now();
    // The request starts first (signing runs synchronously; the write follows one event-loop poll later when a kept
    // socket is reused); the windows hear "sending", which the database already says, once it is written.
    const replying = prepared.execute();
    const { notify } = prepared;
    if (notify && this.deps.afterRequestsWritten) {
      this.deps.afterRequestsWritten(() => {
        try {
          notify();
        } catch (error) {
          logger.error('outbox call: the sending events could not be published', { error: error instanceof Error ? error.message : String(error) });
        }
      });
    } else notify?.();
    const reply = await replying;
    logger.info('outbox call answered', {
      job: job.id,
      operation: job.operation,
      endpoint: prepared.endpoint,
      reach: reply.reach,
      error: reply.error,
      ms: clock.now() - sentAt,
    });
    monitor.record(reply.reach);
    if (reply.rateLimited) limiter.pause(prepared.endpoint, this.deps.rateLimitPauseMs?.(prepared.endpoint) ?? 5_000);
    const now = clock.now();
    this.noteReply(reply.reach, reply.error, now, reply.problem ?? null);
    let settled: Settled | undefined;
    try {
      db.transaction(() => {
        settled = reply.apply(db, now);
        this.applyTransition({ ...job, attempts: job.attempts + 1 }, settled.transition, now, reply.error);
      })();
    } catch (error) {
      // A bug while applying: treat the job as if the process had died mid-call, so nothing is assumed.
      logger.error('outbox apply failed; recovering job', {
        operation: job.operation,
        error: error instanceof Error ? error.message : String(error),
      });
      db.transaction(() => {
        const transition = this.handlers.get(job.operation)?.recover?.(db, job, now) ?? { kind: 'retry', at: now + 5_000 };
        this.applyTransition(job, transition.kind === 'retry' ? { ...transition, at: Math.max(transition.at, now + 5_000) } : transition, now, 'apply failed');
      })();
    }
    settled?.notify?.();
    this.emitStatus();
  }

  private async runProbe(): Promise<void> {
    const reach = await this.deps.monitor.probe();
    this.noteReply(reach, reach === 'unreachable' ? 'probe: WeChat Pay unreachable' : null, this.deps.clock.now(), reach === 'unreachable' ? PROBE_UNREACHABLE : null);
    this.emitStatus();
  }

  private expireDue(now: number): void {
    const { db } = this.deps;
    for (const row of listExpiredOutbox(db, now)) {
      const job = toJob(row);
      let settled: Settled | undefined;
      try {
        db.transaction(() => {
          settled = this.handlers.get(job.operation)?.expire?.(db, job, now) ?? {
            transition: { kind: 'failed', error: 'deadline passed before it could be sent' },
          };
          this.applyTransition(job, settled.transition, now, null);
        })();
      } catch (error) {
        this.deps.logger.error('outbox deadline handling failed', { job: job.id, error: error instanceof Error ? error.message : String(error) });
        continue;
      }
      settled?.notify?.();
    }
  }

  private applyTransition(job: OutboxJob, transition: Transition, now: number, error: string | null): void {
    const { db } = this.deps;
    switch (transition.kind) {
      case 'done':
        finishOutbox(db, job.id, 'done', null, now);
        return;
      case 'failed':
        finishOutbox(db, job.id, 'failed', transition.error, now);
        return;
      case 'retry': {
        const operation = transition.operation ?? job.operation;
        rescheduleOutbox(
          db,
          job.id,
          {
            operation,
            payload: transition.payload ?? job.payload,
            nextAttemptAt: transition.at,
            deadlineAt: transition.deadlineAt === undefined ? job.deadlineAt : transition.deadlineAt,
            lastError: transition.error === undefined ? error : transition.error,
            resetAttempts: operation !== job.operation,
          },
          now,
        );
      }
    }
  }

  private noteReply(reach: string, error: string | null, now: number, problem: Localized | null): void {
    if (error) {
      this.lastError = error;
      this.lastErrorAt = now;
      this.lastProblem = problem;
    } else if (reach === 'reachable') {
      this.lastSuccessAt = now;
    }
  }

  private emitStatus(): void {
    if (this.statusListeners.size === 0) return;
    const status = this.status();
    const key = JSON.stringify({ ...status, oldestAgeMs: null });
    if (key === this.lastStatusKey) return;
    this.lastStatusKey = key;
    for (const listener of this.statusListeners) listener(status);
  }
}
