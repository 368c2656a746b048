import type { Fen } from '../../shared/money';
import type { ApiVersion } from './types';

/**
 * What a verified WeChat Pay notification says, the same for API v2 and v3, so the hub's endpoints hand one
 * shape to one handler. Openids appear only masked: the hub never needs the payer's identity to record money.
 */

export interface PaymentNotification {
  kind: 'payment';
  api: ApiVersion;
  /**
   * Unique per notification, stable across WeChat's retries: v3 the notification `id`; v2 has none, so
   * `v2:pay:<transaction_id>` (v2 sends payment notifications only for a successful payment, one per order).
   */
  id: string;
  /** v3 event_type (TRANSACTION.SUCCESS); v2 `TRANSACTION.SUCCESS` or `TRANSACTION.FAIL` from result_code. */
  eventType: string;
  mchid: string;
  appid: string;
  outTradeNo: string;
  transactionId: string;
  /** SUCCESS for a paid order (v2 result_code FAIL is reported as PAYERROR). */
  tradeState: string;
  tradeType: string | null;
  totalFen: Fen;
  payerTotalFen: Fen;
  /** Epoch ms of success_time / time_end; null when absent. */
  successTime: number | null;
  /** maskOpenid of payer.openid / openid. */
  payerOpenidMasked: string | null;
  attach: string | null;
}

export type NotifiedRefundStatus = 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export interface RefundNotification {
  kind: 'refund';
  api: ApiVersion;
  /** v3 the notification `id`; v2 `v2:refund:<refund_id>:<status>` (one final status per refund). */
  id: string;
  eventType: string;
  mchid: string;
  outTradeNo: string;
  transactionId: string;
  outRefundNo: string;
  refundId: string;
  refundStatus: NotifiedRefundStatus;
  successTime: number | null;
  /** The order total and the refund, in fen; payer amounts exclude coupons. */
  totalFen: Fen;
  refundFen: Fen;
  payerTotalFen: Fen;
  payerRefundFen: Fen;
}

export type WechatNotification = PaymentNotification | RefundNotification;

/**
 * Why a notification was refused. Each is distinct and says nothing secret (no key, no signature, no plaintext),
 * so it can be logged and counted as it is.
 */
export type NotificationRefusalReason =
  | 'BODY_TOO_LARGE'
  | 'MISSING_HEADERS'
  | 'UNKNOWN_SERIAL'
  | 'STALE_TIMESTAMP'
  | 'BAD_SIGNATURE'
  | 'MALFORMED_BODY'
  | 'UNKNOWN_EVENT'
  | 'UNDECRYPTABLE'
  | 'UNEXPECTED_PLAINTEXT'
  | 'WRONG_MERCHANT';

export type NotificationResult =
  | { ok: true; notification: WechatNotification }
  | { ok: false; reason: NotificationRefusalReason; detail: string };

/** Notifications are a few kilobytes; anything far larger is not one (and is not read further). */
export const DEFAULT_MAX_NOTIFICATION_BYTES = 64 * 1024;

export const refuse = (reason: NotificationRefusalReason, detail: string): NotificationResult => ({ ok: false, reason, detail });
