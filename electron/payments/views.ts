import type { Database } from 'better-sqlite3';
import { fen } from '../../shared/money';
import {
  isFinalAttemptState,
  type AttemptView,
  type RefundView,
  type SaleView,
  type TenderView,
} from '../../shared/payments';
import { listRefundsForSale, type RefundRow } from '../db/refunds';
import { listSaleLines, type SaleLineRow } from '../db/sale-lines';
import { getSale, type SaleRow } from '../db/sales';
import { listTenders, type TenderRow } from '../db/tenders';
import { listAttemptsForSale, type AttemptRow } from '../db/wechat-attempts';
import { clearanceViewOf } from './refund-clearance';
import type { PaymentPolicy } from './policy';

export function attemptView(row: AttemptRow, policy: PaymentPolicy): AttemptView {
  return {
    id: row.id,
    saleId: row.sale_id,
    tenderId: row.tender_id,
    mode: row.mode,
    outTradeNo: row.out_trade_no,
    amountFen: fen(row.amount_fen),
    state: row.state,
    final: isFinalAttemptState(row.state),
    superseded: row.superseded_at !== null,
    cancelRequested: row.cancel_requested_at !== null,
    authCodeMasked: row.auth_code_masked,
    createdAt: row.created_at,
    sendDeadlineAt: row.mode === 'micropay' ? row.send_deadline_at : null,
    resolveBy: row.mode === 'micropay' && row.first_sent_at !== null ? row.first_sent_at + policy.micropayResolveMs : null,
    lastAnswer: row.last_answer,
    networkTrouble: row.network_trouble === 1,
    failure:
      row.failure_code !== null ? { code: row.failure_code, zh: row.failure_zh ?? '', en: row.failure_en ?? '' } : null,
    transactionId: row.transaction_id,
    payerMasked: row.payer_masked,
    codeUrl: row.mode === 'native' && row.state === 'awaiting-scan' ? row.code_url : null,
    qrExpiresAt: row.mode === 'native' ? row.expires_at : null,
    resolvedAt: row.resolved_at,
    updatedAt: row.updated_at,
  };
}

export function refundView(row: RefundRow): RefundView {
  // Refunds of another counter's sale have their own view (payments/other-counter-refunds.ts).
  if (row.sale_id === null || row.tender_id === null) throw new Error(`refund ${row.id} is of another counter's sale`);
  return {
    id: row.id,
    saleId: row.sale_id,
    tenderId: row.tender_id,
    kind: row.kind,
    outRefundNo: row.out_refund_no,
    // Cash refunds recorded before cash parts took a number from the sequence have none: R<id> as their slip said.
    refundNo: row.out_refund_no ?? `R${row.id}`,
    amountFen: fen(row.amount_fen),
    state: row.state,
    approvedBy: row.approved_by,
    reason: row.reason,
    requestedAt: row.requested_at,
    requestedOffline: row.requested_offline === 1,
    failure:
      row.failure_code !== null ? { code: row.failure_code, zh: row.failure_zh ?? '', en: row.failure_en ?? '' } : null,
    finishedAt: row.finished_at,
    clearance: clearanceViewOf(row),
  };
}

export function saleViewOf(db: Database, sale: SaleRow, policy: PaymentPolicy): SaleView {
  return saleViewFromRows(
    sale,
    { attempts: listAttemptsForSale(db, sale.id), tenders: listTenders(db, sale.id), lines: listSaleLines(db, sale.id), refunds: listRefundsForSale(db, sale.id) },
    policy,
  );
}

/** The rows of one sale, as its view is built from them (read back, or known to the transaction that wrote them). */
export interface SaleRows {
  attempts: readonly AttemptRow[];
  tenders: readonly TenderRow[];
  lines: readonly SaleLineRow[];
  refunds: readonly RefundRow[];
}

export function saleViewFromRows(sale: SaleRow, rows: SaleRows, policy: PaymentPolicy): SaleView {
  const attempts = new Map(rows.attempts.map((a) => [a.tender_id, a]));
  const tenders: TenderView[] = rows.tenders.map((t) => {
    const attempt = attempts.get(t.id);
    return {
      id: t.id,
      kind: t.kind,
      amountFen: fen(t.amount_fen),
      state: t.state,
      tenderedFen: t.tendered_fen === null ? null : fen(t.tendered_fen),
      changeFen: t.change_fen === null ? null : fen(t.change_fen),
      createdAt: t.created_at,
      settledAt: t.settled_at,
      attempt: attempt ? attemptView(attempt, policy) : null,
    };
  });
  const paid = tenders.filter((t) => t.state === 'paid').reduce((sum, t) => sum + t.amountFen, 0);
  // Automatic refunds of superseded QR payments give back money that never counted for the sale.
  const refunded = rows.refunds
    .filter((r) => r.state !== 'failed' && r.attempt_id === null)
    .reduce((sum, r) => sum + r.amount_fen, 0);
  return {
    id: sale.id,
    terminalId: sale.terminal_id,
    receiptNo: sale.receipt_no,
    cashierId: sale.cashier_id,
    shiftId: sale.shift_id,
    state: sale.state,
    description: sale.description,
    totalFen: fen(sale.total_fen),
    paidFen: fen(paid),
    dueFen: fen(sale.state === 'open' ? Math.max(0, sale.total_fen - paid) : 0),
    refundedFen: fen(refunded),
    lines: rows.lines.map((l) => ({
      lineNo: l.line_no,
      name: l.name,
      unitFen: fen(l.unit_fen),
      quantity: l.quantity,
      amountFen: fen(l.amount_fen),
    })),
    tenders,
    createdAt: sale.created_at,
    paidAt: sale.paid_at,
    voidedAt: sale.voided_at,
  };
}

export function saleView(db: Database, saleId: number, policy: PaymentPolicy): SaleView | null {
  const sale = getSale(db, saleId);
  return sale ? saleViewOf(db, sale, policy) : null;
}
