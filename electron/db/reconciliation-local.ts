import type { Database } from 'better-sqlite3';

/**
 * The set-based queries a day's reconciliation runs: each bill line joined with the local record it names, and
 * the local records no stored bill has. One query each, so a 100,000-line day is a few index joins in SQLite
 * rather than 100,000 round trips. `+a.state` keeps SQLite from picking the state index over the time index.
 */

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

export function billPaymentMatches(db: Database, billDate: string): BillPaymentMatchRow[] {
  return db
    .prepare(
      `SELECT b.out_trade_no, b.trade_state, b.order_fen, a.amount_fen AS local_fen, a.state AS local_state, a.sale_id,
         s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'payment'
       ORDER BY b.line_no`,
    )
    .all(billDate) as BillPaymentMatchRow[];
}

export function billRefundMatches(db: Database, billDate: string): BillRefundMatchRow[] {
  return db
    .prepare(
      `SELECT b.out_trade_no, b.out_refund_no, b.refund_fen, b.refund_status, r.amount_fen AS local_refund_fen,
         r.state AS local_refund_state, a.state AS order_state, a.sale_id, s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN refunds r ON r.out_refund_no = b.out_refund_no
         LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'refund'
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

const MONEY_TAKEN = `('paid', 'refunding', 'refunded')`;
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
