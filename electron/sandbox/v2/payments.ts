import { formatBeijingCompact, parseBeijingCompact } from '../../../shared/clock';
import type { Database } from '../../db/open';
import type { MerchantDirectory } from '../merchants';
import type { ProfitSharingSettings } from '../profit-sharing';
import type { OrderRow } from '../ledger/orders';
import { isPaid } from '../state';
import { tradeStateDesc, type TradeError } from '../trade-result';
import { chargePaymentCode, closeOrder, createNativeOrder, queryOrder, reverseOrder, type OrderKey } from '../trades';
import type { SandboxResponse } from '../http';
import { isDeliverableUrl } from '../notify/deliver';
import { recordNotifyTarget } from '../notify/ledger';
import { missingField, parseFee, v2BusinessFail, v2Signed, V2_OUT_NO, type V2Context, type V2Request } from './protocol';

/** v2 payment endpoints: micropay, unifiedorder (NATIVE), orderquery, closeorder, secapi/pay/reverse. */

export interface V2Deps extends V2Context {
  db: Database;
  /** The service provider's sub-merchants (sub_mch_id). */
  merchants: MerchantDirectory;
  /** The time the bills are built at: the clock plus the testing aid's shift (see server.ts shiftBillClock). */
  billNow: () => number;
  /** The profit-sharing settings the v3 side uses too (one ledger, one cap). */
  profitSharing: ProfitSharingSettings;
}

/** The payment fields of a paid order, as micropay and orderquery report them. */
export function paymentFields(order: OrderRow): Record<string, string | number | undefined> {
  return {
    device_info: order.deviceInfo ?? undefined,
    openid: order.openid ?? undefined,
    is_subscribe: 'N',
    trade_type: order.tradeType,
    bank_type: order.bankType ?? undefined,
    fee_type: 'CNY',
    total_fee: order.totalFee,
    cash_fee_type: 'CNY',
    cash_fee: order.totalFee,
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    attach: order.attach ?? undefined,
    time_end: order.paidAt === null ? undefined : formatBeijingCompact(order.paidAt),
  };
}

export function v2Fail(deps: V2Deps, req: V2Request, error: TradeError, extra: Record<string, string> = {}): SandboxResponse {
  return v2BusinessFail(deps, req.signType, error.code, error.message, extra);
}

const lackParams = (deps: V2Deps, req: V2Request, name: string): SandboxResponse =>
  v2BusinessFail(deps, req.signType, 'LACK_PARAMS', `缺少参数${name}`);
const paramError = (deps: V2Deps, req: V2Request, message: string): SandboxResponse =>
  v2BusinessFail(deps, req.signType, 'PARAM_ERROR', message);

export function micropay(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  const missing = missingField(f, ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'auth_code']);
  if (missing) return lackParams(deps, req, missing);
  const totalFee = parseFee(f.total_fee);
  if (totalFee === null) return paramError(deps, req, 'total_fee参数格式错误');
  if (!V2_OUT_NO.test(f.out_trade_no ?? '')) return paramError(deps, req, 'out_trade_no参数格式错误');
  const result = chargePaymentCode(deps.db, deps.clock.now(), {
    outTradeNo: f.out_trade_no ?? '',
    authCode: f.auth_code ?? '',
    totalFee,
    body: f.body ?? '',
    attach: f.attach,
    deviceInfo: f.device_info,
  });
  if (!result.ok) return v2Fail(deps, req, result.error);
  const order = result.value;
  if (order.state === 'USERPAYING') return v2BusinessFail(deps, req.signType, 'USERPAYING', '需要用户输入支付密码');
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', ...paymentFields(order) });
}

export function unifiedOrder(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  const missing = missingField(f, ['body', 'out_trade_no', 'total_fee', 'spbill_create_ip', 'notify_url', 'trade_type']);
  if (missing) return lackParams(deps, req, missing);
  if (f.trade_type !== 'NATIVE') return paramError(deps, req, 'trade_type参数错误，沙箱只支持NATIVE');
  if (!f.product_id) return lackParams(deps, req, 'product_id');
  const totalFee = parseFee(f.total_fee);
  if (totalFee === null) return paramError(deps, req, 'total_fee参数格式错误');
  if (!V2_OUT_NO.test(f.out_trade_no ?? '')) return paramError(deps, req, 'out_trade_no参数格式错误');
  const timeExpire = f.time_expire ? parseBeijingCompact(f.time_expire) : null;
  if (f.time_expire && timeExpire === null) return paramError(deps, req, 'time_expire参数格式错误');
  const result = createNativeOrder(deps.db, deps.clock.now(), {
    outTradeNo: f.out_trade_no ?? '',
    totalFee,
    body: f.body ?? '',
    timeExpire,
    attach: f.attach,
    deviceInfo: f.device_info,
  });
  if (!result.ok) {
    // unifiedorder reports a reused out_trade_no as INVALID_REQUEST "201 商户订单号重复".
    if (result.error.code === 'OUT_TRADE_NO_USED') return v2BusinessFail(deps, req.signType, 'INVALID_REQUEST', '201 商户订单号重复');
    return v2Fail(deps, req, result.error);
  }
  const order = result.value;
  // The live service accepts any notify_url text here; one that is not an http(s) URL is simply never called.
  if (isDeliverableUrl(f.notify_url ?? '')) recordNotifyTarget(deps.db, { kind: 'payment', api: 'v2', ref: order.outTradeNo, url: f.notify_url ?? '' });
  return v2Signed(deps, req.signType, {
    result_code: 'SUCCESS',
    device_info: order.deviceInfo ?? undefined,
    trade_type: 'NATIVE',
    prepay_id: order.prepayId ?? undefined,
    code_url: order.codeUrl ?? undefined,
  });
}

function orderKeyOf(f: Record<string, string>): OrderKey | null {
  if (f.transaction_id) return { transactionId: f.transaction_id };
  if (f.out_trade_no) return { outTradeNo: f.out_trade_no };
  return null;
}

export function orderQuery(deps: V2Deps, req: V2Request): SandboxResponse {
  const key = orderKeyOf(req.fields);
  if (!key) return lackParams(deps, req, 'out_trade_no');
  const result = queryOrder(deps.db, deps.clock.now(), key);
  if (!result.ok) return v2BusinessFail(deps, req.signType, 'ORDERNOTEXIST', 'order not exist');
  const order = result.value;
  // Unpaid orders carry no payment fields: there is no transaction to report yet.
  const paid = isPaid(order) || (order.state === 'REVOKED' && order.paidAt !== null);
  const fields = paid
    ? paymentFields(order)
    : { out_trade_no: order.outTradeNo, trade_type: order.tradeType, total_fee: order.totalFee, device_info: order.deviceInfo ?? undefined };
  return v2Signed(deps, req.signType, {
    result_code: 'SUCCESS',
    ...fields,
    trade_state: order.state,
    trade_state_desc: tradeStateDesc(order),
  });
}

export function closeOrderV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const outTradeNo = req.fields.out_trade_no;
  if (!outTradeNo) return lackParams(deps, req, 'out_trade_no');
  const result = closeOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok) return v2Fail(deps, req, result.error);
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', result_msg: 'OK' });
}

/** secapi/pay/reverse. recall=Y tells the caller to call reverse again (the payer was still paying). */
export function reverseOrderV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const f = req.fields;
  let outTradeNo = f.out_trade_no;
  if (!outTradeNo && f.transaction_id) {
    const found = queryOrder(deps.db, deps.clock.now(), { transactionId: f.transaction_id });
    outTradeNo = found.ok ? found.value.outTradeNo : undefined;
    if (!outTradeNo) return v2BusinessFail(deps, req.signType, 'ORDERNOTEXIST', '订单不存在', { recall: 'N' });
  }
  if (!outTradeNo) return lackParams(deps, req, 'out_trade_no');
  const result = reverseOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok) {
    const recall = result.error.code === 'USERPAYING' ? 'Y' : 'N';
    return v2Fail(deps, req, result.error, { recall });
  }
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', recall: 'N' });
}
