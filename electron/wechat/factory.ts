import { createPrivateKey } from 'node:crypto';
import { buildContext, extendContext, type ClientContext, type WechatClientConfig } from './config';
import { createHttpTransport } from './transport';
import type { WechatPayClient } from './types';
import { WechatPayV2Client } from './v2/client';
import { WechatPayV3Client } from './v3/client';
import type { V3Context } from './v3/call';
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

/** The transport and shared context for these settings; throws WechatConfigError for what cannot work. */
function prepare(config: WechatClientConfig): ClientContext {
  const { credentials } = config;
  requireFields(config, ['mchid', 'appid']);
  checkTimeouts(config);
  if (config.partner && !/^\d{8,16}$/.test(config.partner.subMchid)) throw new WechatConfigError('the sub-merchant id (sub_mchid) must be 8–16 digits');
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
  return buildContext(config, transport);
}

/** What a v3 call needs beyond the shared context: the merchant key, its serial and the answer verifier. */
export function prepareV3(config: WechatClientConfig): V3Context {
  const ctx = prepare(config);
  const { credentials } = config;
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
  return extendContext(ctx, { privateKeyPem: credentials.merchantPrivateKeyPem ?? '', merchantSerial: credentials.merchantCertSerial ?? '', verifier });
}

/** What a v2 call needs beyond the shared context: the API key (required). */
export function prepareV2(config: WechatClientConfig): ClientContext & { apiKey: string } {
  const ctx = prepare(config);
  requireFields(config, ['apiKeyV2']);
  return Object.assign(ctx, { apiKey: config.credentials.apiKeyV2 ?? '' });
}

/**
 * Builds the v2 (XML) or v3 (JSON) client from settings. Throws WechatConfigError when a required credential is
 * missing or unreadable, so a broken setup shows on the settings screen rather than mid-sale.
 */
export function createWechatPayClient(config: WechatClientConfig): WechatPayClient {
  if (config.apiVersion === 'v2') {
    const ctx = prepare(config);
    requireFields(config, ['apiKeyV2']);
    return new WechatPayV2Client(ctx, config.credentials.apiKeyV2 ?? '', config.credentials.v2SignType ?? 'MD5');
  }
  const ctx = prepareV3(config);
  return new WechatPayV3Client(ctx, ctx.privateKeyPem, ctx.merchantSerial, ctx.verifier);
}
