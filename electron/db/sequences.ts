import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

/**
 * Takes the next value of a named counter. Call it inside the transaction that uses the value: a rollback then
 * gives the number back, so a counter used only that way is gapless.
 */
export function takeNextSequence(db: Database, name: string): number {
  const row = cachedStatement(db,
      `INSERT INTO sequences (name, next_value) VALUES (?, 2)
       ON CONFLICT(name) DO UPDATE SET next_value = next_value + 1
       RETURNING next_value - 1 AS value`,
    )
    .get(name) as { value: number };
  return row.value;
}

export function peekNextSequence(db: Database, name: string): number {
  const row = cachedStatement(db, 'SELECT next_value FROM sequences WHERE name = ?').get(name) as { next_value: number } | undefined;
  return row?.next_value ?? 1;
}
