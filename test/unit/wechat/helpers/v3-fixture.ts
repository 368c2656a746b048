import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { createWechatPayClient } from '../../../../electron/wechat/factory';
import type { WechatCredentials, WechatPayClient } from '../../../../electron/wechat/types';
import { parseAuthorization, signSha256Rsa, v3Message, verifySha256Rsa } from '../../../../electron/wechat/v3/sign';
import type { TestPki } from './pki';
import type { RecordedRequest, ScriptedAnswer } from './script-server';

/** Shared pieces of the v3 client tests. */

export const MCHID = '1900000001';
export const APPID = 'wx00000000000000a1';
export const PUB_KEY_ID = 'PUB_KEY_ID_0119000000012024030100000000000001';
export const NOW = Date.UTC(2024, 2, 1, 4, 0, 0);

export function v3Credentials(pki: TestPki, extra: Partial<WechatCredentials> = {}): WechatCredentials {
  return {
    mchid: MCHID,
    appid: APPID,
    apiV3Key: 'V3KEYV3KEYV3KEYV3KEYV3KEYV3KEY12',
    merchantPrivateKeyPem: pki.merchantKeyPem,
    merchantCertSerial: pki.merchantSerial,
    wechatPayPublicKeyPem: pki.wechatPayPublicKeyPem,
    wechatPayPublicKeyId: PUB_KEY_ID,
    caCertPem: pki.caCertPem,
    ...extra,
  };
}

export interface V3Harness {
  client: WechatPayClient;
  logger: MemoryLogger;
  clock: ManualClock;
}

/** `notifyUrl: null` builds a client whose settings name no notify_url. */
export function v3Client(baseUrl: string, credentials: WechatCredentials, options: { notifyUrl?: string | null } = {}): V3Harness {
  const logger = new MemoryLogger();
  const clock = new ManualClock(NOW);
  const client = createWechatPayClient({
    apiVersion: 'v3',
    credentials,
    baseUrl,
    timeouts: { connectMs: 2000, totalMs: 3000 },
    clock,
    logger,
    spbillCreateIp: '192.168.1.20',
    deviceInfo: 'POS01',
    ...(options.notifyUrl === null ? {} : { notifyUrl: options.notifyUrl ?? 'https://shop.example.com/notify' }),
  });
  return { client, logger, clock };
}

export interface SignOptions {
  keyPem: string;
  serial: string;
  /** Seconds; defaults to NOW. */
  timestamp?: number;
  omit?: 'Wechatpay-Signature' | 'Wechatpay-Serial' | 'Wechatpay-Timestamp' | 'Wechatpay-Nonce';
}

/** A v3 answer signed like WeChat Pay signs it. `body` null means no body (204). */
export function signedJson(status: number, body: unknown, sign: SignOptions): ScriptedAnswer {
  const text = body === null ? '' : JSON.stringify(body);
  const timestamp = String(sign.timestamp ?? Math.floor(NOW / 1000));
  const nonce = 'ANSWERNONCE0001';
  const headers: Record<string, string> = {
    'Wechatpay-Timestamp': timestamp,
    'Wechatpay-Nonce': nonce,
    'Wechatpay-Signature': signSha256Rsa(v3Message([timestamp, nonce, text]), sign.keyPem),
    'Wechatpay-Serial': sign.serial,
  };
  if (sign.omit) delete headers[sign.omit];
  if (body !== null) headers['Content-Type'] = 'application/json';
  return { status, headers, body: text };
}

/** Checks a request's Authorization header the way WeChat Pay does; returns the parsed parameters or throws. */
export function assertSignedRequest(request: RecordedRequest, merchantCertPem: string): ReturnType<typeof parseAuthorization> {
  const header = request.headers.authorization;
  const auth = typeof header === 'string' ? parseAuthorization(header) : null;
  if (!auth) throw new Error('no valid Authorization header');
  const message = v3Message([request.method, request.url, auth.timestamp, auth.nonce, request.body]);
  if (!verifySha256Rsa(message, auth.signature, merchantCertPem)) throw new Error('request signature does not verify');
  return auth;
}

export function transaction(outTradeNo: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    appid: APPID,
    mchid: MCHID,
    out_trade_no: outTradeNo,
    transaction_id: '4200000000202403011234567890',
    trade_type: 'MICROPAY',
    trade_state: 'SUCCESS',
    trade_state_desc: '支付成功',
    bank_type: 'CMB_DEBIT',
    success_time: '2024-03-01T12:00:05+08:00',
    payer: { openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' },
    amount: { total: 1250, payer_total: 1250, currency: 'CNY', payer_currency: 'CNY' },
    ...extra,
  };
}
