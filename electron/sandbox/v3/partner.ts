import { z } from 'zod';
import type { SandboxResponse } from '../http';
import { getOrder } from '../ledger/orders';
import { setOrderOwner } from '../ledger/profit-sharing';
import { ownedOrder, takenByOther } from '../merchants';
import { isAcceptedV3NotifyUrl } from '../notify/deliver';
import { recordNotifyTarget } from '../notify/ledger';
import { chargePaymentCode, closeOrder, createNativeOrder, queryOrder, reverseOrder } from '../trades';
import type { OrderRow } from '../ledger/orders';
import { v3Error, v3Signed } from './protocol';
import { parseRfc3339, transactionJson, v3ParamError, v3TradeError, V3_OUT_NO, type V3Deps } from './shape';

/**
 * Service-provider (服务商) payments: /v3/pay/partner/transactions/*, signed with the service provider's key, for a
 * sub-merchant (sub_mchid) under it. A sub_mchid the provider has no relation with is refused (403
 * NO_AUTH; the live code and wording are unconfirmed). Orders remember their sub-merchant: another sub-merchant (or the
 * provider's own direct calls) cannot see, close, reverse or refund them, and cannot reuse their out_trade_no.
 */

const amountSchema = z.object({ total: z.number().int().positive().max(1e10), currency: z.literal('CNY').optional() });
const settleSchema = z.looseObject({ profit_sharing: z.boolean().optional() }).optional();
const partnerIds = {
  sp_appid: z.string().min(1),
  sp_mchid: z.string().min(1),
  sub_mchid: z.string().min(1),
  sub_appid: z.string().min(1).optional(),
};

const codepaySchema = z.looseObject({
  ...partnerIds,
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(V3_OUT_NO),
  attach: z.string().max(128).optional(),
  payer: z.looseObject({ auth_code: z.string().min(1).max(128) }),
  amount: amountSchema,
  scene_info: z.looseObject({ device_ip: z.string().optional() }),
  settle_info: settleSchema,
});

const nativeSchema = z.looseObject({
  ...partnerIds,
  description: z.string().min(1).max(127),
  out_trade_no: z.string().regex(V3_OUT_NO),
  time_expire: z.string().optional(),
  attach: z.string().max(128).optional(),
  notify_url: z.string().max(256).refine(isAcceptedV3NotifyUrl, 'notify_url must be an https URL'),
  amount: amountSchema,
  settle_info: settleSchema,
});

const closeSchema = z.looseObject({ sp_mchid: z.string().min(1), sub_mchid: z.string().min(1) });
const reverseSchema = z.looseObject({ sp_appid: z.string().min(1).optional(), sp_mchid: z.string().min(1), sub_mchid: z.string().min(1) });

/** The refusal for a sub_mchid that is not a sub-merchant of this service provider, or null. */
export function unknownSubMerchant(deps: V3Deps, subMchid: string): SandboxResponse | null {
  return deps.merchants.isSubMerchant(subMchid) ? null : v3Error(deps, 403, 'NO_AUTH', '特约商户号与服务商不存在受理关系');
}

function partnerMismatch(deps: V3Deps, body: { sp_appid?: string; sp_mchid: string; sub_mchid: string }): SandboxResponse | null {
  if (body.sp_mchid !== deps.identity.mchid) return v3Error(deps, 400, 'MCH_NOT_EXISTS', '服务商商户号不存在或与签名商户号不一致');
  if (body.sp_appid !== undefined && body.sp_appid !== deps.identity.appid) return v3Error(deps, 400, 'APPID_MCHID_NOT_MATCH', 'sp_appid和sp_mchid不匹配');
  return unknownSubMerchant(deps, body.sub_mchid);
}

/** A transaction as the partner query reports it: sp_/sub_ ids instead of appid/mchid, payer.sp_openid. */
export function partnerTransactionJson(deps: V3Deps, order: OrderRow, subMchid: string, subAppid: string | null): Record<string, unknown> {
  const { appid: _appid, mchid: _mchid, payer, ...rest } = transactionJson(deps, order);
  const out: Record<string, unknown> = { sp_appid: deps.identity.appid, sp_mchid: deps.identity.mchid, sub_mchid: subMchid, ...rest };
  if (subAppid) out.sub_appid = subAppid;
  if (payer !== undefined) out.payer = { sp_openid: (payer as { openid?: string }).openid ?? '' };
  return out;
}

const outTradeNoUsed = (deps: V3Deps): SandboxResponse => v3Error(deps, 403, 'OUT_TRADE_NO_USED', '商户订单号重复');
const notFound = (deps: V3Deps): SandboxResponse => v3Error(deps, 404, 'ORDER_NOT_EXIST', '订单不存在');

/** Records who a new order belongs to and whether it may be split (the first request that created it wins). */
export function stampOwner(deps: V3Deps, outTradeNo: string, subMchid: string | null, subAppid: string | null, profitSharing: boolean): void {
  if (getOrder(deps.db, outTradeNo)) setOrderOwner(deps.db, outTradeNo, { subMchid, subAppid, profitSharing });
}

export function partnerCodepay(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = codepaySchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const mismatch = partnerMismatch(deps, b);
  if (mismatch) return mismatch;
  if (takenByOther(deps.db, b.out_trade_no, b.sub_mchid)) return outTradeNoUsed(deps);
  const result = chargePaymentCode(deps.db, deps.clock.now(), {
    outTradeNo: b.out_trade_no,
    authCode: b.payer.auth_code,
    totalFee: b.amount.total,
    body: b.description,
    attach: b.attach,
  });
  stampOwner(deps, b.out_trade_no, b.sub_mchid, b.sub_appid ?? null, b.settle_info?.profit_sharing === true);
  if (!result.ok) return v3TradeError(deps, result.error);
  if (result.value.state === 'USERPAYING') {
    return v3Signed(deps, 202, { code: 'USERPAYING', message: '用户支付中，需要输入密码', trade_state: 'USERPAYING' });
  }
  return v3Signed(deps, 200, partnerTransactionJson(deps, result.value, b.sub_mchid, b.sub_appid ?? null));
}

export function partnerNative(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = nativeSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const mismatch = partnerMismatch(deps, b);
  if (mismatch) return mismatch;
  if (takenByOther(deps.db, b.out_trade_no, b.sub_mchid)) return outTradeNoUsed(deps);
  const timeExpire = b.time_expire === undefined ? null : parseRfc3339(b.time_expire);
  if (b.time_expire !== undefined && timeExpire === null) return v3Error(deps, 400, 'PARAM_ERROR', 'time_expire格式错误，应为RFC 3339');
  const result = createNativeOrder(deps.db, deps.clock.now(), {
    outTradeNo: b.out_trade_no,
    totalFee: b.amount.total,
    body: b.description,
    timeExpire,
    attach: b.attach,
  });
  if (!result.ok) return v3TradeError(deps, result.error);
  stampOwner(deps, b.out_trade_no, b.sub_mchid, b.sub_appid ?? null, b.settle_info?.profit_sharing === true);
  recordNotifyTarget(deps.db, { kind: 'payment', api: 'v3', ref: result.value.outTradeNo, url: b.notify_url });
  return v3Signed(deps, 200, { code_url: result.value.codeUrl });
}

export function partnerQuery(deps: V3Deps, outTradeNo: string, query: URLSearchParams): SandboxResponse {
  const spMchid = query.get('sp_mchid');
  const subMchid = query.get('sub_mchid');
  if (!spMchid || !subMchid) return v3Error(deps, 400, 'PARAM_ERROR', '缺少参数sp_mchid或sub_mchid');
  const mismatch = partnerMismatch(deps, { sp_mchid: spMchid, sub_mchid: subMchid });
  if (mismatch) return mismatch;
  const owned = ownedOrder(deps.db, { outTradeNo }, subMchid);
  if (!owned) return notFound(deps);
  const result = queryOrder(deps.db, deps.clock.now(), { outTradeNo });
  if (!result.ok) return v3TradeError(deps, result.error);
  return v3Signed(deps, 200, partnerTransactionJson(deps, result.value, subMchid, null));
}

/** close → 204, as the direct close: an unknown (or another sub-merchant's) order answers 204 too. */
export function partnerClose(deps: V3Deps, outTradeNo: string, body: Record<string, unknown>): SandboxResponse {
  const parsed = closeSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const mismatch = partnerMismatch(deps, parsed.data);
  if (mismatch) return mismatch;
  if (!ownedOrder(deps.db, { outTradeNo }, parsed.data.sub_mchid)) return v3Signed(deps, 204, null);
  const result = closeOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok && result.error.code === 'ORDERPAID') return v3TradeError(deps, result.error);
  return v3Signed(deps, 204, null);
}

/** (path by analogy with the direct merchant's reverse; unconfirmed for partners) */
export function partnerReverse(deps: V3Deps, outTradeNo: string, body: Record<string, unknown>): SandboxResponse {
  const parsed = reverseSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const mismatch = partnerMismatch(deps, parsed.data);
  if (mismatch) return mismatch;
  if (!ownedOrder(deps.db, { outTradeNo }, parsed.data.sub_mchid)) return notFound(deps);
  const result = reverseOrder(deps.db, deps.clock.now(), outTradeNo);
  if (!result.ok) return v3TradeError(deps, result.error);
  return v3Signed(deps, 200, { sp_appid: deps.identity.appid, sp_mchid: deps.identity.mchid, sub_mchid: parsed.data.sub_mchid, out_trade_no: outTradeNo });
}
