import type { UnknownCause } from './types';

/**
 * Which error codes leave the outcome unknown (the money may have moved, or the request may still be processed):
 * the caller must query, never tell the cashier it failed. Everything else is a definite failure. Codes are
 * compared in the v2 spelling; v3 spellings are normalised first.
 */
const UNKNOWN_CODES: Record<string, UnknownCause> = {
  SYSTEMERROR: 'system-error',
  BANKERROR: 'system-error',
  BIZERR_NEED_RETRY: 'system-error',
  USERPAYING: 'user-paying',
  FREQUENCY_LIMITED: 'rate-limited',
  INVALID_REQ_TOO_MUCH: 'rate-limited',
};

/** v3 spells several codes differently; the engine sees one spelling. */
const V3_ALIASES: Record<string, string> = {
  SYSTEM_ERROR: 'SYSTEMERROR',
  BANK_ERROR: 'BANKERROR',
  USER_PAYING: 'USERPAYING',
  ORDER_NOT_EXIST: 'ORDERNOTEXIST',
  ORDERNOTEXIST: 'ORDERNOTEXIST',
  ORDER_CLOSED: 'ORDERCLOSED',
  ORDER_PAID: 'ORDERPAID',
  ORDER_REVERSED: 'ORDERREVERSED',
  NOT_ENOUGH: 'NOTENOUGH',
  AUTH_CODE_EXPIRE: 'AUTHCODEEXPIRE',
  SIGN_ERROR: 'SIGNERROR',
  NO_AUTH: 'NOAUTH',
  MCH_NOT_EXISTS: 'MCHID_NOT_EXIST',
  ACCOUNT_ERROR: 'ACCOUNTERROR',
  RATELIMIT_EXCEEDED: 'FREQUENCY_LIMITED',
  RATE_LIMITED: 'FREQUENCY_LIMITED',
  REQUEST_BLOCKED: 'TRADE_ERROR',
};

export function normaliseV3Code(code: string): string {
  return V3_ALIASES[code] ?? code;
}

// INVALID_REQUEST doubles as WeChat Pay's rate-limit answer; only its message tells the two apart.
const RATE_LIMIT_MESSAGE = /频率|频繁|过快|限流|limit|too many|too frequent/i;

export type CodeClass = { kind: 'failure' } | { kind: 'unknown'; cause: UnknownCause };

export function classifyCode(code: string, message = ''): CodeClass {
  const cause = UNKNOWN_CODES[code];
  if (cause) return { kind: 'unknown', cause };
  if (code === 'INVALID_REQUEST' && RATE_LIMIT_MESSAGE.test(message)) return { kind: 'unknown', cause: 'rate-limited' };
  return { kind: 'failure' };
}
