import { constants, privateDecrypt } from 'node:crypto';
import { z } from 'zod';
import { formatBeijingRfc3339 } from '../../../shared/clock';
import { headerValue, type SandboxRequest, type SandboxResponse } from '../http';
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
  type PsOrderView,
  type PsResult,
} from '../profit-sharing';
import { buildProfitSharingBill } from '../profit-sharing-views';
import { unknownSubMerchant } from './partner';
import { v3Error, v3Signed } from './protocol';
import { billAnswer } from './refunds-bills';
import { v3ParamError, type V3Deps } from './shape';

/**
 * /v3/profitsharing/*: receivers, split orders (请求分账), query, returns (分账回退), unfreeze (解冻剩余资金), the
 * remaining amount and the profit-sharing bill. A direct merchant calls without sub_mchid (it splits its own
 * orders); a service provider passes the sub-merchant whose orders are split. Receiver names arrive encrypted
 * (RSA-OAEP, SHA-1, with the WeChat Pay public key or the platform certificate named by the Wechatpay-Serial header).
 */

const OUT_NO = /^[0-9A-Za-z_\-|*@]{1,64}$/;
const subMchid = z.string().min(1).optional();

const addReceiverSchema = z.looseObject({
  sub_mchid: subMchid,
  appid: z.string().min(1).optional(),
  type: z.string().min(1),
  account: z.string().min(1).max(64),
  name: z.string().min(1).max(1024).optional(),
  relation_type: z.string().min(1),
  custom_relation: z.string().min(1).max(10).optional(),
});
const deleteReceiverSchema = z.looseObject({ sub_mchid: subMchid, type: z.string().min(1), account: z.string().min(1).max(64) });
const splitSchema = z.looseObject({
  sub_mchid: subMchid,
  transaction_id: z.string().min(1).max(32),
  out_order_no: z.string().regex(OUT_NO),
  receivers: z
    .array(z.looseObject({ type: z.string().min(1), account: z.string().min(1).max(64), amount: z.number().int().positive().max(1e10), description: z.string().min(1).max(80) }))
    .min(1)
    .max(50),
  unfreeze_unsplit: z.boolean(),
});
const returnSchema = z
  .looseObject({
    sub_mchid: subMchid,
    order_id: z.string().min(1).optional(),
    out_order_no: z.string().regex(OUT_NO).optional(),
    out_return_no: z.string().regex(OUT_NO),
    return_mchid: z.string().min(1).max(32),
    amount: z.number().int().positive().max(1e10),
    description: z.string().min(1).max(80),
  })
  .refine((b) => b.out_order_no !== undefined, { message: 'out_order_no必填（沙箱不按order_id查找）', path: ['out_order_no'] });
const unfreezeSchema = z.looseObject({
  sub_mchid: subMchid,
  transaction_id: z.string().min(1).max(32),
  out_order_no: z.string().regex(OUT_NO),
  description: z.string().min(1).max(80),
});

function psDeps(deps: V3Deps): PsDeps {
  return { db: deps.db, now: deps.clock.now(), merchants: deps.merchants, settings: deps.profitSharing };
}

/** The merchant whose orders are split: the sub-merchant named (if it is one of ours), else the caller itself. */
function ownerOf(deps: V3Deps, sub: string | null | undefined): { ok: true; owner: string } | { ok: false; response: SandboxResponse } {
  if (sub === undefined || sub === null || sub === '') return { ok: true, owner: deps.identity.mchid };
  const refusal = unknownSubMerchant(deps, sub);
  return refusal ? { ok: false, response: refusal } : { ok: true, owner: sub };
}

function answer<T>(deps: V3Deps, result: PsResult<T>, json: (value: T) => unknown): SandboxResponse {
  if (!result.ok) return v3Error(deps, result.error.status, result.error.code, result.error.message);
  return v3Signed(deps, 200, json(result.value));
}

/** Decrypts an encrypted receiver name with the key the Wechatpay-Serial header names; null when it cannot. */
function decryptName(deps: V3Deps, req: SandboxRequest, ciphertext: string): { ok: true; name: string } | { ok: false; response: SandboxResponse } {
  const serial = headerValue(req.headers, 'wechatpay-serial');
  const keys: Record<string, string> = {
    [deps.identity.wechatPayPublicKeyId]: deps.identity.wechatPayPrivateKeyPem,
    [deps.identity.platformCertSerial.toUpperCase()]: deps.identity.platformKeyPem,
  };
  const key = serial === undefined ? undefined : keys[serial] ?? keys[serial.toUpperCase()];
  if (key === undefined) return { ok: false, response: v3Error(deps, 400, 'PARAM_ERROR', 'Wechatpay-Serial缺失或不是有效的微信支付公钥ID/平台证书序列号') };
  try {
    const plain = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, Buffer.from(ciphertext, 'base64'));
    return { ok: true, name: plain.toString('utf8') };
  } catch {
    return { ok: false, response: v3Error(deps, 400, 'PARAM_ERROR', 'name解密失败，请使用微信支付公钥以RSA-OAEP加密') };
  }
}

export function addReceiver(deps: V3Deps, req: SandboxRequest, body: Record<string, unknown>): SandboxResponse {
  const parsed = addReceiverSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const owner = ownerOf(deps, b.sub_mchid);
  if (!owner.ok) return owner.response;
  let name: string | null = null;
  if (b.name !== undefined) {
    const decrypted = decryptName(deps, req, b.name);
    if (!decrypted.ok) return decrypted.response;
    name = decrypted.name;
  }
  const input = { type: b.type, account: b.account, name, relationType: b.relation_type, customRelation: b.custom_relation ?? null };
  const checked = checkReceiver(psDeps(deps), owner.owner, input);
  if (!checked.ok) return v3Error(deps, checked.error.status, checked.error.code, checked.error.message);
  upsertReceiver(deps.db, { ownerMchid: owner.owner, type: b.type, account: b.account, relationType: b.relation_type, customRelation: b.custom_relation ?? null }, deps.clock.now());
  const out: Record<string, unknown> = { type: b.type, account: b.account, relation_type: b.relation_type };
  if (b.sub_mchid) out.sub_mchid = b.sub_mchid;
  if (b.name !== undefined) out.name = b.name;
  if (b.custom_relation) out.custom_relation = b.custom_relation;
  return v3Signed(deps, 200, out);
}

export function removeReceiver(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = deleteReceiverSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const owner = ownerOf(deps, b.sub_mchid);
  if (!owner.ok) return owner.response;
  deleteReceiver(deps.db, owner.owner, b.type, b.account);
  return v3Signed(deps, 200, { ...(b.sub_mchid ? { sub_mchid: b.sub_mchid } : {}), type: b.type, account: b.account });
}

const time = (ms: number): string => formatBeijingRfc3339(ms);

function splitJson(view: PsOrderView, sub: string | undefined): Record<string, unknown> {
  const { order, lines, finished } = view;
  return {
    ...(sub ? { sub_mchid: sub } : {}),
    transaction_id: order.transactionId,
    out_order_no: order.outOrderNo,
    order_id: order.orderId,
    state: finished ? 'FINISHED' : 'PROCESSING',
    receivers: lines.map((l) => ({
      amount: l.amount,
      description: l.description,
      type: l.type,
      account: l.account,
      result: finished ? 'SUCCESS' : 'PENDING',
      detail_id: l.detailId,
      create_time: time(order.createdAt),
      ...(finished ? { finish_time: time(order.finishesAt) } : {}),
    })),
  };
}

function returnJson(r: PsReturnRow, orderId: string | undefined, sub: string | undefined): Record<string, unknown> {
  return {
    ...(sub ? { sub_mchid: sub } : {}),
    ...(orderId ? { order_id: orderId } : {}),
    out_order_no: r.outOrderNo,
    out_return_no: r.outReturnNo,
    return_id: r.returnId,
    return_mchid: r.returnMchid,
    amount: r.amount,
    description: r.description,
    result: 'SUCCESS',
    create_time: time(r.createdAt),
    finish_time: time(r.createdAt),
  };
}

export function splitOrder(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = splitSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const owner = ownerOf(deps, b.sub_mchid);
  if (!owner.ok) return owner.response;
  const result = createSplit(psDeps(deps), owner.owner, {
    transactionId: b.transaction_id,
    outOrderNo: b.out_order_no,
    receivers: b.receivers.map((r) => ({ type: r.type, account: r.account, amount: r.amount, description: r.description })),
    unfreezeUnsplit: b.unfreeze_unsplit,
  });
  return answer(deps, result, (view) => splitJson(view, b.sub_mchid));
}

export function querySplitOrder(deps: V3Deps, outOrderNo: string, query: URLSearchParams): SandboxResponse {
  const transactionId = query.get('transaction_id');
  if (!transactionId) return v3Error(deps, 400, 'PARAM_ERROR', '缺少参数transaction_id');
  const sub = query.get('sub_mchid') ?? undefined;
  const owner = ownerOf(deps, sub);
  if (!owner.ok) return owner.response;
  return answer(deps, querySplit(psDeps(deps), owner.owner, outOrderNo, transactionId), (view) => splitJson(view, sub));
}

export function returnOrder(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = returnSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const owner = ownerOf(deps, b.sub_mchid);
  if (!owner.ok) return owner.response;
  const input = { outOrderNo: b.out_order_no ?? '', outReturnNo: b.out_return_no, returnMchid: b.return_mchid, amount: b.amount, description: b.description };
  return answer(deps, createReturn(psDeps(deps), owner.owner, input), (r) => returnJson(r, b.order_id, b.sub_mchid));
}

export function queryReturnOrder(deps: V3Deps, outReturnNo: string, query: URLSearchParams): SandboxResponse {
  const outOrderNo = query.get('out_order_no');
  if (!outOrderNo) return v3Error(deps, 400, 'PARAM_ERROR', '缺少参数out_order_no');
  const sub = query.get('sub_mchid') ?? undefined;
  const owner = ownerOf(deps, sub);
  if (!owner.ok) return owner.response;
  return answer(deps, queryReturn(psDeps(deps), owner.owner, outReturnNo, outOrderNo), (r) => returnJson(r, undefined, sub));
}

export function unfreezeOrder(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = unfreezeSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  const owner = ownerOf(deps, b.sub_mchid);
  if (!owner.ok) return owner.response;
  const result = unfreeze(psDeps(deps), owner.owner, { transactionId: b.transaction_id, outOrderNo: b.out_order_no, description: b.description });
  return answer(deps, result, (view) => splitJson(view, b.sub_mchid));
}

export function unsplitAmounts(deps: V3Deps, transactionId: string, query: URLSearchParams): SandboxResponse {
  const owner = ownerOf(deps, query.get('sub_mchid'));
  if (!owner.ok) return owner.response;
  return answer(deps, amountsOf(psDeps(deps), owner.owner, transactionId), (a) => ({ transaction_id: a.transactionId, unsplit_amount: a.unsplit }));
}

/** GET /v3/profitsharing/bills?bill_date=&sub_mchid=&tar_type=: the same download_url scheme as the trade bill. */
export function profitSharingBill(deps: V3Deps, query: URLSearchParams): SandboxResponse {
  const day = query.get('bill_date') ?? '';
  const tarType = query.get('tar_type');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return v3Error(deps, 400, 'PARAM_ERROR', 'bill_date格式错误，应为yyyy-MM-dd');
  if (tarType !== null && tarType !== 'GZIP') return v3Error(deps, 400, 'PARAM_ERROR', 'tar_type参数错误');
  const sub = query.get('sub_mchid');
  const owner = ownerOf(deps, sub);
  if (!owner.ok) return owner.response;
  // The service provider without sub_mchid sees every split it made for anyone; a direct merchant its own.
  const outcome = buildProfitSharingBill(deps.db, deps.billNow(), sub ? owner.owner : null, day);
  if (outcome.kind === 'invalid-date') return v3Error(deps, 400, 'INVALID_REQUEST', 'bill_date超出可下载范围');
  if (outcome.kind === 'creating') return v3Error(deps, 400, 'STATEMENT_CREATING', '账单生成中，请稍后再试');
  if (outcome.kind === 'no-bill') return v3Error(deps, 400, 'NO_STATEMENT_EXIST', '账单不存在');
  return billAnswer(deps, outcome.csv, tarType === 'GZIP');
}
