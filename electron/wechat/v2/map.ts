import { fen } from '../../../shared/money';
import { parseBeijingCompact } from '../../../shared/clock';
import { MalformedAnswer } from '../outcome';
import { fenField, optionalFen, optionalString, parseBeijingDashed, tradeState, v2RefundStatus } from '../parse-values';
import type { OrderState, RefundState, TradeState } from '../types';

/** v2 answer fields → the engine's types. */

export function v2OrderState(fields: Record<string, string>, expectedOutTradeNo: string, impliedState?: TradeState): OrderState {
  const outTradeNo = fields.out_trade_no ?? expectedOutTradeNo;
  if (outTradeNo !== expectedOutTradeNo) throw new MalformedAnswer('answer is about a different out_trade_no');
  // micropay's success answer has no trade_state: result_code SUCCESS there means paid.
  const state = fields.trade_state !== undefined && fields.trade_state !== '' ? tradeState(fields.trade_state) : impliedState;
  if (state === undefined) throw new MalformedAnswer('answer without trade_state');
  const paid = state === 'SUCCESS' || state === 'REFUND';
  // Unpaid orders' answers may omit the amounts; the engine does not read them for those states.
  const totalFen = paid || fields.total_fee ? fenField(fields.total_fee, 'total_fee') : fen(0);
  const order: OrderState = { outTradeNo, tradeState: state, totalFen };
  const transactionId = optionalString(fields.transaction_id);
  if (transactionId) order.transactionId = transactionId;
  const payerTotal = optionalFen(fields.cash_fee, 'cash_fee');
  if (payerTotal !== undefined) order.payerTotalFen = payerTotal;
  const openid = optionalString(fields.openid);
  if (openid) order.openid = openid;
  const bankType = optionalString(fields.bank_type);
  if (bankType) order.bankType = bankType;
  const timeEnd = fields.time_end ? parseBeijingCompact(fields.time_end) : null;
  if (timeEnd !== null) order.successTime = timeEnd;
  const desc = optionalString(fields.trade_state_desc);
  if (desc) order.tradeStateDesc = desc;
  if (paid && !transactionId) throw new MalformedAnswer('paid order without transaction_id');
  return order;
}

/** refundquery answers list refunds as field_$n; pick the one with our out_refund_no. */
export function v2RefundState(fields: Record<string, string>, outRefundNo: string): RefundState {
  const count = Number(fields.refund_count ?? '0');
  if (!Number.isSafeInteger(count) || count < 0 || count > 100) throw new MalformedAnswer('bad refund_count');
  for (let n = 0; n < count; n += 1) {
    if (fields[`out_refund_no_${n}`] !== outRefundNo) continue;
    const refund: RefundState = {
      outRefundNo,
      refundFen: fenField(fields[`refund_fee_${n}`], `refund_fee_${n}`),
      status: v2RefundStatus(fields[`refund_status_${n}`]),
    };
    const refundId = optionalString(fields[`refund_id_${n}`]);
    if (refundId) refund.refundId = refundId;
    const successText = fields[`refund_success_time_${n}`];
    const successTime = successText ? parseBeijingDashed(successText) : undefined;
    if (successTime !== undefined) refund.successTime = successTime;
    return refund;
  }
  throw new MalformedAnswer('refundquery answer does not list the requested out_refund_no');
}

/** yyyy-MM-dd → yyyyMMdd, checked. */
export function v2BillDate(billDate: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(billDate)) throw new MalformedAnswer('bill date must be yyyy-MM-dd');
  return billDate.replace(/-/g, '');
}
