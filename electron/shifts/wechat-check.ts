import type { Database } from 'better-sqlite3';
import { fen } from '../../shared/money';
import type { CheckMismatch, WechatCheckResult } from '../../shared/shifts';
import { enqueueOutbox } from '../db/outbox';
import { getShift } from '../db/shifts';
import { moneyTakenAttempts, refundsInWindow, type ShiftWindow } from '../db/shift-figures';
import {
  finishCheckRun,
  insertCheckRun,
  insertShiftCheck,
  latestFinishedCheckRun,
  listShiftChecks,
  type ShiftCheckRow,
} from '../db/shift-checks';
import { callSafely, reachOf, type Reach } from '../sync/outcome';
import type { OperationHandler, Reply } from '../sync/types';
import type { WechatPayClient } from '../wechat/types';

/**
 * The pre-close check: every WeChat payment and refund of the shift is queried and compared with what the app
 * recorded. It runs from the outbox like every WeChat call, as one job that queries a few at a time.
 */

export const CHECK_OPERATION = 'shift.check';
const CONCURRENCY = 4;

interface CheckPayload {
  shiftId: string;
  runId: string;
}

interface CheckItem {
  kind: 'payment' | 'refund';
  ref: string;
  localFen: number;
  localState: string;
}

type CheckRow = Omit<ShiftCheckRow, 'id' | 'shift_id' | 'run_id' | 'checked_at'>;

export function shiftWindow(db: Database, shiftId: string, now: number): ShiftWindow {
  const shift = getShift(db, shiftId);
  if (!shift) throw new Error(`no shift ${shiftId}`);
  return { shiftId, terminalId: shift.terminal_id, from: shift.opened_at, to: shift.closed_at ?? now + 1 };
}

function itemsOf(db: Database, shiftId: string, now: number): CheckItem[] {
  const payments = moneyTakenAttempts(db, shiftId).map(
    (a): CheckItem => ({ kind: 'payment', ref: a.out_trade_no, localFen: a.amount_fen, localState: a.state }),
  );
  const refunds = refundsInWindow(db, shiftWindow(db, shiftId, now), 'wechat', ['processing', 'succeeded', 'abnormal'])
    .filter((r) => r.out_refund_no !== null)
    .map((r): CheckItem => ({ kind: 'refund', ref: r.out_refund_no ?? '', localFen: r.amount_fen, localState: r.state }));
  return [...payments, ...refunds];
}

const REFUND_STATUS_FOR: Record<string, readonly string[]> = {
  succeeded: ['SUCCESS'],
  processing: ['PROCESSING', 'SUCCESS'],
  abnormal: ['ABNORMAL'],
};

async function checkOne(client: WechatPayClient, item: CheckItem): Promise<{ row: CheckRow; reach: Reach }> {
  const base = { kind: item.kind, ref: item.ref, local_fen: item.localFen, local_state: item.localState };
  if (item.kind === 'payment') {
    const outcome = await callSafely(() => client.queryOrder(item.ref));
    if (outcome.kind === 'unknown') return { row: { ...base, wechat_fen: null, wechat_state: null, result: 'unchecked' }, reach: reachOf(outcome) };
    if (outcome.kind === 'failure') return { row: { ...base, wechat_fen: null, wechat_state: outcome.code, result: 'mismatch' }, reach: 'reachable' };
    const o = outcome.value;
    const ok = (o.tradeState === 'SUCCESS' || o.tradeState === 'REFUND') && o.totalFen === item.localFen;
    return { row: { ...base, wechat_fen: o.totalFen, wechat_state: o.tradeState, result: ok ? 'matched' : 'mismatch' }, reach: 'reachable' };
  }
  const outcome = await callSafely(() => client.queryRefund(item.ref));
  if (outcome.kind === 'unknown') return { row: { ...base, wechat_fen: null, wechat_state: null, result: 'unchecked' }, reach: reachOf(outcome) };
  if (outcome.kind === 'failure') return { row: { ...base, wechat_fen: null, wechat_state: outcome.code, result: 'mismatch' }, reach: 'reachable' };
  const r = outcome.value;
  const ok = (REFUND_STATUS_FOR[item.localState] ?? []).includes(r.status) && r.refundFen === item.localFen;
  return { row: { ...base, wechat_fen: r.refundFen, wechat_state: r.status, result: ok ? 'matched' : 'mismatch' }, reach: 'reachable' };
}

async function checkAll(client: WechatPayClient, items: readonly CheckItem[]): Promise<{ rows: CheckRow[]; reach: Reach }> {
  const rows: CheckRow[] = new Array<CheckRow>(items.length);
  const reaches: Reach[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      const item = items[index];
      if (!item) return;
      const done = await checkOne(client, item);
      rows[index] = done.row;
      reaches.push(done.reach);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, lane));
  const reach: Reach = reaches.includes('reachable') ? 'reachable' : reaches.includes('unreachable') ? 'unreachable' : 'unknown';
  return { rows, reach };
}

/** Queues a new check run for the shift; returns its run id. */
export function queueShiftCheck(db: Database, shiftId: string, runId: string, now: number): void {
  insertCheckRun(db, runId, shiftId, now);
  enqueueOutbox(db, {
    operation: CHECK_OPERATION,
    payload: { shiftId, runId } satisfies CheckPayload,
    idempotencyKey: `shift-check:${runId}`,
    orderKey: `shift-check:${shiftId}`,
    saleId: null,
    nextAttemptAt: now,
    deadlineAt: null,
    createdAt: now,
  });
}

export function wechatCheckHandler(deps: { client: WechatPayClient; onFinished?: (shiftId: string) => void }): OperationHandler {
  return {
    operation: CHECK_OPERATION,
    prepare(db, job, now) {
      const { shiftId, runId } = job.payload as CheckPayload;
      const items = itemsOf(db, shiftId, now);
      const finish = (tx: Database, rows: readonly CheckRow[], at: number): void => {
        for (const row of rows) insertShiftCheck(tx, { ...row, shift_id: shiftId, run_id: runId, checked_at: at });
        finishCheckRun(tx, runId, at);
      };
      if (items.length === 0) {
        finish(db, [], now);
        return { kind: 'settle', settled: { transition: { kind: 'done' }, notify: () => deps.onFinished?.(shiftId) } };
      }
      return {
        kind: 'call',
        endpoint: 'orderquery',
        async execute(): Promise<Reply> {
          const { rows, reach } = await checkAll(deps.client, items);
          const unchecked = rows.filter((r) => r.result === 'unchecked').length;
          return {
            reach,
            rateLimited: false,
            error: unchecked > 0 ? `${unchecked} of ${rows.length} could not be checked` : null,
            apply: (tx, at) => {
              finish(tx, rows, at);
              return { transition: { kind: 'done' }, notify: () => deps.onFinished?.(shiftId) };
            },
          };
        },
      };
    },
  };
}

/** The newest finished check of the shift, as the report shows it. */
export function latestCheckResult(db: Database, shiftId: string): WechatCheckResult | null {
  const run = latestFinishedCheckRun(db, shiftId);
  if (!run) return null;
  const rows = listShiftChecks(db, run.run_id);
  const matched = rows.filter((r) => r.result === 'matched' && r.kind === 'payment');
  const matchedRefunds = rows.filter((r) => r.result === 'matched' && r.kind === 'refund');
  const mismatches = rows
    .filter((r) => r.result === 'mismatch')
    .map(
      (r): CheckMismatch => ({
        kind: r.kind,
        ref: r.ref,
        localFen: fen(r.local_fen),
        localState: r.local_state,
        wechatFen: r.wechat_fen === null ? null : fen(r.wechat_fen),
        wechatState: r.wechat_state,
      }),
    );
  return {
    checkedAt: run.finished_at ?? run.requested_at,
    matchedCount: matched.length,
    matchedFen: fen(matched.reduce((sum, r) => sum + r.local_fen, 0)),
    matchedRefundCount: matchedRefunds.length,
    matchedRefundFen: fen(matchedRefunds.reduce((sum, r) => sum + r.local_fen, 0)),
    mismatches,
    unchecked: rows.filter((r) => r.result === 'unchecked').length,
  };
}
