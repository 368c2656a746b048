import { fen, type Fen } from '../../shared/money';
import type { Database } from '../db/open';
import { listOrders, type LedgerOrigin, type LedgerTradeState, type LedgerTradeType, type OrderRow } from './ledger/orders';
import { listRefunds, type LedgerRefundStatus, type RefundRow } from './ledger/refunds';
import { listReports, type ReportRow } from './ledger/reports';
import { refundedSoFar } from './refund-trades';
import { settleOrder, settleRefund } from './state';
import type { TradeResult } from './trade-result';

/** What tests and the sandbox page see of the ledger: settled at the clock's now, amounts branded as fen. */

export interface SandboxOrderView {
  outTradeNo: string;
  transactionId: string;
  tradeType: LedgerTradeType;
  tradeState: LedgerTradeState;
  totalFen: Fen;
  refundedFen: Fen;
  description: string;
  createdAt: number;
  paidAt: number | null;
  closedAt: number | null;
  codeUrl: string | null;
  origin: LedgerOrigin;
}

export interface SandboxRefundView {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  refundFen: Fen;
  status: LedgerRefundStatus;
  createdAt: number;
  successAt: number | null;
  origin: LedgerOrigin;
}

export type SandboxReportView = ReportRow;

export type CustomerPayResult =
  | { ok: true; outTradeNo: string; tradeState: LedgerTradeState; paysAt: number }
  | { ok: false; code: string; message: string };

export function refundView(r: RefundRow): SandboxRefundView {
  return {
    outRefundNo: r.outRefundNo,
    refundId: r.refundId,
    outTradeNo: r.outTradeNo,
    refundFen: fen(r.refundFee),
    status: r.status,
    createdAt: r.createdAt,
    successAt: r.successAt,
    origin: r.origin,
  };
}

export function orderView(o: OrderRow, refunds: readonly RefundRow[]): SandboxOrderView {
  return {
    outTradeNo: o.outTradeNo,
    transactionId: o.transactionId,
    tradeType: o.tradeType,
    tradeState: o.state,
    totalFen: fen(o.totalFee),
    refundedFen: fen(refundedSoFar(refunds.filter((r) => r.outTradeNo === o.outTradeNo))),
    description: o.body,
    createdAt: o.createdAt,
    paidAt: o.paidAt,
    closedAt: o.closedAt,
    codeUrl: o.codeUrl,
    origin: o.origin,
  };
}

export function settledRefundViews(db: Database, now: number): SandboxRefundView[] {
  return db.transaction(() => listRefunds(db).map((r) => refundView(settleRefund(db, r, now))))();
}

export function settledOrderViews(db: Database, now: number): SandboxOrderView[] {
  return db.transaction(() => {
    const refunds = listRefunds(db).map((r) => settleRefund(db, r, now));
    return listOrders(db).map((o) => orderView(settleOrder(db, o, now), refunds));
  })();
}

export function reportViews(db: Database): SandboxReportView[] {
  return listReports(db);
}

export function customerPayResult(result: TradeResult<OrderRow>, now: number): CustomerPayResult {
  if (!result.ok) return { ok: false, code: result.error.code, message: result.error.message };
  const o = result.value;
  return { ok: true, outTradeNo: o.outTradeNo, tradeState: o.state, paysAt: o.paidAt ?? o.paysAt ?? now };
}
