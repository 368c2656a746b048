import type { Database } from '../db/open';
import { authCodeUsedBy, recordAuthCodeUse } from './ledger/auth-codes';
import {
  getOrder,
  getOrderByCodeUrl,
  getOrderByTransactionId,
  insertOrder,
  updateOrder,
  type OrderRow,
} from './ledger/orders';
import { authCodeHash, newCodeUrl, newPrepayId, newTransactionId, openidFor } from './ids';
import { isPaid, settleOrder } from './state';
import { tradeFail, tradeOk, type TradeResult } from './trade-result';
import {
  bankTypeFor,
  DEFAULT_PASSWORD_SECONDS,
  isPaymentCodeFormat,
  PASSWORD_REQUIRED_ABOVE_FEN,
  REVERSE_BLOCKED_WHILE_PAYING_MS,
  walletFor,
  type Wallet,
} from './wallets';

/** The order state machine for payments: micropay, native QR, query, close, reverse and the QR customer. */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** code_url lives about 2 h; without time_expire that is how long the order can be paid. */
const DEFAULT_NATIVE_EXPIRY_MS = 2 * 60 * MINUTE;
/** "time_expire时间过短，刷卡至少1分钟，其他5分钟" */
const MIN_NATIVE_EXPIRY_MS = 5 * MINUTE;
const REVERSE_WINDOW_MS = 7 * DAY;

export interface MicropayInput {
  outTradeNo: string;
  authCode: string;
  totalFee: number;
  body: string;
  attach?: string | undefined;
  deviceInfo?: string | undefined;
}

export interface NativeInput {
  outTradeNo: string;
  totalFee: number;
  body: string;
  timeExpire: number | null;
  attach?: string | undefined;
  deviceInfo?: string | undefined;
}

export type OrderKey = { outTradeNo: string } | { transactionId: string };

function findOrder(db: Database, key: OrderKey): OrderRow | null {
  return 'outTradeNo' in key ? getOrder(db, key.outTradeNo) : getOrderByTransactionId(db, key.transactionId);
}

const notFound = (): TradeResult<never> => tradeFail('ORDERNOTEXIST', '订单不存在');

/** What an order that already exists answers to the same request again (idempotency on out_trade_no). */
function replayMicropay(order: OrderRow): TradeResult<OrderRow> {
  switch (order.state) {
    case 'SUCCESS':
    case 'REFUND':
    case 'USERPAYING':
      return tradeOk(order);
    case 'CLOSED':
      return tradeFail('ORDERCLOSED', '订单已关闭', order);
    case 'REVOKED':
      return tradeFail('ORDERREVERSED', '订单已撤销', order);
    case 'PAYERROR':
      return order.wallet === 'not-enough'
        ? tradeFail('NOTENOUGH', '用户余额不足', order)
        : tradeFail('TRADE_ERROR', '支付失败，请撤销订单', order);
    case 'NOTPAY':
      return tradeFail('OUT_TRADE_NO_USED', '商户订单号重复', order);
  }
}

/** A new micropay order's starting state for this payer. */
function startingState(wallet: Wallet, totalFee: number, now: number): Pick<OrderRow, 'state' | 'paysAt' | 'failsAt' | 'paidAt'> {
  const after = (seconds: number): number => now + seconds * 1000;
  switch (wallet.kind) {
    case 'instant':
    case 'bank-error':
      // Above ¥1000 every payer must enter the password, even the one who otherwise pays at once.
      return totalFee > PASSWORD_REQUIRED_ABOVE_FEN
        ? { state: 'USERPAYING', paysAt: after(DEFAULT_PASSWORD_SECONDS), failsAt: null, paidAt: null }
        : { state: 'SUCCESS', paysAt: null, failsAt: null, paidAt: now };
    case 'password':
      return { state: 'USERPAYING', paysAt: after(wallet.seconds), failsAt: null, paidAt: null };
    case 'password-never':
      return { state: 'USERPAYING', paysAt: null, failsAt: null, paidAt: null };
    case 'password-cancel':
      return { state: 'USERPAYING', paysAt: null, failsAt: after(wallet.seconds), paidAt: null };
    case 'not-enough':
      return { state: 'PAYERROR', paysAt: null, failsAt: null, paidAt: null };
    case 'expired':
    case 'already-used':
      throw new Error(`wallet ${wallet.kind} never creates an order`);
  }
}

/**
 * micropay / codepay. Success means the payer paid (state SUCCESS) or is entering the password (USERPAYING: the
 * caller answers that as USERPAYING). The bank-error wallet pays but answers BANKERROR the first time.
 */
export function chargePaymentCode(db: Database, now: number, input: MicropayInput): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const codeHash = authCodeHash(input.authCode);
    const fingerprint = `MICROPAY|${input.totalFee}|${codeHash}`;
    const existing = getOrder(db, input.outTradeNo);
    if (existing) {
      const order = settleOrder(db, existing, now);
      if (order.fingerprint !== fingerprint) return tradeFail('OUT_TRADE_NO_USED', '商户订单号重复', order);
      return replayMicropay(order);
    }
    if (!isPaymentCodeFormat(input.authCode)) return tradeFail('AUTH_CODE_INVALID', '101 付款码无效，请重新扫码');
    const wallet = walletFor(input.authCode);
    if (wallet.kind === 'expired') return tradeFail('AUTHCODEEXPIRE', '二维码已过期，请用户在微信上刷新后再试');
    if (wallet.kind === 'already-used' || authCodeUsedBy(db, codeHash) !== null) {
      return tradeFail('AUTH_CODE_ERROR', '每个二维码仅限使用一次，请刷新再试');
    }
    const order: OrderRow = {
      outTradeNo: input.outTradeNo,
      transactionId: newTransactionId(now),
      tradeType: 'MICROPAY',
      ...startingState(wallet, input.totalFee, now),
      totalFee: input.totalFee,
      body: input.body,
      attach: input.attach ?? null,
      deviceInfo: input.deviceInfo ?? null,
      fingerprint,
      wallet: wallet.kind,
      openid: openidFor(input.authCode),
      bankType: bankTypeFor(wallet.kind),
      codeUrl: null,
      prepayId: null,
      createdAt: now,
      timeExpire: null,
      closedAt: null,
      origin: 'api',
    };
    insertOrder(db, order);
    recordAuthCodeUse(db, codeHash, order.outTradeNo, now);
    if (order.state === 'PAYERROR') return tradeFail('NOTENOUGH', '用户余额不足', order);
    if (wallet.kind === 'bank-error') return tradeFail('BANKERROR', '银行系统异常', order);
    return tradeOk(order);
  })();
}

/** unifiedorder NATIVE / v3 native: the same request again returns the same order (and the same code_url). */
export function createNativeOrder(db: Database, now: number, input: NativeInput): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const fingerprint = `NATIVE|${input.totalFee}|${input.body}`;
    const existing = getOrder(db, input.outTradeNo);
    if (existing) {
      const order = settleOrder(db, existing, now);
      if (order.fingerprint !== fingerprint) return tradeFail('OUT_TRADE_NO_USED', '商户订单号重复', order);
      if (isPaid(order)) return tradeFail('ORDERPAID', '该订单已支付', order);
      if (order.state === 'CLOSED') return tradeFail('ORDERCLOSED', '订单已关闭', order);
      if (order.state === 'REVOKED') return tradeFail('ORDERREVERSED', '订单已撤销', order);
      return tradeOk(order);
    }
    if (input.timeExpire !== null && input.timeExpire < now + MIN_NATIVE_EXPIRY_MS) {
      return tradeFail('PARAM_ERROR', 'time_expire时间过短，刷卡至少1分钟，其他5分钟');
    }
    const order: OrderRow = {
      outTradeNo: input.outTradeNo,
      transactionId: newTransactionId(now),
      tradeType: 'NATIVE',
      state: 'NOTPAY',
      totalFee: input.totalFee,
      body: input.body,
      attach: input.attach ?? null,
      deviceInfo: input.deviceInfo ?? null,
      fingerprint,
      wallet: null,
      openid: null,
      bankType: null,
      codeUrl: newCodeUrl(),
      prepayId: newPrepayId(now),
      createdAt: now,
      timeExpire: input.timeExpire ?? now + DEFAULT_NATIVE_EXPIRY_MS,
      paysAt: null,
      failsAt: null,
      paidAt: null,
      closedAt: null,
      origin: 'api',
    };
    insertOrder(db, order);
    return tradeOk(order);
  })();
}

export function queryOrder(db: Database, now: number, key: OrderKey): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const found = findOrder(db, key);
    return found ? tradeOk(settleOrder(db, found, now)) : notFound();
  })();
}

/**
 * closeorder. A payment that completed before this instant wins (ORDERPAID); one still pending is cancelled, so
 * a payment after a successful close is impossible, as on the real service.
 */
export function closeOrder(db: Database, now: number, outTradeNo: string): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const found = getOrder(db, outTradeNo);
    if (!found) return notFound();
    const order = settleOrder(db, found, now);
    if (isPaid(order)) return tradeFail('ORDERPAID', '订单已支付', order);
    if (order.state === 'CLOSED') return tradeFail('ORDERCLOSED', '订单已关闭', order);
    if (order.state === 'REVOKED') return tradeFail('ORDERREVERSED', '订单已撤销', order);
    const closed: OrderRow = { ...order, state: 'CLOSED', closedAt: now, paysAt: null, failsAt: null };
    updateOrder(db, closed);
    return tradeOk(closed);
  })();
}

/**
 * secapi/pay/reverse / v3 reverse: closes an unpaid micropay order or returns a paid one's money. Refused with
 * USERPAYING while the payer is still entering the password within 15 s of creation (the doc's "do not reverse
 * within 15 s"); after that the pending password entry is abandoned and the order revoked.
 */
export function reverseOrder(db: Database, now: number, outTradeNo: string): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const found = getOrder(db, outTradeNo);
    if (!found) return notFound();
    const order = settleOrder(db, found, now);
    if (order.tradeType !== 'MICROPAY') return tradeFail('TRADE_ERROR', '该订单类型不支持撤销', order);
    if (now - order.createdAt > REVERSE_WINDOW_MS) return tradeFail('REVERSE_EXPIRE', '订单已超过撤销期限', order);
    if (order.state === 'REVOKED') return tradeOk(order);
    if (order.state === 'REFUND') return tradeFail('TRADE_ERROR', '订单已发生退款，不能撤销', order);
    if (order.state === 'USERPAYING' && now - order.createdAt < REVERSE_BLOCKED_WHILE_PAYING_MS) {
      return tradeFail('USERPAYING', '用户正在输入密码，请稍后再撤销', order);
    }
    const revoked: OrderRow = { ...order, state: 'REVOKED', closedAt: now, paysAt: null, failsAt: null };
    updateOrder(db, revoked);
    return tradeOk(revoked);
  })();
}

/**
 * The customer scanning a native QR and paying it `delayMs` after now (on the injected clock). A close or the
 * order's expiry before that instant means the payment never happens.
 */
export function payCodeUrl(db: Database, now: number, codeUrl: string, delayMs: number): TradeResult<OrderRow> {
  return db.transaction((): TradeResult<OrderRow> => {
    const found = getOrderByCodeUrl(db, codeUrl);
    if (!found) return notFound();
    const order = settleOrder(db, found, now);
    if (isPaid(order)) return tradeFail('ORDERPAID', '该订单已支付', order);
    if (order.state === 'CLOSED') return tradeFail('ORDERCLOSED', '订单已关闭', order);
    if (order.state === 'REVOKED') return tradeFail('ORDERREVERSED', '订单已撤销', order);
    const paysAt = now + Math.max(0, Math.floor(delayMs));
    if (order.timeExpire !== null && paysAt > order.timeExpire) return tradeFail('ORDER_EXPIRED', '订单已过期', order);
    const scheduled: OrderRow = {
      ...order,
      paysAt,
      openid: openidFor(codeUrl),
      bankType: bankTypeFor('instant'),
    };
    updateOrder(db, scheduled);
    return tradeOk(settleOrder(db, scheduled, now));
  })();
}
