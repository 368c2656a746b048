import { createPrivateKey } from 'node:crypto';
import { buildContext, type WechatClientConfig } from './config';
import { createHttpTransport } from './transport';
import type { WechatPayClient } from './types';
import { WechatPayV2Client } from './v2/client';
import { WechatPayV3Client } from './v3/client';
import { createResponseVerifier, VerifierConfigError } from './v3/verify';

/** Settings that cannot work. The message names the fields only, never their values. */
export class WechatConfigError extends Error {
  override readonly name = 'WechatConfigError';
}

function requireFields(config: WechatClientConfig, names: readonly (keyof WechatClientConfig['credentials'])[]): void {
  const missing = names.filter((name) => {
    const value = config.credentials[name];
    return value === undefined || value === '' || (Array.isArray(value) && value.length === 0);
  });
  if (missing.length > 0) throw new WechatConfigError(`WeChat Pay ${config.apiVersion} settings lack: ${missing.join(', ')}`);
}

function checkTimeouts(config: WechatClientConfig): void {
  const { connectMs, totalMs } = config.timeouts;
  if (!(connectMs > 0) || !(totalMs > 0) || connectMs > totalMs) {
    throw new WechatConfigError('timeouts must be positive and connectMs must not exceed totalMs');
  }
}

/**
 * Builds the v2 (XML) or v3 (JSON) client from settings. Throws WechatConfigError when a required credential is
 * missing or unreadable, so a broken setup shows on the settings screen rather than mid-sale.
 */
export function createWechatPayClient(config: WechatClientConfig): WechatPayClient {
  const { credentials } = config;
  requireFields(config, ['mchid', 'appid']);
  checkTimeouts(config);
  let transport;
  try {
    transport =
      config.transport ??
      createHttpTransport({
        baseUrl: config.baseUrl,
        timeouts: config.timeouts,
        caCertPem: credentials.caCertPem,
        clientCertPem: credentials.clientCertPem,
        clientKeyPem: credentials.clientKeyPem,
      });
  } catch (error) {
    throw new WechatConfigError(error instanceof Error ? error.message : 'bad transport settings');
  }
  const ctx = buildContext(config, transport);

  if (config.apiVersion === 'v2') {
    requireFields(config, ['apiKeyV2']);
    return new WechatPayV2Client(ctx, credentials.apiKeyV2 ?? '', credentials.v2SignType ?? 'MD5');
  }

  requireFields(config, ['merchantPrivateKeyPem', 'merchantCertSerial']);
  if (!credentials.wechatPayPublicKeyPem && !(credentials.platformCertificates ?? []).length) {
    throw new WechatConfigError('WeChat Pay v3 settings lack a WeChat Pay public key or platform certificate');
  }
  if (credentials.wechatPayPublicKeyPem && !credentials.wechatPayPublicKeyId) {
    throw new WechatConfigError('WeChat Pay v3 settings lack: wechatPayPublicKeyId');
  }
  try {
    createPrivateKey(credentials.merchantPrivateKeyPem ?? '');
  } catch {
    throw new WechatConfigError('the merchant private key is not a readable PEM key');
  }
  let verifier;
  try {
    verifier = createResponseVerifier(credentials, config.clock);
  } catch (error) {
    throw new WechatConfigError(error instanceof VerifierConfigError ? error.message : 'unreadable WeChat Pay key');
  }
  return new WechatPayV3Client(ctx, credentials.merchantPrivateKeyPem ?? '', credentials.merchantCertSerial ?? '', verifier);
}
