import { sql } from 'kysely';
import type { HubDb } from './database';
import type { HubTables } from './schema';

/**
 * SQL for `hub_notifications`, `hub_wechat_orders` and `hub_wechat_refunds` (migration 0004), and the lookups of
 * what the counters' facts say about an order or a refund (the projections hub_wechat_attempts, hub_tenders,
 * hub_refunds). Every write here runs inside the caller's transaction (notify/record.ts).
 */

export type NotificationRow = HubTables['hub_notifications'];
export type NotificationOutcome = NotificationRow['outcome'];

/** True when the notification is new: the primary key makes a copy delivered at the same time a no-op. */
export async function insertNotificationOnce(db: HubDb, row: NotificationRow): Promise<boolean> {
  const result = await db.insertInto('hub_notifications').values(row).onConflict((oc) => oc.columns(['mchid', 'notification_id']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** Moves a notification from `from` to its outcome; false when another transaction moved it first. */
export async function settleNotification(
  db: HubDb, key: { mchid: string; notificationId: string }, from: NotificationOutcome,
  to: { outcome: NotificationOutcome; detail: string; store_id: string | null; terminal_id: string | null; settled_at: number | null },
): Promise<boolean> {
  const result = await db.updateTable('hub_notifications').set(to)
    .where('mchid', '=', key.mchid).where('notification_id', '=', key.notificationId).where('outcome', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findNotification(db: HubDb, mchid: string, notificationId: string): Promise<NotificationRow | undefined> {
  return db.selectFrom('hub_notifications').selectAll().where('mchid', '=', mchid).where('notification_id', '=', notificationId).executeTakeFirst();
}

/** Notifications still waiting for a counter fact; with names, only those naming one of them. */
export async function awaitingNotifications(db: HubDb, names?: { outTradeNos: string[]; outRefundNos: string[] }): Promise<NotificationRow[]> {
  let query = db.selectFrom('hub_notifications').selectAll().where('outcome', '=', 'awaiting-order');
  if (names) {
    if (names.outTradeNos.length === 0 && names.outRefundNos.length === 0) return [];
    query = query.where((eb) => eb.or([
      ...(names.outTradeNos.length > 0 ? [eb.and([eb('kind', '=', 'payment'), eb('out_trade_no', 'in', names.outTradeNos)])] : []),
      ...(names.outRefundNos.length > 0 ? [eb.and([eb('kind', '=', 'refund'), eb('out_refund_no', 'in', names.outRefundNos)])] : []),
    ]));
  }
  return query.orderBy('received_at').orderBy('notification_id').execute();
}

export async function listNotifications(db: HubDb, limit: number): Promise<NotificationRow[]> {
  return db.selectFrom('hub_notifications').selectAll().orderBy('received_at', 'desc').orderBy('notification_id').limit(limit).execute();
}

/**
 * What the counters' facts say about a WeChat order: its terminal, store and amount (attempt first, else tender).
 * One statement (a union ordered by source) instead of two: on PostgreSQL each statement is a round trip, and a
 * notification for an order no counter reported yet would otherwise pay both.
 */
export async function expectedOrder(db: HubDb, outTradeNo: string): Promise<{ terminalId: string; storeId: string; amountFen: number } | undefined> {
  const attempt = db.selectFrom('hub_wechat_attempts').select(['terminal_id', 'store_id', 'amount_fen', sql<number>`0`.as('source')]).where('out_trade_no', '=', outTradeNo);
  const tender = db.selectFrom('hub_tenders as t')
    .innerJoin('hub_sales as s', (j) => j.onRef('s.terminal_id', '=', 't.terminal_id').onRef('s.sale_id', '=', 't.sale_id'))
    .select(['t.terminal_id', 's.store_id', 't.amount_fen', sql<number>`1`.as('source')]).where('t.out_trade_no', '=', outTradeNo);
  const row = await attempt.unionAll(tender).orderBy('source').limit(1).executeTakeFirst();
  return row ? { terminalId: row.terminal_id, storeId: row.store_id, amountFen: row.amount_fen } : undefined;
}

/** What the counters' facts say about a WeChat refund. */
export async function expectedRefund(db: HubDb, outRefundNo: string): Promise<{ terminalId: string; storeId: string; amountFen: number } | undefined> {
  const row = await db.selectFrom('hub_refunds').select(['terminal_id', 'store_id', 'amount_fen']).where('out_refund_no', '=', outRefundNo).executeTakeFirst();
  return row ? { terminalId: row.terminal_id, storeId: row.store_id, amountFen: row.amount_fen } : undefined;
}

/** Paid, unless the order is already final at the hub (paid or refunded): true when this call moved it. */
export async function markOrderPaid(db: HubDb, row: HubTables['hub_wechat_orders']): Promise<boolean> {
  const result = await db.insertInto('hub_wechat_orders').values({ ...row, state: 'SUCCESS' })
    .onConflict((oc) => oc.columns(['mchid', 'out_trade_no']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A refund's final (or abnormal) state; an earlier final state never moves. True when this call moved it. */
export async function markRefund(db: HubDb, row: HubTables['hub_wechat_refunds']): Promise<boolean> {
  const result = await db.insertInto('hub_wechat_refunds').values(row)
    .onConflict((oc) => oc.columns(['mchid', 'out_refund_no']).doUpdateSet({
      status: row.status, refund_fen: row.refund_fen, refund_id: row.refund_id, success_time: row.success_time, notification_id: row.notification_id,
      updated_at: row.updated_at,
    }).where('hub_wechat_refunds.status', '=', 'ABNORMAL'))
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

/** A successful refund makes the order REFUND (from paid, or from nothing when the payment's notice is late). */
export async function markOrderRefunded(db: HubDb, row: HubTables['hub_wechat_orders']): Promise<void> {
  await db.insertInto('hub_wechat_orders').values({ ...row, state: 'REFUND' })
    .onConflict((oc) => oc.columns(['mchid', 'out_trade_no']).doUpdateSet({ state: 'REFUND', updated_at: row.updated_at }).where('hub_wechat_orders.state', '=', 'SUCCESS'))
    .execute();
}
