import { randomBytes, randomInt, webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as x509 from '@peculiar/x509';

/**
 * The sandbox's whole key material, generated on first start and kept in the data directory so a restarted
 * sandbox is the same "WeChat Pay" for the same merchant: its own CA, the HTTPS server certificate, the merchant's
 * API certificate (RSA-2048: the v3 signing key and the v2 mutual-TLS client certificate, as on the real service),
 * the WeChat Pay public key (id PUB_KEY_ID_...) that signs v3 answers, and a platform certificate for the older
 * verification mode.
 */
export interface SandboxIdentity {
  version: 1;
  mchid: string;
  appid: string;
  apiKeyV2: string;
  apiV3Key: string;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  merchantCertPem: string;
  merchantKeyPem: string;
  merchantCertSerial: string;
  wechatPayPublicKeyPem: string;
  wechatPayPrivateKeyPem: string;
  wechatPayPublicKeyId: string;
  platformCertPem: string;
  platformKeyPem: string;
  platformCertSerial: string;
}

const IDENTITY_FILE = 'identity.json';
const DAY = 24 * 60 * 60 * 1000;

const crypto = webcrypto as unknown as Crypto;
x509.cryptoProvider.set(crypto);

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
// The CA and the TLS server use P-256: quick to generate, and nothing on the WeChat side depends on their type.
const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGNING: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const randomText = (length: number, alphabet = ALNUM): string =>
  Array.from({ length }, () => alphabet[randomInt(alphabet.length)] ?? '0').join('');

/** 40 uppercase hex digits, positive and without a leading zero byte, like a WeChat certificate serial. */
function newSerial(): string {
  const bytes = randomBytes(20);
  bytes[0] = 0x10 + ((bytes[0] ?? 0) % 0x70);
  return bytes.toString('hex').toUpperCase();
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

async function generate(params: RsaHashedKeyGenParams | EcKeyGenParams): Promise<CryptoKeyPair> {
  return crypto.subtle.generateKey(params, true, ['sign', 'verify']);
}

const privatePem = async (key: CryptoKey): Promise<string> => pem('PRIVATE KEY', await crypto.subtle.exportKey('pkcs8', key));
const publicPem = async (key: CryptoKey): Promise<string> => pem('PUBLIC KEY', await crypto.subtle.exportKey('spki', key));

interface Issuer {
  cert: x509.X509Certificate;
  keys: CryptoKeyPair;
}

async function createCa(): Promise<Issuer> {
  const keys = await generate(EC);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: newSerial(),
    name: 'CN=WeChat Pay Sandbox Root CA, O=WeChat POS Sandbox, C=CN',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 20 * 365 * DAY),
    signingAlgorithm: EC_SIGNING,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert, keys };
}

async function issue(
  ca: Issuer,
  subject: string,
  publicKey: CryptoKey,
  serial: string,
  extensions: x509.Extension[],
): Promise<x509.X509Certificate> {
  return x509.X509CertificateGenerator.create({
    serialNumber: serial,
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 5 * 365 * DAY),
    signingAlgorithm: EC_SIGNING,
    publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      await x509.AuthorityKeyIdentifierExtension.create(ca.cert, false),
      ...extensions,
    ],
  });
}

const SIGNING_USAGE = new x509.KeyUsagesExtension(
  x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
  true,
);

async function createIdentity(): Promise<SandboxIdentity> {
  const ca = await createCa();
  const [server, merchant, wechatPay, platform] = await Promise.all([generate(EC), generate(RSA), generate(RSA), generate(RSA)]);
  const mchid = `19${randomText(8, '0123456789')}`;
  const merchantCertSerial = newSerial();
  const platformCertSerial = newSerial();
  const serverCert = await issue(ca, 'CN=127.0.0.1, O=WeChat POS Sandbox, C=CN', server.publicKey, newSerial(), [
    SIGNING_USAGE,
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
    new x509.SubjectAlternativeNameExtension([
      { type: 'ip', value: '127.0.0.1' },
      { type: 'dns', value: 'localhost' },
    ]),
  ]);
  const merchantCert = await issue(ca, `CN=${mchid}, OU=WeChat POS Sandbox Merchant, O=Tenpay.com Sandbox, C=CN`, merchant.publicKey, merchantCertSerial, [
    SIGNING_USAGE,
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
  ]);
  const platformCert = await issue(ca, 'CN=Tenpay.com Sandbox Platform, O=Tenpay.com Sandbox, C=CN', platform.publicKey, platformCertSerial, [
    SIGNING_USAGE,
  ]);
  return {
    version: 1,
    mchid,
    appid: `wx${randomBytes(8).toString('hex')}`,
    apiKeyV2: randomText(32),
    apiV3Key: randomText(32),
    caCertPem: ca.cert.toString('pem'),
    serverCertPem: serverCert.toString('pem'),
    serverKeyPem: await privatePem(server.privateKey),
    merchantCertPem: merchantCert.toString('pem'),
    merchantKeyPem: await privatePem(merchant.privateKey),
    merchantCertSerial,
    wechatPayPublicKeyPem: await publicPem(wechatPay.publicKey),
    wechatPayPrivateKeyPem: await privatePem(wechatPay.privateKey),
    wechatPayPublicKeyId: `PUB_KEY_ID_01${mchid}${randomText(14, '0123456789')}`,
    platformCertPem: platformCert.toString('pem'),
    platformKeyPem: await privatePem(platform.privateKey),
    platformCertSerial,
  };
}

function isIdentity(value: unknown): value is SandboxIdentity {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.version === 1 && typeof v.mchid === 'string' && typeof v.merchantKeyPem === 'string';
}

/**
 * Loads the identity kept in `dataDir`, or makes a new one (and keeps it there when a directory is given). The
 * file holds private keys: it is written readable by the owner only.
 */
export async function loadOrCreateIdentity(dataDir?: string): Promise<SandboxIdentity> {
  if (dataDir === undefined) return createIdentity();
  const file = join(dataDir, IDENTITY_FILE);
  if (existsSync(file)) {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isIdentity(parsed)) throw new Error(`${file} is not a sandbox identity file`);
    return parsed;
  }
  mkdirSync(dataDir, { recursive: true });
  const identity = await createIdentity();
  writeFileSync(file, `${JSON.stringify(identity, null, 2)}\n`, { mode: 0o600 });
  return identity;
}

/** effective_time / expire_time of a certificate, for GET /v3/certificates. */
export function certificateValidity(certPem: string): { notBefore: number; notAfter: number } {
  const cert = new x509.X509Certificate(certPem);
  return { notBefore: cert.notBefore.getTime(), notAfter: cert.notAfter.getTime() };
}
