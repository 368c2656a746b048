import { createHash, randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { z } from 'zod';
import { encryptAeadAes256Gcm } from '../../wechat/v3/aead';
import { formatBeijingRfc3339 } from '../../../shared/clock';
import { buildBill, type BillType } from '../bills';
import { certificateValidity } from '../certs';
import { buildFundFlowBill } from '../fund-flow';
import type { SandboxResponse } from '../http';
import { isAcceptedV3NotifyUrl } from '../notify/deliver';
import { recordNotifyTarget } from '../notify/ledger';
import { getRefund } from '../ledger/refunds';
import { getOrderOwner } from '../ledger/profit-sharing';
import { ownedOrder } from '../merchants';
import { refundBlockedBySplits } from '../profit-sharing';
import { applyRefund, queryRefunds } from '../refund-trades';
import { unknownSubMerchant } from './partner';
import { v3Error, v3Signed } from './protocol';
import { refundJson, v3ParamError, v3TradeError, V3_OUT_NO, type V3Deps } from './shape';

/** v3 refunds, refund query, trade bill + file download, and the platform certificate list. */

/** The download_url of a trade bill stays valid this long (on the sandbox clock). */
const BILL_URL_TTL_MS = 30_000;

const refundSchema = z
  .looseObject({
    sub_mchid: z.string().min(1).optional(),
    transaction_id: z.string().min(1).optional(),
    out_trade_no: z.string().regex(V3_OUT_NO).optional(),
    out_refund_no: z.string().regex(/^[0-9A-Za-z_\-|*@]{1,64}$/),
    reason: z.string().max(80).optional(),
    notify_url: z.string().max(256).refine(isAcceptedV3NotifyUrl, 'notify_url must be an https URL').optional(),
    amount: z.looseObject({
      refund: z.number().int().positive(),
      total: z.number().int().positive(),
      currency: z.literal('CNY'),
    }),
  })
  .refine((b) => b.transaction_id !== undefined || b.out_trade_no !== undefined, {
    message: 'transaction_id和out_trade_no必须二选一',
    path: ['out_trade_no'],
  });

export function createRefund(deps: V3Deps, body: Record<string, unknown>): SandboxResponse {
  const parsed = refundSchema.safeParse(body);
  if (!parsed.success) return v3ParamError(deps, parsed.error);
  const b = parsed.data;
  if (b.amount.refund > b.amount.total) return v3Error(deps, 400, 'PARAM_ERROR', '退款金额不能大于订单金额');
  const subMchid = b.sub_mchid ?? null;
  if (subMchid !== null) {
    const unknownSub = unknownSubMerchant(deps, subMchid);
    if (unknownSub) return unknownSub;
  }
  const key = b.transaction_id !== undefined ? { transactionId: b.transaction_id } : { outTradeNo: b.out_trade_no ?? '' };
  const owned = ownedOrder(deps.db, key, subMchid);
  if (!owned) return v3Error(deps, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
  // Money already split to receivers must come back (分账回退) before it can be refunded.
  const blocked = getRefund(deps.db, b.out_refund_no) ? null : refundBlockedBySplits(deps.db, owned, b.amount.refund);
  if (blocked) return v3Error(deps, 403, 'NOT_ENOUGH', blocked);
  const result = applyRefund(deps.db, deps.clock.now(), {
    order: key,
    outRefundNo: b.out_refund_no,
    totalFee: b.amount.total,
    refundFee: b.amount.refund,
    reason: b.reason,
  });
  if (!result.ok) {
    if (result.error.code === 'ORDERNOTEXIST') return v3Error(deps, 404, 'RESOURCE_NOT_EXISTS', '订单不存在');
    return v3TradeError(deps, result.error);
  }
  if (b.notify_url !== undefined) {
    recordNotifyTarget(deps.db, { kind: 'refund', api: 'v3', ref: result.value.refund.outRefundNo, url: b.notify_url });
  }
  return v3Signed(deps, 200, refundJson(result.value.order, result.value.refund));
}

export function queryRefund(deps: V3Deps, outRefundNo: string, query: URLSearchParams): SandboxResponse {
  const result = queryRefunds(deps.db, deps.clock.now(), { outRefundNo });
  if (!result.ok) return v3TradeError(deps, result.error);
  const first = result.value[0];
  if (!first || getOrderOwner(deps.db, first.order.outTradeNo).subMchid !== (query.get('sub_mchid') || null)) return v3Error(deps, 404, 'RESOURCE_NOT_EXISTS', '退款单不存在');
  return v3Signed(deps, 200, refundJson(first.order, first.refund));
}

/**
 * GET /v3/bill/tradebill: the bill is built now and kept behind a short-lived token; hash_value is the SHA1 of
 * the uncompressed CSV (the caller checks it after un-gzipping).
 */
export function tradeBill(deps: V3Deps, query: URLSearchParams): SandboxResponse {
  const day = query.get('bill_date') ?? '';
  const billType = (query.get('bill_type') ?? 'ALL') as BillType;
  const tarType = query.get('tar_type');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return v3Error(deps, 400, 'PARAM_ERROR', 'bill_date格式错误，应为yyyy-MM-dd');
  if (!['ALL', 'SUCCESS', 'REFUND'].includes(billType)) return v3Error(deps, 400, 'PARAM_ERROR', 'bill_type参数错误');
  if (tarType !== null && tarType !== 'GZIP') return v3Error(deps, 400, 'PARAM_ERROR', 'tar_type参数错误');
  const subMchid = query.get('sub_mchid');
  if (subMchid !== null) {
    const unknownSub = unknownSubMerchant(deps, subMchid);
    if (unknownSub) return unknownSub;
  }
  const outcome = buildBill(deps.db, deps.billNow(), { ...deps.identity, subMchid }, day, billType);
  if (outcome.kind === 'invalid-date') return v3Error(deps, 400, 'INVALID_REQUEST', 'bill_date超出可下载范围');
  if (outcome.kind === 'creating') return v3Error(deps, 400, 'STATEMENT_CREATING', '账单生成中，请稍后再试');
  if (outcome.kind === 'no-bill') return v3Error(deps, 400, 'NO_STATEMENT_EXIST', '账单不存在');
  return billAnswer(deps, outcome.csv, tarType === 'GZIP');
}

/** Keeps a bill behind a short-lived token and answers {hash_type, hash_value, download_url}. */
export function billAnswer(deps: V3Deps, text: string, gzip: boolean): SandboxResponse {
  const now = deps.clock.now();
  const csv = Buffer.from(text, 'utf8');
  const token = randomBytes(24).toString('base64url');
  for (const [old, file] of deps.billFiles) if (file.expiresAt < now) deps.billFiles.delete(old);
  deps.billFiles.set(token, { body: gzip ? gzipSync(csv) : csv, expiresAt: now + BILL_URL_TTL_MS });
  return v3Signed(deps, 200, {
    hash_type: 'SHA1',
    hash_value: createHash('sha1').update(csv).digest('hex'),
    download_url: `${deps.baseUrl()}/v3/billdownload/file?token=${token}`,
  });
}

/** GET /v3/bill/fundflowbill: the day's fund-flow bill (资金账单) of the BASIC account, served like the trade bill. */
export function fundFlowBill(deps: V3Deps, query: URLSearchParams): SandboxResponse {
  const day = query.get('bill_date') ?? '';
  const account = query.get('account_type') ?? 'BASIC';
  const tarType = query.get('tar_type');
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return v3Error(deps, 400, 'PARAM_ERROR', 'bill_date格式错误，应为yyyy-MM-dd');
  if (!['BASIC', 'OPERATION', 'FEES'].includes(account)) return v3Error(deps, 400, 'PARAM_ERROR', 'account_type参数错误');
  if (tarType !== null && tarType !== 'GZIP') return v3Error(deps, 400, 'PARAM_ERROR', 'tar_type参数错误');
  const outcome = account === 'BASIC' ? buildFundFlowBill(deps.db, deps.billNow(), day) : ({ kind: 'no-bill' } as const);
  if (outcome.kind === 'invalid-date') return v3Error(deps, 400, 'INVALID_REQUEST', 'bill_date超出可下载范围');
  if (outcome.kind === 'creating') return v3Error(deps, 400, 'STATEMENT_CREATING', '账单生成中，请稍后再试');
  if (outcome.kind === 'no-bill') return v3Error(deps, 400, 'NO_STATEMENT_EXIST', '账单不存在');
  return billAnswer(deps, outcome.csv, tarType === 'GZIP');
}

/** The bill file itself: signed request, unsigned answer (the caller checks the hash instead). */
export function downloadBillFile(deps: V3Deps, query: URLSearchParams): SandboxResponse {
  const token = query.get('token') ?? '';
  const file = deps.billFiles.get(token);
  if (!file || file.expiresAt < deps.clock.now()) return v3Error(deps, 400, 'INVALID_REQUEST', '下载链接已失效，请重新获取');
  return { status: 200, headers: { 'Content-Type': 'application/octet-stream' }, body: file.body };
}

/** GET /v3/certificates: the platform certificate, encrypted with the APIv3 key, signed by that certificate. */
export function platformCertificates(deps: V3Deps): SandboxResponse {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const validity = certificateValidity(deps.identity.platformCertPem);
  const ciphertext = encryptAeadAes256Gcm({
    key: deps.identity.apiV3Key,
    nonce,
    associatedData: 'certificate',
    plaintext: deps.identity.platformCertPem,
  });
  return v3Signed(
    deps,
    200,
    {
      data: [
        {
          serial_no: deps.identity.platformCertSerial,
          effective_time: formatBeijingRfc3339(validity.notBefore),
          expire_time: formatBeijingRfc3339(validity.notAfter),
          encrypt_certificate: { algorithm: 'AEAD_AES_256_GCM', nonce, associated_data: 'certificate', ciphertext },
        },
      ],
    },
    'platform-certificate',
  );
}
