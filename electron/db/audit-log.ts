import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export interface AuditRow {
  seq: number;
  at: number;
  actor_id: string;
  actor_name: string;
  action: string;
  /** Canonical JSON text, hashed exactly as stored. */
  details: string;
  prev_hash: string;
  hash: string;
}

export const AUDIT_GENESIS_HASH = '0'.repeat(64);

export function insertAuditRow(db: Database, row: AuditRow): void {
  cachedStatement(db,
    `INSERT INTO audit_log (seq, at, actor_id, actor_name, action, details, prev_hash, hash)
     VALUES (@seq, @at, @actor_id, @actor_name, @action, @details, @prev_hash, @hash)`,
  ).run(row);
}

export interface AuditHead {
  seq: number;
  hash: string;
}

/** The newest row as the insert trigger recorded it (seq 0 and the genesis hash for an empty log). */
export function getAuditHead(db: Database): AuditHead {
  const row = cachedStatement(db, 'SELECT seq, hash FROM audit_head WHERE id = 1').get() as AuditHead | undefined;
  return row ?? { seq: 0, hash: AUDIT_GENESIS_HASH };
}

export function iterateAuditRows(db: Database): IterableIterator<AuditRow> {
  return db.prepare('SELECT * FROM audit_log ORDER BY seq').iterate() as IterableIterator<AuditRow>;
}

export function listAuditRows(db: Database, beforeSeq: number | null, limit: number): AuditRow[] {
  return cachedStatement(db, 'SELECT * FROM audit_log WHERE (? IS NULL OR seq < ?) ORDER BY seq DESC LIMIT ?')
    .all(beforeSeq, beforeSeq, limit) as AuditRow[];
}

/** The newest entry of `action` whose details carry `key` = `value` (e.g. the 'shift.closed' entry of one shift). */
export function findAuditEntry(db: Database, action: string, key: string, value: string): AuditRow | undefined {
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(key)) throw new Error('audit detail key must be a plain name');
  return db
    .prepare(`SELECT * FROM audit_log WHERE action = ? AND json_extract(details, '$.${key}') = ? ORDER BY seq DESC LIMIT 1`)
    .get(action, value) as AuditRow | undefined;
}
