import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export type OutboxState = 'pending' | 'inflight' | 'done' | 'failed';

export interface OutboxRow {
  id: number;
  operation: string;
  payload: string;
  idempotency_key: string;
  order_key: string;
  sale_id: number | null;
  state: OutboxState;
  attempts: number;
  next_attempt_at: number;
  deadline_at: number | null;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
}

export interface NewOutboxRow {
  operation: string;
  payload: unknown;
  idempotencyKey: string;
  orderKey: string;
  saleId: number | null;
  nextAttemptAt: number;
  deadlineAt: number | null;
  createdAt: number;
}

/** Adds a job unless one with the same idempotency key exists; returns the job's id either way. */
export function enqueueOutbox(db: Database, job: NewOutboxRow): number {
  cachedStatement(db,
    `INSERT INTO outbox (operation, payload, idempotency_key, order_key, sale_id, state, next_attempt_at, deadline_at,
       created_at, updated_at)
     VALUES (?, ?, ?, ?, ?, 'pending', ?, ?, ?, ?)
     ON CONFLICT(idempotency_key) DO NOTHING`,
  ).run(
    job.operation,
    JSON.stringify(job.payload),
    job.idempotencyKey,
    job.orderKey,
    job.saleId,
    job.nextAttemptAt,
    job.deadlineAt,
    job.createdAt,
    job.createdAt,
  );
  const row = cachedStatement(db, 'SELECT id FROM outbox WHERE idempotency_key = ?').get(job.idempotencyKey) as { id: number };
  return row.id;
}

export function getOutbox(db: Database, id: number): OutboxRow | undefined {
  return cachedStatement(db, 'SELECT * FROM outbox WHERE id = ?').get(id) as OutboxRow | undefined;
}

export function getOutboxByKey(db: Database, idempotencyKey: string): OutboxRow | undefined {
  return cachedStatement(db, 'SELECT * FROM outbox WHERE idempotency_key = ?').get(idempotencyKey) as OutboxRow | undefined;
}

/** A pending job `o` is due only if no other job of its order is ahead of it (in flight, or pending and queued earlier). */
const NO_JOB_OF_ITS_ORDER_AHEAD = `NOT EXISTS (
           SELECT 1 FROM outbox p WHERE p.order_key = o.order_key AND p.id <> o.id
             AND (p.state = 'inflight' OR (p.state = 'pending' AND p.id < o.id)))`;

/**
 * Pending jobs due now whose order has nothing earlier still pending and nothing in flight: one WeChat order's
 * calls go out strictly one at a time, in the order they were queued.
 */
export function listDueOutbox(db: Database, now: number, limit: number): OutboxRow[] {
  return cachedStatement(db,
      `SELECT o.* FROM outbox o
       WHERE o.state = 'pending' AND o.next_attempt_at <= ?
         AND ${NO_JOB_OF_ITS_ORDER_AHEAD}
       ORDER BY o.next_attempt_at, o.id
       LIMIT ?`,
    )
    .all(now, limit) as OutboxRow[];
}

/** One job if it is due now and no other job of its order is ahead of it (the same rule as listDueOutbox). */
export function getDueOutbox(db: Database, id: number, now: number): OutboxRow | undefined {
  return cachedStatement(db,
      `SELECT o.* FROM outbox o
       WHERE o.id = ? AND o.state = 'pending' AND o.next_attempt_at <= ?
         AND ${NO_JOB_OF_ITS_ORDER_AHEAD}`,
    )
    .get(id, now) as OutboxRow | undefined;
}

export function listExpiredOutbox(db: Database, now: number): OutboxRow[] {
  return cachedStatement(db, `SELECT * FROM outbox WHERE state = 'pending' AND deadline_at IS NOT NULL AND deadline_at <= ? ORDER BY id`)
    .all(now) as OutboxRow[];
}

export function listInflightOutbox(db: Database): OutboxRow[] {
  return cachedStatement(db, `SELECT * FROM outbox WHERE state = 'inflight' ORDER BY id`).all() as OutboxRow[];
}

export function listOpenOutbox(db: Database): OutboxRow[] {
  return cachedStatement(db, `SELECT * FROM outbox WHERE state IN ('pending', 'inflight') ORDER BY id`).all() as OutboxRow[];
}

export function nextOutboxDueAt(db: Database): number | null {
  const row = cachedStatement(db, `SELECT MIN(next_attempt_at) AS at FROM outbox WHERE state = 'pending'`).get() as {
    at: number | null;
  };
  return row.at;
}

export function markOutboxInflight(db: Database, id: number, now: number): void {
  cachedStatement(db, `UPDATE outbox SET state = 'inflight', attempts = attempts + 1, updated_at = ? WHERE id = ?`).run(now, id);
}

export interface Reschedule {
  operation: string;
  payload: unknown;
  nextAttemptAt: number;
  deadlineAt: number | null;
  lastError: string | null;
  /** A new operation starts counting its own tries. */
  resetAttempts: boolean;
}

export function rescheduleOutbox(db: Database, id: number, r: Reschedule, now: number): void {
  cachedStatement(db,
    `UPDATE outbox SET state = 'pending', operation = ?, payload = ?, next_attempt_at = ?, deadline_at = ?,
       last_error = ?, attempts = CASE WHEN ? THEN 0 ELSE attempts END, updated_at = ?
     WHERE id = ?`,
  ).run(r.operation, JSON.stringify(r.payload), r.nextAttemptAt, r.deadlineAt, r.lastError, r.resetAttempts ? 1 : 0, now, id);
}

export function finishOutbox(db: Database, id: number, state: 'done' | 'failed', lastError: string | null, now: number): void {
  cachedStatement(db, `UPDATE outbox SET state = ?, last_error = COALESCE(?, last_error), finished_at = ?, updated_at = ? WHERE id = ?`).run(
    state,
    lastError,
    now,
    now,
    id,
  );
}

export interface OutboxCounts {
  open: number;
  oldestCreatedAt: number | null;
}

export function countOpenOutbox(db: Database): OutboxCounts {
  const row = cachedStatement(db, `SELECT COUNT(*) AS open, MIN(created_at) AS oldest FROM outbox WHERE state IN ('pending', 'inflight')`)
    .get() as { open: number; oldest: number | null };
  return { open: row.open, oldestCreatedAt: row.oldest };
}

/** Finished jobs are kept for the manager's audit a while, then pruned. */
export function pruneFinishedOutbox(db: Database, finishedBefore: number): number {
  return cachedStatement(db, `DELETE FROM outbox WHERE state IN ('done', 'failed') AND finished_at < ?
    AND id NOT IN (SELECT outbox_id FROM wechat_report_trades WHERE outbox_id IS NOT NULL)`).run(finishedBefore).changes;
}

export function findPendingOutboxByOperation(db: Database, operation: string): OutboxRow | undefined {
  return cachedStatement(db, `SELECT * FROM outbox WHERE operation = ? AND state = 'pending' ORDER BY id LIMIT 1`).get(operation) as
    | OutboxRow
    | undefined;
}

/** Ends the waiting (not in-flight) jobs of one order key, e.g. a day's bill job superseded by a re-download. */
export function failPendingOutboxByOrderKey(db: Database, orderKey: string, lastError: string, now: number): number {
  return cachedStatement(db, `UPDATE outbox SET state = 'failed', last_error = ?, finished_at = ?, updated_at = ? WHERE order_key = ? AND state = 'pending'`)
    .run(lastError, now, now, orderKey).changes;
}

/**
 * Whether WeChat work is running or about to: a job in flight, or one that fell due in the last `freshMs`. The hub
 * link sends nothing while this is true. A job due for longer than that is one the worker is holding back (WeChat
 * unreachable, rate-limited): it must not starve the hub link for the whole outage.
 */
export function hasWechatWorkAtHand(db: Database, now: number, freshMs: number): boolean {
  const row = cachedStatement(
    db,
    `SELECT EXISTS (SELECT 1 FROM outbox WHERE state = 'inflight')
         OR EXISTS (SELECT 1 FROM outbox WHERE state = 'pending' AND next_attempt_at <= ? AND next_attempt_at > ?) AS busy`,
  ).get(now, now - freshMs) as { busy: number };
  return row.busy === 1;
}
