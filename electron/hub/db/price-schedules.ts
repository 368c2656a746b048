import type { HubDb } from './database';
import type { HubTables } from './schema';

export type PriceScheduleRow = HubTables['hub_price_schedules'];

export async function insertPriceSchedule(db: HubDb, row: PriceScheduleRow): Promise<void> {
  await db.insertInto('hub_price_schedules').values(row).execute();
}

export async function findPriceSchedule(db: HubDb, scheduleId: string): Promise<PriceScheduleRow | undefined> {
  return db.selectFrom('hub_price_schedules').selectAll().where('schedule_id', '=', scheduleId).executeTakeFirst();
}

/** Pending changes whose time has come, oldest first (applied in that order: a later one wins). */
export async function listDuePriceSchedules(db: HubDb, now: number, limit: number): Promise<PriceScheduleRow[]> {
  return db.selectFrom('hub_price_schedules').selectAll().where('state', '=', 'pending').where('apply_at', '<=', now)
    .orderBy('apply_at').orderBy('created_at').orderBy('schedule_id').limit(limit).execute();
}

/** Every pending change, or every change of one item (any state), by time. */
export async function listPriceSchedules(db: HubDb, itemId: string | null): Promise<PriceScheduleRow[]> {
  let query = db.selectFrom('hub_price_schedules').selectAll();
  query = itemId === null ? query.where('state', '=', 'pending') : query.where('item_id', '=', itemId);
  return query.orderBy('apply_at').orderBy('schedule_id').limit(500).execute();
}

export async function settlePriceSchedule(
  db: HubDb, scheduleId: string, changes: Pick<PriceScheduleRow, 'state' | 'settled_at' | 'settled_by_name' | 'applied_revision'>,
): Promise<void> {
  await db.updateTable('hub_price_schedules').set(changes).where('schedule_id', '=', scheduleId).where('state', '=', 'pending').execute();
}
