import type { BackoffPolicy } from '../sync/backoff';

/** Every time rule of the payment engine in one place (milliseconds). Tests shorten nothing: they move a fake clock. */
export interface PaymentPolicy {
  /** Store and forward: a scanned code is given up if not sent within this long (codes refresh every minute). */
  micropaySendWindowMs: number;
  /** Query an unknown micropay order until this long after it may first have reached WeChat, then reverse. */
  micropayResolveMs: number;
  /** Never reverse sooner than this after creation (a reverse during password entry is refused). */
  micropayMinReverseMs: number;
  /** USERPAYING: the payer types a password; first query after this long. */
  userPayingQueryMs: number;
  /** SYSTEMERROR / BANKERROR: "query at once". */
  systemErrorQueryMs: number;
  queryIntervalMinMs: number;
  queryIntervalMaxMs: number;
  /** reverse answered recall=Y: call again after this long, this many times, then back off. */
  recallDelayMs: number;
  quickRecalls: number;
  /** Reverse works only within 7 days; past this, a manager takes over. */
  reverseGiveUpMs: number;
  /** Definite reverse refusals before a manager takes over. */
  maxReverseRejections: number;
  /**
   * Native QR: time_expire after creation. WeChat refuses less than 5 min from the moment it receives the order,
   * and the create may be retried for nativeCreateGiveUpMs, so this keeps a margin above 5 min.
   */
  nativeExpireMs: number;
  nativePollMinMs: number;
  nativePollMaxMs: number;
  /** Native QR: stop trying to create the order after this long (the customer is waiting at the counter). */
  nativeCreateGiveUpMs: number;
  refundQueryMinMs: number;
  refundQueryMaxMs: number;
  /** Retries after network trouble. */
  retry: BackoffPolicy;
  /** After "too fast" on refund endpoints WeChat says: retry after a minute. */
  refundRateLimitedMs: number;
  otherRateLimitedMs: number;
  /** 交易保障 reports: collect finished trades this long, at most this many per batch; drop after a day. */
  reportBatchWindowMs: number;
  reportBatchMax: number;
  reportDeadlineMs: number;
}

export const DEFAULT_PAYMENT_POLICY: PaymentPolicy = {
  micropaySendWindowMs: 50_000,
  micropayResolveMs: 45_000,
  micropayMinReverseMs: 15_000,
  userPayingQueryMs: 5_000,
  systemErrorQueryMs: 1_000,
  queryIntervalMinMs: 3_000,
  queryIntervalMaxMs: 5_000,
  recallDelayMs: 2_000,
  quickRecalls: 10,
  reverseGiveUpMs: 6 * 24 * 60 * 60 * 1000,
  maxReverseRejections: 5,
  nativeExpireMs: 5 * 60 * 1000 + 40_000,
  nativePollMinMs: 2_000,
  nativePollMaxMs: 3_000,
  nativeCreateGiveUpMs: 20_000,
  refundQueryMinMs: 3_000,
  refundQueryMaxMs: 5_000,
  retry: { baseMs: 1_000, capMs: 60_000 },
  refundRateLimitedMs: 60_000,
  otherRateLimitedMs: 5_000,
  reportBatchWindowMs: 60_000,
  reportBatchMax: 100,
  reportDeadlineMs: 24 * 60 * 60 * 1000,
};

/** The endpoints the worker rate-limits separately (names of the v2 paths). */
export const ENDPOINTS = {
  micropay: 'micropay',
  query: 'orderquery',
  reverse: 'reverse',
  native: 'unifiedorder',
  close: 'closeorder',
  refund: 'refund',
  refundQuery: 'refundquery',
  report: 'report',
} as const;
