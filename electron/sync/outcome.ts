import type { Localized } from '../../shared/i18n';
import type { WechatOutcome } from '../wechat/types';

/** Whether an answer shows WeChat Pay could be reached: the connectivity monitor learns from real traffic. */
export type Reach = 'reachable' | 'unreachable' | 'unknown';

export function reachOf(outcome: WechatOutcome<unknown>): Reach {
  if (outcome.kind !== 'unknown') return 'reachable';
  switch (outcome.cause) {
    case 'network':
    case 'timeout':
    case 'http-5xx':
      return 'unreachable';
    default:
      // SYSTEMERROR, USERPAYING, rate limiting, even a bad signature: something answered.
      return 'reachable';
  }
}

/** Any 18-digit WeChat payment code that slipped into a text is masked before the text is stored or logged. */
export function scrubCodes(text: string): string {
  return text.replace(/1[0-5]\d{16}/g, (code) => `${code.slice(0, 4)}${'*'.repeat(10)}${code.slice(-4)}`);
}

/** A short, secret-free description of an answer for last_error and logs. */
export function outcomeSummary(outcome: WechatOutcome<unknown>): string | null {
  switch (outcome.kind) {
    case 'success':
      return null;
    case 'failure':
      return outcome.code;
    case 'unknown':
      return scrubCodes(`${outcome.cause}${outcome.code ? ` ${outcome.code}` : ''}: ${outcome.detail}`).slice(0, 300);
  }
}

/** A client that throws instead of answering is a bug; its call is treated as unknown so money is never assumed. */
export async function callSafely<T>(call: () => Promise<WechatOutcome<T>>): Promise<WechatOutcome<T>> {
  try {
    return await call();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { kind: 'unknown', cause: 'malformed', detail: scrubCodes(`client threw: ${detail}`) };
  }
}

/** ECONNREFUSED means no byte reached the server: the request was certainly not processed. */
export function certainlyNotSent(outcome: WechatOutcome<unknown>): boolean {
  return outcome.kind === 'unknown' && outcome.cause === 'network' && (outcome.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(outcome.detail));
}

/** WeChat Pay could not be reached by the connectivity probe (the sync tab's "last problem"). */
export const PROBE_UNREACHABLE: Localized = {
  zh: '无法连接微信支付（网络或微信服务器无应答），正在自动重试',
  en: 'WeChat Pay could not be reached (no answer from the network or its servers); retrying automatically',
};

/**
 * An answer that was not a success, in words for the manager (the sync tab): what happened and that the app deals
 * with it, never a raw code such as "system-error BILL_CREATING" (that stays in last_error and the log for IT).
 */
export function outcomeWords(outcome: WechatOutcome<unknown>): Localized | null {
  if (outcome.kind === 'success') return null;
  if (outcome.kind === 'failure') return { zh: `微信支付拒绝了请求：${outcome.reason.zh}`, en: `WeChat Pay refused a request: ${outcome.reason.en}` };
  if (outcome.code === 'BILL_CREATING' || outcome.code === 'NO_STATEMENT_EXIST') {
    return { zh: '微信账单还在生成中（当日账单次日 10:00 后才有），稍后自动再下载', en: "WeChat is still making the bill (a day's bill exists from 10:00 the next day); it will be fetched again automatically" };
  }
  switch (outcome.cause) {
    case 'network':
      return PROBE_UNREACHABLE;
    case 'timeout':
      return { zh: '微信支付没有及时应答，结果将自动查询', en: 'WeChat Pay did not answer in time; the result will be checked automatically' };
    case 'http-5xx':
    case 'system-error':
      return { zh: '微信支付暂时故障，正在自动重试', en: 'WeChat Pay has a temporary problem; retrying automatically' };
    case 'user-paying':
      return { zh: '顾客正在手机上输入密码', en: 'The customer is entering the password on the phone' };
    case 'rate-limited':
      return { zh: '请求过于频繁，微信支付要求稍等，稍后自动继续', en: 'Too many requests: WeChat Pay asked to wait; continuing shortly' };
    case 'bad-signature':
      return { zh: '微信支付应答的签名无法验证，未采信该应答，正在重试（如持续出现请检查设置中的微信支付公钥或证书）', en: "An answer's signature could not be verified and was not trusted; retrying (if it persists, check the WeChat Pay public key or certificate in settings)" };
    case 'malformed':
      return { zh: '微信支付的应答无法识别，正在重试', en: 'The answer from WeChat Pay could not be understood; retrying' };
  }
}
