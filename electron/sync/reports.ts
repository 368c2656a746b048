import type { Database } from 'better-sqlite3';
import type { Logger } from '../../shared/log';
import { enqueueOutbox, findPendingOutboxByOperation } from '../db/outbox';
import {
  assignReportTrades,
  countUnreportedTrades,
  earliestUnassignedTradeId,
  insertReportTrade,
  markReportTradesSent,
  type ReportTradeRow,
} from '../db/wechat-report-trades';
import type { ReportTrade, WechatPayClient } from '../wechat/types';
import { backoffDelay, type BackoffPolicy, type Random } from './backoff';
import { callThen, type OperationHandler } from './types';

export const REPORT_OPERATION = 'report.batch';

export interface ReportPolicy {
  reportBatchWindowMs: number;
  reportBatchMax: number;
  reportDeadlineMs: number;
  retry: BackoffPolicy;
}

/**
 * Records one finished micropay order for the v2 交易保障 batch report and makes sure a batch job is waiting.
 * Runs inside the transaction that finished the order.
 */
export function queueReportTrade(
  db: Database,
  trade: { outTradeNo: string; beginTime: number; endTime: number; state: ReportTradeRow['state']; errMsg: string | null },
  policy: ReportPolicy,
  now: number,
): void {
  if (!insertReportTrade(db, trade)) return;
  ensureReportBatch(db, policy, now);
}

function ensureReportBatch(db: Database, policy: ReportPolicy, now: number): void {
  if (findPendingOutboxByOperation(db, REPORT_OPERATION)) return;
  const first = earliestUnassignedTradeId(db);
  if (first === null) return;
  // Each trade joins exactly one batch, so the earliest unassigned trade names the batch uniquely.
  enqueueOutbox(db, {
    operation: REPORT_OPERATION,
    payload: {},
    idempotencyKey: `report:${first}`,
    orderKey: 'report',
    saleId: null,
    nextAttemptAt: now + policy.reportBatchWindowMs,
    deadlineAt: now + policy.reportDeadlineMs,
    createdAt: now,
  });
}

function toReportTrade(row: ReportTradeRow): ReportTrade {
  return {
    outTradeNo: row.out_trade_no,
    beginTime: row.begin_time,
    endTime: row.end_time,
    state: row.state,
    ...(row.err_msg ? { errMsg: row.err_msg } : {}),
  };
}

/** Sends a batch of finished trades; reports are best effort, so a definite refusal or the deadline drops them. */
export function reportBatchHandler(deps: {
  client: WechatPayClient;
  policy: ReportPolicy;
  random: Random;
  logger: Logger;
}): OperationHandler {
  const { client, policy, random, logger } = deps;
  return {
    operation: REPORT_OPERATION,
    prepare(db, job) {
      const trades = assignReportTrades(db, job.id, policy.reportBatchMax);
      if (trades.length === 0) return { kind: 'settle', settled: { transition: { kind: 'done' } } };
      const batch = trades.map(toReportTrade);
      return callThen(
        'report',
        () => client.reportMicropayBatch(batch),
        (tx, outcome, now) => {
          if (outcome.kind === 'unknown') {
            return { transition: { kind: 'retry', at: now + backoffDelay(job.attempts + 1, policy.retry, random) } };
          }
          if (outcome.kind === 'failure') logger.warn('transaction report refused; dropped', { code: outcome.code });
          markReportTradesSent(tx, job.id, now);
          if (countUnreportedTrades(tx) > 0) ensureReportBatch(tx, policy, now);
          return { transition: { kind: 'done' } };
        },
      );
    },
    expire(db, job, now) {
      assignReportTrades(db, job.id, policy.reportBatchMax);
      markReportTradesSent(db, job.id, now);
      logger.warn('transaction report expired; dropped', { job: job.id });
      return { transition: { kind: 'failed', error: 'report deadline passed' } };
    },
  };
}
