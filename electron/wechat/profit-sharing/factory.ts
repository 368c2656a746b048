import { X509Certificate } from 'node:crypto';
import type { WechatClientConfig } from '../config';
import { prepareV3, WechatConfigError } from '../factory';
import type { ProfitSharingClient } from './types';
import { ProfitSharingV3Client, type EncryptionKey } from './v3';

/**
 * The profit-sharing client for these settings (the hub's settlement runs use it). v3 only: this app splits through
 * the v3 API whatever API version the counters pay with (a merchant's v3 credentials are required for it; the v2
 * profit-sharing API with its HMAC-SHA256 + client certificate is not implemented). Receiver names are encrypted
 * with the WeChat Pay public key (current mode) or, for merchants on the older mode, the platform certificate.
 */
export function createProfitSharingClient(config: WechatClientConfig): ProfitSharingClient {
  if (config.apiVersion !== 'v3') throw new WechatConfigError('profit sharing needs the merchant’s API v3 credentials');
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
