import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export type V2SignType = 'MD5' | 'HMAC-SHA256';

/**
 * The string API v2 signs: every field with a non-empty value except `sign`, names sorted by ASCII (plain code
 * unit order, not locale order), `k=v` joined by `&`, then `&key=<API key>`.
 */
export function v2SignatureBase(fields: Record<string, string>, key: string): string {
  const names = Object.keys(fields)
    .filter((name) => name !== 'sign' && (fields[name] ?? '') !== '')
    .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const pairs = names.map((name) => `${name}=${fields[name] ?? ''}`);
  pairs.push(`key=${key}`);
  return pairs.join('&');
}

/** Uppercase hex MD5, or HMAC-SHA256 keyed with the API key, of the signature base. */
export function signV2(fields: Record<string, string>, key: string, signType: V2SignType): string {
  const base = v2SignatureBase(fields, key);
  const digest =
    signType === 'MD5'
      ? createHash('md5').update(base, 'utf8').digest('hex')
      : createHmac('sha256', key).update(base, 'utf8').digest('hex');
  return digest.toUpperCase();
}

/**
 * The signature type a message declares. Without a sign_type field the message is MD5 (the v2 default) unless the
 * caller knows better: WeChat Pay answers an HMAC-SHA256 request with an HMAC-SHA256 signature but no sign_type.
 * Null for a type this code does not know.
 */
export function declaredSignType(fields: Record<string, string>, fallback: V2SignType = 'MD5'): V2SignType | null {
  const declared = fields.sign_type;
  if (declared === undefined || declared === '') return fallback;
  if (declared === 'MD5' || declared === 'HMAC-SHA256') return declared;
  return null;
}

/**
 * Verifies a received message. Signs over every received field, including ones this code does not know, because
 * the API adds fields over time and dropping one would make a genuine answer look forged. An unknown sign_type,
 * or a missing sign, fails: the caller must treat the message as not from WeChat Pay. `fallbackSignType` applies
 * only when the message carries no sign_type (pass the type the request was signed with).
 */
export function verifyV2(fields: Record<string, string>, key: string, fallbackSignType: V2SignType = 'MD5'): boolean {
  const received = fields.sign;
  if (received === undefined || received === '') return false;
  const signType = declaredSignType(fields, fallbackSignType);
  if (signType === null) return false;
  const expected = Buffer.from(signV2(fields, key, signType), 'utf8');
  // Case-insensitive on the hex only: some servers send lowercase. Non-hex input simply never matches.
  const actual = Buffer.from(received.toUpperCase(), 'utf8');
  if (actual.length !== expected.length) return false;
  return timingSafeEqual(actual, expected);
}
