import type { Database } from 'better-sqlite3';
import { MONEY_TAKEN_STATES } from '../wechat/bills/bill-match';

/**
 * The set-based queries a day's reconciliation runs: each bill line joined with the local record it names, and
 * the local records no stored bill has. One query each, so a 100,000-line day is a few index joins in SQLite
 * rather than 100,000 round trips. `+a.state` keeps SQLite from picking the state index over the time index.
 *
 * The line queries return only the lines that do not plainly agree with their local record (same amount, and for
 * a payment money taken on both sides or on neither; for a refund not failed locally): on a normal day that is a
 * handful of rows instead of 100,000 objects, and the sales row (shift, cashier) is looked up only for those.
 * The caller classifies each returned row; every line not returned agrees.
 */

export { MONEY_TAKEN_STATES };
const MONEY_TAKEN = `(${MONEY_TAKEN_STATES.map((state) => `'${state}'`).join(', ')})`;

export interface BillPaymentMatchRow {
  out_trade_no: string;
  trade_state: string;
  order_fen: number;
  local_fen: number | null;
  local_state: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
}

export interface BillRefundMatchRow {
  out_trade_no: string;
  out_refund_no: string;
  refund_fen: number;
  refund_status: string | null;
  local_refund_fen: number | null;
  local_refund_state: string | null;
  /** The order's local state (a refund WeChat has and the app does not is still "ours" when the order is). */
  order_state: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
}

export interface BillLineCounts {
  payments: number;
  refunds: number;
}

/** How many payment and refund lines a stored day has (the ones not returned below agree). */
export function countBillLines(db: Database, billDate: string): BillLineCounts {
  return db
    .prepare(
      `SELECT count(*) FILTER (WHERE kind = 'payment') AS payments, count(*) FILTER (WHERE kind = 'refund') AS refunds
       FROM bill_lines WHERE bill_date = ?`,
    )
    .get(billDate) as BillLineCounts;
}

/** Payment lines whose local attempt is missing, has another amount, or disagrees on whether money was taken. */
export function billPaymentDisagreements(db: Database, billDate: string): BillPaymentMatchRow[] {
  return db
    .prepare(
      `SELECT b.out_trade_no, b.trade_state, b.order_fen, a.amount_fen AS local_fen, a.state AS local_state, a.sale_id,
         s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'payment'
         AND NOT (a.amount_fen IS b.order_fen AND (b.trade_state <> 'REVOKED') = (a.state IN ${MONEY_TAKEN}))
       ORDER BY b.line_no`,
    )
    .all(billDate) as BillPaymentMatchRow[];
}

/** Refund lines whose local refund is missing, failed, or of another amount. */
export function billRefundDisagreements(db: Database, billDate: string): BillRefundMatchRow[] {
  return db
    .prepare(
      `SELECT b.out_trade_no, b.out_refund_no, b.refund_fen, b.refund_status, r.amount_fen AS local_refund_fen,
         r.state AS local_refund_state, a.state AS order_state, a.sale_id, s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN refunds r ON r.out_refund_no = b.out_refund_no
         LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'refund' AND NOT (r.amount_fen IS b.refund_fen AND r.state <> 'failed')
       ORDER BY b.line_no`,
    )
    .all(billDate) as BillRefundMatchRow[];
}

export interface LocalOnlyRow {
  out_trade_no: string;
  out_refund_no: string;
  amount_fen: number;
  state: string;
  sale_id: number;
  receipt_no: number;
  shift_id: string | null;
  cashier_id: string;
}

const NOT_BILLED = `NOT EXISTS (SELECT 1 FROM bill_lines b WHERE b.out_trade_no = a.out_trade_no AND b.kind = 'payment')`;

/**
 * WeChat payments the app recorded as paid in [from, to) (WeChat's payment time, else when it was resolved)
 * that no stored bill of any day lists: a payment at 23:59:59 may be billed the next day.
 */
export function unbilledLocalPayments(db: Database, from: number, to: number): LocalOnlyRow[] {
  const columns = `a.out_trade_no, '' AS out_refund_no, a.amount_fen, a.state, a.sale_id, s.receipt_no, s.shift_id, s.cashier_id`;
  const timed = db
    .prepare(
      `SELECT ${columns} FROM wechat_attempts a JOIN sales s ON s.id = a.sale_id
       WHERE a.success_time >= ? AND a.success_time < ? AND +a.state IN ${MONEY_TAKEN} AND ${NOT_BILLED}`,
    )
    .all(from, to) as LocalOnlyRow[];
  const untimed = db
    .prepare(
      `SELECT ${columns} FROM wechat_attempts a JOIN sales s ON s.id = a.sale_id
       WHERE a.success_time IS NULL AND a.resolved_at >= ? AND a.resolved_at < ? AND +a.state IN ${MONEY_TAKEN} AND ${NOT_BILLED}`,
    )
    .all(from, to) as LocalOnlyRow[];
  return [...timed, ...untimed];
}

/** WeChat refunds the app sent in [from, to) that no stored bill lists (queued ones never reached WeChat). */
export function unbilledLocalRefunds(db: Database, from: number, to: number): LocalOnlyRow[] {
  return db
    .prepare(
      `SELECT a.out_trade_no, r.out_refund_no, r.amount_fen, r.state, r.sale_id, s.receipt_no, s.shift_id, s.cashier_id
       FROM refunds r CROSS JOIN sales s ON s.id = r.sale_id CROSS JOIN wechat_attempts a ON a.tender_id = r.tender_id
       WHERE r.requested_at >= ? AND r.requested_at < ? AND r.kind = 'wechat'
         AND r.state IN ('processing', 'succeeded', 'abnormal')
         AND NOT EXISTS (SELECT 1 FROM bill_lines b WHERE b.out_refund_no = r.out_refund_no)`,
    )
    .all(from, to) as LocalOnlyRow[];
}
