import type { z } from 'zod';
import { formatBeijingRfc3339 } from '../../../shared/clock';
import type { Database } from '../../db/open';
import type { SandboxResponse } from '../http';
import type { OrderRow } from '../ledger/orders';
import type { RefundRow } from '../ledger/refunds';
import type { MerchantDirectory } from '../merchants';
import type { ProfitSharingSettings } from '../profit-sharing';
import { isPaid } from '../state';
import { tradeStateDesc, type TradeError, type TradeErrorCode } from '../trade-result';
import { v3Error, type V3Context } from './protocol';

/** JSON shapes of v3 answers and the mapping of business refusals to HTTP status + code. */

export interface V3Deps extends V3Context {
  db: Database;
  /** Base URL the sandbox is reachable at, for download_url. */
  baseUrl: () => string;
  billFiles: Map<string, { body: Buffer; expiresAt: number }>;
  /** The time the bills are built at: the clock plus the testing aid's shift (see server.ts shiftBillClock). */
  billNow: () => number;
  /** The service provider's sub-merchants and the merchants that can receive split money. */
  merchants: MerchantDirectory;
  profitSharing: ProfitSharingSettings;
}

export const V3_OUT_NO = /^[0-9A-Za-z_\-*]{6,32}$/;

/** HTTP status and v3 code for each business refusal. Codes follow the v3 error tables (ORDER_NOT_EXIST, NOTENOUGH...). */
const V3_ERRORS: Record<TradeErrorCode, { status: number; code: string }> = {
  ORDERNOTEXIST: { status: 404, code: 'ORDER_NOT_EXIST' },
  OUT_TRADE_NO_USED: { status: 403, code: 'OUT_TRADE_NO_USED' },
  ORDERPAID: { status: 400, code: 'ORDERPAID' },
  ORDERCLOSED: { status: 400, code: 'ORDER_CLOSED' },
  ORDERREVERSED: { status: 400, code: 'ORDER_CLOSED' },
  ORDER_EXPIRED: { status: 400, code: 'ORDER_CLOSED' },
  AUTH_CODE_INVALID: { status: 400, code: 'AUTH_CODE_INVALID' },
  AUTHCODEEXPIRE: { status: 403, code: 'AUTHCODEEXPIRE' },
  AUTH_CODE_ERROR: { status: 403, code: 'AUTH_CODE_ERROR' },
  NOTENOUGH: { status: 403, code: 'NOTENOUGH' },
  BANKERROR: { status: 500, code: 'BANKERROR' },
  USERPAYING: { status: 403, code: 'USERPAYING' },
  TRADE_ERROR: { status: 403, code: 'TRADE_ERROR' },
  REVERSE_EXPIRE: { status: 403, code: 'REVERSE_EXPIRE' },
  PARAM_ERROR: { status: 400, code: 'PARAM_ERROR' },
  REFUND_FEE_MISMATCH: { status: 400, code: 'INVALID_REQUEST' },
  REFUND_FEE_INVALID: { status: 400, code: 'PARAM_ERROR' },
  REFUND_EXCEEDS: { status: 400, code: 'INVALID_REQUEST' },
  FULLY_REFUNDED: { status: 400, code: 'INVALID_REQUEST' },
  REFUND_LIMIT: { status: 400, code: 'INVALID_REQUEST' },
  TRADE_OVERDUE: { status: 400, code: 'INVALID_REQUEST' },
  NOT_PAID: { status: 400, code: 'INVALID_REQUEST' },
  REFUNDNOTEXIST: { status: 404, code: 'RESOURCE_NOT_EXISTS' },
};

export function v3TradeError(ctx: V3Context, error: TradeError): SandboxResponse {
  const { status, code } = V3_ERRORS[error.code];
  return v3Error(ctx, status, code, error.message);
}

/** A zod failure as 400 PARAM_ERROR naming the first offending field. */
export function v3ParamError(ctx: V3Context, error: z.ZodError): SandboxResponse {
  const issue = error.issues[0];
  const field = issue ? issue.path.map(String).join('.') : '';
  return v3Error(ctx, 400, 'PARAM_ERROR', `参数错误：${field || '请求体'}不符合要求`, {
    field,
    location: 'body',
    issue: issue?.message ?? 'invalid',
  });
}

const time = (ms: number | null): string | undefined => (ms === null ? undefined : formatBeijingRfc3339(ms));

/** A transaction as v3 query and codepay report it. Unpaid orders carry no payment fields. */
export function transactionJson(ctx: Pick<V3Context, 'identity'>, order: OrderRow): Record<string, unknown> {
  const paid = isPaid(order) || (order.state === 'REVOKED' && order.paidAt !== null);
  const base: Record<string, unknown> = {
    appid: ctx.identity.appid,
    mchid: ctx.identity.mchid,
    out_trade_no: order.outTradeNo,
    trade_state: order.state,
    trade_state_desc: tradeStateDesc(order),
    amount: paid
      ? { total: order.totalFee, payer_total: order.totalFee, currency: 'CNY', payer_currency: 'CNY' }
      : { total: order.totalFee, currency: 'CNY' },
  };
  if (order.tradeType === 'MICROPAY' || paid) base.trade_type = order.tradeType;
  if (!paid) return base;
  return {
    ...base,
    transaction_id: order.transactionId,
    bank_type: order.bankType ?? 'OTHERS',
    success_time: time(order.paidAt),
    payer: { openid: order.openid ?? '' },
    ...(order.attach === null ? {} : { attach: order.attach }),
    promotion_detail: [],
  };
}

/** A refund as v3 refunds and the refund query report it. */
export function refundJson(order: OrderRow, refund: RefundRow): Record<string, unknown> {
  return {
    refund_id: refund.refundId,
    out_refund_no: refund.outRefundNo,
    transaction_id: order.transactionId,
    out_trade_no: order.outTradeNo,
    channel: 'ORIGINAL',
    user_received_account: '支付用户零钱',
    ...(refund.successAt === null ? {} : { success_time: time(refund.successAt) }),
    create_time: time(refund.createdAt),
    status: refund.status,
    funds_account: 'AVAILABLE',
    amount: {
      total: refund.totalFee,
      refund: refund.refundFee,
      from: [],
      payer_total: refund.totalFee,
      payer_refund: refund.refundFee,
      settlement_refund: refund.refundFee,
      settlement_total: refund.totalFee,
      discount_refund: 0,
      currency: 'CNY',
      refund_fee: 0,
    },
    promotion_detail: [],
  };
}

/** RFC 3339 as v3 sends it, or null. */
export function parseRfc3339(text: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?(Z|[+-]\d{2}:\d{2})$/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : ms;
}
