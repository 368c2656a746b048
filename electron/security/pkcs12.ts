import forge from 'node-forge';
import type { Localized } from '../../shared/i18n';

/**
 * Reads the .p12 file WeChat Pay issues with the merchant API certificate (apiclient_cert.p12, password: the
 * mchid unless changed). Node's crypto cannot read PKCS#12, and these files use legacy encryption
 * (RC2-40 / 3DES with SHA-1) that OpenSSL 3 reads only with its legacy provider, hence node-forge (pure JS).
 * Returns the certificate and its private key as PEM; the .p12 itself and its password are not kept.
 */
export interface Pkcs12Contents {
  certPem: string;
  keyPem: string;
}

export class Pkcs12Error extends Error {
  override readonly name = 'Pkcs12Error';
  constructor(readonly reason: Localized) {
    super(reason.en);
  }
}

export function readPkcs12(der: Buffer, password: string): Pkcs12Contents {
  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(der.toString('binary')), false, password);
  } catch (error) {
    const wrongPassword = error instanceof Error && /MAC could not be verified|Invalid password/i.test(error.message);
    throw new Pkcs12Error(
      wrongPassword
        ? { zh: 'PKCS#12 密码不正确（微信支付证书的默认密码是商户号）', en: 'Wrong PKCS#12 password (WeChat Pay certificates default to the mchid)' }
        : { zh: '不是有效的 PKCS#12（.p12）文件', en: 'Not a valid PKCS#12 (.p12) file' },
    );
  }
  const keys = [forge.pki.oids.pkcs8ShroudedKeyBag, forge.pki.oids.keyBag]
    .flatMap((type) => bagsOf(p12, type ?? ''))
    .map((bag) => bag.key)
    .filter((key): key is forge.pki.rsa.PrivateKey => key !== undefined);
  const certs = bagsOf(p12, forge.pki.oids.certBag ?? '')
    .map((bag) => bag.cert)
    .filter((cert): cert is forge.pki.Certificate => cert !== undefined);
  const rsaKey = keys[0];
  if (keys.length !== 1 || !rsaKey || !('n' in rsaKey)) {
    throw new Pkcs12Error({ zh: 'PKCS#12 文件中应恰有一个 RSA 私钥', en: 'The PKCS#12 file must hold exactly one RSA private key' });
  }
  const cert = certs.find((c) => {
    const pub = c.publicKey as forge.pki.rsa.PublicKey;
    return 'n' in pub && pub.n.equals(rsaKey.n) && pub.e.equals(rsaKey.e);
  });
  if (!cert) throw new Pkcs12Error({ zh: 'PKCS#12 文件中没有与私钥匹配的证书', en: 'The PKCS#12 file holds no certificate for its key' });
  return { certPem: forge.pki.certificateToPem(cert), keyPem: forge.pki.privateKeyToPem(rsaKey) };
}

function bagsOf(p12: forge.pkcs12.Pkcs12Pfx, bagType: string): forge.pkcs12.Bag[] {
  return p12.getBags({ bagType })[bagType] ?? [];
}
