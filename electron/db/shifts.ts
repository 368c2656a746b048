import type { Database } from 'better-sqlite3';
import type { CashMovementKind, ShiftState } from '../../shared/shifts';
import { cachedStatement } from './statements';

export interface ShiftRow {
  id: string;
  terminal_id: string;
  cashier_id: string;
  cashier_name: string;
  state: ShiftState;
  opening_float_fen: number;
  opened_at: number;
  count_json: string | null;
  counted_fen: number | null;
  counted_at: number | null;
  expected_cash_fen: number | null;
  difference_fen: number | null;
  countersigned_by: string | null;
  closed_with_pending: number;
  closed_by: string | null;
  closed_at: number | null;
  z_no: number | null;
}

export interface NewShiftRow {
  id: string;
  terminalId: string;
  cashierId: string;
  cashierName: string;
  openingFloatFen: number;
  openedAt: number;
}

export function insertShift(db: Database, s: NewShiftRow): void {
  cachedStatement(
    db,
    `INSERT INTO shifts (id, terminal_id, cashier_id, cashier_name, state, opening_float_fen, opened_at)
     VALUES (?, ?, ?, ?, 'open', ?, ?)`,
  ).run(s.id, s.terminalId, s.cashierId, s.cashierName, s.openingFloatFen, s.openedAt);
}

export function getShift(db: Database, id: string): ShiftRow | undefined {
  return cachedStatement(db, 'SELECT * FROM shifts WHERE id = ?').get(id) as ShiftRow | undefined;
}

export function getOpenShift(db: Database, terminalId: string): ShiftRow | undefined {
  return cachedStatement(db, "SELECT * FROM shifts WHERE terminal_id = ? AND state = 'open'").get(terminalId) as ShiftRow | undefined;
}

export interface ShiftFilter {
  from: number;
  to: number;
  terminalId?: string;
  cashierId?: string;
  limit: number;
}

/** Shifts opened in [from, to), newest first. */
export function listShifts(db: Database, f: ShiftFilter): ShiftRow[] {
  return db
    .prepare(
      `SELECT * FROM shifts WHERE opened_at >= @from AND opened_at < @to
         AND (@terminal IS NULL OR terminal_id = @terminal) AND (@cashier IS NULL OR cashier_id = @cashier)
       ORDER BY opened_at DESC LIMIT @limit`,
    )
    .all({ from: f.from, to: f.to, terminal: f.terminalId ?? null, cashier: f.cashierId ?? null, limit: f.limit }) as ShiftRow[];
}

/** Records the blind count once; false when a count is already there. */
export function recordBlindCount(
  db: Database,
  id: string,
  c: { countJson: string; countedFen: number; expectedFen: number; at: number },
): boolean {
  const result = db
    .prepare(
      `UPDATE shifts SET count_json = ?, counted_fen = ?, counted_at = ?, expected_cash_fen = ?, difference_fen = ?
       WHERE id = ? AND state = 'open' AND counted_at IS NULL`,
    )
    .run(c.countJson, c.countedFen, c.at, c.expectedFen, c.countedFen - c.expectedFen, id);
  return result.changes === 1;
}

export interface ShiftClose {
  expectedFen: number;
  differenceFen: number;
  countersignedBy: string | null;
  closedWithPending: boolean;
  closedBy: string;
  closedAt: number;
  zNo: number;
}

export function markShiftClosed(db: Database, id: string, c: ShiftClose): boolean {
  const result = db
    .prepare(
      `UPDATE shifts SET state = 'closed', expected_cash_fen = ?, difference_fen = ?, countersigned_by = ?,
         closed_with_pending = ?, closed_by = ?, closed_at = ?, z_no = ?
       WHERE id = ? AND state = 'open'`,
    )
    .run(c.expectedFen, c.differenceFen, c.countersignedBy, c.closedWithPending ? 1 : 0, c.closedBy, c.closedAt, c.zNo, id);
  return result.changes === 1;
}

export interface CashMovementRow {
  id: number;
  shift_id: string;
  kind: CashMovementKind;
  amount_fen: number;
  reason: string;
  actor_id: string;
  actor_name: string;
  approved_by: string | null;
  at: number;
}

export function insertCashMovement(db: Database, m: Omit<CashMovementRow, 'id'>): number {
  const result = db
    .prepare(
      `INSERT INTO cash_movements (shift_id, kind, amount_fen, reason, actor_id, actor_name, approved_by, at)
       VALUES (@shift_id, @kind, @amount_fen, @reason, @actor_id, @actor_name, @approved_by, @at)`,
    )
    .run(m);
  return Number(result.lastInsertRowid);
}

export function listCashMovements(db: Database, shiftId: string): CashMovementRow[] {
  return cachedStatement(db, 'SELECT * FROM cash_movements WHERE shift_id = ? ORDER BY at, id').all(shiftId) as CashMovementRow[];
}
