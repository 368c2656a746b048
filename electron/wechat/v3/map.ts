import { fen } from '../../../shared/money';
import { MalformedAnswer } from '../outcome';
import { fenField, optionalFen, optionalString, parseRfc3339, tradeState, v3RefundStatus } from '../parse-values';
import type { OrderState, RefundState } from '../types';

/** v3 JSON answers → the engine's types; every shape check throws MalformedAnswer. */

export function asObject(value: unknown, what: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedAnswer(`${what} is not an object`);
  return value as Record<string, unknown>;
}

const optionalObject = (value: unknown, what: string): Record<string, unknown> =>
  value === undefined || value === null ? {} : asObject(value, what);

export function v3OrderState(json: unknown, expectedOutTradeNo: string): OrderState {
  const tx = asObject(json, 'transaction');
  const outTradeNo = tx.out_trade_no;
  if (outTradeNo !== expectedOutTradeNo) throw new MalformedAnswer('answer is about a different out_trade_no');
  const state = tradeState(tx.trade_state);
  const amount = optionalObject(tx.amount, 'amount');
  const paid = state === 'SUCCESS' || state === 'REFUND';
  const totalFen = paid || amount.total !== undefined ? fenField(amount.total, 'amount.total') : fen(0);
  const order: OrderState = { outTradeNo: expectedOutTradeNo, tradeState: state, totalFen };
  const transactionId = optionalString(tx.transaction_id);
  if (transactionId) order.transactionId = transactionId;
  const payerTotal = optionalFen(amount.payer_total, 'amount.payer_total');
  if (payerTotal !== undefined) order.payerTotalFen = payerTotal;
  // A service provider's answer names the payer by sp_openid (and sub_openid when a sub_appid was sent).
  const payer = optionalObject(tx.payer, 'payer');
  const openid = optionalString(payer.openid) ?? optionalString(payer.sp_openid) ?? optionalString(payer.sub_openid);
  if (openid) order.openid = openid;
  const bankType = optionalString(tx.bank_type);
  if (bankType) order.bankType = bankType;
  const successTime = parseRfc3339(tx.success_time);
  if (successTime !== undefined) order.successTime = successTime;
  const desc = optionalString(tx.trade_state_desc);
  if (desc) order.tradeStateDesc = desc;
  if (paid && !transactionId) throw new MalformedAnswer('paid order without transaction_id');
  return order;
}

export function v3RefundState(json: unknown, expectedOutRefundNo: string): RefundState {
  const refund = asObject(json, 'refund');
  if (refund.out_refund_no !== expectedOutRefundNo) throw new MalformedAnswer('answer is about a different out_refund_no');
  const amount = asObject(refund.amount, 'amount');
  const state: RefundState = {
    outRefundNo: expectedOutRefundNo,
    refundFen: fenField(amount.refund, 'amount.refund'),
    status: v3RefundStatus(refund.status),
  };
  const refundId = optionalString(refund.refund_id);
  if (refundId) state.refundId = refundId;
  const successTime = parseRfc3339(refund.success_time);
  if (successTime !== undefined) state.successTime = successTime;
  return state;
}
