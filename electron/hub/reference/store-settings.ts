import type { Clock } from '../../../shared/clock';
import type { StoreSettingsRequest, StoreSettingsView } from '../../../shared/hub-admin-api';
import type { HubStoreSettings } from '../../../shared/hub-protocol';
import type { HubDb } from '../db/database';
import { defaultStoreSettings, findStoreSettings, renameStore, upsertStoreSettings, type StoreSettingsRow } from '../db/store-settings';
import { findStore } from '../db/stores';
import { assertManagesStores, forbidden, inChange, notFound, type Actor } from './change';

/**
 * A store's settings as its counters apply them (name, address, receipt footer, limits, WeChat ids). A manager of
 * the store may change what is printed (name, address, footer); the limits that guard cash and refunds and the
 * WeChat merchant ids are the owner's, so a manager cannot raise their own approval limits.
 */
export async function storeSettingsView(db: HubDb, actor: Actor, storeId: string): Promise<StoreSettingsView> {
  assertManagesStores(actor, [storeId]);
  const settings = await storeSettingsFor(db, storeId);
  const row = await findStoreSettings(db, storeId);
  return { ...withoutStoreId(settings), storeId, updatedAt: row ? row.updated_at : null };
}

export async function putStoreSettings(db: HubDb, clock: Clock, actor: Actor, storeId: string, request: StoreSettingsRequest): Promise<StoreSettingsView> {
  assertManagesStores(actor, [storeId]);
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    const before = await storeSettingsFor(trx, storeId);
    if (actor.role !== 'owner') {
      const ownersPart = (s: Pick<HubStoreSettings, 'maxCashOutFen' | 'maxRefundFen' | 'wechat'>): string => JSON.stringify([s.maxCashOutFen, s.maxRefundFen, s.wechat]);
      if (ownersPart(request) !== ownersPart(before)) throw forbidden('限额和微信商户号只能由老板修改 / Only the owner changes limits and WeChat ids');
    }
    const row: StoreSettingsRow = {
      store_id: storeId, address: request.address, receipt_footer: request.receiptFooter, max_cash_out_fen: request.maxCashOutFen,
      max_refund_fen: request.maxRefundFen, wechat_mchid: request.wechat.mchid, wechat_sub_mchid: request.wechat.subMchid,
      wechat_appid: request.wechat.appid, updated_at: now,
    };
    await upsertStoreSettings(trx, row);
    if (request.name !== before.name) await renameStore(trx, storeId, request.name);
    return { result: null, change: { action: 'store.settings', target: storeId, detail: { before: withoutStoreId(before), after: { ...request } }, lists: [{ scope: storeId, list: 'store' }] } };
  });
  return storeSettingsView(db, actor, storeId);
}

/** What a store's counters get: the stored settings, or the defaults until someone changed them. */
export async function storeSettingsFor(db: HubDb, storeId: string): Promise<HubStoreSettings> {
  const store = await findStore(db, storeId);
  if (!store) throw notFound('没有这个门店 / No such store');
  const row = (await findStoreSettings(db, storeId)) ?? defaultStoreSettings(storeId);
  return {
    storeId, name: store.name, address: row.address, receiptFooter: row.receipt_footer, maxCashOutFen: row.max_cash_out_fen,
    maxRefundFen: row.max_refund_fen, wechat: { mchid: row.wechat_mchid, subMchid: row.wechat_sub_mchid, appid: row.wechat_appid },
  };
}

function withoutStoreId(settings: HubStoreSettings): Omit<HubStoreSettings, 'storeId'> {
  const { storeId: _storeId, ...rest } = settings;
  return rest;
}
