import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Issue 16: settlement runs at the hub for the profit-sharing mode (分账), electron/hub/settlement/.
 * - `hub_settlement_merchants`: the merchants in profit-sharing mode (since a day, with their maximum share ratio).
 * - `hub_settlement_receivers`: receivers on file (added at WeChat by the hub), per merchant.
 * - `hub_settlement_rule_sets` + `hub_settlement_rules`: per store, who receives what from a day on; proposed by a
 *   store manager or the owner, approved (or rejected) by the owner.
 * - `hub_settlement_caps`: the most a store (scope = store id) or the whole chain (scope '*') may split in a day.
 * - `hub_settlement_days`: one settlement run per merchant and day (planned once, in one transaction), and the
 *   check against WeChat's profit-sharing bill.
 * - `hub_settlement_payments`: one row per paid order of the day (its base, what is split, the unfreeze).
 * - `hub_settlement_orders`: one row per paid order and receiver: the split part, its out_order_no (made from the
 *   transaction id: a rerun never sends a split twice), planned → sent → done / failed, returned.
 * - `hub_settlement_refunds` / `hub_settlement_returns`: refunds of split orders and the returns (回退) they needed.
 */
export const migration0008: HubMigration = {
  version: 8,
  name: 'settlement',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_settlement_merchants')
      .addColumn('mchid', 'text', (c) => c.primaryKey())
      .addColumn('since_day', 'text', (c) => c.notNull())
      .addColumn('max_share_bp', int64, (c) => c.notNull().check(sql`max_share_bp between 0 and 10000`))
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_settlement_receivers')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('relation_type', 'text', (c) => c.notNull())
      .addColumn('custom_relation', 'text')
      .addColumn('name', 'text')
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('added', 'failed')`))
      .addColumn('last_error', 'text')
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_settlement_receivers_pk', ['mchid', 'account'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_settlement_rule_sets')
      .addColumn('rule_set_id', 'text', (c) => c.primaryKey())
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('effective_from', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending-approval', 'approved', 'rejected')`))
      .addColumn('proposed_by', 'text', (c) => c.notNull())
      .addColumn('proposed_at', int64, (c) => c.notNull())
      .addColumn('proposed_from', 'text', (c) => c.notNull())
      .addColumn('decided_by', 'text')
      .addColumn('decided_at', int64)
      .addColumn('decision_note', 'text')
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_settlement_rule_sets_store').on('hub_settlement_rule_sets').columns(['store_id', 'state', 'effective_from']).execute();

    await db.schema
      .createTable('hub_settlement_rules')
      .addColumn('rule_set_id', 'text', (c) => c.notNull())
      .addColumn('position', int64, (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('relation_type', 'text', (c) => c.notNull())
      .addColumn('share_kind', 'text', (c) => c.notNull().check(sql`share_kind in ('percent', 'fixed')`))
      .addColumn('basis_points', int64)
      .addColumn('fixed_fen', int64)
      .addColumn('description', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_settlement_rules_pk', ['rule_set_id', 'position'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_settlement_caps')
      .addColumn('scope', 'text', (c) => c.primaryKey())
      .addColumn('max_day_fen', int64, (c) => c.notNull())
      .addColumn('updated_by', 'text', (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_settlement_days')
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('running', 'done')`))
      .addColumn('payments', int64, (c) => c.notNull())
      .addColumn('planned_at', int64, (c) => c.notNull())
      .addColumn('finished_at', int64)
      .addColumn('bill_state', 'text', (c) => c.notNull().check(sql`bill_state in ('pending', 'matched', 'differs', 'no-bill')`))
      .addColumn('bill_checked_at', int64)
      .addColumn('bill_problems', 'text')
      .addPrimaryKeyConstraint('hub_settlement_days_pk', ['mchid', 'bill_date'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_settlement_payments')
      .addColumn('transaction_id', 'text', (c) => c.primaryKey())
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text')
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('order_fen', int64, (c) => c.notNull())
      .addColumn('base_fen', int64, (c) => c.notNull())
      .addColumn('rule_set_id', 'text')
      .addColumn('split_fen', int64, (c) => c.notNull())
      .addColumn('unfreeze_state', 'text', (c) => c.notNull().check(sql`unfreeze_state in ('waiting', 'done', 'failed', 'not-needed')`))
      .addColumn('unfreeze_error', 'text')
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_settlement_payments_day').on('hub_settlement_payments').columns(['mchid', 'bill_date', 'store_id']).execute();
    await db.schema.createIndex('hub_settlement_payments_trade').on('hub_settlement_payments').columns(['out_trade_no']).execute();
    await db.schema.createIndex('hub_settlement_payments_unfreeze').on('hub_settlement_payments').columns(['unfreeze_state']).execute();

    await db.schema
      .createTable('hub_settlement_orders')
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('mchid', 'text', (c) => c.notNull())
      .addColumn('bill_date', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text')
      .addColumn('out_order_no', 'text', (c) => c.notNull())
      .addColumn('receiver_type', 'text', (c) => c.notNull())
      .addColumn('relation_type', 'text', (c) => c.notNull())
      .addColumn('description', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull().check(sql`amount_fen > 0`))
      .addColumn('returned_fen', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('planned', 'sent', 'done', 'failed', 'returned')`))
      .addColumn('fail_code', 'text')
      .addColumn('fail_reason', 'text')
      .addColumn('retries', int64, (c) => c.notNull())
      .addColumn('cap_override', int64, (c) => c.notNull())
      .addColumn('sent_at', int64)
      .addColumn('done_at', int64)
      .addColumn('resolved_by', 'text')
      .addColumn('resolved_at', int64)
      .addColumn('note', 'text')
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_settlement_orders_pk', ['transaction_id', 'account'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_settlement_orders_day').on('hub_settlement_orders').columns(['mchid', 'bill_date', 'store_id']).execute();
    await db.schema.createIndex('hub_settlement_orders_state').on('hub_settlement_orders').columns(['state']).execute();

    await db.schema
      .createTable('hub_settlement_refunds')
      .addColumn('out_refund_no', 'text', (c) => c.primaryKey())
      .addColumn('out_trade_no', 'text', (c) => c.notNull())
      .addColumn('refund_fen', int64, (c) => c.notNull())
      .addColumn('in_base', int64, (c) => c.notNull())
      .addColumn('requested_by', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_settlement_refunds_trade').on('hub_settlement_refunds').columns(['out_trade_no']).execute();

    await db.schema
      .createTable('hub_settlement_returns')
      .addColumn('out_return_no', 'text', (c) => c.primaryKey())
      .addColumn('out_refund_no', 'text', (c) => c.notNull())
      .addColumn('transaction_id', 'text', (c) => c.notNull())
      .addColumn('account', 'text', (c) => c.notNull())
      .addColumn('out_order_no', 'text', (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull().check(sql`amount_fen > 0`))
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('sent', 'done', 'failed')`))
      .addColumn('fail_reason', 'text')
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_settlement_returns_tx').on('hub_settlement_returns').columns(['transaction_id', 'account']).execute();
  },
};
