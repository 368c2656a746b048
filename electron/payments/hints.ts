import type { Database } from 'better-sqlite3';
import type { PaymentHint } from '../../shared/hub-protocol';
import { isFinalAttemptState } from '../../shared/payments';
import { getOutboxByKey, rescheduleOutbox, type OutboxRow } from '../db/outbox';
import { getAttemptByOutTradeNo } from '../db/wechat-attempts';
import { MICROPAY_OPS, micropayJobKey } from './micropay-steps';
import { NATIVE_OPS, nativeJobKey } from './native-qr';
import { REFUND_OPS, refundJobKey } from './refunds';

/**
 * What became of a paid / refunded hint from the hub's push channel (electron/hub-link/push-channel.ts):
 * - `query-now`: this counter's own query of that order (or refund) at WeChat was brought forward to now;
 * - `unknown`: no order or refund of this counter by that number (another counter's, or forged);
 * - `final`: already settled here (a stale or repeated hint);
 * - `not-waiting`: nothing here is waiting on WeChat's answer for it right now (being sent, already due, in flight);
 * - `too-soon`: the same hint was taken less than HINT_MIN_GAP_MS ago.
 */
export type HintOutcome = 'query-now' | 'unknown' | 'final' | 'not-waiting' | 'too-soon';

/**
 * A flood of hints (a replaying or compromised hub) must not become a flood of queries to WeChat: one hint per
 * order per second moves its query, the rest are dropped (the query they ask for is already on its way).
 */
export const HINT_MIN_GAP_MS = 1_000;
const MAX_REMEMBERED_HINTS = 1_000;

/** The steps that ask WeChat about an order or refund: only these may be brought forward by a hint. */
const QUERY_STEPS = new Set<string>([NATIVE_OPS.poll, NATIVE_OPS.close, MICROPAY_OPS.query, REFUND_OPS.query]);

/**
 * A hint is never a payment: nothing is recorded from it. It only moves the pending step that queries WeChat for
 * that order to now, the same step polling would run a few seconds later; that query's answer, checked like any
 * poll (amount, state), is what records the payment or the refund. A forged, stale or wrong hint therefore costs at
 * most one query and changes nothing. Runs inside the caller's transaction (synchronous, no awaits).
 */
export function bringQueryForward(db: Database, hint: PaymentHint, now: number, lastTaken: Map<string, number>): HintOutcome {
  const job = hint.kind === 'paid' ? paymentJob(db, hint.outTradeNo) : refundJob(db, hint.outRefundNo);
  if (job === 'unknown' || job === 'final') return job;
  if (!job || job.state !== 'pending' || !QUERY_STEPS.has(job.operation) || job.next_attempt_at <= now) return 'not-waiting';
  const key = job.idempotency_key;
  const last = lastTaken.get(key);
  if (last !== undefined && now - last < HINT_MIN_GAP_MS) return 'too-soon';
  remember(lastTaken, key, now);
  rescheduleOutbox(db, job.id, {
    operation: job.operation,
    payload: JSON.parse(job.payload) as unknown,
    nextAttemptAt: now,
    deadlineAt: job.deadline_at,
    lastError: job.last_error,
    resetAttempts: false,
  }, now);
  return 'query-now';
}

function paymentJob(db: Database, outTradeNo: string): OutboxRow | undefined | 'unknown' | 'final' {
  const attempt = getAttemptByOutTradeNo(db, outTradeNo);
  if (!attempt) return 'unknown';
  if (isFinalAttemptState(attempt.state) || attempt.state === 'refunding') return 'final';
  return getOutboxByKey(db, attempt.mode === 'native' ? nativeJobKey(outTradeNo) : micropayJobKey(outTradeNo));
}

function refundJob(db: Database, outRefundNo: string | null): OutboxRow | undefined | 'unknown' | 'final' {
  if (outRefundNo === null) return 'unknown';
  const job = getOutboxByKey(db, refundJobKey(outRefundNo));
  if (!job) return 'unknown';
  return job.state === 'done' || job.state === 'failed' ? 'final' : job;
}

function remember(lastTaken: Map<string, number>, key: string, now: number): void {
  lastTaken.delete(key);
  lastTaken.set(key, now);
  // Oldest first (insertion order): a long-running counter keeps at most the newest thousand.
  for (const old of lastTaken.keys()) {
    if (lastTaken.size <= MAX_REMEMBERED_HINTS) break;
    lastTaken.delete(old);
  }
}
