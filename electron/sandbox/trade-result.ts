import type { OrderRow } from './ledger/orders';

/**
 * Business outcomes shared by the v2 and v3 front ends. Each front end maps a code to its own wire form (v2
 * err_code in signed XML, v3 HTTP status + JSON code), so the state machine is written once.
 */
export type TradeErrorCode =
  | 'ORDERNOTEXIST'
  | 'OUT_TRADE_NO_USED'
  | 'ORDERPAID'
  | 'ORDERCLOSED'
  | 'ORDERREVERSED'
  | 'ORDER_EXPIRED'
  | 'AUTH_CODE_INVALID'
  | 'AUTHCODEEXPIRE'
  | 'AUTH_CODE_ERROR'
  | 'NOTENOUGH'
  | 'BANKERROR'
  | 'USERPAYING'
  | 'TRADE_ERROR'
  | 'REVERSE_EXPIRE'
  | 'PARAM_ERROR'
  | 'REFUND_FEE_MISMATCH'
  | 'REFUND_FEE_INVALID'
  | 'REFUND_EXCEEDS'
  | 'FULLY_REFUNDED'
  | 'REFUND_LIMIT'
  | 'TRADE_OVERDUE'
  | 'NOT_PAID'
  | 'REFUNDNOTEXIST';

export interface TradeError {
  code: TradeErrorCode;
  /** The Chinese description the real service gives (err_code_des / message). */
  message: string;
  /** The order concerned, when one exists (v2 answers still carry its fields). */
  order?: OrderRow;
}

export type TradeResult<T> = { ok: true; value: T } | { ok: false; error: TradeError };

export const tradeOk = <T>(value: T): TradeResult<T> => ({ ok: true, value });

export const tradeFail = (code: TradeErrorCode, message: string, order?: OrderRow): TradeResult<never> => ({
  ok: false,
  error: order ? { code, message, order } : { code, message },
});

/** trade_state_desc as the real service words it. */
export function tradeStateDesc(order: OrderRow): string {
  switch (order.state) {
    case 'SUCCESS':
      return '支付成功';
    case 'REFUND':
      return '转入退款';
    case 'NOTPAY':
      return '订单未支付';
    case 'CLOSED':
      return '订单已关闭';
    case 'REVOKED':
      return '订单已撤销';
    case 'USERPAYING':
      return '需要用户输入支付密码';
    case 'PAYERROR':
      return order.wallet === 'not-enough' ? '支付失败，余额不足' : '支付失败，请撤销订单';
  }
}
