import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export type PrintJobKind = 'sale' | 'refund' | 'shift' | 'drawer' | 'test' | 'raw';
export type PrintJobState = 'queued' | 'printing' | 'done' | 'failed';

export interface PrintJob {
  id: number;
  kind: PrintJobKind;
  /** What the job is about: a receipt number, a refund number, 'no-sale' for a manager's drawer opening... */
  ref: string | null;
  /** The receipt document as JSON text, or null for a raw-bytes job. */
  document: string | null;
  bytes: Uint8Array | null;
  /** Set on reprints: the job this one copies. */
  copyOf: number | null;
  priority: number;
  state: PrintJobState;
  attempts: number;
  lastError: string | null;
  createdAt: number;
  updatedAt: number;
  printedAt: number | null;
  /** A job still unsent at this time fails instead of printing late (drawer pulses). */
  expiresAt: number | null;
}

export interface NewPrintJob {
  kind: PrintJobKind;
  ref?: string | null;
  document?: string | null;
  bytes?: Uint8Array | null;
  copyOf?: number | null;
  priority?: number;
  expiresAt?: number | null;
}

interface Row {
  id: number;
  kind: PrintJobKind;
  ref: string | null;
  document: string | null;
  bytes: Buffer | null;
  copy_of: number | null;
  priority: number;
  state: PrintJobState;
  attempts: number;
  last_error: string | null;
  created_at: number;
  updated_at: number;
  printed_at: number | null;
  expires_at: number | null;
}

function toJob(row: Row): PrintJob {
  return {
    id: row.id,
    kind: row.kind,
    ref: row.ref,
    document: row.document,
    bytes: row.bytes ? new Uint8Array(row.bytes) : null,
    copyOf: row.copy_of,
    priority: row.priority,
    state: row.state,
    attempts: row.attempts,
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    printedAt: row.printed_at,
    expiresAt: row.expires_at,
  };
}

export function insertPrintJob(db: Database, job: NewPrintJob, now: number): number {
  const result = db
    .prepare(
      `INSERT INTO print_jobs (kind, ref, document, bytes, copy_of, priority, state, created_at, updated_at, expires_at)
       VALUES (?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    )
    .run(
      job.kind,
      job.ref ?? null,
      job.document ?? null,
      job.bytes ? Buffer.from(job.bytes) : null,
      job.copyOf ?? null,
      job.priority ?? 0,
      now,
      now,
      job.expiresAt ?? null,
    );
  return Number(result.lastInsertRowid);
}

export function getPrintJob(db: Database, id: number): PrintJob | undefined {
  const row = cachedStatement(db, 'SELECT * FROM print_jobs WHERE id = ?').get(id) as Row | undefined;
  return row ? toJob(row) : undefined;
}

/** The job to send next: highest priority first, then the order they were queued in. */
export function nextQueuedPrintJob(db: Database): PrintJob | undefined {
  const row = db
    .prepare("SELECT * FROM print_jobs WHERE state = 'queued' ORDER BY priority DESC, id LIMIT 1")
    .get() as Row | undefined;
  return row ? toJob(row) : undefined;
}

/** Moves a queued job to 'printing' and counts the attempt. False if it was not queued (cancelled meanwhile). */
export function markPrintJobPrinting(db: Database, id: number, now: number): boolean {
  const result = db
    .prepare("UPDATE print_jobs SET state = 'printing', attempts = attempts + 1, updated_at = ? WHERE id = ? AND state = 'queued'")
    .run(now, id);
  return result.changes === 1;
}

export function markPrintJobDone(db: Database, id: number, now: number): void {
  cachedStatement(db, "UPDATE print_jobs SET state = 'done', last_error = NULL, printed_at = ?, updated_at = ? WHERE id = ?").run(now, now, id);
}

/** Back in the queue after the printer was unreachable or not ready, keeping the reason for the UI. */
export function requeuePrintJob(db: Database, id: number, error: string, now: number): void {
  cachedStatement(db, "UPDATE print_jobs SET state = 'queued', last_error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
}

export function markPrintJobFailed(db: Database, id: number, error: string, now: number): void {
  cachedStatement(db, "UPDATE print_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ?").run(error, now, id);
}

/** Cancels a job that has not started printing. False if it was already printing, done or failed. */
export function cancelQueuedPrintJob(db: Database, id: number, reason: string, now: number): boolean {
  const result = db
    .prepare("UPDATE print_jobs SET state = 'failed', last_error = ?, updated_at = ? WHERE id = ? AND state = 'queued'")
    .run(reason, now, id);
  return result.changes === 1;
}

/**
 * At start-up: a job left in 'printing' was interrupted by a crash or power cut and may not have printed
 * (completely). It goes back to the queue; a duplicate receipt beats a missing one.
 */
export function requeueInterruptedPrintJobs(db: Database, now: number): number {
  return db
    .prepare(
      "UPDATE print_jobs SET state = 'queued', last_error = 'interrupted by a restart', updated_at = ? WHERE state = 'printing'",
    )
    .run(now).changes;
}

export function listRecentPrintJobs(db: Database, limit = 50): PrintJob[] {
  const rows = cachedStatement(db, 'SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?').all(limit) as Row[];
  return rows.map(toJob);
}

/** The newest job of a kind about `ref` (e.g. the receipt of sale 20240501-0001), for "reprint". */
export function latestPrintJobForRef(db: Database, kind: PrintJobKind, ref: string): PrintJob | undefined {
  const row = db
    .prepare('SELECT * FROM print_jobs WHERE kind = ? AND ref = ? ORDER BY id DESC LIMIT 1')
    .get(kind, ref) as Row | undefined;
  return row ? toJob(row) : undefined;
}

export function countPendingPrintJobs(db: Database): number {
  const row = cachedStatement(db, "SELECT count(*) AS n FROM print_jobs WHERE state IN ('queued', 'printing')").get() as { n: number };
  return row.n;
}

/** Drawer openings with `ref` (e.g. 'no-sale') created in [from, to): the shift report's no-sale count. */
export function countDrawerOpenings(db: Database, ref: string, from: number, to: number): number {
  const row = db
    .prepare("SELECT count(*) AS n FROM print_jobs WHERE kind = 'drawer' AND ref = ? AND created_at >= ? AND created_at < ?")
    .get(ref, from, to) as { n: number };
  return row.n;
}
