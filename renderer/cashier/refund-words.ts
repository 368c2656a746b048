import { addFen, ZERO_FEN, type Fen } from '../../shared/money';
import type { RefundView, SaleView } from '../../shared/payments';
import type { MessageKey } from '../i18n/messages';

/**
 * A sale's state as the cashier says it: a paid sale whose money went back is 已退款 (all of it) or 部分退款 (some),
 * not 已付款. Refunds still with WeChat count: the money is promised to the customer.
 */
export function saleStateKey(sale: SaleView): MessageKey {
  if (sale.state === 'open') return 'recent.stateOpen';
  if (sale.state === 'voided') return 'recent.stateVoided';
  if (sale.refundedFen > 0 && sale.refundedFen >= sale.paidFen) return 'recent.stateRefunded';
  return sale.refundedFen > 0 ? 'recent.statePartRefunded' : 'recent.statePaid';
}

/** A refund part named by the tender it goes back to ("现金退款 ￥2.00", "微信退款 ￥38.00"). */
export function refundLineKey(refund: Pick<RefundView, 'kind'>): MessageKey {
  return refund.kind === 'cash' ? 'recent.refundLineCash' : 'recent.refundLineWechat';
}

/** The cash the cashier hands back for these refund parts (cash parts are paid out of the drawer at once). */
export function cashToHandBack(refunds: readonly Pick<RefundView, 'kind' | 'amountFen' | 'state'>[]): Fen {
  return refunds.filter((r) => r.kind === 'cash' && r.state === 'succeeded').reduce((sum, r) => addFen(sum, r.amountFen), ZERO_FEN);
}
