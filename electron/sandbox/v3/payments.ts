import { z } from 'zod';
import type { SandboxResponse } from '../http';
import { isAcceptedV3NotifyUrl } from '../notify/deliver';
import { recordNotifyTarget } from '../notify/ledger';
import { chargePaymentCode, closeOrder, createNativeOrder, queryOrder, reverseOrder, type OrderKey } from '../trades';
import { ownedByOther, takenByOther } from '../merchants';
import { stampOwner } from './partner';
import { v3Error, v3Signed } from './protocol';
import { parseRfc3339, transactionJson, v3ParamError, v3TradeError, V3_OUT_NO, type V3Deps } from './shape';

/** v3 payment endpoints: codepay, native, query, close, reverse. */

const amountSchema = z.object({ total: z.number().int().positive().max(1e10), currency: z.literal('CNY').optional() });

const codepaySchema = z.looseObject({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(V3_OUT_NO),
  attach: z.string().max(128).optional(),
  payer: z.looseObject({ auth_code: z.string().min(1).max(128) }),
  amount: amountSchema,
  scene_info: z.looseObject({ device_ip: z.string().optional(), store_info: z.looseObject({}).optional() }),
  settle_info: z.looseObject({ profit_sharing: z.boolean().optional() }).optional(),
});

const nativeSchema = z.looseObject({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(V3_OUT_NO),
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.string().max(256).refine(isAcceptedV3NotifyUrl, 'notify_url must be an https URL'),
  amount: amountSchema,
  settle_info: z.looseObject({ profit_sharing: z.boolean().optional() }).optional(),
});

const mchidOnlySchema = z.looseObject({ mchid: z.string().min(1) });
const reverseSchema = z.looseObject({ appid: z.string().min(1), mchid: z.string().min(1) });

/** appid/mchid in the body must be the merchant's own (and match the signer). */
function merchantMismatch(deps: V3Deps, body: { appid?: string; mchid: string }): SandboxResponse | null {
  if (body.mchid !== deps.identity.mchid) return v3Error(deps, 400, 'MCH_NOT_EXISTS', '商户号不存在');
  if (body.appid !== undefined && body.appid !== deps.identity.appid) {
    return v3Error(deps, 400, 'APPID_MCHID_NOT_MATCH', 'AppID和mch_id不匹配');
  }
  return null;
}

export function codepay(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = codepaySchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const mismatch = merchantMismatch(deps, b);
  if (mismatch) return mismatch;
  if (takenByOther(deps.db, b.out_trade_no, null)) return v3Error(deps, 403, 'OUT_TRADE_NO_USED', '商户订单号重复');
  const result = chargePaymentCode(deps.db, deps.clock.now(), {
    outTradeNo: b.out_trade_no,
    authCode: b.payer.auth_code,
    totalFee: b.amount.total,
    body: b.description,
    attach: b.attach,
  });
  if (b.settle_info?.profit_sharing === true) stampOwner(deps, b.out_trade_no, null, null, true);
  if (!result.ok) return v3TradeError(deps, result.error);
  if (result.value.state === 'USERPAYING') {
    // (unconfirmed body) the v3 tables list 202 USERPAYING; observed answers carry only trade_state. Both are given:
    // a client must key on the 202 status.
    return v3Signed(deps, 202, { code: 'USERPAYING', message: '用户支付中，需要输入密码', trade_state: 'USERPAYING' });
  }
  return v3Signed(deps, 200, transactionJson(deps, result.value));
}

export function nativeOrder(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = nativeSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const mismatch = merchantMismatch(deps, b);
  if (mismatch) return mismatch;
  const timeExpire = b.time_expire === undefined ? null : parseRfc3339(b.time_expire);
  if (b.time_expire !== undefined && timeExpire === null) return v3Error(deps, 400, 'PARAM_ERROR', 'time_expire格式错误，应为RFC 3339');
  if (takenByOther(deps.db, b.out_trade_no, null)) return v3Error(deps, 403, 'OUT_TRADE_NO_USED', '商户订单号重复');
  const result = createNativeOrder(deps.db, deps.clock.now(), {
    outTradeNo: b.out_trade_no,
    totalFee: b.amount.total,
    body: b.description,
    timeExpire,
    attach: b.attach,
  });
  if (!result.ok) return v3TradeError(deps, result.error);
  if (b.settle_info?.profit_sharing === true) stampOwner(deps, b.out_trade_no, null, null, true);
  recordNotifyTarget(deps.db, { kind: 'payment', api: 'v3', ref: result.value.outTradeNo, url: b.notify_url });
  return v3Signed(deps, 200, { code_url: result.value.codeUrl });
}

export function queryTransaction(deps: V3Deps, key: OrderKey, query: URLSearchParams): SandboxResponse {
  const mchid = query.get('mchid');
  if (!mchid) return v3Error(deps, 400, 'PARAM_ERROR', '缺少参数mchid');
  if (mchid !== deps.identity.mchid) return v3Error(deps, 400, 'MCH_NOT_EXISTS', '商户号不存在');
  // A sub-merchant's order is not the merchant's own: the direct query does not see it.
  if (ownedByOther(deps.db, key, null)) return v3Error(deps, 404, 'ORDER_NOT_EXIST', '订单不存在');
  const result = queryOrder(deps.db, deps.clock.now(), key);
  if (!result.ok) return v3TradeError(deps, result.error);
  return v3Signed(deps, 200, transactionJson(deps, result.value));
}

/**
 * close → 204. Closing an order that does not exist, or is already closed, also answers 204 (observed on the live
 * service); a paid order answers ORDERPAID.
 */
export function closeTransaction(deps: V3Deps, outTradeNo: string, body: Record<string, unknown>): SandboxResponse {
  const parsed = mchidOnlySchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const mismatch = merchantMismatch(deps, parsed.data);
  if (mismatch) return mismatch;
  if (ownedByOther(deps.db, { outTradeNo }, null)) return v3Signed(deps, 204, null);
  const result = closeOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok && result.error.code === 'ORDERPAID') return v3TradeError(deps, result.error);
  return v3Signed(deps, 204, null);
}

/** reverse → 200 {appid, mchid, out_trade_no}; refused with 403 USERPAYING while the payer is still paying. */
export function reverseTransaction(deps: V3Deps, outTradeNo: string, body: Record<string, unknown>): SandboxResponse {
  const parsed = reverseSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const mismatch = merchantMismatch(deps, parsed.data);
  if (mismatch) return mismatch;
  if (ownedByOther(deps.db, { outTradeNo }, null)) return v3Error(deps, 404, 'ORDER_NOT_EXIST', '订单不存在');
  const result = reverseOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok) return v3TradeError(deps, result.error);
  return v3Signed(deps, 200, { appid: deps.identity.appid, mchid: deps.identity.mchid, out_trade_no: outTradeNo });
}
