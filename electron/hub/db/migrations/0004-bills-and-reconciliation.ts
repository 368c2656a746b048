import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * The hub's copy of every merchant's daily bills (WeChat keeps them three months only) and the chain's
 * reconciliation (electron/hub/reconciliation/):
 * - `hub_bill_days`: one row per merchant, day and bill (trade / fund flow): the download job's state (pending,
 *   stored, no-bill, unreadable, gave-up), when it tries next, and what it stored.
 * - `hub_bill_lines` / `hub_fund_flow_lines`: the bill's rows, keyed by merchant, day and line number, written in
 *   the same transaction as the day's row turns `stored` (a restart mid-download leaves the day pending and empty).
 * - `hub_recon_mismatches`: each disagreement between a bill and the counters' facts, with the store, counter,
 *   shift and cashier it belongs to; resolved with a note (audit-logged in hub_audit).
 * - `hub_qr_closes`: native QR orders the hub closed because their sale never completed (one row per order).
 */
export const migration0004: HubMigration = {
  version: 4,
  name: 'bills-and-reconciliation',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_bill_days')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('bill', 'text', (c) => c.notNull().check(sql`bill in ('trade', 'fund-flow')`))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'stored', 'no-bill', 'unreadable', 'gave-up')`))
      .addColumn('attempts', int64, (c) => c.notNull())
      .addColumn('next_attempt_at', int64)
      .addColumn('deadline_at', int64, (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('sha1', 'text')
      .addColumn('line_count', int64, (c) => c.notNull())
      .addColumn('summary_json', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('stored_at', int64)
      .addColumn('reconciled_at', int64)
      .addPrimaryKeyConstraint('hub_bill_days_pk', ['mchid', 'bill_date', 'bill'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_bill_days_due').on('hub_bill_days').columns(['state', 'next_attempt_at']).execute();

    await db.schema
      .createTable('hub_bill_lines')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('line_no', int64, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('payment', 'refund')`))
      .addColumn('trade_time', int64, (c) => c.notNull())
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('trade_type', 'text', (c) => c.notNull())
      .addColumn('trade_state', 'text', (c) => c.notNull())
      .addColumn('settle_fen', int64, (c) => c.notNull())
      .addColumn('order_fen', int64, (c) => c.notNull())
      .addColumn('out_refund_no', 'text')
      .addColumn('refund_id', 'text')
      .addColumn('refund_fen', int64, (c) => c.notNull())
      .addColumn('refund_status', 'text')
      .addColumn('fee_fen', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_bill_lines_pk', ['mchid', 'bill_date', 'line_no'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_bill_lines_trade').on('hub_bill_lines').columns(['mchid', 'out_trade_no']).execute();
    await db.schema.createIndex('hub_bill_lines_refund').on('hub_bill_lines').columns(['mchid', 'out_refund_no']).execute();

    await db.schema
      .createTable('hub_fund_flow_lines')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('line_no', int64, (c) => c.notNull())
      .addColumn('booked_at', int64, (c) => c.notNull())
      .addColumn('business_id', 'text', (c) => c.notNull())
      .addColumn('flow_id', 'text', (c) => c.notNull())
      .addColumn('business_name', 'text', (c) => c.notNull())
      .addColumn('business_type', 'text', (c) => c.notNull())
      .addColumn('direction', 'text', (c) => c.notNull().check(sql`direction in ('income', 'expense')`))
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('balance_fen', int64, (c) => c.notNull())
      .addColumn('voucher_no', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_fund_flow_lines_pk', ['mchid', 'bill_date', 'line_no'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_recon_mismatches')
      .addColumn('mismatch_id', 'text', (c) => c.primaryKey())
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('class', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('out_refund_no', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text')
      .addColumn('terminal_id', 'text')
      .addColumn('sale_id', int64)
      .addColumn('receipt_no', int64)
      .addColumn('shift_id', 'text')
      .addColumn('cashier_id', 'text')
      .addColumn('local_fen', int64)
      .addColumn('wechat_fen', int64)
      .addColumn('local_state', 'text')
      .addColumn('wechat_state', 'text')
      .addColumn('detected_at', int64, (c) => c.notNull())
      .addColumn('resolved_at', int64)
      .addColumn('resolved_by', 'text')
      .addColumn('note', 'text')
      .$call(strict)
      .execute();
    // One open or resolved row per disagreement: re-reconciling a day replaces the open ones and keeps resolutions.
    await db.schema
      .createIndex('hub_recon_mismatches_key')
      .on('hub_recon_mismatches')
      .columns(['mchid', 'bill_date', 'class', 'out_trade_no', 'out_refund_no'])
      .unique()
      .execute();
    await db.schema.createIndex('hub_recon_mismatches_store').on('hub_recon_mismatches').columns(['bill_date', 'store_id']).execute();

    await db.schema
      .createTable('hub_qr_closes')
      .addColumn('out_trade_no', 'text', (c) => c.primaryKey())
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('tender_id', int64, (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('closed', 'paid', 'failed')`))
      .addColumn('detail', 'text')
      .addColumn('closed_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
  },
};
