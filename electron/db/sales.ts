import type { Database } from 'better-sqlite3';
import type { SaleState } from '../../shared/payments';
import { cachedStatement } from './statements';

export interface SaleRow {
  id: number;
  terminal_id: string;
  receipt_no: number;
  cashier_id: string;
  shift_id: string | null;
  state: SaleState;
  description: string;
  total_fen: number;
  created_at: number;
  paid_at: number | null;
  voided_at: number | null;
  void_reason: string | null;
  paid_event_delivered: number;
}

export interface NewSaleRow {
  terminalId: string;
  receiptNo: number;
  cashierId: string;
  shiftId: string | null;
  description: string;
  totalFen: number;
  createdAt: number;
}

export function insertSale(db: Database, sale: NewSaleRow): number {
  const result = cachedStatement(db,
      `INSERT INTO sales (terminal_id, receipt_no, cashier_id, shift_id, state, description, total_fen, created_at)
       VALUES (?, ?, ?, ?, 'open', ?, ?, ?)`,
    )
    .run(sale.terminalId, sale.receiptNo, sale.cashierId, sale.shiftId, sale.description, sale.totalFen, sale.createdAt);
  return Number(result.lastInsertRowid);
}

/**
 * A sale paid in full the moment it is rung up (cash for the whole cart): written paid, so the caller's tender
 * insert that follows in the same transaction writes its one sale fact with the final state, and no state update
 * (a second fact, a second index change) follows.
 */
export function insertPaidSale(db: Database, sale: NewSaleRow): number {
  const result = cachedStatement(db,
      `INSERT INTO sales (terminal_id, receipt_no, cashier_id, shift_id, state, description, total_fen, created_at, paid_at)
       VALUES (?, ?, ?, ?, 'paid', ?, ?, ?, ?)`,
    )
    .run(sale.terminalId, sale.receiptNo, sale.cashierId, sale.shiftId, sale.description, sale.totalFen, sale.createdAt, sale.createdAt);
  return Number(result.lastInsertRowid);
}

export function getSale(db: Database, id: number): SaleRow | undefined {
  return cachedStatement(db, 'SELECT * FROM sales WHERE id = ?').get(id) as SaleRow | undefined;
}

export function findSaleByReceiptNo(db: Database, terminalId: string, receiptNo: number): SaleRow | undefined {
  return cachedStatement(db, 'SELECT * FROM sales WHERE terminal_id = ? AND receipt_no = ?').get(terminalId, receiptNo) as
    | SaleRow
    | undefined;
}

export function listSalesBetween(db: Database, from: number, to: number, limit: number): SaleRow[] {
  return cachedStatement(db, 'SELECT * FROM sales WHERE created_at >= ? AND created_at < ? ORDER BY created_at DESC, id DESC LIMIT ?')
    .all(from, to, limit) as SaleRow[];
}

export function markSalePaid(db: Database, id: number, now: number): void {
  cachedStatement(db, "UPDATE sales SET state = 'paid', paid_at = ? WHERE id = ? AND state = 'open'").run(now, id);
}

export function markSaleVoided(db: Database, id: number, now: number, reason: string | null): void {
  cachedStatement(db, "UPDATE sales SET state = 'voided', voided_at = ?, void_reason = ? WHERE id = ? AND state = 'open'").run(
    now,
    reason,
    id,
  );
}

export function markPaidEventDelivered(db: Database, id: number): void {
  cachedStatement(db, 'UPDATE sales SET paid_event_delivered = 1 WHERE id = ?').run(id);
}

export function listPaidSalesUndelivered(db: Database): SaleRow[] {
  return cachedStatement(db, "SELECT * FROM sales WHERE state = 'paid' AND paid_event_delivered = 0 ORDER BY id").all() as SaleRow[];
}

/** The newest open sale of a terminal with a WeChat attempt still unresolved and not superseded (the counter's, after a restart). */
export function findSaleWithTenderInProgress(db: Database, terminalId: string): number | null {
  const row = cachedStatement(
    db,
    `SELECT s.id FROM sales s JOIN wechat_attempts a ON a.sale_id = s.id
     WHERE s.terminal_id = ? AND s.state = 'open' AND a.superseded_at IS NULL
       AND a.state NOT IN ('paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded', 'needs-attention')
     ORDER BY s.id DESC LIMIT 1`,
  ).get(terminalId) as { id: number } | undefined;
  return row?.id ?? null;
}
