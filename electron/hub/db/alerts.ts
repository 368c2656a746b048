import { randomUUID } from 'node:crypto';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type AlertRow = HubTables['alerts'];

/**
 * Raises an alert once per `dedupeKey` (a gap is keyed by its first missing number, a conflict by its number and
 * the refused body's hash): the unique key makes it once, even under concurrent pushes. True when it is new.
 */
export async function raiseAlert(db: HubDb, alert: Omit<AlertRow, 'alert_id'>): Promise<boolean> {
  const result = await db
    .insertInto('alerts')
    .values({ ...alert, alert_id: randomUUID() })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listAlerts(db: HubDb, limit: number): Promise<AlertRow[]> {
  return db.selectFrom('alerts').selectAll().orderBy('raised_at', 'desc').orderBy('alert_id').limit(limit).execute();
}
