import { createHash, randomBytes, randomInt } from 'node:crypto';
import { formatBeijingCompact } from '../../shared/clock';

/** Identifiers shaped like the real service's, so a client's validation and display code meet realistic values. */

const digits = (count: number): string => Array.from({ length: count }, () => String(randomInt(10))).join('');

/** 28 digits: 4200 + 6 digits + yyyyMMdd + 10 digits, like a WeChat Pay transaction_id. */
export function newTransactionId(now: number): string {
  return `4200${digits(6)}${formatBeijingCompact(now).slice(0, 8)}${digits(10)}`;
}

/** 29 digits, like a refund_id. */
export function newRefundId(now: number): string {
  return `5030${digits(7)}${formatBeijingCompact(now).slice(0, 8)}${digits(10)}`;
}

/** wx + yyyyMMddHHmmss + 18 hex, like a prepay_id. */
export function newPrepayId(now: number): string {
  return `wx${formatBeijingCompact(now)}${randomBytes(9).toString('hex')}`;
}

/** weixin://wxpay/bizpayurl?pr=XXXXXXX: what the QR encodes. */
export function newCodeUrl(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const token = Array.from({ length: 7 }, () => alphabet[randomInt(alphabet.length)] ?? 'A').join('');
  return `weixin://wxpay/bizpayurl?pr=${token}`;
}

/** 32 alphanumerics for nonce_str / Wechatpay-Nonce. */
export function newNonce(): string {
  return randomBytes(24).toString('base64').replace(/[^A-Za-z0-9]/g, '').padEnd(32, '0').slice(0, 32);
}

/** A stable 28-character openid for the payer behind a payment code (the same code → the same payer). */
export function openidFor(seed: string): string {
  const hash = createHash('sha256').update(`sandbox-payer:${seed}`).digest('base64url');
  return `oSbx${hash.slice(0, 24)}`;
}

/** The ledger keeps only a hash of a payment code: enough to refuse a second use, useless to anyone reading it. */
export function authCodeHash(code: string): string {
  return createHash('sha256').update(`sandbox-auth-code:${code}`).digest('hex');
}

export function newRequestId(): string {
  return randomBytes(16).toString('hex').toUpperCase();
}
