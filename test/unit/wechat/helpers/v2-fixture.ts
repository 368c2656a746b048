import { ManualClock } from '../../../../shared/clock';
import { MemoryLogger } from '../../../../shared/log';
import { createWechatPayClient } from '../../../../electron/wechat/factory';
import type { WechatCredentials, WechatPayClient } from '../../../../electron/wechat/types';
import { signV2, type V2SignType } from '../../../../electron/wechat/v2/sign';
import { parseXml, toXml } from '../../../../electron/wechat/v2/xml';
import type { RecordedRequest, ScriptedAnswer } from './script-server';

/** Shared pieces of the v2 client tests: credentials, a client factory, and signed answers. */

export const V2_KEY = '8934e7d15453e97507ef794cf7b0519d';
export const MCHID = '1900000001';
export const APPID = 'wx00000000000000a1';
/** 2024-03-01 12:00:00 Beijing. */
export const NOW = Date.UTC(2024, 2, 1, 4, 0, 0);

export function v2Credentials(extra: Partial<WechatCredentials> = {}): WechatCredentials {
  return { mchid: MCHID, appid: APPID, apiKeyV2: V2_KEY, ...extra };
}

export interface V2Harness {
  client: WechatPayClient;
  logger: MemoryLogger;
  clock: ManualClock;
}

export function v2Client(
  baseUrl: string,
  credentials: WechatCredentials = v2Credentials(),
  timeouts = { connectMs: 2000, totalMs: 3000 },
): V2Harness {
  const logger = new MemoryLogger();
  const clock = new ManualClock(NOW);
  const client = createWechatPayClient({
    apiVersion: 'v2',
    credentials,
    baseUrl,
    timeouts,
    clock,
    logger,
    spbillCreateIp: '192.168.1.20',
    deviceInfo: 'POS01',
    notifyUrl: 'https://shop.example.com/notify',
  });
  return { client, logger, clock };
}

export function requestFields(request: RecordedRequest): Record<string, string> {
  return parseXml(request.body);
}

/** A signed v2 answer around `fields` (return_code SUCCESS, appid, mch_id, nonce added). */
export function signedAnswer(
  fields: Record<string, string | number>,
  options: { key?: string; signType?: V2SignType; declareType?: boolean } = {},
): ScriptedAnswer {
  const all: Record<string, string> = { return_code: 'SUCCESS', return_msg: 'OK', appid: APPID, mch_id: MCHID, nonce_str: 'ANSWERNONCE' };
  for (const [k, v] of Object.entries(fields)) all[k] = String(v);
  const signType = options.signType ?? 'MD5';
  if (options.declareType) all.sign_type = signType;
  all.sign = signV2(all, options.key ?? V2_KEY, signType);
  return xmlAnswer(all);
}

export function xmlAnswer(fields: Record<string, string | number>): ScriptedAnswer {
  return { status: 200, headers: { 'Content-Type': 'text/xml' }, body: toXml(fields) };
}

export const businessFail = (errCode: string, errCodeDes = '错误', extra: Record<string, string> = {}): ScriptedAnswer =>
  signedAnswer({ result_code: 'FAIL', err_code: errCode, err_code_des: errCodeDes, ...extra });

/** A paid micropay / orderquery answer. */
export function paidOrder(outTradeNo: string, extra: Record<string, string | number> = {}): Record<string, string | number> {
  return {
    result_code: 'SUCCESS',
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
    trade_type: 'MICROPAY',
    bank_type: 'CMB_DEBIT',
    total_fee: 1250,
    cash_fee: 1250,
    fee_type: 'CNY',
    transaction_id: '4200000000202403011234567890',
    out_trade_no: outTradeNo,
    time_end: '20240301120005',
    ...extra,
  };
}

export const AUTH_CODE = '134567890123456789';
