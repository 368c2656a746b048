import type { Database } from 'better-sqlite3';
import type { TenderKind, TenderState } from '../../shared/payments';
import { cachedStatement } from './statements';

export interface TenderRow {
  id: number;
  sale_id: number;
  kind: TenderKind;
  amount_fen: number;
  state: TenderState;
  tendered_fen: number | null;
  change_fen: number | null;
  created_at: number;
  settled_at: number | null;
}

export interface NewTenderRow {
  saleId: number;
  kind: TenderKind;
  amountFen: number;
  state: TenderState;
  tenderedFen?: number | null;
  changeFen?: number | null;
  createdAt: number;
}

export function insertTender(db: Database, t: NewTenderRow): number {
  const result = cachedStatement(db,
      `INSERT INTO tenders (sale_id, kind, amount_fen, state, tendered_fen, change_fen, created_at, settled_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      t.saleId,
      t.kind,
      t.amountFen,
      t.state,
      t.tenderedFen ?? null,
      t.changeFen ?? null,
      t.createdAt,
      t.state === 'pending' ? null : t.createdAt,
    );
  return Number(result.lastInsertRowid);
}

export function getTender(db: Database, id: number): TenderRow | undefined {
  return cachedStatement(db, 'SELECT * FROM tenders WHERE id = ?').get(id) as TenderRow | undefined;
}

export function listTenders(db: Database, saleId: number): TenderRow[] {
  return cachedStatement(db, 'SELECT * FROM tenders WHERE sale_id = ? ORDER BY id').all(saleId) as TenderRow[];
}

/** Settles a pending tender; a superseded or already settled one is left as it is. */
export function settleTender(db: Database, id: number, state: Exclude<TenderState, 'pending'>, now: number): boolean {
  const result = cachedStatement(db, "UPDATE tenders SET state = ?, settled_at = ? WHERE id = ? AND state = 'pending'")
    .run(state, now, id);
  return result.changes === 1;
}

export function markTenderSuperseded(db: Database, id: number, now: number): void {
  cachedStatement(db, "UPDATE tenders SET state = 'superseded', settled_at = ? WHERE id = ? AND state = 'pending'").run(now, id);
}

export function sumPaidTenders(db: Database, saleId: number): number {
  const row = cachedStatement(db, "SELECT COALESCE(SUM(amount_fen), 0) AS total FROM tenders WHERE sale_id = ? AND state = 'paid'")
    .get(saleId) as { total: number };
  return row.total;
}
