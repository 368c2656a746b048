import type { Database } from 'better-sqlite3';

export interface ZReportRow {
  id: number;
  shift_id: string;
  terminal_id: string;
  z_no: number;
  report_json: string;
  sha256: string;
  created_at: number;
}

/** Written once, in the transaction that closes the shift; triggers refuse any later change. */
export function insertZReport(db: Database, r: Omit<ZReportRow, 'id'>): number {
  const result = db
    .prepare(
      `INSERT INTO z_reports (shift_id, terminal_id, z_no, report_json, sha256, created_at)
       VALUES (@shift_id, @terminal_id, @z_no, @report_json, @sha256, @created_at)`,
    )
    .run(r);
  return Number(result.lastInsertRowid);
}

export function getZReportForShift(db: Database, shiftId: string): ZReportRow | undefined {
  return db.prepare('SELECT * FROM z_reports WHERE shift_id = ?').get(shiftId) as ZReportRow | undefined;
}
