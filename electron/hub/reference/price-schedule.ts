import { randomUUID } from 'node:crypto';
import type { Clock } from '../../../shared/clock';
import { SCHEDULED_CHANGE_ADDRESS, storeLocalTimeToMs, type PriceScheduleView, type SchedulePriceRequest } from '../../../shared/hub-admin-api';
import type { Logger } from '../../../shared/log';
import type { HubDb } from '../db/database';
import { findItem, updateItemRow } from '../db/items';
import { findPriceSchedule, insertPriceSchedule, listDuePriceSchedules, listPriceSchedules, settlePriceSchedule, type PriceScheduleRow } from '../db/price-schedules';
import { CHAIN_SCOPE } from '../db/revisions';
import { findStore } from '../db/stores';
import { HubHttpError } from '../http/io';
import { assertManagesStores, assertOwner, conflict, inChange, mayManageStore, notFound, type Actor } from './change';
import { itemDetail, overrideOf, writeOverride } from './items';

/**
 * Price changes for a date and time (store time: every store is in China, UTC+8), applied by the hub itself
 * (`applyDuePriceChanges`, run by price-job.ts with the hub's clock) as ordinary reference changes: a new revision,
 * the item list marked changed for the chain or the one store, an audit entry old → new under the name of whoever
 * scheduled it and the address `hub-schedule`. Counters get the new price at their first pull after that.
 *
 * Rights are those of the change itself: the chain price is the owner's, a store's price the owner's or its
 * manager's; cancelling likewise, and only while pending. Decided: a schedule applies even if its author was
 * disabled or lost the store meanwhile (it was allowed when made; pending ones are listed for the owner to cancel),
 * and a store price applies with the store's availability as it is then.
 */
export async function schedulePriceChange(db: HubDb, clock: Clock, actor: Actor, request: SchedulePriceRequest): Promise<PriceScheduleView> {
  assertMayPrice(actor, request.storeId);
  const now = clock.now();
  const applyAt = storeLocalTimeToMs(request.applyAt);
  if (applyAt === null || applyAt <= now) throw new HubHttpError(400, 'BAD_REQUEST', '生效时间必须晚于现在 / The time must be in the future');
  const row: PriceScheduleRow = {
    schedule_id: randomUUID(), item_id: request.itemId, store_id: request.storeId, price_fen: request.priceFen, apply_at: applyAt, state: 'pending',
    created_by: actor.userId, created_by_name: actor.name, created_from: actor.address, created_at: now, settled_at: null, settled_by_name: null,
    applied_revision: null,
  };
  await inChange(db, actor, now, async (trx) => {
    if (!(await findItem(trx, request.itemId))) throw notFound('没有这个商品 / No such item');
    if (request.storeId !== null && !(await findStore(trx, request.storeId))) throw notFound('没有这个门店 / No such store');
    await insertPriceSchedule(trx, row);
    return {
      result: null,
      change: { action: 'price.schedule', target: targetOf(row), detail: { scheduleId: row.schedule_id, priceFen: row.price_fen, applyAt }, lists: [] },
    };
  });
  return scheduleView(row);
}

export async function cancelPriceChange(db: HubDb, clock: Clock, actor: Actor, scheduleId: string): Promise<PriceScheduleView> {
  const now = clock.now();
  return inChange(db, actor, now, async (trx) => {
    const row = await findPriceSchedule(trx, scheduleId);
    // Another store's schedule is answered as unknown to a manager: its existence is that store's business.
    if (!row || (row.store_id !== null && !mayManageStore(actor, row.store_id))) throw notFound('没有这个定时调价 / No such scheduled price change');
    assertMayPrice(actor, row.store_id);
    if (row.state !== 'pending') throw conflict(row.state === 'applied' ? '这个调价已生效，不能取消 / This price change has already applied' : '这个调价已取消 / This price change was already cancelled');
    const settled = { state: 'cancelled' as const, settled_at: now, settled_by_name: actor.name, applied_revision: null };
    await settlePriceSchedule(trx, scheduleId, settled);
    return {
      result: scheduleView({ ...row, ...settled }),
      change: { action: 'price.cancel', target: targetOf(row), detail: { scheduleId, priceFen: row.price_fen, applyAt: row.apply_at }, lists: [] },
    };
  });
}

/** Pending schedules (or one item's, every state) of the chain price and of the stores the caller may see. */
export async function listPriceScheduleViews(db: HubDb, actor: Actor, itemId: string | null): Promise<PriceScheduleView[]> {
  const readsAll = actor.role !== 'manager';
  return (await listPriceSchedules(db, itemId)).filter((r) => readsAll || r.store_id === null || mayManageStore(actor, r.store_id)).map(scheduleView);
}

/**
 * Applies every pending change whose time has come, oldest first, each in its own reference change (so one that
 * fails, e.g. an item gone, does not hold back the others). The schedule's state is checked again inside the
 * change's transaction, after the revision lock, so a cancel racing the job either wins or finds it applied.
 */
export async function applyDuePriceChanges(db: HubDb, clock: Clock, log: Logger): Promise<number> {
  let applied = 0;
  for (;;) {
    const due = await listDuePriceSchedules(db, clock.now(), 50);
    if (due.length === 0) return applied;
    for (const row of due) {
      try {
        if (await applyOne(db, clock, row)) applied += 1;
      } catch (error) {
        log.error('hub: a scheduled price change could not be applied', { schedule: row.schedule_id, error: error instanceof Error ? error.message : String(error) });
        // Not retried forever in this loop: it stays pending and is tried again at the next tick.
        return applied;
      }
    }
  }
}

class AlreadySettled extends Error {}

async function applyOne(db: HubDb, clock: Clock, row: PriceScheduleRow): Promise<boolean> {
  const now = clock.now();
  const author: Actor = { userId: row.created_by, name: row.created_by_name, role: 'owner', storeIds: null, address: SCHEDULED_CHANGE_ADDRESS };
  try {
    await inChange(db, author, now, async (trx, revision) => {
      const current = await findPriceSchedule(trx, row.schedule_id);
      if (!current || current.state !== 'pending') throw new AlreadySettled();
      await settlePriceSchedule(trx, row.schedule_id, { state: 'applied', settled_at: now, settled_by_name: null, applied_revision: revision });
      if (row.store_id !== null) {
        const change = await writeOverride(trx, row.item_id, row.store_id, { ...(await overrideOf(trx, row.item_id, row.store_id)), priceFen: row.price_fen }, now);
        return { result: null, change: { ...change, detail: { ...change.detail, scheduleId: row.schedule_id } } };
      }
      const before = await findItem(trx, row.item_id);
      if (!before) throw notFound('没有这个商品 / No such item');
      await updateItemRow(trx, row.item_id, { price_fen: row.price_fen, updated_at: now });
      return {
        result: null,
        change: {
          action: 'item.update', target: row.item_id,
          detail: { before: itemDetail(before), after: itemDetail({ ...before, price_fen: row.price_fen }), scheduleId: row.schedule_id },
          lists: [{ scope: CHAIN_SCOPE, list: 'items' }],
        },
      };
    });
    return true;
  } catch (error) {
    if (error instanceof AlreadySettled) return false;
    throw error;
  }
}

function assertMayPrice(actor: Actor, storeId: string | null): void {
  if (storeId === null) assertOwner(actor);
  else assertManagesStores(actor, [storeId]);
}

const targetOf = (row: Pick<PriceScheduleRow, 'item_id' | 'store_id'>): string => (row.store_id === null ? row.item_id : `${row.item_id}@${row.store_id}`);

function scheduleView(row: PriceScheduleRow): PriceScheduleView {
  return {
    scheduleId: row.schedule_id, itemId: row.item_id, storeId: row.store_id, priceFen: row.price_fen, applyAt: row.apply_at, state: row.state,
    createdByName: row.created_by_name, createdAt: row.created_at, settledAt: row.settled_at, settledByName: row.settled_by_name,
  };
}
