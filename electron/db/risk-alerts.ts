import type { Database } from 'better-sqlite3';
import type { RiskAlertKind } from '../../shared/security';
import { cachedStatement } from './statements';

export interface RiskAlertRow {
  id: number;
  kind: RiskAlertKind;
  actor_id: string;
  count: number;
  window_ms: number;
  at: number;
  acknowledged_at: number | null;
  acknowledged_by: string | null;
}

export function insertRiskAlert(
  db: Database,
  alert: { kind: RiskAlertKind; actorId: string; count: number; windowMs: number; at: number },
): number {
  const result = db
    .prepare('INSERT INTO risk_alerts (kind, actor_id, count, window_ms, at) VALUES (?, ?, ?, ?, ?)')
    .run(alert.kind, alert.actorId, alert.count, alert.windowMs, alert.at);
  return Number(result.lastInsertRowid);
}

export function getRiskAlert(db: Database, id: number): RiskAlertRow | undefined {
  return cachedStatement(db, 'SELECT * FROM risk_alerts WHERE id = ?').get(id) as RiskAlertRow | undefined;
}

/** The newest unacknowledged alert of a kind for a person raised at or after `since`, if any. */
export function findOpenRiskAlert(db: Database, kind: RiskAlertKind, actorId: string, since: number): RiskAlertRow | undefined {
  return db
    .prepare(
      `SELECT * FROM risk_alerts WHERE kind = ? AND actor_id = ? AND acknowledged_at IS NULL AND at >= ?
       ORDER BY id DESC LIMIT 1`,
    )
    .get(kind, actorId, since) as RiskAlertRow | undefined;
}

export function updateRiskAlertCount(db: Database, id: number, count: number): void {
  cachedStatement(db, 'UPDATE risk_alerts SET count = ? WHERE id = ?').run(count, id);
}

export function listRiskAlerts(db: Database, openOnly: boolean, limit: number): RiskAlertRow[] {
  return db
    .prepare('SELECT * FROM risk_alerts WHERE (? = 0 OR acknowledged_at IS NULL) ORDER BY id DESC LIMIT ?')
    .all(openOnly ? 1 : 0, limit) as RiskAlertRow[];
}

export function acknowledgeRiskAlert(db: Database, id: number, by: string, now: number): boolean {
  return (
    cachedStatement(db, 'UPDATE risk_alerts SET acknowledged_at = ?, acknowledged_by = ? WHERE id = ? AND acknowledged_at IS NULL').run(now, by, id)
      .changes === 1
  );
}
