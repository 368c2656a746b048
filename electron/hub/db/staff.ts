import type { HubDb } from './database';
import type { HubTables } from './schema';

export type HubStaffRow = HubTables['hub_staff'];

export async function insertStaff(db: HubDb, row: HubStaffRow): Promise<void> {
  await db.insertInto('hub_staff').values(row).execute();
}

export async function findStaff(db: HubDb, staffId: string): Promise<HubStaffRow | undefined> {
  return db.selectFrom('hub_staff').selectAll().where('staff_id', '=', staffId).executeTakeFirst();
}

export async function findActiveStaffByName(db: HubDb, name: string): Promise<HubStaffRow | undefined> {
  return db.selectFrom('hub_staff').selectAll().where('name', '=', name).where('active', '=', 1).executeTakeFirst();
}

export async function listStaff(db: HubDb): Promise<HubStaffRow[]> {
  return db.selectFrom('hub_staff').selectAll().orderBy('created_at').orderBy('staff_id').execute();
}

/** Everyone who works at one store, active or not (a disabled person must reach the counters as disabled). */
export async function listStaffOfStore(db: HubDb, storeId: string): Promise<HubStaffRow[]> {
  return db
    .selectFrom('hub_staff')
    .innerJoin('hub_staff_stores', 'hub_staff_stores.staff_id', 'hub_staff.staff_id')
    .selectAll('hub_staff')
    .where('hub_staff_stores.store_id', '=', storeId)
    .orderBy('hub_staff.created_at')
    .orderBy('hub_staff.staff_id')
    .execute();
}

export async function updateStaffRow(db: HubDb, staffId: string, changes: Partial<Omit<HubStaffRow, 'staff_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('hub_staff').set(changes).where('staff_id', '=', staffId).execute();
}

export async function storesOfStaff(db: HubDb, staffId: string): Promise<string[]> {
  const rows = await db.selectFrom('hub_staff_stores').select('store_id').where('staff_id', '=', staffId).orderBy('store_id').execute();
  return rows.map((r) => r.store_id);
}

export async function allStaffStores(db: HubDb): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('hub_staff_stores').selectAll().orderBy('store_id').execute();
  const result = new Map<string, string[]>();
  for (const row of rows) result.set(row.staff_id, [...(result.get(row.staff_id) ?? []), row.store_id]);
  return result;
}

export async function setStoresOfStaff(db: HubDb, staffId: string, storeIds: readonly string[]): Promise<void> {
  await db.deleteFrom('hub_staff_stores').where('staff_id', '=', staffId).execute();
  if (storeIds.length > 0) await db.insertInto('hub_staff_stores').values(storeIds.map((store_id) => ({ staff_id: staffId, store_id }))).execute();
}
