import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export type RiskEventKind = 'failed-scan' | 'refund';

export function insertRiskEvent(db: Database, kind: RiskEventKind, actorId: string, amountFen: number | null, at: number): void {
  cachedStatement(db, 'INSERT INTO risk_events (kind, actor_id, amount_fen, at) VALUES (?, ?, ?, ?)').run(kind, actorId, amountFen, at);
}

/** Events of one kind by one person in [from, to). */
export function countRiskEvents(db: Database, kind: RiskEventKind, actorId: string, from: number, to: number): number {
  const row = db
    .prepare('SELECT count(*) AS n FROM risk_events WHERE kind = ? AND actor_id = ? AND at >= ? AND at < ?')
    .get(kind, actorId, from, to) as { n: number };
  return row.n;
}

/** The counters only matter for a day or so; older rows go (the audit log keeps the lasting record). */
export function pruneRiskEvents(db: Database, before: number): number {
  return cachedStatement(db, 'DELETE FROM risk_events WHERE at < ?').run(before).changes;
}
