import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubDb } from '../database';
import { rebuildRollups } from '../../projections/rollups';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * The chain dashboards (issue 15) read per-store per-day rollups, not the projections: a year of a 200-store chain
 * is ≈ 20 million sales, which no panel can scan in under half a second on a small server, while the rollups of the
 * same year are ≈ 1 million hour rows and ≈ 3 million day rows read through covering indexes (see
 * electron/hub/README.md, "Dashboards", and the benchmark in test/bench/dashboards.bench.ts).
 *
 * - `hub_rollup_hours`: per store, local day (Asia/Shanghai) and hour: paid sales (count, fen), micropay attempts
 *   with a result and those slower than SLOW_PAYMENT_MS (for the peak-hour slow share).
 * - `hub_rollup_days`: per store, local day, metric and key: a count and an amount (tender mix, ticket buckets,
 *   payment funnel steps, failure reasons, refund reasons, scan-to-result latency buckets).
 * - `hub_wechat_attempts.first_sent_at`: when a request for the order may first have reached WeChat (the funnel's
 *   "sent" step); newer counters send it in the `wechat-attempt` fact (`firstSentAt`), older ones leave it NULL.
 * - indexes that let a store-day be recomputed from the projections without a scan.
 *
 * Rollups are derived data, rebuilt here from the projections already present (with the current rollup code).
 */
export const migration0007: HubMigration = {
  version: 7,
  name: 'dashboard-rollups',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema.alterTable('hub_wechat_attempts').addColumn('first_sent_at', int64).execute();
    await db.schema.createIndex('hub_wechat_attempts_store_created').on('hub_wechat_attempts').columns(['store_id', 'created_at']).execute();
    await db.schema.createIndex('hub_refunds_store_requested').on('hub_refunds').columns(['store_id', 'requested_at']).execute();
    await db.schema.createIndex('hub_shifts_store_opened').on('hub_shifts').columns(['store_id', 'opened_at']).execute();

    await db.schema
      .createTable('hub_rollup_hours')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('day', int64, (c) => c.notNull())
      .addColumn('hour', int64, (c) => c.notNull())
      .addColumn('sales_count', int64, (c) => c.notNull())
      .addColumn('sales_fen', int64, (c) => c.notNull())
      .addColumn('micropay_count', int64, (c) => c.notNull())
      .addColumn('micropay_slow', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_hours_pk', ['store_id', 'day', 'hour'])
      .$call(strict)
      .execute();
    // Chain-wide panels read a period of every store: covering, so PostgreSQL answers from the index alone.
    await db.schema.createIndex('hub_rollup_hours_day').on('hub_rollup_hours')
      .columns(['day', 'store_id', 'hour', 'sales_count', 'sales_fen', 'micropay_count', 'micropay_slow']).execute();

    await db.schema
      .createTable('hub_rollup_days')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('day', int64, (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('count', int64, (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_days_pk', ['store_id', 'day', 'metric', 'key'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_rollup_days_metric_day').on('hub_rollup_days')
      .columns(['metric', 'day', 'store_id', 'key', 'count', 'amount_fen']).execute();

    await rebuildRollups(db as unknown as HubDb);
  },
};
