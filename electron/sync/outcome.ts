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
