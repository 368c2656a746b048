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
    .onConflict((oc) => oc.column('mchid').doUpdateSet({
      api_version: row.api_version, base_url: row.base_url, sealed: row.sealed, updated_at: row.updated_at, updated_by: row.updated_by,
      sp_mchid: row.sp_mchid, sub_appid: row.sub_appid,
    }))
    .execute();
}

/**
 * Store ids by the merchant id their settings name (a store without a merchant id is left out). A store in
 * service-provider mode is listed under its sub-merchant id too (the row that settles it), as well as under the
 * merchant id its settings name.
 */
export async function storesByMchid(db: HubDb): Promise<Map<string, string[]>> {
  const rows = await db.selectFrom('store_settings').select(['store_id', 'wechat_mchid', 'wechat_sub_mchid']).orderBy('store_id').execute();
  const out = new Map<string, string[]>();
  for (const r of rows) {
    for (const id of new Set([r.wechat_mchid, r.wechat_sub_mchid])) {
      if (id !== null && id !== '') out.set(id, [...(out.get(id) ?? []), r.store_id]);
    }
  }
  return out;
}

/** The merchant id a store's settings name, or null. */
export async function mchidOfStore(db: HubDb, storeId: string): Promise<string | null> {
  const row = await db.selectFrom('store_settings').select('wechat_mchid').where('store_id', '=', storeId).executeTakeFirst();
  return row?.wechat_mchid ?? null;
}
