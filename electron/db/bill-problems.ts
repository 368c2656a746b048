import type { Database } from 'better-sqlite3';

export interface BillProblemRow {
  bill_date: string;
  /** unreadable: the file did not parse; deadline: no bill could be fetched before the job's deadline. */
  kind: 'unreadable' | 'deadline';
  line: number | null;
  column_name: string | null;
  message: string;
  raw_path: string | null;
  sha1: string | null;
  detected_at: number;
}

/** Records (or replaces) a day's problem. */
export function recordBillProblem(db: Database, row: BillProblemRow): void {
  db.prepare(
    `INSERT INTO bill_problems (bill_date, kind, line, column_name, message, raw_path, sha1, detected_at)
     VALUES (@bill_date, @kind, @line, @column_name, @message, @raw_path, @sha1, @detected_at)
     ON CONFLICT (bill_date) DO UPDATE SET kind = excluded.kind, line = excluded.line, column_name = excluded.column_name,
       message = excluded.message, raw_path = excluded.raw_path, sha1 = excluded.sha1, detected_at = excluded.detected_at`,
  ).run(row);
}

export function getBillProblem(db: Database, billDate: string): BillProblemRow | undefined {
  return db.prepare('SELECT * FROM bill_problems WHERE bill_date = ?').get(billDate) as BillProblemRow | undefined;
}

export function listBillProblems(db: Database, limit: number): BillProblemRow[] {
  return db.prepare('SELECT * FROM bill_problems ORDER BY bill_date DESC LIMIT ?').all(limit) as BillProblemRow[];
}

/** A day read after all (a re-download) has no problem any more. */
export function clearBillProblem(db: Database, billDate: string): void {
  db.prepare('DELETE FROM bill_problems WHERE bill_date = ?').run(billDate);
}
