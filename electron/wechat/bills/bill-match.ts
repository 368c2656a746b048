import type { MismatchClass } from '../../../shared/shifts';

/**
 * How one bill line disagrees with the local record it names: the rules the counter's next-day reconciliation
 * (electron/shifts/reconcile.ts) and the hub's chain reconciliation (electron/hub/reconciliation/) share. Pure:
 * the callers find the rows (SQL) and say who owns them (sale, shift, cashier; at the hub also store and counter).
 */

/** Local attempt states in which WeChat took the customer's money for the order. */
export const MONEY_TAKEN_STATES: readonly string[] = ['paid', 'refunding', 'refunded'];

export interface PaymentLineVsLocal {
  out_trade_no: string;
  trade_state: string;
  order_fen: number;
  local_fen: number | null;
  local_state: string | null;
}

export interface RefundLineVsLocal {
  out_trade_no: string;
  out_refund_no: string;
  refund_fen: number;
  refund_status: string | null;
  local_refund_fen: number | null;
  local_refund_state: string | null;
  /** The order's local state (a refund WeChat has and the app does not is still "ours" when the order is). */
  order_state: string | null;
}

export interface Disagreement {
  class: MismatchClass;
  out_trade_no: string;
  out_refund_no: string;
  local_fen: number | null;
  wechat_fen: number | null;
  local_state: string | null;
  wechat_state: string | null;
}

/** Every way a payment line disagrees with its local attempt (none: it agrees). */
export function paymentDisagreements(r: PaymentLineVsLocal): Disagreement[] {
  const base = { out_trade_no: r.out_trade_no, out_refund_no: '', wechat_fen: r.order_fen, wechat_state: r.trade_state };
  if (r.local_state === null || r.local_fen === null) {
    // A payment reversed the same day moved no money: nothing is lost.
    if (r.trade_state === 'REVOKED') return [];
    return [{ ...base, class: 'only-in-wechat', local_fen: null, local_state: null }];
  }
  const found: Disagreement[] = [];
  if ((r.trade_state !== 'REVOKED') !== MONEY_TAKEN_STATES.includes(r.local_state)) {
    found.push({ ...base, class: 'state-differs', local_fen: r.local_fen, local_state: r.local_state });
  }
  if (r.order_fen !== r.local_fen) found.push({ ...base, class: 'amount-differs', local_fen: r.local_fen, local_state: r.local_state });
  return found;
}

/** Every way a refund line disagrees with its local refund (none: it agrees). */
export function refundDisagreements(r: RefundLineVsLocal): Disagreement[] {
  const wechatState = `REFUND ${r.refund_status ?? ''}`.trim();
  const base = { out_trade_no: r.out_trade_no, out_refund_no: r.out_refund_no, wechat_fen: r.refund_fen, wechat_state: wechatState };
  if (r.local_refund_state === null || r.local_refund_fen === null) {
    // Refunded in WeChat (merchant platform) but not in the app: when the order is ours, its state now differs.
    return [{ ...base, class: r.order_state !== null ? 'state-differs' : 'only-in-wechat', local_fen: null, local_state: r.order_state }];
  }
  const found: Disagreement[] = [];
  if (r.local_refund_state === 'failed') {
    found.push({ ...base, class: 'state-differs', local_fen: r.local_refund_fen, local_state: r.local_refund_state });
  }
  if (r.refund_fen !== r.local_refund_fen) {
    found.push({ ...base, class: 'amount-differs', local_fen: r.local_refund_fen, local_state: r.local_refund_state });
  }
  return found;
}
