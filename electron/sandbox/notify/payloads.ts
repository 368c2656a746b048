import { createCipheriv, randomBytes } from 'node:crypto';
import { formatBeijingCompact, formatBeijingRfc3339 } from '../../../shared/clock';
import { refundInfoKey } from '../../wechat/v2/notification';
import { signV2 } from '../../wechat/v2/sign';
import { toXml } from '../../wechat/v2/xml';
import { encryptAeadAes256Gcm } from '../../wechat/v3/aead';
import { signSha256Rsa, v3Message } from '../../wechat/v3/sign';
import type { SandboxIdentity } from '../certs';
import { newNonce, newRequestId } from '../ids';
import type { OrderRow } from '../ledger/orders';
import type { LedgerRefundStatus, RefundRow } from '../ledger/refunds';
import { paymentFields } from '../v2/payments';
import type { V3SigningMode } from '../v3/protocol';
import { transactionJson } from '../v3/shape';
import type { NotificationRow } from './ledger';

/**
 * The bytes and headers of one delivery, built fresh for every attempt (new nonce, timestamp and signature, as
 * WeChat does; the notification id and create_time stay). Field names and plaintext shapes follow the official
 * notification pages (支付结果通知 / 退款结果通知, v2 and v3).
 */

export interface PayloadFaults {
  /** One byte of the signed body changed after signing. */
  tamper: boolean;
  /** v3: timestamp (and signature over it) six minutes in the past. */
  stale: boolean;
  /** The amount inside the (correctly signed / encrypted) payload is ¥1.00 more than the order's. */
  wrongAmount: boolean;
}

export interface PayloadContext {
  identity: SandboxIdentity;
  signingMode: V3SigningMode;
  now: number;
}

export interface Payload {
  headers: Record<string, string>;
  body: string;
}

const WRONG_BY_FEN = 100;
const STALE_BY_S = 6 * 60;

export const eventTypeOfRefund = (status: LedgerRefundStatus): string => `REFUND.${status}`;

const REFUND_SUMMARY: Record<string, string> = { SUCCESS: '退款成功', ABNORMAL: '退款异常', CLOSED: '退款关闭' };

function v3Payload(ctx: PayloadContext, n: NotificationRow, plaintext: string, originalType: 'transaction' | 'refund', summary: string, stale: boolean): Payload {
  const nonce = randomBytes(9).toString('base64url').slice(0, 12);
  const envelope = {
    id: n.id,
    create_time: formatBeijingRfc3339(n.createdAt),
    resource_type: 'encrypt-resource',
    event_type: n.eventType,
    summary,
    resource: {
      original_type: originalType,
      algorithm: 'AEAD_AES_256_GCM',
      ciphertext: encryptAeadAes256Gcm({ key: ctx.identity.apiV3Key, nonce, associatedData: originalType, plaintext }),
      associated_data: originalType,
      nonce,
    },
  };
  const body = JSON.stringify(envelope);
  const timestamp = String(Math.floor(ctx.now / 1000) - (stale ? STALE_BY_S : 0));
  const headerNonce = newNonce();
  const [serial, keyPem] =
    ctx.signingMode === 'public-key'
      ? [ctx.identity.wechatPayPublicKeyId, ctx.identity.wechatPayPrivateKeyPem]
      : [ctx.identity.platformCertSerial, ctx.identity.platformKeyPem];
  return {
    body,
    headers: {
      'Content-Type': 'application/json',
      'Request-ID': newRequestId(),
      'Wechatpay-Timestamp': timestamp,
      'Wechatpay-Nonce': headerNonce,
      'Wechatpay-Signature': signSha256Rsa(v3Message([timestamp, headerNonce, body]), keyPem),
      'Wechatpay-Serial': serial,
      'Wechatpay-Signature-Type': 'WECHATPAY2-SHA256-RSA2048',
    },
  };
}

export function paymentPayload(ctx: PayloadContext, n: NotificationRow, order: OrderRow, faults: PayloadFaults): Payload {
  // The notification reports the payment as it was when paid, even if a refund has happened since.
  const asPaid: OrderRow = { ...order, state: 'SUCCESS', totalFee: order.totalFee + (faults.wrongAmount ? WRONG_BY_FEN : 0) };
  if (n.api === 'v3') {
    const json = transactionJson({ identity: ctx.identity }, asPaid);
    delete json.promotion_detail;
    json.trade_state_desc = '支付成功';
    return v3Payload(ctx, n, JSON.stringify(json), 'transaction', '支付成功', faults.stale);
  }
  const fields: Record<string, string> = {
    return_code: 'SUCCESS',
    return_msg: 'OK',
    appid: ctx.identity.appid,
    mch_id: ctx.identity.mchid,
    nonce_str: newNonce(),
    result_code: 'SUCCESS',
  };
  for (const [name, value] of Object.entries(paymentFields(asPaid))) if (value !== undefined && value !== '') fields[name] = String(value);
  fields.sign = signV2(fields, ctx.identity.apiKeyV2, 'MD5');
  return { headers: { 'Content-Type': 'text/xml', 'Request-ID': newRequestId() }, body: toXml(fields) };
}

const V2_REFUND_STATUS: Record<string, string> = { SUCCESS: 'SUCCESS', ABNORMAL: 'CHANGE', CLOSED: 'REFUNDCLOSE' };

const dashed = (ms: number): string => {
  const c = formatBeijingCompact(ms);
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)} ${c.slice(8, 10)}:${c.slice(10, 12)}:${c.slice(12, 14)}`;
};

export function refundPayload(ctx: PayloadContext, n: NotificationRow, order: OrderRow, refund: RefundRow, faults: PayloadFaults): Payload {
  const refundFen = refund.refundFee + (faults.wrongAmount ? WRONG_BY_FEN : 0);
  if (n.api === 'v3') {
    const json: Record<string, unknown> = {
      mchid: ctx.identity.mchid,
      out_trade_no: order.outTradeNo,
      transaction_id: order.transactionId,
      out_refund_no: refund.outRefundNo,
      refund_id: refund.refundId,
      refund_status: refund.status,
      ...(refund.successAt === null ? {} : { success_time: formatBeijingRfc3339(refund.successAt) }),
      user_received_account: '支付用户零钱',
      amount: { total: order.totalFee, refund: refundFen, payer_total: order.totalFee, payer_refund: refundFen },
    };
    return v3Payload(ctx, n, JSON.stringify(json), 'refund', REFUND_SUMMARY[refund.status] ?? '退款结果', faults.stale);
  }
  const info: Record<string, string | number> = {
    out_refund_no: refund.outRefundNo,
    out_trade_no: order.outTradeNo,
    refund_account: 'REFUND_SOURCE_UNSETTLED_FUNDS',
    refund_fee: refundFen,
    refund_id: refund.refundId,
    refund_recv_accout: '支付用户零钱',
    refund_request_source: 'API',
    refund_status: V2_REFUND_STATUS[refund.status] ?? refund.status,
    settlement_refund_fee: refundFen,
    settlement_total_fee: order.totalFee,
    ...(refund.successAt === null ? {} : { success_time: dashed(refund.successAt) }),
    total_fee: order.totalFee,
    transaction_id: order.transactionId,
  };
  const inner = toXml(info).replace(/^<xml>/, '<root>').replace(/<\/xml>$/, '</root>');
  const cipher = createCipheriv('aes-256-ecb', refundInfoKey(ctx.identity.apiKeyV2), null);
  const reqInfo = Buffer.concat([cipher.update(inner, 'utf8'), cipher.final()]).toString('base64');
  const fields = { return_code: 'SUCCESS', appid: ctx.identity.appid, mch_id: ctx.identity.mchid, nonce_str: newNonce(), req_info: reqInfo };
  return { headers: { 'Content-Type': 'text/xml', 'Request-ID': newRequestId() }, body: toXml(fields) };
}

/**
 * "Tampered in transit": for a signed body one byte of a value changes (the signature then fails); for a v2 refund
 * notification, which is not signed but encrypted, a byte of req_info's last cipher block changes instead.
 */
export function tamperPayload(n: NotificationRow, body: string): string {
  if (n.api === 'v2' && n.kind === 'refund') {
    const m = /<req_info><!\[CDATA\[([A-Za-z0-9+/=]+)\]\]><\/req_info>/.exec(body);
    if (m?.[1]) {
      const bytes = Buffer.from(m[1], 'base64');
      const at = bytes.length - 3;
      bytes[at] = (bytes[at] ?? 0) ^ 0x5a;
      return body.replace(m[1], bytes.toString('base64'));
    }
  }
  if (n.api === 'v3') {
    // Inside the ciphertext: still valid JSON and base64, so only the signature (checked first) can tell.
    return body.replace(/"ciphertext":"([A-Za-z0-9+/])/, (_all, c: string) => `"ciphertext":"${c === 'A' ? 'B' : 'A'}`);
  }
  return body.replace(/<nonce_str><!\[CDATA\[(.)/, (_all, c: string) => `<nonce_str><![CDATA[${c === 'A' ? 'B' : 'A'}`);
}
