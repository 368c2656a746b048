import type { HubDb } from './database';
import type { HubTables } from './schema';

/** SQL for `hub_merchants` (migration 0004): one row per merchant id, credentials sealed (merchants/sealed.ts). */

export type MerchantRow = HubTables['hub_merchants'];

export async function listMerchantRows(db: HubDb): Promise<MerchantRow[]> {
  return db.selectFrom('hub_merchants').selectAll().orderBy('mchid').execute();
}

export async function upsertMerchant(db: HubDb, row: MerchantRow): Promise<void> {
  await db
    .insertInto('hub_merchants')
    .values(row)
    .onConflict((oc) => oc.column('mchid').doUpdateSet({ api_version: row.api_version, base_url: row.base_url, sealed: row.sealed, updated_at: row.updated_at, updated_by: row.updated_by }))
    .execute();
}

/** Store ids by the merchant id their settings name (a store without a merchant id is left out). */
export async function storesByMchid(db: HubDb): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('store_settings').select(['store_id', 'wechat_mchid']).where('wechat_mchid', 'is not', null).orderBy('store_id').execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    if (r.wechat_mchid === null) continue;
    out.set(r.wechat_mchid, [...(out.get(r.wechat_mchid) ?? []), r.store_id]);
  }
  return out;
}

/** The merchant id a store's settings name, or null. */
export async function mchidOfStore(db: HubDb, storeId: string): Promise<string | null> {
  const row = await db.selectFrom('store_settings').select('wechat_mchid').where('store_id', '=', storeId).executeTakeFirst();
  return row?.wechat_mchid ?? null;
}
