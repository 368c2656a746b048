import type { Database } from '../db/open';
import { updateOrder, type OrderRow } from './ledger/orders';
import { updateRefundStatus, type RefundRow } from './ledger/refunds';
import { USERPAYING_REVOKE_MS } from './wallets';

/**
 * Time-driven transitions, computed from the injected clock whenever a row is read (no timers): a test that moves a
 * fake clock sees exactly the state the real service would show at that instant. A transition, once seen, is
 * written back, so moving a clock backwards never un-pays an order.
 */

/** The order as it stands at `now`, after every transition due by then. Pure. */
export function orderAt(order: OrderRow, now: number): OrderRow {
  if (order.state === 'USERPAYING') return userPayingAt(order, now);
  if (order.state === 'NOTPAY' && order.paysAt !== null && order.paysAt <= now) {
    const inTime = order.timeExpire === null || order.paysAt <= order.timeExpire;
    return inTime ? { ...order, state: 'SUCCESS', paidAt: order.paysAt, paysAt: null } : { ...order, paysAt: null };
  }
  return order;
}

/**
 * A payer entering the password either pays, cancels, or is still at it when WeChat revokes the order 45 s after
 * creation; whichever comes first wins.
 */
function userPayingAt(order: OrderRow, now: number): OrderRow {
  const revokeAt = order.createdAt + USERPAYING_REVOKE_MS;
  const events: { at: number; apply: () => OrderRow }[] = [
    { at: revokeAt, apply: () => ({ ...order, state: 'REVOKED', closedAt: revokeAt, paysAt: null, failsAt: null }) },
  ];
  if (order.paysAt !== null && order.paysAt < revokeAt) {
    const paidAt = order.paysAt;
    events.push({ at: paidAt, apply: () => ({ ...order, state: 'SUCCESS', paidAt, paysAt: null, failsAt: null }) });
  }
  if (order.failsAt !== null && order.failsAt < revokeAt) {
    events.push({ at: order.failsAt, apply: () => ({ ...order, state: 'PAYERROR', paysAt: null, failsAt: null }) });
  }
  const due = events.filter((e) => e.at <= now).sort((a, b) => a.at - b.at)[0];
  return due ? due.apply() : order;
}

/** Reads the order at `now` and persists any transition. Call inside the caller's transaction. */
export function settleOrder(db: Database, order: OrderRow, now: number): OrderRow {
  const settled = orderAt(order, now);
  if (settled !== order) updateOrder(db, settled);
  return settled;
}

export function refundAt(refund: RefundRow, now: number): RefundRow {
  if (refund.status === 'PROCESSING' && refund.succeedsAt <= now) {
    return { ...refund, status: 'SUCCESS', successAt: refund.succeedsAt };
  }
  return refund;
}

export function settleRefund(db: Database, refund: RefundRow, now: number): RefundRow {
  const settled = refundAt(refund, now);
  if (settled !== refund) updateRefundStatus(db, settled.outRefundNo, settled.status, settled.successAt);
  return settled;
}

/** Whether the payer's money is (or was) with the merchant: the order was paid and not reversed. */
export function isPaid(order: OrderRow): boolean {
  return order.state === 'SUCCESS' || order.state === 'REFUND';
}
