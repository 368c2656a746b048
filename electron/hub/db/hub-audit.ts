import { randomUUID } from 'node:crypto';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type HubAuditRow = HubTables['hub_audit'];

export async function insertHubAudit(db: HubDb, entry: Omit<HubAuditRow, 'audit_id'>): Promise<void> {
  await db.insertInto('hub_audit').values({ ...entry, audit_id: randomUUID() }).execute();
}

export async function listHubAudit(db: HubDb, limit: number): Promise<HubAuditRow[]> {
  return db.selectFrom('hub_audit').selectAll().orderBy('at', 'desc').orderBy('revision', 'desc').limit(limit).execute();
}
