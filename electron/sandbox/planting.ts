import { randomBytes } from 'node:crypto';
import type { Database } from '../db/open';
import { deleteOrder, getOrder, insertOrder, updateOrder, type LedgerTradeType, type OrderRow } from './ledger/orders';
import { deleteRefundsForOrder, insertRefund, listRefundsForOrder, type RefundRow } from './ledger/refunds';
import { newRefundId, newTransactionId, openidFor } from './ids';
import { refundRefusal } from './refund-trades';
import { settleOrder } from './state';

/**
 * What happens on the merchant's account without the POS: a payment it never made (a second till, a mistake), an
 * amount that differs from what the POS recorded, a refund made on the merchant platform. For reconciliation tests.
 */

export class PlantingError extends Error {
  override readonly name = 'PlantingError';
}

export interface PlantPaymentInput {
  outTradeNo?: string;
  totalFen: number;
  /** Epoch ms; default now. */
  paidAt?: number;
  tradeType?: LedgerTradeType;
  description?: string;
}

function checkFen(value: number, what: string): void {
  if (!Number.isSafeInteger(value) || value <= 0) throw new PlantingError(`${what} must be a positive whole number of fen`);
}

export function plantPayment(db: Database, now: number, input: PlantPaymentInput): OrderRow {
  checkFen(input.totalFen, 'totalFen');
  const paidAt = input.paidAt ?? now;
  const outTradeNo = input.outTradeNo ?? `PLANTED${randomBytes(8).toString('hex').toUpperCase()}`;
  return db.transaction((): OrderRow => {
    if (getOrder(db, outTradeNo)) throw new PlantingError(`order ${outTradeNo} already exists`);
    const order: OrderRow = {
      outTradeNo,
      transactionId: newTransactionId(paidAt),
      tradeType: input.tradeType ?? 'MICROPAY',
      state: 'SUCCESS',
      totalFee: input.totalFen,
      body: input.description ?? '沙箱外部交易',
      attach: null,
      deviceInfo: null,
      fingerprint: `PLANTED|${input.totalFen}`,
      wallet: 'instant',
      openid: openidFor(outTradeNo),
      bankType: 'OTHERS',
      codeUrl: null,
      prepayId: null,
      createdAt: paidAt,
      timeExpire: null,
      paysAt: null,
      failsAt: null,
      paidAt,
      closedAt: null,
      origin: 'planted',
    };
    insertOrder(db, order);
    return order;
  })();
}

/** Changes what WeChat says an order was for; the POS keeps what it recorded, so the two now disagree. */
export function changeOrderAmount(db: Database, now: number, outTradeNo: string, totalFen: number): OrderRow {
  checkFen(totalFen, 'totalFen');
  return db.transaction((): OrderRow => {
    const found = getOrder(db, outTradeNo);
    if (!found) throw new PlantingError(`no order ${outTradeNo}`);
    const changed: OrderRow = { ...settleOrder(db, found, now), totalFee: totalFen };
    updateOrder(db, changed);
    return changed;
  })();
}

export interface PlantRefundInput {
  outTradeNo: string;
  refundFen: number;
  outRefundNo?: string;
  /** Epoch ms; default now. A refund made on the merchant platform is complete at once. */
  at?: number;
}

export function plantRefund(db: Database, now: number, input: PlantRefundInput): RefundRow {
  checkFen(input.refundFen, 'refundFen');
  const at = input.at ?? now;
  return db.transaction((): RefundRow => {
    const found = getOrder(db, input.outTradeNo);
    if (!found) throw new PlantingError(`no order ${input.outTradeNo}`);
    const order = settleOrder(db, found, now);
    const refunds = listRefundsForOrder(db, order.outTradeNo);
    const refusal = refundRefusal(order, refunds, order.totalFee, input.refundFen, at);
    if (refusal && !refusal.ok) throw new PlantingError(`refund refused: ${refusal.error.code}`);
    const refund: RefundRow = {
      outRefundNo: input.outRefundNo ?? `MCHREFUND${randomBytes(6).toString('hex').toUpperCase()}`,
      refundId: newRefundId(at),
      outTradeNo: order.outTradeNo,
      refundFee: input.refundFen,
      totalFee: order.totalFee,
      reason: '商户平台退款',
      status: 'SUCCESS',
      createdAt: at,
      succeedsAt: at,
      successAt: at,
      origin: 'planted',
    };
    insertRefund(db, refund);
    updateOrder(db, { ...order, state: 'REFUND' });
    return refund;
  })();
}

/**
 * A paid order reversed at WeChat without the app knowing (another till, the merchant platform): the bill shows
 * it REVOKED and settles nothing, while the app still counts the money as taken. Only a paid order without
 * refunds can be reversed, as with the live reverse API.
 */
export function plantReversal(db: Database, now: number, outTradeNo: string): OrderRow {
  return db.transaction((): OrderRow => {
    const found = getOrder(db, outTradeNo);
    if (!found) throw new PlantingError(`no order ${outTradeNo}`);
    const order = settleOrder(db, found, now);
    if (order.state !== 'SUCCESS') throw new PlantingError(`order ${outTradeNo} is ${order.state}, only a paid order can be reversed`);
    if (listRefundsForOrder(db, outTradeNo).length > 0) throw new PlantingError(`order ${outTradeNo} has refunds`);
    const reversed: OrderRow = { ...order, state: 'REVOKED', closedAt: now };
    updateOrder(db, reversed);
    return reversed;
  })();
}

/** Takes an order (and its refunds) out of the ledger: WeChat no longer knows it, so the app's record is "only local". */
export function removeOrder(db: Database, outTradeNo: string): { outTradeNo: string; refunds: number } {
  return db.transaction(() => {
    if (!getOrder(db, outTradeNo)) throw new PlantingError(`no order ${outTradeNo}`);
    const refunds = deleteRefundsForOrder(db, outTradeNo);
    deleteOrder(db, outTradeNo);
    return { outTradeNo, refunds };
  })();
}
