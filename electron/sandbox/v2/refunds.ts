import { formatBeijingCompact } from '../../../shared/clock';
import type { LedgerRefundStatus } from '../ledger/refunds';
import { applyRefund, queryRefunds, refundedSoFar, type RefundKey } from '../refund-trades';
import type { SandboxResponse } from '../http';
import { isDeliverableUrl } from '../notify/deliver';
import { recordNotifyTarget } from '../notify/ledger';
import type { OrderKey } from '../trades';
import type { TradeError } from '../trade-result';
import { missingField, parseFee, v2BusinessFail, v2Signed, v2TransportFail, V2_OUT_NO, type V2Request } from './protocol';
import type { V2Deps } from './payments';

/** v2 secapi/pay/refund and pay/refundquery. */

/** v2 err_code for each refusal, as the live service reports them. */
function refundErrorCode(error: TradeError): string {
  switch (error.code) {
    case 'REFUND_EXCEEDS':
      return 'INVALID_REQUEST';
    case 'FULLY_REFUNDED':
    case 'REFUND_LIMIT':
    case 'NOT_PAID':
      return 'ERROR';
    default:
      return error.code;
  }
}

export function refundV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  const missing = missingField(f, ['out_refund_no', 'total_fee', 'refund_fee']);
  if (missing) return v2BusinessFail(deps, req.signType, 'LACK_PARAMS', `缺少参数${missing}`);
  const order: OrderKey | null = f.transaction_id
    ? { transactionId: f.transaction_id }
    : f.out_trade_no
      ? { outTradeNo: f.out_trade_no }
      : null;
  if (!order) return v2BusinessFail(deps, req.signType, 'LACK_PARAMS', '缺少参数out_trade_no');
  if (!V2_OUT_NO.test(f.out_refund_no ?? '')) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_refund_no参数格式错误');
  const totalFee = parseFee(f.total_fee);
  const refundFee = parseFee(f.refund_fee);
  if (totalFee === null) return v2TransportFail('invalid total_fee');
  // A refund above the order total is refused before the business layer (even before the order is looked up).
  if (refundFee === null || refundFee > totalFee) return v2TransportFail('invalid refund_fee');
  const result = applyRefund(deps.db, deps.clock.now(), {
    order,
    outRefundNo: f.out_refund_no ?? '',
    totalFee,
    refundFee,
    reason: f.refund_desc,
  });
  if (!result.ok) {
    if (result.error.code === 'REFUND_FEE_INVALID') return v2TransportFail('invalid refund_fee');
    return v2BusinessFail(deps, req.signType, refundErrorCode(result.error), result.error.message);
  }
  const { order: o, refund } = result.value;
  if (f.notify_url && isDeliverableUrl(f.notify_url)) recordNotifyTarget(deps.db, { kind: 'refund', api: 'v2', ref: refund.outRefundNo, url: f.notify_url });
  return v2Signed(deps, req.signType, {
    result_code: 'SUCCESS',
    transaction_id: o.transactionId,
    out_trade_no: o.outTradeNo,
    out_refund_no: refund.outRefundNo,
    refund_id: refund.refundId,
    refund_fee: refund.refundFee,
    total_fee: o.totalFee,
    fee_type: 'CNY',
    cash_fee: o.totalFee,
    cash_refund_fee: refund.refundFee,
    coupon_refund_fee: 0,
    coupon_refund_count: 0,
  });
}

/** v2 refund_status_$n: CLOSED is REFUNDCLOSE, ABNORMAL is CHANGE. */
function v2RefundStatus(status: LedgerRefundStatus): string {
  if (status === 'CLOSED') return 'REFUNDCLOSE';
  if (status === 'ABNORMAL') return 'CHANGE';
  return status;
}

function refundKeyOf(f: Record<string, string>): RefundKey | null {
  if (f.refund_id) return { refundId: f.refund_id };
  if (f.out_refund_no) return { outRefundNo: f.out_refund_no };
  if (f.transaction_id) return { transactionId: f.transaction_id };
  if (f.out_trade_no) return { outTradeNo: f.out_trade_no };
  return null;
}

const billTime = (ms: number): string => {
  const c = formatBeijingCompact(ms);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
};

export function refundQueryV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const key = refundKeyOf(req.fields);
  if (!key) return v2BusinessFail(deps, req.signType, 'LACK_PARAMS', '缺少参数out_refund_no');
  const result = queryRefunds(deps.db, deps.clock.now(), key);
  if (!result.ok) return v2BusinessFail(deps, req.signType, 'REFUNDNOTEXIST', 'not exist');
  const first = result.value[0];
  if (!first) return v2BusinessFail(deps, req.signType, 'REFUNDNOTEXIST', 'not exist');
  const order = first.order;
  const fields: Record<string, string | number | undefined> = {
    result_code: 'SUCCESS',
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    total_fee: order.totalFee,
    fee_type: 'CNY',
    cash_fee: order.totalFee,
    refund_fee: refundedSoFar(result.value.map((r) => r.refund)),
    refund_count: result.value.length,
  };
  result.value.forEach(({ refund }, n) => {
    fields[`out_refund_no_${n}`] = refund.outRefundNo;
    fields[`refund_id_${n}`] = refund.refundId;
    fields[`refund_channel_${n}`] = 'ORIGINAL';
    fields[`refund_fee_${n}`] = refund.refundFee;
    fields[`settlement_refund_fee_${n}`] = refund.refundFee;
    fields[`refund_status_${n}`] = v2RefundStatus(refund.status);
    fields[`refund_account_${n}`] = 'REFUND_SOURCE_UNSETTLED_FUNDS';
    // "accout" is how the real field is spelled.
    fields[`refund_recv_accout_${n}`] = '支付用户的零钱';
    if (refund.successAt !== null) fields[`refund_success_time_${n}`] = billTime(refund.successAt);
  });
  return v2Signed(deps, req.signType, fields);
}
