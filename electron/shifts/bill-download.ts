import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { beijingDate } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { clearBillProblem, recordBillProblem, type BillProblemRow } from '../db/bill-problems';
import { storeBill } from '../db/bills';
import { enqueueOutbox } from '../db/outbox';
import { backoffDelay, type BackoffPolicy, type Random } from '../sync/backoff';
import { callThen, type OperationHandler } from '../sync/types';
import type { WechatOutcome, WechatPayClient } from '../wechat/types';
import { beijingDayStart, billReadyAt } from '../wechat/bills/beijing-day';
import { BillFormatError, parseBill, type ParsedBill } from '../wechat/bills/bill-parse';
import { reconcileDay, type ReconcileCounts } from './reconcile';

export const BILL_OPERATION = 'bill.download';
const DAY_MS = 24 * 3_600_000;

export interface BillPayload {
  billDate: string;
}

/** Retries: a minute, doubling to an hour; "Bill Creating" waits half an hour. */
export const BILL_RETRY: BackoffPolicy = { baseMs: 60_000, capMs: 3_600_000 };
const CREATING_RETRY_MS = 30 * 60_000;
/**
 * A day's job gives up two days after its bill was due (10:00 the next day), and a manager's re-download a day
 * after it was asked for: WeChat has the bill by then or will not have it, and the manager sees why (bill_problems).
 */
const DUE_DEADLINE_MS = 2 * DAY_MS;
const REDOWNLOAD_DEADLINE_MS = DAY_MS;

function payloadOf(payload: unknown): BillPayload {
  const p = payload as Partial<BillPayload> | null;
  if (!p || typeof p.billDate !== 'string' || beijingDayStart(p.billDate) === null) throw new Error('bill job has no valid billDate');
  return { billDate: p.billDate };
}

/** When a day's job gives up: two days after the bill was due, or a day after a re-download was asked for. */
export function billDeadline(billDate: string, now: number, redownload: boolean): number {
  const start = beijingDayStart(billDate);
  const due = start === null ? now : start + DAY_MS + 10 * 3_600_000;
  return redownload ? Math.max(now, due) + REDOWNLOAD_DEADLINE_MS : Math.max(now, due) + DUE_DEADLINE_MS;
}

/** Queues the download of one day's bill (once per key: a re-download passes a fresh key). */
export function queueBillDownload(db: Database, billDate: string, now: number, key = `bill:${billDate}`): number {
  const redownload = key !== `bill:${billDate}`;
  return enqueueOutbox(db, {
    operation: BILL_OPERATION,
    payload: { billDate } satisfies BillPayload,
    idempotencyKey: key,
    orderKey: `bill:${billDate}`,
    saleId: null,
    nextAttemptAt: now,
    deadlineAt: billDeadline(billDate, now, redownload),
    createdAt: now,
  });
}

/**
 * After 10:00 Beijing, queues yesterday's bill, and any earlier day (up to `lookbackDays`) since the first sale
 * whose bill is not stored yet. Idempotent: each day's job is keyed by its date.
 */
export function queueDueBills(db: Database, now: number, lookbackDays: number): string[] {
  const first = (db.prepare('SELECT MIN(created_at) AS at FROM sales').get() as { at: number | null }).at;
  if (first === null) return [];
  const firstDay = beijingDate(first);
  const newest = now >= billReadyAt(now) ? 1 : 2;
  const queued: string[] = [];
  for (let back = newest; back <= lookbackDays; back++) {
    const day = beijingDate(now - back * DAY_MS);
    if (day < firstDay) break;
    if (db.prepare('SELECT 1 FROM bills WHERE bill_date = ?').get(day) !== undefined) continue;
    // A day whose bill could not be read waits for a manager (re-download), not for the next tick.
    if (db.prepare('SELECT 1 FROM bill_problems WHERE bill_date = ?').get(day) !== undefined) continue;
    queueBillDownload(db, day, now);
    queued.push(day);
  }
  return queued;
}

export type Downloaded = { kind: 'bill'; parsed: ParsedBill; sha1: string } | { kind: 'no-bill' };

/** A bill WeChat sent that the app cannot read: where it failed, and the raw file kept for support. */
export interface UnreadableBill {
  kind: 'unreadable';
  message: string;
  line: number | null;
  column: string | null;
  sha1: string;
  rawPath: string | null;
}

/** Keeps the raw text of a bill the app could not read (for support); returns where, or null if it could not. */
export interface BillArchive {
  keepUnreadable(billDate: string, csv: string, sha1: string): string | null;
}

/**
 * A downloaded bill's text, parsed and fingerprinted (throws BillFormatError when it is not a whole bill). The
 * SHA-1 is of the text's UTF-8 bytes, hashed from the string (no 17 MB Buffer copy of a 100,000-line bill).
 */
export function readBill(csv: string): Downloaded {
  return { kind: 'bill', parsed: parseBill(csv), sha1: createHash('sha1').update(csv, 'utf8').digest('hex') };
}

/**
 * Downloads and parses outside any transaction. A bill that does not parse is not retried (WeChat would send the
 * same file again): its raw text is kept for support and the problem is recorded for the manager.
 */
async function download(client: WechatPayClient, billDate: string, archive: BillArchive | undefined, logger: Logger): Promise<WechatOutcome<Downloaded | UnreadableBill>> {
  const outcome = await client.downloadBill({ billDate, billType: 'ALL' });
  if (outcome.kind !== 'success') return outcome;
  if (outcome.value.kind === 'no-bill') return { kind: 'success', value: { kind: 'no-bill' } };
  const { csv } = outcome.value;
  try {
    const read = readBill(csv);
    if (read.kind === 'bill' && read.parsed.unknownColumns.length > 0) {
      // Once per bill, not per row: WeChat adds columns at the end over the years; the app reads by name.
      logger.info('bill has columns the app does not know (ignored)', { billDate, columns: read.parsed.unknownColumns.join(',') });
    }
    return { kind: 'success', value: read };
  } catch (error) {
    if (!(error instanceof BillFormatError)) throw error;
    const sha1 = createHash('sha1').update(csv, 'utf8').digest('hex');
    let rawPath: string | null = null;
    try {
      rawPath = archive?.keepUnreadable(billDate, csv, sha1) ?? null;
    } catch (keepError) {
      logger.error('could not keep the unreadable bill', { billDate, error: keepError instanceof Error ? keepError.message : String(keepError) });
    }
    return { kind: 'success', value: { kind: 'unreadable', message: error.message, line: error.line, column: error.column, sha1, rawPath } };
  }
}

/** Page cache for a day's matching: a 100,000-line bill joins against a large table; the default 2 MB thrashes. */
const RECONCILE_CACHE_KIB = 131_072;

/**
 * Stores a downloaded day and matches it with the local records, in the caller's transaction. `onStored` is told
 * when the lines are stored and matching starts (the benchmark times the two apart).
 */
export function storeAndReconcile(db: Database, billDate: string, got: Downloaded, now: number, onStored?: () => void): ReconcileCounts {
  const previousCache = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = -${RECONCILE_CACHE_KIB}`);
  try {
    storeDay(db, billDate, got, now);
    onStored?.();
    return reconcileDay(db, billDate, now);
  } finally {
    db.pragma(`cache_size = ${previousCache}`);
  }
}

function storeDay(db: Database, billDate: string, got: Downloaded, now: number): void {
  const lines = got.kind === 'bill' ? got.parsed.lines : [];
  storeBill(
    db,
    {
      bill_date: billDate,
      state: got.kind,
      sha1: got.kind === 'bill' ? got.sha1 : null,
      line_count: lines.length,
      summary_json: got.kind === 'bill' ? JSON.stringify(got.parsed.summary) : null,
      downloaded_at: now,
      reconciled_at: now,
    },
    lines,
  );
}

export interface BillHandlerDeps {
  client: WechatPayClient;
  random: Random;
  logger: Logger;
  /** Where the raw text of an unreadable bill is kept; without one only its SHA-1 is recorded. */
  archive?: BillArchive;
  /** After the day is stored and matched (the transaction has committed). */
  onReconciled?: (billDate: string, counts: ReconcileCounts) => void;
  /** After a day's problem is recorded (unreadable bill, or no bill by the deadline): raise the alert. */
  onProblem?: (problem: BillProblemRow) => void;
}

function problemOf(billDate: string, got: UnreadableBill, now: number): BillProblemRow {
  return { bill_date: billDate, kind: 'unreadable', line: got.line, column_name: got.column, message: got.message, raw_path: got.rawPath, sha1: got.sha1, detected_at: now };
}

export function billDownloadHandler(deps: BillHandlerDeps): OperationHandler {
  const { client, random, logger } = deps;
  return {
    operation: BILL_OPERATION,
    prepare(_db, job) {
      const { billDate } = payloadOf(job.payload);
      return callThen(
        'downloadbill',
        () => download(client, billDate, deps.archive, logger),
        (tx, outcome, now) => {
          if (outcome.kind === 'success') {
            const got = outcome.value;
            if (got.kind === 'unreadable') {
              const problem = problemOf(billDate, got, now);
              recordBillProblem(tx, problem);
              logger.error('bill unreadable', { billDate, line: problem.line, column: problem.column_name, message: problem.message, rawPath: problem.raw_path });
              return { transition: { kind: 'failed', error: `unreadable bill: ${problem.message}` }, notify: () => deps.onProblem?.(problem) };
            }
            clearBillProblem(tx, billDate);
            const counts = storeAndReconcile(tx, billDate, got, now);
            logger.info('bill reconciled', { billDate, kind: got.kind, ...counts.mismatches });
            return { transition: { kind: 'done' }, notify: () => deps.onReconciled?.(billDate, counts) };
          }
          if (outcome.kind === 'failure') {
            logger.warn('bill download refused', { billDate, code: outcome.code });
            return { transition: { kind: 'failed', error: outcome.code } };
          }
          const wait = outcome.code === 'BILL_CREATING' ? CREATING_RETRY_MS : backoffDelay(job.attempts + 1, BILL_RETRY, random);
          return { transition: { kind: 'retry', at: now + wait } };
        },
      );
    },
    // No bill by the deadline (WeChat kept saying "creating", or could not be reached): the manager is told.
    expire(db, job, now) {
      const { billDate } = payloadOf(job.payload);
      const problem: BillProblemRow = {
        bill_date: billDate, kind: 'deadline', line: null, column_name: null, sha1: null, raw_path: null, detected_at: now,
        message: `no bill by the deadline after ${job.attempts} attempts${job.lastError ? ` (last: ${job.lastError})` : ''}`,
      };
      recordBillProblem(db, problem);
      logger.error('bill not downloaded by its deadline', { billDate, attempts: job.attempts });
      return { transition: { kind: 'failed', error: 'bill deadline passed' }, notify: () => deps.onProblem?.(problem) };
    },
  };
}
