import type { Database } from 'better-sqlite3';
import type { Logger } from '../../shared/log';
import { getOutboxByKey, pruneFinishedOutbox, rescheduleOutbox, type OutboxRow } from '../db/outbox';
import { listOpenWechatRefunds } from '../db/refunds';
import { listNonFinalAttempts } from '../db/wechat-attempts';
import { micropayJobKey, MICROPAY_OPS } from './micropay-steps';
import { NATIVE_OPS, nativeJobKey } from './native-qr';
import { REFUND_OPS, refundJobKey } from './refunds';

const KEEP_FINISHED_JOBS_MS = 30 * 24 * 60 * 60 * 1000;

const isOpen = (job: OutboxRow | undefined): boolean => job?.state === 'pending' || job?.state === 'inflight';

/**
 * Insurance on start: every attempt or refund that is not final must have a live outbox job. Each is written with
 * its job in one transaction, so this finds nothing unless a bug ended a job early; if it does, the job is put
 * back to the step that asks WeChat first (query, poll, refund query), which is safe from any state.
 */
export function resumeOrphans(db: Database, logger: Logger, now: number): number {
  let resumed = 0;
  const revive = (job: OutboxRow | undefined, operation: string, payload: unknown): void => {
    if (!job || isOpen(job)) return;
    rescheduleOutbox(db, job.id, { operation, payload, nextAttemptAt: now, deadlineAt: null, lastError: 'resumed on start', resetAttempts: true }, now);
    resumed += 1;
  };
  db.transaction(() => {
    for (const a of listNonFinalAttempts(db)) {
      if (a.mode === 'micropay') revive(getOutboxByKey(db, micropayJobKey(a.out_trade_no)), MICROPAY_OPS.query, { attemptId: a.id });
      else revive(getOutboxByKey(db, nativeJobKey(a.out_trade_no)), NATIVE_OPS.poll, { attemptId: a.id });
    }
    for (const r of listOpenWechatRefunds(db)) {
      if (r.out_refund_no) revive(getOutboxByKey(db, refundJobKey(r.out_refund_no)), REFUND_OPS.query, { refundId: r.id });
    }
    pruneFinishedOutbox(db, now - KEEP_FINISHED_JOBS_MS);
  })();
  if (resumed > 0) logger.warn('resumed payment jobs that had ended too early', { count: resumed });
  return resumed;
}
