import { createPublicKey, X509Certificate } from 'node:crypto';
import { z } from 'zod';
import type { Clock } from '../../../shared/clock';
import { maskOpenid } from '../../../shared/mask';
import { fen } from '../../../shared/money';
import {
  DEFAULT_MAX_NOTIFICATION_BYTES,
  refuse,
  type NotificationRefusalReason,
  type NotificationResult,
  type PaymentNotification,
  type RefundNotification,
} from '../notification';
import { AeadError, decryptAeadAes256Gcm } from './aead';
import { v3Message, verifySha256Rsa } from './sign';
import { MAX_SKEW_SECONDS } from './verify';

/**
 * API v3 payment and refund notifications (what WeChat Pay POSTs to a notify_url), verified and decoded in one
 * call: `createV3NotificationDecoder(keys).decode(rawBody, headers)`. Checked in this order, each refusal with
 * its own reason: body size, the four Wechatpay-* headers, the timestamp (5 minutes either way, as the official
 * SDKs do), the serial (a WeChat Pay public key id or a platform certificate serial: both are loaded during a
 * switch-over, when WeChat signs with either at random), the RSA-SHA256 signature over
 * `timestamp\nnonce\nbody\n` on the RAW bytes, the envelope's shape, the event type, AEAD_AES_256_GCM decryption
 * with the APIv3 key, and the plaintext's shape. Nothing here logs; reasons and details carry no secret.
 */

export interface V3NotificationKeys {
  /** The 32-character APIv3 key. */
  apiV3Key: string;
  /** WeChat Pay public keys (PUB_KEY_ID_...) as SPKI PEM. */
  wechatPayPublicKeys?: readonly { id: string; pem: string }[];
  /** Platform certificates (PEM) by their serial number (hex). */
  platformCertificates?: readonly { serial: string; pem: string }[];
  clock: Clock;
  /** When set, a notification for another merchant is refused (WRONG_MERCHANT). */
  mchid?: string;
  maxBodyBytes?: number;
}

export type NotificationHeaders = Record<string, string | readonly string[] | undefined>;

export interface V3NotificationDecoder {
  decode(rawBody: Buffer, headers: NotificationHeaders): NotificationResult;
  /** The serials / ids this decoder can verify (for diagnosis: "which keys are loaded"). */
  readonly keyIds: readonly string[];
}

export class NotificationKeyError extends Error {
  override readonly name = 'NotificationKeyError';
}

/** Serial numbers are hex and compared without regard to case; public key ids exactly. */
const serialKey = (serial: string): string => (serial.startsWith('PUB_KEY_ID_') ? serial : serial.toUpperCase());

function spkiPem(pemOrCert: string, what: string): string {
  try {
    const key = pemOrCert.includes('BEGIN CERTIFICATE') ? new X509Certificate(pemOrCert).publicKey : createPublicKey(pemOrCert);
    return key.export({ type: 'spki', format: 'pem' }).toString();
  } catch {
    throw new NotificationKeyError(`${what} is not a readable public key or certificate`);
  }
}

const envelopeSchema = z.looseObject({
  id: z.string().min(1).max(64),
  create_time: z.string().min(1).max(64),
  event_type: z.string().min(1).max(64),
  resource_type: z.literal('encrypt-resource'),
  summary: z.string().max(64).optional(),
  resource: z.looseObject({
    algorithm: z.string(),
    ciphertext: z.string().min(1),
    nonce: z.string().min(1).max(64),
    associated_data: z.string().max(64).optional(),
    original_type: z.string().max(64).optional(),
  }),
});

const fenSchema = z.number().int().nonnegative().max(1e12);

const transactionSchema = z.looseObject({
  appid: z.string().min(1),
  mchid: z.string().min(1),
  out_trade_no: z.string().min(1).max(64),
  transaction_id: z.string().min(1).max(64),
  trade_type: z.string().optional(),
  trade_state: z.string().min(1),
  success_time: z.string().optional(),
  attach: z.string().optional(),
  payer: z.looseObject({ openid: z.string().optional() }).optional(),
  amount: z.looseObject({ total: fenSchema, payer_total: fenSchema.optional(), currency: z.string().optional() }),
});

const refundSchema = z.looseObject({
  mchid: z.string().min(1),
  out_trade_no: z.string().min(1).max(64),
  transaction_id: z.string().min(1).max(64),
  out_refund_no: z.string().min(1).max(64),
  refund_id: z.string().min(1).max(64),
  refund_status: z.enum(['SUCCESS', 'CLOSED', 'ABNORMAL']),
  success_time: z.string().optional(),
  amount: z.looseObject({ total: fenSchema, refund: fenSchema, payer_total: fenSchema, payer_refund: fenSchema }),
});

const PAYMENT_EVENTS = new Set(['TRANSACTION.SUCCESS']);
const REFUND_EVENTS = new Set(['REFUND.SUCCESS', 'REFUND.ABNORMAL', 'REFUND.CLOSED']);

function headerOf(headers: NotificationHeaders, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== lower) continue;
    return typeof value === 'string' ? value : value?.[0];
  }
  return undefined;
}

const timeOf = (text: string | undefined): number | null => {
  if (text === undefined) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
};

/** The first zod issue as `field: problem`, values left out (they may be personal data). */
const issueOf = (error: z.ZodError): string => {
  const issue = error.issues[0];
  return issue ? `${issue.path.map(String).join('.') || 'body'}: ${issue.code}` : 'invalid';
};

export function createV3NotificationDecoder(keys: V3NotificationKeys): V3NotificationDecoder {
  const verifying = new Map<string, string>();
  for (const k of keys.wechatPayPublicKeys ?? []) verifying.set(serialKey(k.id), spkiPem(k.pem, `WeChat Pay public key ${k.id}`));
  for (const c of keys.platformCertificates ?? []) verifying.set(serialKey(c.serial), spkiPem(c.pem, `platform certificate ${c.serial}`));
  if (verifying.size === 0) throw new NotificationKeyError('no WeChat Pay public key or platform certificate to verify notifications with');
  if (Buffer.byteLength(keys.apiV3Key, 'utf8') !== 32) throw new NotificationKeyError('the APIv3 key must be 32 bytes');
  const maxBytes = keys.maxBodyBytes ?? DEFAULT_MAX_NOTIFICATION_BYTES;

  function decode(rawBody: Buffer, headers: NotificationHeaders): NotificationResult {
    if (rawBody.length > maxBytes) return refuse('BODY_TOO_LARGE', `body of ${rawBody.length} bytes is over ${maxBytes}`);
    const timestamp = headerOf(headers, 'Wechatpay-Timestamp');
    const nonce = headerOf(headers, 'Wechatpay-Nonce');
    const signature = headerOf(headers, 'Wechatpay-Signature');
    const serial = headerOf(headers, 'Wechatpay-Serial');
    const missing = [
      ['Wechatpay-Timestamp', timestamp],
      ['Wechatpay-Nonce', nonce],
      ['Wechatpay-Signature', signature],
      ['Wechatpay-Serial', serial],
    ].filter(([, v]) => !v).map(([n]) => n);
    if (!timestamp || !nonce || !signature || !serial) return refuse('MISSING_HEADERS', `missing ${missing.join(', ')}`);
    if (!/^\d{1,12}$/.test(timestamp)) return refuse('STALE_TIMESTAMP', 'unreadable Wechatpay-Timestamp');
    const skew = Math.abs(keys.clock.now() / 1000 - Number(timestamp));
    if (skew >= MAX_SKEW_SECONDS) return refuse('STALE_TIMESTAMP', `timestamp is ${Math.round(skew)} s from the local clock (limit ${MAX_SKEW_SECONDS} s)`);
    const key = verifying.get(serialKey(serial));
    if (!key) return refuse('UNKNOWN_SERIAL', `no key loaded for Wechatpay-Serial ${serial.slice(0, 64)}`);
    // The signature covers the bytes as received: a parsed-and-restringified body would not verify.
    if (!verifySha256Rsa(v3Message([timestamp, nonce, rawBody.toString('utf8')]), signature, key)) {
      return refuse('BAD_SIGNATURE', `signature does not verify with ${serial.slice(0, 64)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(rawBody.toString('utf8'));
    } catch {
      return refuse('MALFORMED_BODY', 'body is not JSON');
    }
    const envelope = envelopeSchema.safeParse(json);
    if (!envelope.success) return refuse('MALFORMED_BODY', `envelope ${issueOf(envelope.error)}`);
    const e = envelope.data;
    const isPayment = PAYMENT_EVENTS.has(e.event_type);
    if (!isPayment && !REFUND_EVENTS.has(e.event_type)) return refuse('UNKNOWN_EVENT', `event_type ${e.event_type.slice(0, 64)} is not handled`);
    if (e.resource.algorithm !== 'AEAD_AES_256_GCM') return refuse('UNDECRYPTABLE', `algorithm ${e.resource.algorithm.slice(0, 32)} is not supported`);
    let plaintext: string;
    try {
      plaintext = decryptAeadAes256Gcm({
        key: keys.apiV3Key,
        nonce: e.resource.nonce,
        associatedData: e.resource.associated_data ?? '',
        ciphertext: e.resource.ciphertext,
      });
    } catch (error) {
      if (error instanceof AeadError) return refuse('UNDECRYPTABLE', `resource does not decrypt: ${error.message}`);
      throw error;
    }
    let resource: unknown;
    try {
      resource = JSON.parse(plaintext);
    } catch {
      return refuse('UNEXPECTED_PLAINTEXT', 'resource plaintext is not JSON');
    }
    const base = { api: 'v3' as const, id: e.id, eventType: e.event_type };
    const decoded = isPayment ? paymentOf(base, resource) : refundOf(base, resource);
    if (!decoded.ok) return decoded;
    if (keys.mchid !== undefined && decoded.notification.mchid !== keys.mchid) {
      return refuse('WRONG_MERCHANT', `notification for merchant ${decoded.notification.mchid.slice(0, 32)}, expected ${keys.mchid}`);
    }
    return decoded;
  }

  return { decode, keyIds: [...verifying.keys()] };
}

type Base = { api: 'v3'; id: string; eventType: string };

function paymentOf(base: Base, resource: unknown): NotificationResult {
  const parsed = transactionSchema.safeParse(resource);
  if (!parsed.success) return refuse('UNEXPECTED_PLAINTEXT', `transaction ${issueOf(parsed.error)}`);
  const t = parsed.data;
  const notification: PaymentNotification = {
    kind: 'payment',
    ...base,
    mchid: t.mchid,
    appid: t.appid,
    outTradeNo: t.out_trade_no,
    transactionId: t.transaction_id,
    tradeState: t.trade_state,
    tradeType: t.trade_type ?? null,
    totalFen: fen(t.amount.total),
    payerTotalFen: fen(t.amount.payer_total ?? t.amount.total),
    successTime: timeOf(t.success_time),
    payerOpenidMasked: t.payer?.openid ? maskOpenid(t.payer.openid) : null,
    attach: t.attach ?? null,
  };
  return { ok: true, notification };
}

function refundOf(base: Base, resource: unknown): NotificationResult {
  const parsed = refundSchema.safeParse(resource);
  if (!parsed.success) return refuse('UNEXPECTED_PLAINTEXT', `refund ${issueOf(parsed.error)}`);
  const r = parsed.data;
  if (`REFUND.${r.refund_status}` !== base.eventType) {
    return refuse('UNEXPECTED_PLAINTEXT', `refund_status ${r.refund_status} does not match event_type ${base.eventType}`);
  }
  const notification: RefundNotification = {
    kind: 'refund',
    ...base,
    mchid: r.mchid,
    outTradeNo: r.out_trade_no,
    transactionId: r.transaction_id,
    outRefundNo: r.out_refund_no,
    refundId: r.refund_id,
    refundStatus: r.refund_status,
    successTime: timeOf(r.success_time),
    totalFen: fen(r.amount.total),
    refundFen: fen(r.amount.refund),
    payerTotalFen: fen(r.amount.payer_total),
    payerRefundFen: fen(r.amount.payer_refund),
  };
  return { ok: true, notification };
}

export interface NotificationAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * What the endpoint answers WeChat. Accepted (including a duplicate already recorded): 204 without a body, which
 * stops the retries. Refused: 4xx with `{code: "FAIL", message}` so WeChat retries later (a stale or tampered one
 * will not pass then either; a key not loaded yet may). Failed to record (database down): 500, WeChat retries.
 */
export function v3NotificationAnswer(
  outcome: { kind: 'accepted' } | { kind: 'refused'; reason: NotificationRefusalReason } | { kind: 'failed' },
): NotificationAnswer {
  if (outcome.kind === 'accepted') return { status: 204, headers: {}, body: '' };
  const json = { 'Content-Type': 'application/json; charset=utf-8' };
  if (outcome.kind === 'failed') return { status: 500, headers: json, body: JSON.stringify({ code: 'FAIL', message: '处理失败，请稍后重试' }) };
  const status = outcome.reason === 'BODY_TOO_LARGE' ? 413 : outcome.reason === 'BAD_SIGNATURE' || outcome.reason === 'UNKNOWN_SERIAL' || outcome.reason === 'STALE_TIMESTAMP' || outcome.reason === 'MISSING_HEADERS' ? 401 : 400;
  return { status, headers: json, body: JSON.stringify({ code: 'FAIL', message: `通知未通过校验: ${outcome.reason}` }) };
}
