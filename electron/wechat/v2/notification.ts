import { createDecipheriv, createHash } from 'node:crypto';
import { parseBeijingCompact } from '../../../shared/clock';
import { maskOpenid } from '../../../shared/mask';
import { fen } from '../../../shared/money';
import {
  DEFAULT_MAX_NOTIFICATION_BYTES,
  refuse,
  type NotificationResult,
  type NotifiedRefundStatus,
  type PaymentNotification,
  type RefundNotification,
} from '../notification';
import { declaredSignType, verifyV2 } from './sign';
import { parseXml, toXml, XmlFormatError } from './xml';

/**
 * API v2 notifications (XML POSTed to a notify_url), verified and decoded in one call:
 * `decodeV2Notification(rawBody, { apiKey })`.
 *
 * - Payment result (支付结果通知): flat XML signed with the API key, MD5 unless it declares sign_type. Sent only for
 *   orders made with unifiedorder (micropay has no notify_url).
 * - Refund result (退款结果通知): unsigned outer XML (return_code, appid, mch_id, nonce_str, req_info); `req_info` is
 *   base64 of AES-256-ECB (PKCS#7) under the lowercase hex MD5 of the API key, whose plaintext is
 *   `<root>...</root>` with the refund fields. Decrypting is what authenticates it.
 *
 * v2 carries no timestamp, so there is no freshness check: duplicates are handled by the caller's unique id.
 */

export interface V2NotificationKeys {
  apiKey: string;
  /** When set, a notification for another merchant is refused (WRONG_MERCHANT). */
  mchid?: string;
  maxBodyBytes?: number;
}

const V2_REFUND_STATUS: Record<string, NotifiedRefundStatus> = { SUCCESS: 'SUCCESS', CHANGE: 'ABNORMAL', REFUNDCLOSE: 'CLOSED' };

const FEN = /^\d{1,12}$/;

/** "2017-12-15 09:46:01" (Beijing), as refund notifications write success_time. */
function parseDashedBeijing(text: string | undefined): number | null {
  if (text === undefined) return null;
  return parseBeijingCompact(text.replace(/[-: ]/g, ''));
}

/** The refund notification's req_info key: MD5(API key) as 32 lowercase hex characters, used as 32 ASCII bytes. */
export function refundInfoKey(apiKey: string): Buffer {
  return Buffer.from(createHash('md5').update(apiKey, 'utf8').digest('hex'), 'utf8');
}

export function decodeV2Notification(rawBody: Buffer, keys: V2NotificationKeys): NotificationResult {
  const maxBytes = keys.maxBodyBytes ?? DEFAULT_MAX_NOTIFICATION_BYTES;
  if (rawBody.length > maxBytes) return refuse('BODY_TOO_LARGE', `body of ${rawBody.length} bytes is over ${maxBytes}`);
  let fields: Record<string, string>;
  try {
    fields = parseXml(rawBody.toString('utf8'));
  } catch (error) {
    if (error instanceof XmlFormatError) return refuse('MALFORMED_BODY', `not v2 XML: ${error.message.slice(0, 80)}`);
    throw error;
  }
  if (fields.return_code !== 'SUCCESS') return refuse('MALFORMED_BODY', 'return_code is not SUCCESS');
  const result = fields.req_info !== undefined ? refundOf(fields, keys.apiKey) : paymentOf(fields, keys.apiKey);
  if (result.ok && keys.mchid !== undefined && result.notification.mchid !== keys.mchid) {
    return refuse('WRONG_MERCHANT', `notification for merchant ${result.notification.mchid.slice(0, 32)}, expected ${keys.mchid}`);
  }
  return result;
}

function paymentOf(f: Record<string, string>, apiKey: string): NotificationResult {
  if (!f.sign) return refuse('BAD_SIGNATURE', 'payment notification without sign');
  if (declaredSignType(f) === null) return refuse('BAD_SIGNATURE', 'unknown sign_type');
  // Without sign_type the docs say MD5; a merchant whose orders use HMAC-SHA256 may get that instead
  // (unconfirmed), so both keyed digests are accepted: neither can be made without the API key.
  if (!verifyV2(f, apiKey, 'MD5') && !(f.sign_type === undefined && verifyV2(f, apiKey, 'HMAC-SHA256'))) {
    return refuse('BAD_SIGNATURE', 'sign does not match');
  }
  const missing = ['appid', 'mch_id', 'out_trade_no', 'transaction_id', 'total_fee', 'result_code'].find((n) => !f[n]);
  if (missing) return refuse('UNEXPECTED_PLAINTEXT', `payment notification lacks ${missing}`);
  const total = f.total_fee ?? '';
  const cash = f.cash_fee ?? total;
  if (!FEN.test(total) || !FEN.test(cash)) return refuse('UNEXPECTED_PLAINTEXT', 'total_fee / cash_fee is not an amount in fen');
  const paid = f.result_code === 'SUCCESS';
  const transactionId = f.transaction_id ?? '';
  const notification: PaymentNotification = {
    kind: 'payment',
    api: 'v2',
    id: `v2:pay:${transactionId}`,
    eventType: paid ? 'TRANSACTION.SUCCESS' : 'TRANSACTION.FAIL',
    mchid: f.mch_id ?? '',
    appid: f.appid ?? '',
    outTradeNo: f.out_trade_no ?? '',
    transactionId,
    tradeState: paid ? 'SUCCESS' : 'PAYERROR',
    tradeType: f.trade_type ?? null,
    totalFen: fen(Number(total)),
    payerTotalFen: fen(Number(cash)),
    successTime: f.time_end ? parseBeijingCompact(f.time_end) : null,
    payerOpenidMasked: f.openid ? maskOpenid(f.openid) : null,
    attach: f.attach ?? null,
  };
  return { ok: true, notification };
}

function refundOf(f: Record<string, string>, apiKey: string): NotificationResult {
  const reqInfo = f.req_info ?? '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(reqInfo)) return refuse('UNDECRYPTABLE', 'req_info is not base64');
  let plaintext: string;
  try {
    const decipher = createDecipheriv('aes-256-ecb', refundInfoKey(apiKey), null);
    plaintext = Buffer.concat([decipher.update(Buffer.from(reqInfo, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    return refuse('UNDECRYPTABLE', 'req_info does not decrypt with this API key');
  }
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?<root>([\s\S]*)<\/root>\s*$/.exec(plaintext);
  if (!root) return refuse('UNEXPECTED_PLAINTEXT', 'req_info plaintext is not <root>...</root>');
  let r: Record<string, string>;
  try {
    r = parseXml(`<xml>${root[1] ?? ''}</xml>`);
  } catch (error) {
    if (error instanceof XmlFormatError) return refuse('UNEXPECTED_PLAINTEXT', `req_info plaintext: ${error.message.slice(0, 80)}`);
    throw error;
  }
  const missing = ['out_trade_no', 'transaction_id', 'out_refund_no', 'refund_id', 'refund_status', 'total_fee', 'refund_fee'].find((n) => !r[n]);
  if (missing) return refuse('UNEXPECTED_PLAINTEXT', `req_info lacks ${missing}`);
  const status = V2_REFUND_STATUS[r.refund_status ?? ''];
  if (!status) return refuse('UNEXPECTED_PLAINTEXT', `refund_status ${(r.refund_status ?? '').slice(0, 20)} is not known`);
  const amounts = ['total_fee', 'refund_fee', 'settlement_total_fee', 'settlement_refund_fee'].map((n) => r[n] ?? '');
  const [total, refund] = amounts;
  const settlementTotal = amounts[2] || total;
  const settlementRefund = amounts[3] || refund;
  if (![total, refund, settlementTotal, settlementRefund].every((a) => FEN.test(a ?? ''))) {
    return refuse('UNEXPECTED_PLAINTEXT', 'req_info amounts are not in fen');
  }
  const refundId = r.refund_id ?? '';
  const notification: RefundNotification = {
    kind: 'refund',
    api: 'v2',
    id: `v2:refund:${refundId}:${status}`,
    eventType: `REFUND.${status}`,
    mchid: f.mch_id ?? '',
    outTradeNo: r.out_trade_no ?? '',
    transactionId: r.transaction_id ?? '',
    outRefundNo: r.out_refund_no ?? '',
    refundId,
    refundStatus: status,
    successTime: parseDashedBeijing(r.success_time),
    totalFen: fen(Number(total)),
    refundFen: fen(Number(refund)),
    payerTotalFen: fen(Number(settlementTotal)),
    payerRefundFen: fen(Number(settlementRefund)),
  };
  return { ok: true, notification };
}

/**
 * The answer WeChat expects: `<xml><return_code>SUCCESS</return_code><return_msg>OK</return_msg></xml>` stops
 * the retries; FAIL (with a secret-free reason) makes WeChat try again later. Always HTTP 200, as the v2 docs show.
 */
export function v2NotificationAnswer(outcome: { kind: 'accepted' } | { kind: 'refused'; reason: string } | { kind: 'failed' }): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  const headers = { 'Content-Type': 'text/xml; charset=utf-8' };
  if (outcome.kind === 'accepted') return { status: 200, headers, body: toXml({ return_code: 'SUCCESS', return_msg: 'OK' }) };
  const message = outcome.kind === 'failed' ? '处理失败，请稍后重试' : `通知未通过校验: ${outcome.reason}`;
  return { status: 200, headers, body: toXml({ return_code: 'FAIL', return_msg: message }) };
}
