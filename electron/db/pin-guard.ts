import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export interface PinGuardRow {
  scope: string;
  failures: number;
  last_failure_at: number | null;
  next_attempt_at: number | null;
  locked_until: number | null;
  updated_at: number;
}

export function getPinGuard(db: Database, scope: string): PinGuardRow | undefined {
  return cachedStatement(db, 'SELECT * FROM pin_guard WHERE scope = ?').get(scope) as PinGuardRow | undefined;
}

/** Writes the scope's whole state (one row per scope, created on first use). */
export function savePinGuard(db: Database, row: PinGuardRow): void {
  cachedStatement(
    db,
    `INSERT INTO pin_guard (scope, failures, last_failure_at, next_attempt_at, locked_until, updated_at)
     VALUES (@scope, @failures, @last_failure_at, @next_attempt_at, @locked_until, @updated_at)
     ON CONFLICT(scope) DO UPDATE SET failures = excluded.failures, last_failure_at = excluded.last_failure_at,
       next_attempt_at = excluded.next_attempt_at, locked_until = excluded.locked_until, updated_at = excluded.updated_at`,
  ).run(row);
}

/** A manager cleared the scope: no count, no wait, no lock. Returns whether there was anything to clear. */
export function clearPinGuard(db: Database, scope: string, now: number): boolean {
  return (
    db
      .prepare(
        `UPDATE pin_guard SET failures = 0, last_failure_at = NULL, next_attempt_at = NULL, locked_until = NULL, updated_at = ?
         WHERE scope = ? AND (failures > 0 OR locked_until IS NOT NULL OR next_attempt_at IS NOT NULL)`,
      )
      .run(now, scope).changes === 1
  );
}
