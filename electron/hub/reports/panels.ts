import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { HubDb } from '../db/database';
import type { RollupMetric } from '../projections/rollups';

/**
 * The dashboards' queries: each panel is one grouped read of the rollups (../projections/rollups.ts) over a period
 * of local days and a set of stores, through the rollups' covering indexes. Sums are cast to 64-bit integers
 * (PostgreSQL's SUM of a bigint is numeric, which `pg` would return as text).
 */
export interface PanelScope {
  /** 'all': every store (the owner's or finance's whole chain, no list to send); else these stores only. */
  stores: 'all' | readonly string[];
  fromDay: number;
  toDay: number;
}

const sum = (column: string) => sql<number>`cast(coalesce(sum(${sql.ref(column)}), 0) as bigint)`;

function storeFilter(scope: PanelScope, column: string): RawBuilder<SqlBool> {
  if (scope.stores === 'all') return sql<SqlBool>`1 = 1`;
  if (scope.stores.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.stores.map((s) => sql`${s}`))})`;
}

export interface HourRow {
  day: number;
  hour: number;
  sales_count: number;
  sales_fen: number;
  micropay_count: number;
  micropay_slow: number;
}

/** Paid sales and micropay speed per local day and hour (sales by hour and weekday, the peak-hour slow share). */
export async function hoursPanel(db: HubDb, scope: PanelScope): Promise<HourRow[]> {
  return db
    .selectFrom('hub_rollup_hours')
    .select(['day', 'hour', sum('sales_count').as('sales_count'), sum('sales_fen').as('sales_fen'), sum('micropay_count').as('micropay_count'), sum('micropay_slow').as('micropay_slow')])
    .where('day', '>=', scope.fromDay)
    .where('day', '<=', scope.toDay)
    .where(storeFilter(scope, 'store_id'))
    .groupBy(['day', 'hour'])
    .execute();
}

export interface MetricRow {
  metric: string;
  key: string;
  count: number;
  amount_fen: number;
}

/** One or more metrics of the day rollups, summed by key over the period and stores. */
export async function metricsPanel(db: HubDb, scope: PanelScope, metrics: readonly RollupMetric[]): Promise<MetricRow[]> {
  return db
    .selectFrom('hub_rollup_days')
    .select(['metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
    .where('metric', 'in', [...metrics])
    .where('day', '>=', scope.fromDay)
    .where('day', '<=', scope.toDay)
    .where(storeFilter(scope, 'store_id'))
    .groupBy(['metric', 'key'])
    .execute();
}

export interface StoreSalesRow {
  store_id: string;
  sales_count: number;
  sales_fen: number;
}

export interface StoreMetricRow extends MetricRow {
  store_id: string;
}

/** The per-store table: paid sales per store, and the metrics its headline measures need, per store. */
export async function byStorePanel(db: HubDb, scope: PanelScope): Promise<{ sales: StoreSalesRow[]; metrics: StoreMetricRow[] }> {
  const [sales, metrics] = await Promise.all([
    db
      .selectFrom('hub_rollup_hours')
      .select(['store_id', sum('sales_count').as('sales_count'), sum('sales_fen').as('sales_fen')])
      .where('day', '>=', scope.fromDay)
      .where('day', '<=', scope.toDay)
      .where(storeFilter(scope, 'store_id'))
      .groupBy('store_id')
      .execute(),
    db
      .selectFrom('hub_rollup_days')
      .select(['store_id', 'metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
      .where((eb) => eb.or([
        eb.and([eb('metric', '=', 'attempt'), eb('key', 'in', ['scanned', 'paid'])]),
        eb('metric', '=', 'refund'),
        eb('metric', '=', 'latency'),
      ]))
      .where('day', '>=', scope.fromDay)
      .where('day', '<=', scope.toDay)
      .where(storeFilter(scope, 'store_id'))
      .groupBy(['store_id', 'metric', 'key'])
      .execute(),
  ]);
  return { sales, metrics };
}
