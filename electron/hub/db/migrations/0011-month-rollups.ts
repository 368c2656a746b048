import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubDb } from '../database';
import { rebuildMonthRollups } from '../../projections/rollups';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Per-store per-month rollups for the chain dashboards (issue 15): a chain's year read from the store-day rollups
 * of 0007 aggregates ≈ 3 million day rows and ≈ 1 million hour rows, which missed half a second a panel; the same
 * year in whole months is ≈ 30× fewer rows. A period's whole local months are read here, its days before the first
 * and after the last whole month from the day rollups (electron/hub/reports/panels.ts), so every figure stays the
 * sum of the same store-day rows.
 *
 * - `hub_rollup_months`: per store, local month (`(year − 1970) · 12 + month − 1`), metric and key: the sums of
 *   `hub_rollup_days` over the month.
 * - `hub_rollup_month_hours`: per store, month and local hour: the sums of `hub_rollup_hours` (sales, micropay
 *   count and slow count); `hub_rollup_month_weekdays`: per store, month and ISO weekday: paid sales. A dashboard
 *   shows sales by hour and by weekday, never the cross of the two, which would be 7× the rows.
 * - covering indexes led by the month, for chain-wide periods.
 * - `hub_z_reports (store_id, created_at)`: a store's day close reads its Z reports of one day; without it that
 *   was a scan of every Z report of the chain (≈ 300,000 a year for 200 stores).
 *
 * Derived data, filled here from the day rollups already present; kept up to date wherever a store-day is rebuilt
 * (recomputeStoreDays, electron/hub/projections/rollups.ts).
 */
export const migration0011: HubMigration = {
  version: 11,
  name: 'month-rollups',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_rollup_month_hours')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('month', int64, (c) => c.notNull())
      .addColumn('hour', int64, (c) => c.notNull())
      .addColumn('sales_count', int64, (c) => c.notNull())
      .addColumn('sales_fen', int64, (c) => c.notNull())
      .addColumn('micropay_count', int64, (c) => c.notNull())
      .addColumn('micropay_slow', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_month_hours_pk', ['store_id', 'month', 'hour'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_rollup_month_hours_month').on('hub_rollup_month_hours')
      .columns(['month', 'store_id', 'hour', 'sales_count', 'sales_fen', 'micropay_count', 'micropay_slow']).execute();

    await db.schema
      .createTable('hub_rollup_month_weekdays')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('month', int64, (c) => c.notNull())
      .addColumn('weekday', int64, (c) => c.notNull())
      .addColumn('sales_count', int64, (c) => c.notNull())
      .addColumn('sales_fen', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_month_weekdays_pk', ['store_id', 'month', 'weekday'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_rollup_month_weekdays_month').on('hub_rollup_month_weekdays')
      .columns(['month', 'store_id', 'weekday', 'sales_count', 'sales_fen']).execute();

    await db.schema
      .createTable('hub_rollup_months')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('month', int64, (c) => c.notNull())
      .addColumn('metric', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('count', int64, (c) => c.notNull())
      .addColumn('amount_fen', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_months_pk', ['store_id', 'month', 'metric', 'key'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_rollup_months_metric_month').on('hub_rollup_months')
      .columns(['metric', 'month', 'store_id', 'key', 'count', 'amount_fen']).execute();

    await db.schema.createIndex('hub_z_reports_store_created').on('hub_z_reports').columns(['store_id', 'created_at']).execute();

    await rebuildMonthRollups(db as unknown as HubDb);
  },
};
