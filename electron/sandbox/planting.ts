import { randomBytes } from 'node:crypto';
import type { Database } from '../db/open';
import { getOrder, insertOrder, updateOrder, type LedgerTradeType, type OrderRow } from './ledger/orders';
import { insertRefund, listRefundsForOrder, type RefundRow } from './ledger/refunds';
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
