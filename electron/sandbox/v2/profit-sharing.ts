import { z } from 'zod';
import { formatBeijingCompact } from '../../../shared/clock';
import type { SandboxResponse } from '../http';
import { deleteReceiver, upsertReceiver, type PsReturnRow } from '../ledger/profit-sharing';
import {
  amountsOf,
  checkReceiver,
  createReturn,
  createSplit,
  querySplit,
  queryReturn,
  unfreeze,
  type PsDeps,
  type PsError,
  type PsOrderView,
  type PsResult,
} from '../profit-sharing';
import type { V2Deps } from './payments';
import { missingField, v2BusinessFail, v2Signed, v2TransportFail, type V2Request } from './protocol';

/**
 * API v2 profit sharing (分账), on the same ledger and rules as the v3 side (profit-sharing.ts): add / remove
 * receiver, single split (请求单次分账: the rest is unfrozen at once), multiple split (请求多次分账), query, finish
 * (完结分账 = unfreeze), return (回退) and its query, the order's remaining amount. HMAC-SHA256 only; the secapi
 * ones need the client certificate (routes.ts). A service provider names the sub-merchant with sub_mch_id
 * (checked and echoed by partner.ts). Receivers and split lines travel as JSON strings inside the XML, and a
 * receiver's name is plain text in v2 (v3 encrypts it).
 */

const OUT_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;

const receiverSchema = z.looseObject({
  type: z.string().min(1),
  account: z.string().min(1).max(64),
  name: z.string().min(1).max(1024).optional(),
  relation_type: z.string().min(1),
  custom_relation: z.string().min(1).max(10).optional(),
});
const removeSchema = z.looseObject({ type: z.string().min(1), account: z.string().min(1).max(64) });
const linesSchema = z
  .array(z.looseObject({ type: z.string().min(1), account: z.string().min(1).max(64), amount: z.number().int().positive().max(1e10), description: z.string().min(1).max(80) }))
  .min(1)
  .max(50);

function psDeps(deps: V2Deps): PsDeps {
  return { db: deps.db, now: deps.clock.now(), merchants: deps.merchants, settings: deps.profitSharing };
}

/** Whose orders are split: the sub-merchant named (partner.ts has checked it is under this provider), or the caller. */
const ownerOf = (deps: V2Deps, req: V2Request): string => req.fields.sub_mch_id || deps.identity.mchid;

/** The v2 err_code for a ledger refusal: NOT_SHARE_ORDER for an order paid without profit sharing (as the live service answers). */
function v2CodeOf(error: PsError): string {
  if (error.message.startsWith('非分账订单')) return 'NOT_SHARE_ORDER';
  if (error.code === 'RESOURCE_NOT_EXISTS') return 'ORDERNOTEXIST';
  return error.code;
}

function answer<T>(deps: V2Deps, req: V2Request, result: PsResult<T>, fields: (value: T) => Record<string, string | number | undefined>): SandboxResponse {
  if (!result.ok) return v2BusinessFail(deps, req.signType, v2CodeOf(result.error), result.error.message);
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', ...fields(result.value) });
}

function parseJson<T>(text: string | undefined, schema: z.ZodType<T>): T | null {
  if (text === undefined) return null;
  try {
    const parsed = schema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The v2 profit-sharing API signs with HMAC-SHA256 only; anything else is refused before it is read. */
function checked(deps: V2Deps, req: V2Request, required: readonly string[]): SandboxResponse | null {
  if (req.signType !== 'HMAC-SHA256') return v2TransportFail('签名类型错误，分账接口仅支持HMAC-SHA256');
  const missing = missingField(req.fields, required);
  return missing ? v2BusinessFail(deps, req.signType, 'PARAM_ERROR', `缺少参数${missing}`) : null;
}

export function addReceiverV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['receiver']);
  if (refused) return refused;
  const r = parseJson(req.fields.receiver, receiverSchema);
  if (!r) return v2TransportFail('分账接收方格式错误');
  const owner = ownerOf(deps, req);
  const input = { type: r.type, account: r.account, name: r.name ?? null, relationType: r.relation_type, customRelation: r.custom_relation ?? null };
  const check = checkReceiver(psDeps(deps), owner, input);
  if (!check.ok) return v2BusinessFail(deps, req.signType, check.error.code, check.error.message);
  upsertReceiver(deps.db, { ownerMchid: owner, type: r.type, account: r.account, relationType: r.relation_type, customRelation: r.custom_relation ?? null }, deps.clock.now());
  const echo = { type: r.type, account: r.account, relation_type: r.relation_type, ...(r.custom_relation ? { custom_relation: r.custom_relation } : {}) };
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', receiver: JSON.stringify(echo) });
}

export function removeReceiverV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['receiver']);
  if (refused) return refused;
  const r = parseJson(req.fields.receiver, removeSchema);
  if (!r) return v2TransportFail('分账接收方格式错误');
  deleteReceiver(deps.db, ownerOf(deps, req), r.type, r.account);
  return v2Signed(deps, req.signType, { result_code: 'SUCCESS', receiver: JSON.stringify({ type: r.type, account: r.account }) });
}

const time = (ms: number): string => formatBeijingCompact(ms);

/** A split order as v2 answers it: status and the receivers as a JSON string; a finish (unfreeze) order by amount. */
function splitFields(view: PsOrderView): Record<string, string | number | undefined> {
  const { order, lines, finished } = view;
  const base = { transaction_id: order.transactionId, out_order_no: order.outOrderNo, order_id: order.orderId, status: finished ? 'FINISHED' : 'PROCESSING' };
  if (order.kind === 'unfreeze') {
    return { ...base, amount: lines.reduce((sum, l) => sum + l.amount, 0), description: lines[0]?.description ?? '解冻给分账方' };
  }
  const receivers = lines.map((l) => ({
    type: l.type,
    account: l.account,
    amount: l.amount,
    description: l.description,
    result: finished ? 'SUCCESS' : 'PENDING',
    detail_id: l.detailId,
    ...(finished ? { finish_time: time(order.finishesAt) } : {}),
  }));
  return { ...base, receivers: JSON.stringify(receivers) };
}

function split(deps: V2Deps, req: V2Request, unfreezeUnsplit: boolean): SandboxResponse {
  const refused = checked(deps, req, ['transaction_id', 'out_order_no', 'receivers']);
  if (refused) return refused;
  const f = req.fields;
  if (!OUT_NO.test(f.out_order_no ?? '')) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_order_no格式错误');
  const lines = parseJson(f.receivers, linesSchema);
  if (!lines) return v2TransportFail('分账接收方列表格式错误');
  const result = createSplit(psDeps(deps), ownerOf(deps, req), {
    transactionId: f.transaction_id ?? '',
    outOrderNo: f.out_order_no ?? '',
    receivers: lines.map((l) => ({ type: l.type, account: l.account, amount: l.amount, description: l.description })),
    unfreezeUnsplit,
  });
  return answer(deps, req, result, splitFields);
}

/** /secapi/pay/profitsharing: split once, the rest goes back to the merchant at once. */
export const singleSplitV2 = (deps: V2Deps, req: V2Request): SandboxResponse => split(deps, req, true);
/** /secapi/pay/multiprofitsharing: split, the rest stays frozen for further splits or the finish. */
export const multiSplitV2 = (deps: V2Deps, req: V2Request): SandboxResponse => split(deps, req, false);

export function querySplitV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['transaction_id', 'out_order_no']);
  if (refused) return refused;
  const result = querySplit(psDeps(deps), ownerOf(deps, req), req.fields.out_order_no ?? '', req.fields.transaction_id ?? '');
  return answer(deps, req, result, splitFields);
}

/** /secapi/pay/profitsharingfinish (完结分账): the frozen rest to the merchant. */
export function finishV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['transaction_id', 'out_order_no', 'description']);
  if (refused) return refused;
  const f = req.fields;
  if (!OUT_NO.test(f.out_order_no ?? '')) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_order_no格式错误');
  const result = unfreeze(psDeps(deps), ownerOf(deps, req), { transactionId: f.transaction_id ?? '', outOrderNo: f.out_order_no ?? '', description: f.description ?? '' });
  return answer(deps, req, result, (view) => ({ transaction_id: view.order.transactionId, out_order_no: view.order.outOrderNo, order_id: view.order.orderId }));
}

function returnFields(r: PsReturnRow, orderId: string | undefined): Record<string, string | number | undefined> {
  return {
    order_id: orderId,
    out_order_no: r.outOrderNo,
    out_return_no: r.outReturnNo,
    return_no: r.returnId,
    return_account_type: 'MERCHANT_ID',
    return_account: r.returnMchid,
    return_amount: r.amount,
    description: r.description,
    result: 'SUCCESS',
    finish_time: time(r.createdAt),
  };
}

/** /secapi/pay/profitsharingreturn: only from a merchant receiver (return_account_type MERCHANT_ID). */
export function returnV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['out_return_no', 'return_account_type', 'return_account', 'return_amount', 'description']);
  if (refused) return refused;
  const f = req.fields;
  // The sandbox finds a split by out_order_no only (order_id alone is not looked up), as on its v3 side.
  if (!f.out_order_no) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_order_no必填（沙箱不按order_id查找）');
  if (!OUT_NO.test(f.out_return_no ?? '')) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_return_no格式错误');
  if (f.return_account_type !== 'MERCHANT_ID') return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', '回退方类型只支持MERCHANT_ID');
  const amount = /^\d{1,10}$/.test(f.return_amount ?? '') ? Number(f.return_amount) : 0;
  if (amount <= 0) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'return_amount格式错误');
  const input = { outOrderNo: f.out_order_no, outReturnNo: f.out_return_no ?? '', returnMchid: f.return_account ?? '', amount, description: f.description ?? '' };
  return answer(deps, req, createReturn(psDeps(deps), ownerOf(deps, req), input), (r) => returnFields(r, f.order_id));
}

export function returnQueryV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['out_return_no']);
  if (refused) return refused;
  const f = req.fields;
  if (!f.out_order_no) return v2BusinessFail(deps, req.signType, 'PARAM_ERROR', 'out_order_no必填（沙箱不按order_id查找）');
  const result = queryReturn(psDeps(deps), ownerOf(deps, req), f.out_return_no ?? '', f.out_order_no);
  return answer(deps, req, result, (r) => returnFields(r, f.order_id));
}

/** /pay/profitsharingorderamountquery: 订单剩余待分金额. */
export function amountQueryV2(deps: V2Deps, req: V2Request): SandboxResponse {
  const refused = checked(deps, req, ['transaction_id']);
  if (refused) return refused;
  const result = amountsOf(psDeps(deps), ownerOf(deps, req), req.fields.transaction_id ?? '');
  return answer(deps, req, result, (a) => ({ transaction_id: a.transactionId, unsplit_amount: a.unsplit }));
}
