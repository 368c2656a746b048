import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import type { CreateItemRequest, ItemOverrideRequest, ItemView, UpdateItemRequest } from '../../../shared/hub-admin-api';
import type { HubItem } from '../../../shared/hub-protocol';
import type { HubDb } from '../db/database';
import {
  deleteOverride, findItem, findItemAtPosition, findItemByBarcode, insertItem, listItems, listOverrides, lowestFreePosition,
  updateItemRow, upsertOverride, type HubItemOverrideRow, type HubItemRow,
} from '../db/items';
import { CHAIN_SCOPE } from '../db/revisions';
import { findStore } from '../db/stores';
import { assertManagesStores, assertOwner, conflict, inChange, notFound, type Actor, type Change } from './change';

/**
 * The chain's item list (owner) and each store's price and availability (owner, or a manager of that store).
 * Items are never deleted, only deactivated: old sales at the counters name them. Quick keys are stable: a new
 * quick item takes the lowest free place, and places change only when someone moves a key (the item already at the
 * target place takes the moved one's old place).
 */
export async function createItem(db: HubDb, clock: Clock, actor: Actor, request: CreateItemRequest): Promise<ItemView> {
  assertOwner(actor);
  const now = clock.now();
  const itemId = randomUUID();
  await inChange(db, actor, now, async (trx) => {
    if (request.barcode && (await findItemByBarcode(trx, request.barcode))) throw barcodeTaken();
    const quick = request.quick ?? false;
    const row: HubItemRow = {
      item_id: itemId, name: request.name, barcode: request.barcode ?? null, price_fen: request.priceFen, quick: quick ? 1 : 0,
      position: quick ? await lowestFreePosition(trx) : null, active: 1, created_at: now, updated_at: now,
    };
    await insertItem(trx, row);
    return { result: row, change: { action: 'item.create', target: itemId, detail: { ...itemDetail(row) }, lists: [{ scope: CHAIN_SCOPE, list: 'items' }] } };
  });
  return itemView(db, actor, itemId);
}

export async function updateItem(db: HubDb, clock: Clock, actor: Actor, itemId: string, request: UpdateItemRequest): Promise<ItemView> {
  assertOwner(actor);
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    const before = await findItem(trx, itemId);
    if (!before) throw noSuchItem();
    if (request.barcode && request.barcode !== before.barcode && (await findItemByBarcode(trx, request.barcode))) throw barcodeTaken();
    const quick = request.quick ?? before.quick === 1;
    let position = before.position;
    if (!quick) position = null;
    else if (request.position !== undefined && request.position !== before.position) {
      const holder = await findItemAtPosition(trx, request.position);
      if (holder) {
        // A swap under a unique place: park the holder first, then give it the moved key's old place (or the next free one).
        await updateItemRow(trx, holder.item_id, { position: null, quick: 0 });
        const back = before.position ?? null;
        await updateItemRow(trx, itemId, { position: request.position, quick: 1 });
        await updateItemRow(trx, holder.item_id, { position: back ?? (await lowestFreePosition(trx)), quick: 1, updated_at: now });
      }
      position = request.position;
    } else if (position === null) position = await lowestFreePosition(trx);
    const changes = {
      name: request.name ?? before.name,
      barcode: request.barcode === undefined ? before.barcode : request.barcode,
      price_fen: request.priceFen ?? before.price_fen,
      quick: quick ? 1 : 0,
      position,
      active: request.active === undefined ? before.active : request.active ? 1 : 0,
      updated_at: now,
    };
    await updateItemRow(trx, itemId, changes);
    return {
      result: null,
      change: { action: 'item.update', target: itemId, detail: { before: itemDetail(before), after: itemDetail({ ...before, ...changes }) }, lists: [{ scope: CHAIN_SCOPE, list: 'items' }] },
    };
  });
  return itemView(db, actor, itemId);
}

/** One store's price and availability for an item; the chain price and "available" clear the override. */
export async function setItemOverride(db: HubDb, clock: Clock, actor: Actor, itemId: string, storeId: string, request: ItemOverrideRequest): Promise<ItemView> {
  assertManagesStores(actor, [storeId]);
  const now = clock.now();
  await inChange(db, actor, now, async (trx) => {
    if (!(await findItem(trx, itemId))) throw noSuchItem();
    if (!(await findStore(trx, storeId))) throw notFound('没有这个门店 / No such store');
    return { result: null, change: await writeOverride(trx, itemId, storeId, request, now) };
  });
  return itemView(db, actor, itemId);
}

/**
 * Writes one store's price and availability and names the change, old → new (the history shows both). Shared by
 * the page's change and the price job's scheduled one, which runs it inside its own `inChange`.
 */
export async function writeOverride(trx: HubDb, itemId: string, storeId: string, request: ItemOverrideRequest, now: number): Promise<Change> {
  const existing = (await listOverrides(trx, [storeId])).find((o) => o.item_id === itemId);
  const before = { priceFen: existing?.price_fen ?? null, available: (existing?.available ?? 1) === 1 };
  if (request.priceFen === null && request.available) await deleteOverride(trx, itemId, storeId);
  else await upsertOverride(trx, { item_id: itemId, store_id: storeId, price_fen: request.priceFen, available: request.available ? 1 : 0, updated_at: now });
  return { action: 'item.override', target: `${itemId}@${storeId}`, detail: { before, after: { ...request } }, lists: [{ scope: storeId, list: 'items' }] };
}

/** The store's current override of an item (null price: the chain's), for a scheduled price that keeps availability. */
export async function overrideOf(db: HubDb, itemId: string, storeId: string): Promise<ItemOverrideRequest> {
  const existing = (await listOverrides(db, [storeId])).find((o) => o.item_id === itemId);
  return { priceFen: existing?.price_fen ?? null, available: (existing?.available ?? 1) === 1 };
}

/** Every item with the overrides of the stores the caller manages. */
export async function listItemViews(db: HubDb, actor: Actor): Promise<ItemView[]> {
  const overrides = await listOverrides(db, actor.storeIds ?? undefined);
  return (await listItems(db)).map((item) => toView(item, overrides));
}

async function itemView(db: HubDb, actor: Actor, itemId: string): Promise<ItemView> {
  const item = await findItem(db, itemId);
  if (!item) throw noSuchItem();
  return toView(item, await listOverrides(db, actor.storeIds ?? undefined));
}

/** The store's view of the list for its counters: its own prices and availability resolved. */
export async function itemsForStore(db: HubDb, storeId: string): Promise<HubItem[]> {
  const overrides = new Map((await listOverrides(db, [storeId])).map((o) => [o.item_id, o]));
  return (await listItems(db)).map((item) => {
    const override = overrides.get(item.item_id);
    return {
      hubItemId: item.item_id,
      name: item.name,
      barcode: item.barcode,
      priceFen: override?.price_fen ?? item.price_fen,
      quick: item.quick === 1,
      // The counter's items table wants a place for every item; only quick items' places mean anything.
      position: item.position ?? 0,
      active: item.active === 1 && (override?.available ?? 1) === 1,
    };
  });
}

function toView(item: HubItemRow, overrides: readonly HubItemOverrideRow[]): ItemView {
  return {
    itemId: item.item_id, name: item.name, barcode: item.barcode, priceFen: item.price_fen, quick: item.quick === 1,
    position: item.position, active: item.active === 1, updatedAt: item.updated_at,
    overrides: overrides.filter((o) => o.item_id === item.item_id).map((o) => ({ storeId: o.store_id, priceFen: o.price_fen, available: o.available === 1 })),
  };
}

export function itemDetail(row: HubItemRow): Record<string, unknown> {
  return { name: row.name, barcode: row.barcode, priceFen: row.price_fen, quick: row.quick === 1, position: row.position, active: row.active === 1 };
}

const noSuchItem = () => notFound('没有这个商品 / No such item');
const barcodeTaken = () => conflict('这个条码已属于另一个商品 / This barcode belongs to another item');
