import type { Database } from 'better-sqlite3';

export interface BillRow {
  bill_date: string;
  state: 'bill' | 'no-bill';
  sha1: string | null;
  line_count: number;
  summary_json: string | null;
  downloaded_at: number;
  reconciled_at: number | null;
}

export interface BillLineRow {
  bill_date: string;
  line_no: number;
  kind: 'payment' | 'refund';
  trade_time: number;
  transaction_id: string;
  out_trade_no: string;
  trade_type: string;
  trade_state: string;
  settle_fen: number;
  order_fen: number;
  out_refund_no: string | null;
  refund_id: string | null;
  refund_fen: number;
  refund_status: string | null;
  fee_fen: number;
}

export function getBill(db: Database, billDate: string): BillRow | undefined {
  return db.prepare('SELECT * FROM bills WHERE bill_date = ?').get(billDate) as BillRow | undefined;
}

export function listBills(db: Database, limit: number): BillRow[] {
  return db.prepare('SELECT * FROM bills ORDER BY bill_date DESC LIMIT ?').all(limit) as BillRow[];
}

/** A line as the bill parser gives it: stored as is, without building a row object per line first. */
export interface BillLineValues {
  lineNo: number;
  kind: 'payment' | 'refund';
  tradeTime: number;
  transactionId: string;
  outTradeNo: string;
  tradeType: string;
  tradeState: string;
  settleFen: number;
  orderFen: number;
  outRefundNo: string | null;
  refundId: string | null;
  refundFen: number;
  refundStatus: string | null;
  feeFen: number;
}

const INSERT_LINE = `INSERT INTO bill_lines (bill_date, line_no, kind, trade_time, transaction_id, out_trade_no, trade_type, trade_state,
    settle_fen, order_fen, out_refund_no, refund_id, refund_fen, refund_status, fee_fen)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Drops a day's stored bill and lines (a re-download replaces them) and writes the bill's own row. */
function replaceBillRow(db: Database, bill: BillRow): void {
  db.prepare('DELETE FROM bill_lines WHERE bill_date = ?').run(bill.bill_date);
  db.prepare('DELETE FROM bills WHERE bill_date = ?').run(bill.bill_date);
  db.prepare(
    `INSERT INTO bills (bill_date, state, sha1, line_count, summary_json, downloaded_at, reconciled_at)
     VALUES (@bill_date, @state, @sha1, @line_count, @summary_json, @downloaded_at, @reconciled_at)`,
  ).run(bill);
}

/**
 * Replaces a day's bill (a re-download) with the parsed lines: one prepared INSERT run per line. Call inside a
 * transaction (100,000 lines are one commit, not 100,000).
 */
export function storeBill(db: Database, bill: BillRow, lines: readonly BillLineValues[]): void {
  replaceBillRow(db, bill);
  const insert = db.prepare(INSERT_LINE);
  const day = bill.bill_date;
  for (const l of lines) {
    insert.run(
      day, l.lineNo, l.kind, l.tradeTime, l.transactionId, l.outTradeNo, l.tradeType, l.tradeState,
      l.settleFen, l.orderFen, l.outRefundNo, l.refundId, l.refundFen, l.refundStatus, l.feeFen,
    );
  }
}

/** storeBill with lines shaped like the table's rows (each carries its bill_date). Call inside a transaction. */
export function replaceBill(db: Database, bill: BillRow, lines: readonly BillLineRow[]): void {
  replaceBillRow(db, bill);
  const insert = db.prepare(INSERT_LINE);
  for (const l of lines) {
    insert.run(
      l.bill_date, l.line_no, l.kind, l.trade_time, l.transaction_id, l.out_trade_no, l.trade_type, l.trade_state,
      l.settle_fen, l.order_fen, l.out_refund_no, l.refund_id, l.refund_fen, l.refund_status, l.fee_fen,
    );
  }
}

export function markBillReconciled(db: Database, billDate: string, now: number): void {
  db.prepare('UPDATE bills SET reconciled_at = ? WHERE bill_date = ?').run(now, billDate);
}
