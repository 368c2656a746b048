import { createHash, createPrivateKey, createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import type { Localized } from '../../shared/i18n';
import { beijingDate } from '../../shared/clock';
import type { SecretField } from '../../shared/security';
import { SecurityError } from './errors';
import { Pkcs12Error, readPkcs12 } from './pkcs12';

/** A credential checked and put in the form it is stored in, with what may be shown about it. */
export interface ValidatedSecret {
  field: SecretField;
  /** Normalised (PKCS#8 / SPKI PEM, upper-case serials). Main side only. */
  value: string;
  summary: Localized;
  /** Public facts kept in clear for consistency checks: serials, public-key fingerprints, expiry. */
  facts: Record<string, string | number>;
}

export type SecretInput =
  | { field: SecretField; value: string }
  | { field: 'clientPkcs12'; pkcs12Base64: string; password: string };

const invalid = (field: string, zh: string, en: string): SecurityError =>
  new SecurityError('SECRET_INVALID', { zh: `${field}：${zh}`, en: `${field}: ${en}` });

/** SHA-256 of the public key (SPKI DER), first 8 bytes: enough to tell keys apart on screen, public anyway. */
export function publicKeyFingerprint(key: KeyObject): string {
  const spki = (key.type === 'private' ? createPublicKey(key) : key).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

const shortPrint = (fingerprint: string): string => (fingerprint.slice(0, 16).match(/../g) ?? []).join(':');
const tail = (text: string): string => `…${text.slice(-4)}`;

function requireRsa2048(key: KeyObject, field: string): void {
  if (key.asymmetricKeyType !== 'rsa' || key.asymmetricKeyDetails?.modulusLength !== 2048) {
    const bits = key.asymmetricKeyDetails?.modulusLength;
    throw invalid(field, `须为 RSA 2048 位密钥（当前：${key.asymmetricKeyType ?? '?'} ${bits ?? ''}）`, `must be an RSA 2048-bit key (got ${key.asymmetricKeyType ?? '?'} ${bits ?? ''})`);
  }
}

function privateKeyOf(pem: string, field: string): KeyObject {
  if (/ENCRYPTED/.test(pem)) throw invalid(field, '私钥带有密码保护，请提供未加密的 PEM 私钥', 'the key is password-protected: provide an unencrypted PEM key');
  try {
    return createPrivateKey({ key: pem.trim(), format: 'pem' });
  } catch {
    throw invalid(field, '不是可读取的 PEM 私钥', 'not a readable PEM private key');
  }
}

function certificateOf(pem: string, field: string): X509Certificate {
  try {
    return new X509Certificate(pem.trim());
  } catch {
    throw invalid(field, '不是可读取的 PEM 证书', 'not a readable PEM certificate');
  }
}

function checkCertificateDates(cert: X509Certificate, field: string, now: number): number {
  const notAfter = Date.parse(cert.validTo);
  if (Number.isFinite(notAfter) && notAfter < now) {
    throw invalid(field, `证书已于 ${beijingDate(notAfter)} 过期`, `the certificate expired on ${beijingDate(notAfter)}`);
  }
  return notAfter;
}

function validatePrivateKey(field: SecretField, pem: string): ValidatedSecret {
  const key = privateKeyOf(pem, field);
  requireRsa2048(key, field);
  const fingerprint = publicKeyFingerprint(key);
  return {
    field,
    value: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    summary: { zh: `已设置 · RSA 2048 · 指纹 ${shortPrint(fingerprint)}`, en: `set · RSA 2048 · fingerprint ${shortPrint(fingerprint)}` },
    facts: { publicKeySha256: fingerprint },
  };
}

function validatePublicKey(field: SecretField, pem: string): ValidatedSecret {
  let key: KeyObject;
  try {
    key = createPublicKey({ key: pem.trim(), format: 'pem' });
  } catch {
    throw invalid(field, '不是可读取的 PEM 公钥', 'not a readable PEM public key');
  }
  requireRsa2048(key, field);
  const fingerprint = publicKeyFingerprint(key);
  return {
    field,
    value: key.export({ type: 'spki', format: 'pem' }).toString(),
    summary: { zh: `已设置 · 指纹 ${shortPrint(fingerprint)}`, en: `set · fingerprint ${shortPrint(fingerprint)}` },
    facts: { publicKeySha256: fingerprint },
  };
}

function validateCertificate(field: SecretField, pem: string, now: number): ValidatedSecret {
  const cert = certificateOf(pem, field);
  requireRsa2048(cert.publicKey, field);
  const notAfter = checkCertificateDates(cert, field, now);
  const serial = cert.serialNumber.toUpperCase();
  return {
    field,
    value: cert.toString(),
    summary: {
      zh: `已设置 · 序列号 ${tail(serial)} · 有效期至 ${beijingDate(notAfter)}`,
      en: `set · serial ${tail(serial)} · valid until ${beijingDate(notAfter)}`,
    },
    facts: { serial, publicKeySha256: publicKeyFingerprint(cert.publicKey), notAfter },
  };
}

function validatePlatformCertificates(pem: string, now: number): ValidatedSecret {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) throw invalid('platformCertificates', '没有找到 PEM 证书', 'no PEM certificate found');
  const certs = blocks.map((block) => validateCertificate('platformCertificates', block, now));
  const serials = certs.map((c) => String(c.facts.serial));
  const notAfter = Math.min(...certs.map((c) => Number(c.facts.notAfter)));
  return {
    field: 'platformCertificates',
    value: JSON.stringify(certs.map((c) => ({ serial: c.facts.serial, pem: c.value }))),
    summary: {
      zh: `已设置 · ${certs.length} 张证书 · 序列号 ${serials.map(tail).join(', ')} · 最早到期 ${beijingDate(notAfter)}`,
      en: `set · ${certs.length} certificate(s) · serial ${serials.map(tail).join(', ')} · first expiry ${beijingDate(notAfter)}`,
    },
    facts: { serials: serials.join(','), notAfter },
  };
}

const setSummary = (extra: { zh: string; en: string } | null = null): Localized => ({
  zh: extra ? `已设置 · ${extra.zh}` : '已设置',
  en: extra ? `set · ${extra.en}` : 'set',
});

function validateText(field: SecretField, raw: string): ValidatedSecret {
  const value = raw.trim();
  switch (field) {
    case 'apiKeyV2':
      if (!/^[A-Za-z0-9]{32}$/.test(value)) throw invalid(field, 'API 密钥（v2）须为 32 位字母或数字', 'the v2 API key is 32 letters or digits');
      return { field, value, summary: setSummary(), facts: {} };
    case 'apiV3Key':
      if (Buffer.byteLength(value, 'utf8') !== 32 || !/^[\x21-\x7e]+$/.test(value)) {
        throw invalid(field, 'APIv3 密钥须为 32 字节（32 个字母、数字或符号）', 'the APIv3 key is exactly 32 bytes (letters, digits, symbols)');
      }
      return { field, value, summary: setSummary(), facts: {} };
    case 'merchantCertSerial': {
      const serial = value.replace(/[\s:]/g, '').toUpperCase();
      if (!/^[0-9A-F]{8,40}$/.test(serial)) throw invalid(field, '证书序列号为 8–40 位十六进制', 'the certificate serial is 8–40 hex digits');
      return { field, value: serial, summary: setSummary({ zh: `序列号 ${tail(serial)}`, en: `serial ${tail(serial)}` }), facts: { serial } };
    }
    case 'wechatPayPublicKeyId':
      if (!/^PUB_KEY_ID_[0-9A-Za-z]{8,64}$/.test(value)) throw invalid(field, '公钥 ID 形如 PUB_KEY_ID_ 加数字', 'the public key id looks like PUB_KEY_ID_ followed by digits');
      return { field, value, summary: setSummary({ zh: `ID ${tail(value)}`, en: `id ${tail(value)}` }), facts: { id: value } };
    default:
      throw new Error(`not a text field: ${field}`);
  }
}

/**
 * Checks a credential before it is stored and returns the stored form(s). A .p12 yields two: the client
 * certificate and its key. Error messages name the field and the rule, never the value.
 */
export function validateSecret(input: SecretInput, now: number): ValidatedSecret[] {
  if (input.field === 'clientPkcs12') {
    let contents;
    try {
      contents = readPkcs12(Buffer.from(input.pkcs12Base64, 'base64'), input.password);
    } catch (error) {
      if (error instanceof Pkcs12Error) throw new SecurityError('SECRET_INVALID', error.reason);
      throw error;
    }
    return [validateCertificate('clientCertPem', contents.certPem, now), validatePrivateKey('clientKeyPem', contents.keyPem)];
  }
  const { field, value } = input;
  if (value.trim().length === 0) throw invalid(field, '不能为空（要删除请用“清除”）', 'empty (use “clear” to remove it)');
  switch (field) {
    case 'merchantPrivateKeyPem':
    case 'clientKeyPem':
      return [validatePrivateKey(field, value)];
    case 'wechatPayPublicKeyPem':
      return [validatePublicKey(field, value)];
    case 'clientCertPem':
      return [validateCertificate(field, value, now)];
    case 'platformCertificates':
      return [validatePlatformCertificates(value, now)];
    default:
      return [validateText(field, value)];
  }
}

/** WeChat merchant numbers are digits only (usually 10). */
export function mchidProblem(mchid: string): Localized | null {
  return /^\d{6,16}$/.test(mchid) ? null : { zh: '商户号须为 6–16 位数字', en: 'The mchid is 6–16 digits' };
}
