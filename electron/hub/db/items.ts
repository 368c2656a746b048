import type { HubDb } from './database';
import type { HubTables } from './schema';

export type HubItemRow = HubTables['hub_items'];
export type HubItemOverrideRow = HubTables['hub_item_overrides'];

export async function insertItem(db: HubDb, row: HubItemRow): Promise<void> {
  await db.insertInto('hub_items').values(row).execute();
}

export async function findItem(db: HubDb, itemId: string): Promise<HubItemRow | undefined> {
  return db.selectFrom('hub_items').selectAll().where('item_id', '=', itemId).executeTakeFirst();
}

export async function findItemByBarcode(db: HubDb, barcode: string): Promise<HubItemRow | undefined> {
  return db.selectFrom('hub_items').selectAll().where('barcode', '=', barcode).executeTakeFirst();
}

export async function findItemAtPosition(db: HubDb, position: number): Promise<HubItemRow | undefined> {
  return db.selectFrom('hub_items').selectAll().where('position', '=', position).executeTakeFirst();
}

export async function listItems(db: HubDb): Promise<HubItemRow[]> {
  return db.selectFrom('hub_items').selectAll().orderBy('created_at').orderBy('item_id').execute();
}

export async function updateItemRow(db: HubDb, itemId: string, changes: Partial<Omit<HubItemRow, 'item_id' | 'created_at'>>): Promise<void> {
  await db.updateTable('hub_items').set(changes).where('item_id', '=', itemId).execute();
}

/** The lowest quick-key place no item holds: a new quick item never moves another. */
export async function lowestFreePosition(db: HubDb): Promise<number> {
  const taken = await db.selectFrom('hub_items').select('position').where('position', 'is not', null).orderBy('position').execute();
  let free = 0;
  for (const { position } of taken) {
    if (position !== free) break;
    free += 1;
  }
  return free;
}

export async function listOverrides(db: HubDb, storeIds?: readonly string[]): Promise<HubItemOverrideRow[]> {
  let query = db.selectFrom('hub_item_overrides').selectAll();
  if (storeIds) {
    if (storeIds.length === 0) return [];
    query = query.where('store_id', 'in', storeIds);
  }
  return query.orderBy('item_id').orderBy('store_id').execute();
}

export async function upsertOverride(db: HubDb, row: HubItemOverrideRow): Promise<void> {
  await db
    .insertInto('hub_item_overrides')
    .values(row)
    .onConflict((oc) => oc.columns(['item_id', 'store_id']).doUpdateSet({ price_fen: row.price_fen, available: row.available, updated_at: row.updated_at }))
    .execute();
}

export async function deleteOverride(db: HubDb, itemId: string, storeId: string): Promise<void> {
  await db.deleteFrom('hub_item_overrides').where('item_id', '=', itemId).where('store_id', '=', storeId).execute();
}
