import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { WechatCredentials } from '../types';
import { verifySha256RsaKey } from './sign';

/**
 * Verifies v3 answers: Wechatpay-Timestamp / -Nonce / -Signature / -Serial over "TIMESTAMP\nNONCE\nBODY\n". The
 * serial picks the key: the WeChat Pay public key id (PUB_KEY_ID_..., current mode) or a platform certificate
 * serial (older mode). Anything missing, stale or unknown fails closed.
 */

export type VerifyFailureCode = 'MISSING_SIGNATURE_HEADERS' | 'STALE_TIMESTAMP' | 'UNKNOWN_SERIAL' | 'SIGNATURE_MISMATCH';

export type VerifyResult = { ok: true } | { ok: false; code: VerifyFailureCode; detail: string };

export interface ResponseVerifier {
  verify(headers: Record<string, string>, body: Buffer): VerifyResult;
  /** Whether any header of a signature is present (4xx answers may come without one). */
  hasSignature(headers: Record<string, string>): boolean;
  readonly keyIds: readonly string[];
}

/** Reject answers whose timestamp is this far or further from the local clock. */
export const MAX_SKEW_SECONDS = 5 * 60;

export class VerifierConfigError extends Error {
  override readonly name = 'VerifierConfigError';
}

/** Parsed once, here: every answer is then checked against the KeyObject itself. */
function publicKeyOf(pemOrCert: string, what: string): KeyObject {
  try {
    return pemOrCert.includes('BEGIN CERTIFICATE') ? new X509Certificate(pemOrCert).publicKey : createPublicKey(pemOrCert);
  } catch {
    throw new VerifierConfigError(`${what} is not a readable public key or certificate`);
  }
}

const NEWLINE = Buffer.from('\n');

/** Serial numbers are hex and compared without regard to case; public key ids exactly. */
const serialKey = (serial: string): string => (serial.startsWith('PUB_KEY_ID_') ? serial : serial.toUpperCase());

export function createResponseVerifier(credentials: WechatCredentials, clock: Clock): ResponseVerifier {
  const keys = new Map<string, KeyObject>();
  if (credentials.wechatPayPublicKeyId && credentials.wechatPayPublicKeyPem) {
    keys.set(serialKey(credentials.wechatPayPublicKeyId), publicKeyOf(credentials.wechatPayPublicKeyPem, 'WeChat Pay public key'));
  }
  for (const cert of credentials.platformCertificates ?? []) {
    keys.set(serialKey(cert.serial), publicKeyOf(cert.pem, `platform certificate ${cert.serial}`));
  }

  const header = (headers: Record<string, string>, name: string): string | undefined => headers[name.toLowerCase()];

  return {
    keyIds: [...keys.keys()],
    hasSignature: (headers) =>
      ['wechatpay-signature', 'wechatpay-serial', 'wechatpay-timestamp', 'wechatpay-nonce'].some((h) => headers[h] !== undefined),
    verify(headers, body) {
      const timestamp = header(headers, 'Wechatpay-Timestamp');
      const nonce = header(headers, 'Wechatpay-Nonce');
      const signature = header(headers, 'Wechatpay-Signature');
      const serial = header(headers, 'Wechatpay-Serial');
      if (!timestamp || !nonce || !signature || !serial) {
        return { ok: false, code: 'MISSING_SIGNATURE_HEADERS', detail: 'answer lacks Wechatpay-* signature headers' };
      }
      if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, code: 'STALE_TIMESTAMP', detail: 'unreadable Wechatpay-Timestamp' };
      const skew = Math.abs(clock.now() / 1000 - Number(timestamp));
      if (skew >= MAX_SKEW_SECONDS) {
        return { ok: false, code: 'STALE_TIMESTAMP', detail: `answer timestamp is ${Math.round(skew)} s from the local clock` };
      }
      const key = keys.get(serialKey(serial));
      if (!key) return { ok: false, code: 'UNKNOWN_SERIAL', detail: `no key for Wechatpay-Serial ${serial.slice(0, 64)}` };
      // The signed message is timestamp\n nonce\n body\n over the body's bytes as received.
      const message = Buffer.concat([Buffer.from(`${timestamp}\n${nonce}\n`, 'utf8'), body, NEWLINE]);
      if (!verifySha256RsaKey(message, signature, key)) {
        return { ok: false, code: 'SIGNATURE_MISMATCH', detail: 'answer signature does not verify' };
      }
      return { ok: true };
    },
  };
}
