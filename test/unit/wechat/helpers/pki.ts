import { randomBytes, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/**
 * Throwaway key material for the client's unit tests: a CA, a 127.0.0.1 server certificate, an RSA merchant
 * certificate (v3 signing key and v2 client certificate), a WeChat Pay signing key and a platform certificate.
 */

const subtle = webcrypto.subtle;
x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: 2048 };
const EC: EcKeyGenParams = { name: 'ECDSA', namedCurve: 'P-256' };
const EC_SIGN: EcdsaParams = { name: 'ECDSA', hash: 'SHA-256' };
const DAY = 86_400_000;

export interface TestPki {
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
  merchantCertPem: string;
  merchantKeyPem: string;
  merchantSerial: string;
  /** Signs "WeChat Pay" answers in public-key mode. */
  wechatPayPublicKeyPem: string;
  wechatPayPrivateKeyPem: string;
  /** Signs answers in platform-certificate mode. */
  platformCertPem: string;
  platformKeyPem: string;
  platformSerial: string;
  /** A second CA and a client certificate it issued: trusted by nobody. */
  strangerCertPem: string;
  strangerKeyPem: string;
}

function pem(label: string, der: ArrayBuffer): string {
  const b64 = Buffer.from(der).toString('base64').replace(/(.{64})/g, '$1\n');
  return `-----BEGIN ${label}-----\n${b64.trimEnd()}\n-----END ${label}-----\n`;
}

const gen = (params: RsaHashedKeyGenParams | EcKeyGenParams): Promise<CryptoKeyPair> => subtle.generateKey(params, true, ['sign', 'verify']);
const keyPem = async (key: CryptoKey): Promise<string> => pem('PRIVATE KEY', await subtle.exportKey('pkcs8', key));
const serial = (): string => `4${randomBytes(19).toString('hex').toUpperCase().slice(1)}`;

async function selfSignedCa(name: string): Promise<{ cert: x509.X509Certificate; keys: CryptoKeyPair }> {
  const keys = await gen(EC);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial(),
    name,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: EC_SIGN,
    keys,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  return { cert, keys };
}

async function issue(
  ca: { cert: x509.X509Certificate; keys: CryptoKeyPair },
  subject: string,
  publicKey: CryptoKey,
  serialNumber: string,
  extensions: x509.Extension[],
): Promise<string> {
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber,
    subject,
    issuer: ca.cert.subject,
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + 365 * DAY),
    signingAlgorithm: EC_SIGN,
    publicKey,
    signingKey: ca.keys.privateKey,
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true), ...extensions],
  });
  return cert.toString('pem');
}

export async function createTestPki(): Promise<TestPki> {
  const ca = await selfSignedCa('CN=Client Test CA');
  const stranger = await selfSignedCa('CN=Stranger CA');
  const [server, merchant, wechatPay, platform, strangerClient] = await Promise.all([gen(EC), gen(RSA), gen(RSA), gen(RSA), gen(RSA)]);
  const merchantSerial = serial();
  const platformSerial = serial();
  return {
    caCertPem: ca.cert.toString('pem'),
    serverCertPem: await issue(ca, 'CN=127.0.0.1', server.publicKey, serial(), [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'ip', value: '127.0.0.1' },
        { type: 'dns', value: 'localhost' },
      ]),
    ]),
    serverKeyPem: await keyPem(server.privateKey),
    merchantCertPem: await issue(ca, 'CN=1900000001', merchant.publicKey, merchantSerial, [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ]),
    merchantKeyPem: await keyPem(merchant.privateKey),
    merchantSerial,
    wechatPayPublicKeyPem: pem('PUBLIC KEY', await subtle.exportKey('spki', wechatPay.publicKey)),
    wechatPayPrivateKeyPem: await keyPem(wechatPay.privateKey),
    platformCertPem: await issue(ca, 'CN=Tenpay Platform Test', platform.publicKey, platformSerial, []),
    platformKeyPem: await keyPem(platform.privateKey),
    platformSerial,
    strangerCertPem: await issue(stranger, 'CN=1900000001', strangerClient.publicKey, serial(), [
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth]),
    ]),
    strangerKeyPem: await keyPem(strangerClient.privateKey),
  };
}
