import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export type PaymentAlertState = 'open' | 'kept' | 'refunded';

export interface PaymentAlertRow {
  id: number;
  sale_id: number;
  attempt_id: number;
  amount_fen: number;
  paid_at: number;
  counter_sale_id: number | null;
  state: PaymentAlertState;
  resolved_by: string | null;
  resolved_at: number | null;
}

/** The sale on this terminal's counter (sale_id null: the counter is empty); undefined when no counter ever ran there. */
export function getCounterSale(db: Database, terminalId: string): { sale_id: number | null } | undefined {
  return cachedStatement(db, 'SELECT sale_id FROM counter_sale WHERE terminal_id = ?').get(terminalId) as { sale_id: number | null } | undefined;
}

export function setCounterSale(db: Database, terminalId: string, saleId: number | null, now: number): void {
  cachedStatement(
    db,
    `INSERT INTO counter_sale (terminal_id, sale_id, updated_at) VALUES (?, ?, ?)
     ON CONFLICT (terminal_id) DO UPDATE SET sale_id = excluded.sale_id, updated_at = excluded.updated_at`,
  ).run(terminalId, saleId, now);
}

/** One alert per paid attempt: raising it again is a no-op. Returns the new id, or null when it existed. */
export function insertPaymentAlert(
  db: Database,
  alert: { saleId: number; attemptId: number; amountFen: number; paidAt: number; counterSaleId: number | null },
): number | null {
  const result = cachedStatement(
    db,
    `INSERT INTO payment_alerts (sale_id, attempt_id, amount_fen, paid_at, counter_sale_id, state)
     VALUES (?, ?, ?, ?, ?, 'open') ON CONFLICT (attempt_id) DO NOTHING`,
  ).run(alert.saleId, alert.attemptId, alert.amountFen, alert.paidAt, alert.counterSaleId);
  return result.changes === 1 ? Number(result.lastInsertRowid) : null;
}

export function getPaymentAlert(db: Database, id: number): PaymentAlertRow | undefined {
  return cachedStatement(db, 'SELECT * FROM payment_alerts WHERE id = ?').get(id) as PaymentAlertRow | undefined;
}

/** Open alerts oldest first, or all alerts newest first (at most `limit`). */
export function listPaymentAlerts(db: Database, openOnly: boolean, limit: number): PaymentAlertRow[] {
  return openOnly
    ? (cachedStatement(db, "SELECT * FROM payment_alerts WHERE state = 'open' ORDER BY id LIMIT ?").all(limit) as PaymentAlertRow[])
    : (cachedStatement(db, 'SELECT * FROM payment_alerts ORDER BY id DESC LIMIT ?').all(limit) as PaymentAlertRow[]);
}

/** Closes an open alert; false when someone resolved it already. */
export function resolvePaymentAlert(db: Database, id: number, state: Exclude<PaymentAlertState, 'open'>, by: string, now: number): boolean {
  return (
    cachedStatement(db, "UPDATE payment_alerts SET state = ?, resolved_by = ?, resolved_at = ? WHERE id = ? AND state = 'open'").run(state, by, now, id)
      .changes === 1
  );
}

/** Open alerts on one terminal's sales, oldest first, with the receipt number (for the X/Z reports). */
export function listOpenPaymentAlertsOfTerminal(db: Database, terminalId: string): (PaymentAlertRow & { receipt_no: number })[] {
  return cachedStatement(
    db,
    `SELECT p.*, s.receipt_no FROM payment_alerts p JOIN sales s ON s.id = p.sale_id
     WHERE p.state = 'open' AND s.terminal_id = ? ORDER BY p.id`,
  ).all(terminalId) as (PaymentAlertRow & { receipt_no: number })[];
}
