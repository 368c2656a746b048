import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * The projections the head office's pages and reconciliation read: one row per sale, tender, WeChat attempt,
 * refund, cash movement, shift, Z report and counter alert, keyed by the terminal and the counter's own id. Built
 * from the raw facts in the push's transaction (electron/hub/projections/); every row remembers the fact number it
 * was built from (`source_seq`) so an older fact arriving late never moves it backwards. Rebuildable from `facts`.
 */
export const migration0002: HubMigration = {
  version: 2,
  name: 'projections',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_sales')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('sale_id', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('receipt_terminal', 'text', (c) => c.notNull())
      .addColumn('receipt_no', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('total_fen', int64, (c) => c.notNull())
      .addColumn('cashier_id', 'text', (c) => c.notNull())
      .addColumn('shift_id', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('paid_at', int64)
      .addColumn('voided_at', int64)
      .addColumn('void_reason', 'text')
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_sales_pk', ['terminal_id', 'sale_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_sales_receipt').on('hub_sales').columns(['receipt_terminal', 'receipt_no']).execute();
    await db.schema.createIndex('hub_sales_store_created').on('hub_sales').columns(['store_id', 'created_at']).execute();
    await db.schema.createIndex('hub_sales_shift').on('hub_sales').columns(['terminal_id', 'shift_id']).execute();

    await db.schema
      .createTable('hub_sale_lines')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('sale_id', int64, (c) => c.notNull())
      .addColumn('line_no', int64, (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('unit_fen', int64, (c) => c.notNull())
      .addColumn('quantity', int64, (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_sale_lines_pk', ['terminal_id', 'sale_id', 'line_no'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_tenders')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('tender_id', int64, (c) => c.notNull())
      .addColumn('sale_id', int64, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('tendered_fen', int64)
      .addColumn('change_fen', int64)
      .addColumn('out_trade_no', 'text')
      .addColumn('transaction_id', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('settled_at', int64)
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_tenders_pk', ['terminal_id', 'tender_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_tenders_sale').on('hub_tenders').columns(['terminal_id', 'sale_id']).execute();
    await db.schema.createIndex('hub_tenders_out_trade_no').on('hub_tenders').column('out_trade_no').execute();

    await db.schema
      .createTable('hub_wechat_attempts')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('attempt_id', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('sale_id', int64, (c) => c.notNull())
      .addColumn('tender_id', int64, (c) => c.notNull())
      .addColumn('mode', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('auth_code_masked', 'text')
      .addColumn('payer_masked', 'text')
      .addColumn('transaction_id', 'text')
      .addColumn('paid_fen', int64)
      .addColumn('success_time', int64)
      .addColumn('failure_code', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('resolved_at', int64)
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_wechat_attempts_pk', ['terminal_id', 'attempt_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_wechat_attempts_out_trade_no').on('hub_wechat_attempts').column('out_trade_no').execute();

    await db.schema
      .createTable('hub_refunds')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('refund_id', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      // The sale refunded, as printed on its receipt: this counter's own sale, or another counter's (origin fields).
      .addColumn('sale_receipt_terminal', 'text', (c) => c.notNull())
      .addColumn('sale_receipt_no', int64, (c) => c.notNull())
      // Set only for a refund of this counter's own sale: its local sale and tender.
      .addColumn('local_sale_id', int64)
      .addColumn('local_tender_id', int64)
      .addColumn('cross_counter', int64, (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('out_trade_no', 'text')
      .addColumn('out_refund_no', 'text')
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text', (c) => c.notNull())
      .addColumn('reason', 'text')
      .addColumn('requested_at', int64, (c) => c.notNull())
      .addColumn('wechat_refund_id', 'text')
      .addColumn('finished_at', int64)
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_refunds_pk', ['terminal_id', 'refund_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_refunds_sale').on('hub_refunds').columns(['sale_receipt_terminal', 'sale_receipt_no']).execute();

    await db.schema
      .createTable('hub_cash_movements')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('movement_id', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('shift_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addColumn('reason', 'text', (c) => c.notNull())
      .addColumn('actor_id', 'text', (c) => c.notNull())
      .addColumn('actor_name', 'text', (c) => c.notNull())
      .addColumn('approved_by', 'text')
      .addColumn('at', int64, (c) => c.notNull())
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_cash_movements_pk', ['terminal_id', 'movement_id'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_shifts')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('shift_id', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('cashier_id', 'text', (c) => c.notNull())
      .addColumn('cashier_name', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('opening_float_fen', int64, (c) => c.notNull())
      .addColumn('opened_at', int64, (c) => c.notNull())
      .addColumn('counted_fen', int64)
      .addColumn('counted_at', int64)
      .addColumn('expected_cash_fen', int64)
      .addColumn('difference_fen', int64)
      .addColumn('countersigned_by', 'text')
      .addColumn('closed_by', 'text')
      .addColumn('closed_at', int64)
      .addColumn('z_no', int64)
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_shifts_pk', ['terminal_id', 'shift_id'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_z_reports')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('z_no', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('shift_id', 'text', (c) => c.notNull())
      .addColumn('report_json', 'text', (c) => c.notNull())
      .addColumn('sha256', 'text', (c) => c.notNull())
      // 1 when the SHA-256 recomputed at the hub over report_json equals the counter's; 0 raised an alert.
      .addColumn('sha256_verified', int64, (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_z_reports_pk', ['terminal_id', 'z_no'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_counter_alerts')
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('risk', 'payment')`))
      .addColumn('alert_id', int64, (c) => c.notNull())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64)
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('raised_at', int64, (c) => c.notNull())
      .addColumn('resolved_at', int64)
      .addColumn('resolved_by', 'text')
      .addColumn('source_seq', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_counter_alerts_pk', ['terminal_id', 'source', 'alert_id'])
      .$call(strict)
      .execute();
  },
};
