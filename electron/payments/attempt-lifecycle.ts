import type { Database } from 'better-sqlite3';
import { maskOpenid } from '../../shared/mask';
import type { AttemptState, Reason } from '../../shared/payments';
import { getSale, markSalePaid } from '../db/sales';
import { settleTender, sumPaidTenders } from '../db/tenders';
import { getAttempt, updateAttempt, type AttemptPatch, type AttemptRow } from '../db/wechat-attempts';
import { queueReportTrade } from '../sync/reports';
import type { Bilingual, OrderState } from '../wechat/types';
import type { ChangeSet } from './changes';
import { flagPaymentOffCounter } from './off-counter';
import type { PaymentPolicy } from './policy';

export function reasonOf(code: string, reason: Bilingual): Reason {
  return { code, zh: reason.zh, en: reason.en };
}

export function failurePatch(reason: Reason | null): AttemptPatch {
  return reason
    ? { failure_code: reason.code, failure_zh: reason.zh, failure_en: reason.en }
    : { failure_code: null, failure_zh: null, failure_en: null };
}

export function storedFailure(a: AttemptRow): Reason | null {
  return a.failure_code === null ? null : { code: a.failure_code, zh: a.failure_zh ?? '', en: a.failure_en ?? '' };
}

export function mustGetAttempt(db: Database, id: number): AttemptRow {
  const a = getAttempt(db, id);
  if (!a) throw new Error(`attempt ${id} vanished`);
  return a;
}

/** Marks the sale paid once its paid tenders cover the total. */
export function refreshSalePaid(db: Database, saleId: number, now: number, changes: ChangeSet): void {
  const sale = getSale(db, saleId);
  changes.sales.add(saleId);
  if (!sale || sale.state !== 'open') return;
  if (sumPaidTenders(db, saleId) >= sale.total_fen) {
    markSalePaid(db, saleId, now);
    changes.paidSales.add(saleId);
  }
}

export function updateAndTrack(db: Database, a: AttemptRow, patch: AttemptPatch, now: number, changes: ChangeSet): void {
  updateAttempt(db, a.id, patch, now);
  changes.attempts.add(a.id);
  changes.sales.add(a.sale_id);
}

function paymentFacts(order: OrderState): AttemptPatch {
  return {
    transaction_id: order.transactionId ?? null,
    payer_masked: order.openid ? maskOpenid(order.openid) : null,
    bank_type: order.bankType ?? null,
    paid_fen: order.totalFen,
    success_time: order.successTime ?? null,
  };
}

function queueMicropayReport(db: Database, a: AttemptRow, state: 'OK' | 'FAIL' | 'CANCLE', errMsg: string | null, policy: PaymentPolicy, now: number): void {
  if (a.mode !== 'micropay' || a.first_sent_at === null) return;
  queueReportTrade(db, { outTradeNo: a.out_trade_no, beginTime: a.first_sent_at, endTime: now, state, errMsg }, policy, now);
}

/**
 * WeChat says the order is paid. Returns 'paid' when it now pays its tender, or 'unwanted' when the cashier had
 * already taken another tender (the caller reverses or refunds it). Either way the payment facts are kept.
 */
export function recordOrderPaid(
  db: Database,
  a: AttemptRow,
  order: OrderState,
  policy: PaymentPolicy,
  now: number,
  changes: ChangeSet,
): 'paid' | 'unwanted' {
  const facts = paymentFacts(order);
  if (a.superseded_at !== null) {
    updateAndTrack(db, a, { ...facts, state: a.mode === 'micropay' ? 'reversing' : 'refunding', auth_code: null, network_trouble: 0 }, now, changes);
    return 'unwanted';
  }
  updateAndTrack(
    db,
    a,
    { ...facts, ...failurePatch(null), state: 'paid', auth_code: null, resolved_at: now, network_trouble: 0, last_answer: 'SUCCESS' },
    now,
    changes,
  );
  settleTender(db, a.tender_id, 'paid', now);
  queueMicropayReport(db, a, 'OK', null, policy, now);
  refreshSalePaid(db, a.sale_id, now, changes);
  flagPaymentOffCounter(db, a, order.totalFen, now, changes);
  return 'paid';
}

export type EndState = Extract<AttemptState, 'failed' | 'reversed' | 'cancelled' | 'closed' | 'refunded' | 'needs-attention'>;

/** Ends an attempt without (kept) money: the code is erased, the tender settled, the trade reported. */
export function finishAttempt(
  db: Database,
  a: AttemptRow,
  state: EndState,
  reason: Reason | null,
  policy: PaymentPolicy,
  now: number,
  changes: ChangeSet,
): void {
  updateAndTrack(
    db,
    a,
    { state, auth_code: null, resolved_at: now, ...(reason ? failurePatch(reason) : {}) },
    now,
    changes,
  );
  settleTender(db, a.tender_id, state === 'cancelled' || state === 'closed' ? 'cancelled' : 'failed', now);
  const report = state === 'failed' ? 'FAIL' : state === 'reversed' || state === 'cancelled' ? 'CANCLE' : null;
  if (report) queueMicropayReport(db, a, report, reason?.code ?? null, policy, now);
}
