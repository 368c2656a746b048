import type { Database } from '../db/open';
import { getOrder, getOrderByTransactionId, updateOrder, type OrderRow } from './ledger/orders';
import {
  getRefund,
  getRefundByRefundId,
  insertRefund,
  listRefundsForOrder,
  type RefundRow,
} from './ledger/refunds';
import { newRefundId } from './ids';
import { isPaid, settleOrder, settleRefund } from './state';
import { tradeFail, tradeOk, type TradeResult } from './trade-result';
import type { OrderKey } from './trades';

/** Refunds: accepted (PROCESSING), completed a few seconds later on the injected clock. */

/** How long an accepted refund stays PROCESSING before it succeeds. */
export const REFUND_SETTLE_MS = 5_000;
export const MAX_REFUNDS_PER_ORDER = 50;
const REFUND_WINDOW_MS = 365 * 24 * 60 * 60 * 1000;

export interface RefundInput {
  order: OrderKey;
  outRefundNo: string;
  totalFee: number;
  refundFee: number;
  reason?: string | undefined;
}

export interface RefundOutcome {
  order: OrderRow;
  refund: RefundRow;
}

/** Money already given back or on its way: every refund except a closed one. */
export function refundedSoFar(refunds: readonly RefundRow[]): number {
  return refunds.filter((r) => r.status !== 'CLOSED').reduce((sum, r) => sum + r.refundFee, 0);
}

function findOrder(db: Database, key: OrderKey): OrderRow | null {
  return 'outTradeNo' in key ? getOrder(db, key.outTradeNo) : getOrderByTransactionId(db, key.transactionId);
}

/**
 * Checks a new refund against the order. Returns null when it may go ahead. The order of the checks follows what
 * the real service reports first: the stated total, the refund against the total, then against what is left.
 */
export function refundRefusal(
  order: OrderRow,
  refunds: readonly RefundRow[],
  totalFee: number,
  refundFee: number,
  now: number,
): TradeResult<never> | null {
  if (!isPaid(order)) return tradeFail('NOT_PAID', '订单状态错误，订单未支付或已撤销', order);
  if (totalFee !== order.totalFee) {
    return tradeFail('REFUND_FEE_MISMATCH', '订单金额或退款金额与之前请求不一致，请核实后再试', order);
  }
  if (refundFee > totalFee) return tradeFail('REFUND_FEE_INVALID', 'invalid refund_fee', order);
  if (order.paidAt !== null && now - order.paidAt > REFUND_WINDOW_MS) {
    return tradeFail('TRADE_OVERDUE', '订单已经超过退款期限', order);
  }
  const refunded = refundedSoFar(refunds);
  if (refunded >= order.totalFee) return tradeFail('FULLY_REFUNDED', '订单已全额退款', order);
  if (refunds.length >= MAX_REFUNDS_PER_ORDER) {
    // (unconfirmed wording) the doc states the 50-refund limit but not the exact error text.
    return tradeFail('REFUND_LIMIT', '退款次数超过限制，每笔订单最多50次部分退款', order);
  }
  if (refunded + refundFee > order.totalFee) return tradeFail('REFUND_EXCEEDS', 'refund_fee大于可退金额', order);
  return null;
}

/** secapi/pay/refund / v3 refunds. The same out_refund_no with the same amounts is the same refund. */
export function applyRefund(db: Database, now: number, input: RefundInput): TradeResult<RefundOutcome> {
  return db.transaction((): TradeResult<RefundOutcome> => {
    const found = findOrder(db, input.order);
    if (!found) return tradeFail('ORDERNOTEXIST', '订单不存在');
    const order = settleOrder(db, found, now);
    const previous = getRefund(db, input.outRefundNo);
    if (previous) {
      const same =
        previous.outTradeNo === order.outTradeNo &&
        previous.refundFee === input.refundFee &&
        previous.totalFee === input.totalFee;
      if (!same) return tradeFail('REFUND_FEE_MISMATCH', '订单金额或退款金额与之前请求不一致，请核实后再试', order);
      return tradeOk({ order, refund: settleRefund(db, previous, now) });
    }
    const refunds = listRefundsForOrder(db, order.outTradeNo);
    const refusal = refundRefusal(order, refunds, input.totalFee, input.refundFee, now);
    if (refusal) return refusal;
    const refund: RefundRow = {
      outRefundNo: input.outRefundNo,
      refundId: newRefundId(now),
      outTradeNo: order.outTradeNo,
      refundFee: input.refundFee,
      totalFee: input.totalFee,
      reason: input.reason ?? null,
      status: 'PROCESSING',
      createdAt: now,
      succeedsAt: now + REFUND_SETTLE_MS,
      successAt: null,
      origin: 'api',
    };
    insertRefund(db, refund);
    const refundedOrder: OrderRow = { ...order, state: 'REFUND' };
    updateOrder(db, refundedOrder);
    return tradeOk({ order: refundedOrder, refund });
  })();
}

export type RefundKey =
  | { outRefundNo: string }
  | { refundId: string }
  | { outTradeNo: string }
  | { transactionId: string };

/** refundquery: the refunds one key designates (one refund, or all of an order's), settled at `now`. */
export function queryRefunds(db: Database, now: number, key: RefundKey): TradeResult<RefundOutcome[]> {
  return db.transaction((): TradeResult<RefundOutcome[]> => {
    let refunds: RefundRow[];
    if ('outRefundNo' in key || 'refundId' in key) {
      const one = 'outRefundNo' in key ? getRefund(db, key.outRefundNo) : getRefundByRefundId(db, key.refundId);
      refunds = one ? [one] : [];
    } else {
      const order = findOrder(db, key);
      refunds = order ? listRefundsForOrder(db, order.outTradeNo) : [];
    }
    const first = refunds[0];
    if (!first) return tradeFail('REFUNDNOTEXIST', '退款单不存在');
    const orderRow = getOrder(db, first.outTradeNo);
    if (!orderRow) return tradeFail('REFUNDNOTEXIST', '退款单不存在');
    const order = settleOrder(db, orderRow, now);
    return tradeOk(refunds.map((r) => ({ order, refund: settleRefund(db, r, now) })));
  })();
}
