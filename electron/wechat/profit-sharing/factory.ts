import { X509Certificate } from 'node:crypto';
import type { WechatClientConfig } from '../config';
import { prepareV2, prepareV3, WechatConfigError } from '../factory';
import type { ProfitSharingClient } from './types';
import { ProfitSharingV2Client } from './v2';
import { ProfitSharingV3Client, type EncryptionKey } from './v3';

/**
 * The profit-sharing client for these settings (the hub's settlement runs use it), by the merchant's API version:
 * v3 (JSON; receiver names encrypted with the WeChat Pay public key or, for merchants on the older mode, the
 * platform certificate) or v2 (XML signed HMAC-SHA256 whatever sign type the counters pay with — the v2
 * profit-sharing API accepts no other — with the API client certificate on the secapi paths). `partner` makes it
 * split for that sub-merchant as its service provider.
 */
export function createProfitSharingClient(config: WechatClientConfig): ProfitSharingClient {
  if (config.apiVersion === 'v2') {
    const ctx = prepareV2(config);
    if (!config.credentials.clientCertPem || !config.credentials.clientKeyPem) {
      throw new WechatConfigError('profit sharing on API v2 needs the merchant’s API certificate (clientCertPem, clientKeyPem)');
    }
    return new ProfitSharingV2Client(Object.assign(ctx, { signType: 'HMAC-SHA256' as const }));
  }
  const ctx = prepareV3(config);
  return new ProfitSharingV3Client(ctx, encryptionKeyOf(config));
}

function encryptionKeyOf(config: WechatClientConfig): EncryptionKey {
  const { wechatPayPublicKeyPem, wechatPayPublicKeyId, platformCertificates } = config.credentials;
  if (wechatPayPublicKeyPem && wechatPayPublicKeyId) return { serial: wechatPayPublicKeyId, publicKeyPem: wechatPayPublicKeyPem };
  const cert = platformCertificates?.[0];
  if (!cert) throw new WechatConfigError('profit sharing needs the WeChat Pay public key or a platform certificate to encrypt receiver names');
  try {
    return { serial: cert.serial, publicKeyPem: String(new X509Certificate(cert.pem).publicKey.export({ type: 'spki', format: 'pem' })) };
  } catch {
    throw new WechatConfigError('the platform certificate is not readable');
  }
}
