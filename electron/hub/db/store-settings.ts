import type { HubDb } from './database';
import type { HubTables } from './schema';

export type StoreSettingsRow = HubTables['store_settings'];

/** A store's settings until someone changes them: the counter's own defaults (￥500 limits), no footer, no ids. */
export function defaultStoreSettings(storeId: string): StoreSettingsRow {
  return {
    store_id: storeId, address: '', receipt_footer: '', max_cash_out_fen: 50_000, max_refund_fen: 50_000,
    wechat_mchid: null, wechat_sub_mchid: null, wechat_appid: null, updated_at: 0,
  };
}

export async function findStoreSettings(db: HubDb, storeId: string): Promise<StoreSettingsRow | undefined> {
  return db.selectFrom('store_settings').selectAll().where('store_id', '=', storeId).executeTakeFirst();
}

export async function upsertStoreSettings(db: HubDb, row: StoreSettingsRow): Promise<void> {
  const { store_id: _storeId, ...changes } = row;
  await db.insertInto('store_settings').values(row).onConflict((oc) => oc.column('store_id').doUpdateSet(changes)).execute();
}

export async function renameStore(db: HubDb, storeId: string, name: string): Promise<void> {
  await db.updateTable('stores').set({ name }).where('store_id', '=', storeId).execute();
}
