import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * WeChat Pay at the hub (issue 14, notifications half): each merchant's credentials (sealed at rest), every
 * notification WeChat delivered, and the WeChat state of orders and refunds as notifications told it.
 *
 * - `hub_merchants`: one row per mchid; `sealed` is base64 of the AES-256-GCM envelope of the credentials JSON
 *   (merchants/sealed-credentials.ts), never readable without the hub's key file. Which stores use a merchant is
 *   `store_settings.wechat_mchid` (not repeated here).
 * - `hub_notifications`: one row per (mchid, notification id), inserted in the same transaction as its effect; the
 *   primary key is what makes a notification count once however many copies arrive at once. `outcome` is what it
 *   did: applied, ignored-final (the order had already reached a final state), awaiting-order (verified, but no
 *   counter fact names its order yet: matched when one arrives), mismatch (amount or merchant differ: an alert).
 * - `hub_wechat_orders` / `hub_wechat_refunds`: the state WeChat notified, moved only by a guarded upsert (a final
 *   state never moves back).
 */
export const migration0005: HubMigration = {
  version: 5,
  name: 'merchants-and-notifications',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_merchants')
      .addColumn('mchid', 'text', (c) => c.primaryKey())
      .addColumn('api_version', 'text', (c) => c.notNull().check(sql`api_version in ('v2', 'v3')`))
      .addColumn('base_url', 'text', (c) => c.notNull())
      .addColumn('sealed', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_notifications')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('api', 'text', (c) => c.notNull().check(sql`api in ('v2', 'v3')`))
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('payment', 'refund')`))
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('out_refund_no', 'text')
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('refund_id', 'text')
      // A refund notice's order total (fen); null for a payment (amount_fen is its total).
      .addColumn('order_total_fen', int64)
      // The payment's total, or the refund's amount, as the notification says (fen).
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('success_time', int64)
      .addColumn('outcome', 'text', (c) => c.notNull().check(sql`outcome in ('applied', 'ignored-final', 'awaiting-order', 'mismatch')`))
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text')
      .addColumn('terminal_id', 'text')
      .addColumn('received_at', int64, (c) => c.notNull())
      .addColumn('settled_at', int64)
      .addPrimaryKeyConstraint('hub_notifications_pk', ['mchid', 'notification_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_notifications_out_trade_no').on('hub_notifications').column('out_trade_no').execute();
    await db.schema.createIndex('hub_notifications_outcome').on('hub_notifications').column('outcome').execute();

    await db.schema
      .createTable('hub_wechat_orders')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('SUCCESS', 'REFUND')`))
      .addColumn('total_fen', int64, (c) => c.notNull())
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('success_time', int64)
      .addColumn('store_id', 'text')
      .addColumn('terminal_id', 'text')
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_wechat_orders_pk', ['mchid', 'out_trade_no'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_wechat_refunds')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('out_refund_no', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('SUCCESS', 'CLOSED', 'ABNORMAL')`))
      .addColumn('refund_fen', int64, (c) => c.notNull())
      .addColumn('refund_id', 'text', (c) => c.notNull())
      .addColumn('success_time', int64)
      .addColumn('store_id', 'text')
      .addColumn('terminal_id', 'text')
      .addColumn('notification_id', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_wechat_refunds_pk', ['mchid', 'out_refund_no'])
      .$call(strict)
      .execute();
  },
};
