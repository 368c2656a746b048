import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { beijingDate } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import { storeBill } from '../db/bills';
import { enqueueOutbox } from '../db/outbox';
import { backoffDelay, type BackoffPolicy, type Random } from '../sync/backoff';
import { callThen, type OperationHandler } from '../sync/types';
import type { WechatOutcome, WechatPayClient } from '../wechat/types';
import { beijingDayStart, billReadyAt } from './beijing-day';
import { BillFormatError, parseBill, type ParsedBill } from './bill-parse';
import { reconcileDay, type ReconcileCounts } from './reconcile';

export const BILL_OPERATION = 'bill.download';
const DAY_MS = 24 * 3_600_000;

export interface BillPayload {
  billDate: string;
}

/** Retries: a minute, doubling to an hour; "Bill Creating" waits half an hour. */
export const BILL_RETRY: BackoffPolicy = { baseMs: 60_000, capMs: 3_600_000 };
const CREATING_RETRY_MS = 30 * 60_000;

function payloadOf(payload: unknown): BillPayload {
  const p = payload as Partial<BillPayload> | null;
  if (!p || typeof p.billDate !== 'string' || beijingDayStart(p.billDate) === null) throw new Error('bill job has no valid billDate');
  return { billDate: p.billDate };
}

/** Queues the download of one day's bill (once per key: a re-download passes a fresh key). */
export function queueBillDownload(db: Database, billDate: string, now: number, key = `bill:${billDate}`): number {
  return enqueueOutbox(db, {
    operation: BILL_OPERATION,
    payload: { billDate } satisfies BillPayload,
    idempotencyKey: key,
    orderKey: `bill:${billDate}`,
    saleId: null,
    nextAttemptAt: now,
    deadlineAt: null,
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
    queueBillDownload(db, day, now);
    queued.push(day);
  }
  return queued;
}

export type Downloaded = { kind: 'bill'; parsed: ParsedBill; sha1: string } | { kind: 'no-bill' };

/**
 * A downloaded bill's text, parsed and fingerprinted (throws BillFormatError when it is not a whole bill). The
 * SHA-1 is of the text's UTF-8 bytes, hashed from the string (no 17 MB Buffer copy of a 100,000-line bill).
 */
export function readBill(csv: string): Downloaded {
  return { kind: 'bill', parsed: parseBill(csv), sha1: createHash('sha1').update(csv, 'utf8').digest('hex') };
}

/** Downloads and parses outside any transaction; a bill that does not parse is treated as a bad answer and retried. */
async function download(client: WechatPayClient, billDate: string): Promise<WechatOutcome<Downloaded>> {
  const outcome = await client.downloadBill({ billDate, billType: 'ALL' });
  if (outcome.kind !== 'success') return outcome;
  if (outcome.value.kind === 'no-bill') return { kind: 'success', value: { kind: 'no-bill' } };
  try {
    return { kind: 'success', value: readBill(outcome.value.csv) };
  } catch (error) {
    if (!(error instanceof BillFormatError)) throw error;
    return { kind: 'unknown', cause: 'malformed', detail: `bill: ${error.message}` };
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
  /** After the day is stored and matched (the transaction has committed). */
  onReconciled?: (billDate: string, counts: ReconcileCounts) => void;
}

export function billDownloadHandler(deps: BillHandlerDeps): OperationHandler {
  const { client, random, logger } = deps;
  return {
    operation: BILL_OPERATION,
    prepare(_db, job) {
      const { billDate } = payloadOf(job.payload);
      return callThen(
        'downloadbill',
        () => download(client, billDate),
        (tx, outcome, now) => {
          if (outcome.kind === 'success') {
            const counts = storeAndReconcile(tx, billDate, outcome.value, now);
            logger.info('bill reconciled', { billDate, kind: outcome.value.kind, ...counts.mismatches });
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
  };
}
