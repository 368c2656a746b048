import type { Database } from 'better-sqlite3';
import type { TenderKind } from '../../shared/payments';

/**
 * (CROSS JOIN pins refunds as the outer loop: without statistics SQLite may otherwise start from sales and scan
 * every row of a large database.)
 *
 * Read-only aggregates over the payment tables for one shift. Sales belong to a shift by sales.shift_id (index
 * sales_shift); refunds belong to the shift during which they were requested on this terminal (index
 * refunds_requested), because that is when the money left the drawer or the account.
 */

export interface KindFigureRow {
  kind: TenderKind;
  n: number;
  amount: number;
}

export interface CashierFigureRow {
  cashier_id: string;
  /** The person's name (null for an id no longer in users). */
  cashier_name: string | null;
  n: number;
  amount: number;
}

export interface ShiftWindow {
  shiftId: string;
  terminalId: string;
  from: number;
  /** Exclusive; the close time, or now for an open shift. */
  to: number;
}

export function paidTendersByKind(db: Database, shiftId: string): KindFigureRow[] {
  return db
    .prepare(
      `SELECT t.kind AS kind, COUNT(*) AS n, SUM(t.amount_fen) AS amount
       FROM sales s JOIN tenders t ON t.sale_id = s.id
       WHERE s.shift_id = ? AND t.state = 'paid'
       GROUP BY t.kind`,
    )
    .all(shiftId) as KindFigureRow[];
}

/** Sales with at least one paid tender (a sale paid in two tenders counts once). */
export function countSalesWithPayment(db: Database, shiftId: string): number {
  const row = db
    .prepare(
      `SELECT COUNT(*) AS n FROM sales s
       WHERE s.shift_id = ? AND EXISTS (SELECT 1 FROM tenders t WHERE t.sale_id = s.id AND t.state = 'paid')`,
    )
    .get(shiftId) as { n: number };
  return row.n;
}

export function voidsByCashier(db: Database, shiftId: string): CashierFigureRow[] {
  return db
    .prepare(
      `SELECT s.cashier_id AS cashier_id, (SELECT u.name FROM users u WHERE u.id = s.cashier_id) AS cashier_name,
         COUNT(*) AS n, SUM(s.total_fen) AS amount FROM sales s
       WHERE s.shift_id = ? AND s.state = 'voided' GROUP BY s.cashier_id ORDER BY s.cashier_id`,
    )
    .all(shiftId) as CashierFigureRow[];
}

export function supersededByCashier(db: Database, shiftId: string): CashierFigureRow[] {
  return db
    .prepare(
      `SELECT s.cashier_id AS cashier_id, (SELECT u.name FROM users u WHERE u.id = s.cashier_id) AS cashier_name,
         COUNT(*) AS n, SUM(t.amount_fen) AS amount
       FROM sales s JOIN tenders t ON t.sale_id = s.id
       WHERE s.shift_id = ? AND t.state = 'superseded'
       GROUP BY s.cashier_id ORDER BY s.cashier_id`,
    )
    .all(shiftId) as CashierFigureRow[];
}

/**
 * Refunds requested during the shift on this terminal and not failed, by the kind of tender refunded. Automatic
 * refunds of a superseded QR payment (attempt_id set) are left out: that payment never counted as a sale.
 */
export function refundsByKind(db: Database, w: ShiftWindow): KindFigureRow[] {
  // Refunds of another counter's sale (no local sale: origin_terminal_id) were made here, during this shift: they
  // count here like any refund, under the WeChat tender kind the hub showed (always WeChat: cash stays at its counter).
  return db
    .prepare(
      `SELECT kind, SUM(n) AS n, SUM(amount) AS amount FROM (
         SELECT t.kind AS kind, COUNT(*) AS n, SUM(r.amount_fen) AS amount
         FROM refunds r CROSS JOIN tenders t ON t.id = r.tender_id CROSS JOIN sales s ON s.id = r.sale_id
         WHERE r.requested_at >= ? AND r.requested_at < ? AND s.terminal_id = ? AND r.state <> 'failed'
           AND r.attempt_id IS NULL
         GROUP BY t.kind
         UNION ALL
         SELECT COALESCE(r.origin_tender_kind, 'wechat-code') AS kind, COUNT(*) AS n, SUM(r.amount_fen) AS amount
         FROM refunds r
         WHERE r.requested_at >= ? AND r.requested_at < ? AND r.origin_terminal_id IS NOT NULL AND r.state <> 'failed'
         GROUP BY 1
       ) GROUP BY kind`,
    )
    .all(w.from, w.to, w.terminalId, w.from, w.to) as KindFigureRow[];
}

export interface PendingAttemptRow {
  id: number;
  sale_id: number;
  receipt_no: number;
  out_trade_no: string;
  amount_fen: number;
  state: string;
  cashier_id: string;
  superseded_at: number | null;
}

const FINAL = `('paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded')`;

/** WeChat attempts of the shift without a final answer (needs-attention included: a person must look). */
export function pendingAttempts(db: Database, shiftId: string): PendingAttemptRow[] {
  return db
    .prepare(
      `SELECT a.id, a.sale_id, s.receipt_no, a.out_trade_no, a.amount_fen, a.state, s.cashier_id, a.superseded_at
       FROM sales s JOIN wechat_attempts a ON a.sale_id = s.id
       WHERE s.shift_id = ? AND a.state NOT IN ${FINAL}
       ORDER BY a.id`,
    )
    .all(shiftId) as PendingAttemptRow[];
}

export interface ShiftRefundRow {
  id: number;
  sale_id: number;
  receipt_no: number;
  out_refund_no: string | null;
  amount_fen: number;
  state: string;
  cashier_id: string;
}

export function refundsInWindow(db: Database, w: ShiftWindow, kind: 'wechat' | 'cash', states: readonly string[]): ShiftRefundRow[] {
  const marks = states.map(() => '?').join(', ');
  return db
    .prepare(
      `SELECT r.id, r.sale_id, s.receipt_no, r.out_refund_no, r.amount_fen, r.state, s.cashier_id
       FROM refunds r CROSS JOIN sales s ON s.id = r.sale_id
       WHERE r.requested_at >= ? AND r.requested_at < ? AND s.terminal_id = ? AND r.kind = ? AND r.state IN (${marks})
       ORDER BY r.id`,
    )
    .all(w.from, w.to, w.terminalId, kind, ...states) as ShiftRefundRow[];
}

export interface OtherCounterRefundRow {
  id: number;
  origin_terminal_id: string;
  origin_receipt_no: number;
  out_refund_no: string | null;
  amount_fen: number;
  state: string;
  /** Who made the refund here (its 'refund.other-counter' audit entry), else the approving manager. */
  cashier_id: string;
}

/** Refunds of another counter's sale made at this counter during the window (they have no local sale). */
export function otherCounterRefundsInWindow(db: Database, w: ShiftWindow, states: readonly string[]): OtherCounterRefundRow[] {
  const marks = states.map(() => '?').join(', ');
  return db
    .prepare(
      `SELECT r.id, r.origin_terminal_id, r.origin_receipt_no, r.out_refund_no, r.amount_fen, r.state,
         COALESCE((SELECT a.actor_id FROM audit_log a
                   WHERE a.action = 'refund.other-counter' AND json_extract(a.details, '$.outRefundNo') = r.out_refund_no
                   ORDER BY a.seq DESC LIMIT 1), r.approved_by) AS cashier_id
       FROM refunds r
       WHERE r.requested_at >= ? AND r.requested_at < ? AND r.origin_terminal_id IS NOT NULL AND r.state IN (${marks})
       ORDER BY r.id`,
    )
    .all(w.from, w.to, ...states) as OtherCounterRefundRow[];
}

export interface PaidAttemptRow {
  out_trade_no: string;
  amount_fen: number;
  state: string;
}

/** WeChat payments of the shift where money was taken (a superseded QR paid and refunded back included). */
export function moneyTakenAttempts(db: Database, shiftId: string): PaidAttemptRow[] {
  return db
    .prepare(
      `SELECT a.out_trade_no, a.amount_fen, a.state FROM sales s JOIN wechat_attempts a ON a.sale_id = s.id
       WHERE s.shift_id = ? AND a.state IN ('paid', 'refunding', 'refunded') ORDER BY a.id`,
    )
    .all(shiftId) as PaidAttemptRow[];
}
