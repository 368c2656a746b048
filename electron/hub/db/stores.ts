import type { HubDb } from './database';
import type { HubTables } from './schema';

export type StoreRow = HubTables['stores'];

export async function insertStore(db: HubDb, store: StoreRow): Promise<void> {
  await db.insertInto('stores').values(store).execute();
}

export async function listStores(db: HubDb): Promise<StoreRow[]> {
  return db.selectFrom('stores').selectAll().orderBy('created_at').orderBy('store_id').execute();
}

export async function findStore(db: HubDb, storeId: string): Promise<StoreRow | undefined> {
  return db.selectFrom('stores').selectAll().where('store_id', '=', storeId).executeTakeFirst();
}
