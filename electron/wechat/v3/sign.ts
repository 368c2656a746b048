import { createPrivateKey, createPublicKey, createSign, createVerify, verify as verifyOneShot, type KeyObject } from 'node:crypto';

/**
 * Parsed keys by their PEM text. Parsing a PEM costs more than an RSA verification itself, and a terminal uses
 * the same two or three keys for its whole life; the cache is bounded in case settings change often.
 */
const parsedKeys = new Map<string, KeyObject>();
const MAX_CACHED_KEYS = 16;

function parsedKey(pem: string, kind: 'private' | 'public'): KeyObject {
  const cacheKey = `${kind}:${pem}`;
  let key = parsedKeys.get(cacheKey);
  if (!key) {
    key = kind === 'private' ? createPrivateKey(pem) : createPublicKey(pem);
    if (parsedKeys.size >= MAX_CACHED_KEYS) parsedKeys.delete(parsedKeys.keys().next().value as string);
    parsedKeys.set(cacheKey, key);
  }
  return key;
}

/** The signed message of API v3: every part followed by '\n' (so an empty body still ends in "\n\n"). */
export function v3Message(parts: readonly string[]): string {
  return parts.map((part) => `${part}\n`).join('');
}

/** SHA256withRSA (PKCS#1 v1.5), base64. */
export function signSha256Rsa(message: string, privateKeyPem: string): string {
  return createSign('RSA-SHA256').update(message, 'utf8').sign(parsedKey(privateKeyPem, 'private'), 'base64');
}

/** False on a wrong signature, a malformed signature or a key that cannot be used: never throws. */
export function verifySha256Rsa(message: string, signatureB64: string, publicKeyPem: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureB64)) return false;
  try {
    return createVerify('RSA-SHA256').update(message, 'utf8').verify(parsedKey(publicKeyPem, 'public'), signatureB64, 'base64');
  } catch {
    return false;
  }
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * The same check with a key parsed once by the caller (the answer verifier keeps its KeyObjects) and the message as
 * bytes: no cache lookup keyed by the PEM text, no stream object, no re-encoding of the body.
 */
export function verifySha256RsaKey(message: Buffer, signatureB64: string, key: KeyObject): boolean {
  if (!BASE64.test(signatureB64)) return false;
  try {
    return verifyOneShot('RSA-SHA256', message, key, Buffer.from(signatureB64, 'base64'));
  } catch {
    return false;
  }
}

export const V3_AUTH_SCHEME = 'WECHATPAY2-SHA256-RSA2048';

export interface V3AuthorizationParams {
  mchid: string;
  serialNo: string;
  nonce: string;
  timestamp: string;
  signature: string;
}

export function buildAuthorization(p: V3AuthorizationParams): string {
  return (
    `${V3_AUTH_SCHEME} mchid="${p.mchid}",nonce_str="${p.nonce}",timestamp="${p.timestamp}",` +
    `serial_no="${p.serialNo}",signature="${p.signature}"`
  );
}

/**
 * Parses an Authorization header in any parameter order. Null when the scheme is different, a parameter is
 * missing, duplicated or malformed.
 */
export function parseAuthorization(header: string): V3AuthorizationParams | null {
  const trimmed = header.trim();
  if (!trimmed.startsWith(`${V3_AUTH_SCHEME} `)) return null;
  const rest = trimmed.slice(V3_AUTH_SCHEME.length + 1).trim();
  const params = new Map<string, string>();
  const pattern = /\s*([a-z_]+)="([^"]*)"\s*(?:,|$)/gy;
  let consumed = 0;
  for (let match = pattern.exec(rest); match !== null; match = pattern.exec(rest)) {
    const [, name, value] = match;
    if (name === undefined || value === undefined || params.has(name)) return null;
    params.set(name, value);
    consumed = pattern.lastIndex;
    if (consumed >= rest.length) break;
  }
  if (consumed !== rest.length) return null;
  const mchid = params.get('mchid');
  const nonce = params.get('nonce_str');
  const timestamp = params.get('timestamp');
  const serialNo = params.get('serial_no');
  const signature = params.get('signature');
  if (!mchid || !nonce || !timestamp || !serialNo || !signature) return null;
  return { mchid, nonce, timestamp, serialNo, signature };
}
