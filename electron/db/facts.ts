import type { Database } from 'better-sqlite3';
import type { FactEnvelope, FactKind } from '../../shared/hub-protocol';
import { cachedStatement } from './statements';

/**
 * The facts outbox for the hub (migration 0011). Facts are written only by the triggers of 0011, in the
 * transaction of their domain row; this module reads them for the push worker and records the hub's
 * acknowledgement.
 */
export interface FactRow {
  seq: number;
  kind: FactKind;
  at: number;
  body: string;
}

export interface FactHead {
  /** The last number given. */
  seq: number;
  /** The hub's acknowledged high-water: every fact up to this one is stored at the hub. */
  acked: number;
}

export function getFactHead(db: Database): FactHead {
  return cachedStatement(db, 'SELECT seq, acked FROM fact_head WHERE id = 1').get() as FactHead;
}

/** The oldest facts the hub has not acknowledged, oldest first. */
export function listUnsentFacts(db: Database, limit: number): FactEnvelope[] {
  return cachedStatement(
    db,
    'SELECT seq, kind, at, body FROM facts WHERE seq > (SELECT acked FROM fact_head WHERE id = 1) ORDER BY seq LIMIT ?',
  ).all(limit) as FactRow[];
}

export interface FactBacklog {
  count: number;
  oldestUnsentAt: number | null;
}

export function getFactBacklog(db: Database): FactBacklog {
  const head = getFactHead(db);
  const oldest = cachedStatement(db, 'SELECT at FROM facts WHERE seq = ?').get(head.acked + 1) as { at: number } | undefined;
  return { count: head.seq - head.acked, oldestUnsentAt: oldest?.at ?? null };
}

/**
 * Records the hub's high-water. Never moves it back (an older answer arriving late changes nothing) and never past
 * the last fact written here: a hub claiming more than this counter ever wrote is refused (`false`), since it would
 * mean this database is older than the one that pushed (a restored backup) and must be looked at.
 */
export function recordAcknowledged(db: Database, highWater: number): boolean {
  const head = getFactHead(db);
  if (highWater > head.seq) return false;
  if (highWater > head.acked) cachedStatement(db, 'UPDATE fact_head SET acked = ? WHERE id = 1').run(highWater);
  return true;
}

/**
 * Sets the high-water outright, back or forth: only at enrolment, where the new hub (or the same hub under a new
 * terminal) says which facts it already holds.
 */
export function setAcknowledged(db: Database, highWater: number): void {
  cachedStatement(db, 'UPDATE fact_head SET acked = ? WHERE id = 1').run(highWater);
}

/** The oldest fact still here (older ones were pruned after a hub acknowledged them); the head's seq + 1 if none. */
export function oldestKeptFactSeq(db: Database): number {
  const row = cachedStatement(db, 'SELECT MIN(seq) AS seq FROM facts').get() as { seq: number | null };
  return row.seq ?? getFactHead(db).seq + 1;
}

/**
 * Deletes up to `limit` facts the hub has acknowledged and that were written before `writtenBefore`, oldest first.
 * Never one above the high-water: a fact leaves the counter only once the hub holds it. The domain rows (sales,
 * shifts, audit) stay: local reports, refunds and the audit chain read those, not the facts.
 */
export function pruneAcknowledgedFacts(db: Database, writtenBefore: number, limit: number): number {
  return cachedStatement(
    db,
    `DELETE FROM facts WHERE seq IN (
       SELECT seq FROM facts WHERE seq <= (SELECT acked FROM fact_head WHERE id = 1) AND at < ? ORDER BY seq LIMIT ?)`,
  ).run(writtenBefore, limit).changes;
}

export function listFacts(db: Database, fromSeq: number, limit: number): FactRow[] {
  return cachedStatement(db, 'SELECT seq, kind, at, body FROM facts WHERE seq >= ? ORDER BY seq LIMIT ?').all(fromSeq, limit) as FactRow[];
}
