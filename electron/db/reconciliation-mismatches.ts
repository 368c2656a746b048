import type { Database } from 'better-sqlite3';
import type { MismatchClass } from '../../shared/shifts';

export interface MismatchRow {
  id: number;
  bill_date: string;
  class: MismatchClass;
  out_trade_no: string;
  out_refund_no: string;
  local_fen: number | null;
  wechat_fen: number | null;
  local_state: string | null;
  wechat_state: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
  detected_at: number;
  resolved_at: number | null;
  resolved_by: string | null;
  note: string | null;
}

export type NewMismatch = Omit<MismatchRow, 'id' | 'resolved_at' | 'resolved_by' | 'note'>;

/**
 * Records mismatches, the statement prepared once for a whole day; one already recorded for the same day, class
 * and order stays as it is (a resolved one stays resolved when the same bill is matched again).
 */
export function mismatchWriter(db: Database): (m: NewMismatch) => void {
  const insert = db.prepare(
    `INSERT INTO reconciliation_mismatches (bill_date, class, out_trade_no, out_refund_no, local_fen, wechat_fen, local_state,
       wechat_state, sale_id, receipt_no, shift_id, cashier_id, detected_at)
     VALUES (@bill_date, @class, @out_trade_no, @out_refund_no, @local_fen, @wechat_fen, @local_state, @wechat_state,
       @sale_id, @receipt_no, @shift_id, @cashier_id, @detected_at)
     ON CONFLICT (bill_date, class, out_trade_no, out_refund_no) DO NOTHING`,
  );
  return (m) => {
    insert.run(m);
  };
}

/** Drops a day's unresolved mismatches before it is matched again (resolved ones are kept with their notes). */
export function deleteOpenMismatches(db: Database, billDate: string): void {
  db.prepare('DELETE FROM reconciliation_mismatches WHERE bill_date = ? AND resolved_at IS NULL').run(billDate);
}

export function listMismatches(db: Database, f: { billDate?: string; openOnly: boolean; limit: number }): MismatchRow[] {
  return db
    .prepare(
      `SELECT * FROM reconciliation_mismatches
       WHERE (@date IS NULL OR bill_date = @date) AND (@open = 0 OR resolved_at IS NULL)
       ORDER BY bill_date DESC, id LIMIT @limit`,
    )
    .all({ date: f.billDate ?? null, open: f.openOnly ? 1 : 0, limit: f.limit }) as MismatchRow[];
}

export function getMismatch(db: Database, id: number): MismatchRow | undefined {
  return db.prepare('SELECT * FROM reconciliation_mismatches WHERE id = ?').get(id) as MismatchRow | undefined;
}

export function countOpenMismatches(db: Database, billDate: string): number {
  return (
    db.prepare('SELECT COUNT(*) AS n FROM reconciliation_mismatches WHERE bill_date = ? AND resolved_at IS NULL').get(billDate) as {
      n: number;
    }
  ).n;
}

export function resolveMismatch(db: Database, id: number, by: string, note: string, now: number): boolean {
  return (
    db
      .prepare('UPDATE reconciliation_mismatches SET resolved_at = ?, resolved_by = ?, note = ? WHERE id = ? AND resolved_at IS NULL')
      .run(now, by, note, id).changes === 1
  );
}
