import type { Database } from 'better-sqlite3';

export interface ShiftCheckRow {
  id: number;
  shift_id: string;
  run_id: string;
  kind: 'payment' | 'refund';
  ref: string;
  local_fen: number;
  local_state: string;
  wechat_fen: number | null;
  wechat_state: string | null;
  result: 'matched' | 'mismatch' | 'unchecked';
  checked_at: number;
}

export interface CheckRunRow {
  run_id: string;
  shift_id: string;
  state: 'queued' | 'done';
  requested_at: number;
  finished_at: number | null;
}

export function insertCheckRun(db: Database, runId: string, shiftId: string, now: number): void {
  db.prepare("INSERT INTO shift_check_runs (run_id, shift_id, state, requested_at) VALUES (?, ?, 'queued', ?)").run(runId, shiftId, now);
}

export function finishCheckRun(db: Database, runId: string, now: number): void {
  db.prepare("UPDATE shift_check_runs SET state = 'done', finished_at = ? WHERE run_id = ?").run(now, runId);
}

/** The newest finished check of a shift. */
export function latestFinishedCheckRun(db: Database, shiftId: string): CheckRunRow | undefined {
  return db
    .prepare("SELECT * FROM shift_check_runs WHERE shift_id = ? AND state = 'done' ORDER BY finished_at DESC, rowid DESC LIMIT 1")
    .get(shiftId) as CheckRunRow | undefined;
}

export function latestCheckRun(db: Database, shiftId: string): CheckRunRow | undefined {
  return db
    .prepare('SELECT * FROM shift_check_runs WHERE shift_id = ? ORDER BY requested_at DESC, rowid DESC LIMIT 1')
    .get(shiftId) as CheckRunRow | undefined;
}

export function insertShiftCheck(db: Database, c: Omit<ShiftCheckRow, 'id'>): void {
  db.prepare(
    `INSERT INTO shift_checks (shift_id, run_id, kind, ref, local_fen, local_state, wechat_fen, wechat_state, result, checked_at)
     VALUES (@shift_id, @run_id, @kind, @ref, @local_fen, @local_state, @wechat_fen, @wechat_state, @result, @checked_at)`,
  ).run(c);
}

export function listShiftChecks(db: Database, runId: string): ShiftCheckRow[] {
  return db.prepare('SELECT * FROM shift_checks WHERE run_id = ? ORDER BY id').all(runId) as ShiftCheckRow[];
}
