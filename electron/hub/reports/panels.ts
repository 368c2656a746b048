import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { HubDb } from '../db/database';
import { firstDayOfMonth, lastDayOfMonth, monthOfDay, weekdayOfDaySql, type RollupMetric } from '../projections/rollups';

/**
 * The dashboards' queries: each panel is one grouped read of the rollups (../projections/rollups.ts) over a period
 * of local days and a set of stores, through the rollups' covering indexes: the period's whole local months from
 * the month rollups, its days before the first and after the last whole month from the day rollups (a chain's
 * year is then 12 rows a store and key, not 365). Both hold sums of the same store-day rows, so the split never
 * changes a figure. Sums are cast to 64-bit integers (PostgreSQL's SUM of a bigint is numeric, which `pg` would
 * return as text).
 */
export interface PanelScope {
  /** 'all': every store (the owner's or finance's whole chain, no list to send); else these stores only. */
  stores: 'all' | readonly string[];
  fromDay: number;
  toDay: number;
}

/** A period cut into whole months (null: none) and the day ranges outside them (at most two). */
export interface PeriodSlices {
  months: { from: number; to: number } | null;
  days: { from: number; to: number }[];
}

export function periodSlices(fromDay: number, toDay: number): PeriodSlices {
  if (toDay < fromDay) return { months: null, days: [] };
  const firstMonth = firstDayOfMonth(monthOfDay(fromDay)) === fromDay ? monthOfDay(fromDay) : monthOfDay(fromDay) + 1;
  const lastMonth = lastDayOfMonth(monthOfDay(toDay)) === toDay ? monthOfDay(toDay) : monthOfDay(toDay) - 1;
  if (firstMonth > lastMonth) return { months: null, days: [{ from: fromDay, to: toDay }] };
  const days: { from: number; to: number }[] = [];
  if (fromDay < firstDayOfMonth(firstMonth)) days.push({ from: fromDay, to: firstDayOfMonth(firstMonth) - 1 });
  if (lastDayOfMonth(lastMonth) < toDay) days.push({ from: lastDayOfMonth(lastMonth) + 1, to: toDay });
  return { months: { from: firstMonth, to: lastMonth }, days };
}

const sum = (column: string) => sql<number>`cast(coalesce(sum(${sql.ref(column)}), 0) as bigint)`;

function storeFilter(scope: PanelScope, column: string): RawBuilder<SqlBool> {
  if (scope.stores === 'all') return sql<SqlBool>`1 = 1`;
  if (scope.stores.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.stores.map((s) => sql`${s}`))})`;
}

function between(column: string, range: { from: number; to: number }): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} >= ${range.from} and ${sql.ref(column)} <= ${range.to}`;
}

/** Where the period's rows are, as the days part and the months part of one `union all` (false: nothing there). */
function slicesOf(scope: PanelScope): { months: RawBuilder<SqlBool>; days: RawBuilder<SqlBool> } {
  const slices = periodSlices(scope.fromDay, scope.toDay);
  const none = sql<SqlBool>`1 = 0`;
  return {
    months: slices.months ? between('month', slices.months) : none,
    days: slices.days.length > 0 ? sql<SqlBool>`(${sql.join(slices.days.map((d) => sql`(${between('day', d)})`), sql` or `)})` : none,
  };
}

export interface HourRow {
  hour: number;
  sales_count: number;
  sales_fen: number;
  micropay_count: number;
  micropay_slow: number;
}

export interface WeekdayRow {
  weekday: number;
  sales_count: number;
  sales_fen: number;
}

const HOUR_SUMS = ['sales_count', 'sales_fen', 'micropay_count', 'micropay_slow'] as const;

/**
 * Paid sales and micropay speed per local hour (sales by hour, the peak-hour slow share), and paid sales per ISO
 * weekday: from the month hours and month weekdays, and the edge days' hour rows.
 */
export async function hoursPanel(db: HubDb, scope: PanelScope): Promise<{ hours: HourRow[]; weekdays: WeekdayRow[] }> {
  const where = slicesOf(scope);
  const [hours, weekdays] = await Promise.all([
    db
      .selectFrom(db
        .selectFrom('hub_rollup_month_hours').select(['hour', ...HOUR_SUMS]).where(where.months).where(storeFilter(scope, 'store_id'))
        .unionAll(db.selectFrom('hub_rollup_hours').select(['hour', ...HOUR_SUMS]).where(where.days).where(storeFilter(scope, 'store_id')))
        .as('x'))
      .select(['hour', sum('sales_count').as('sales_count'), sum('sales_fen').as('sales_fen'), sum('micropay_count').as('micropay_count'), sum('micropay_slow').as('micropay_slow')])
      .groupBy('hour')
      .execute(),
    db
      .selectFrom(db
        .selectFrom('hub_rollup_month_weekdays').select(['weekday', 'sales_count', 'sales_fen']).where(where.months).where(storeFilter(scope, 'store_id'))
        .unionAll(db.selectFrom('hub_rollup_hours').select([weekdayOfDaySql('day').as('weekday'), 'sales_count', 'sales_fen']).where(where.days).where(storeFilter(scope, 'store_id')))
        .as('x'))
      .select(['weekday', sum('sales_count').as('sales_count'), sum('sales_fen').as('sales_fen')])
      .groupBy('weekday')
      .execute(),
  ]);
  return { hours, weekdays };
}

export interface MetricRow {
  metric: string;
  key: string;
  count: number;
  amount_fen: number;
}

/** Metric rows of the period and stores (`metrics`: only these), from the months and the edge days. */
function metricRows(db: HubDb, scope: PanelScope, metrics: readonly RollupMetric[]) {
  const where = slicesOf(scope);
  return db
    .selectFrom('hub_rollup_months')
    .select(['store_id', 'metric', 'key', 'count', 'amount_fen'])
    .where('metric', 'in', [...metrics])
    .where(where.months)
    .where(storeFilter(scope, 'store_id'))
    .unionAll(db
      .selectFrom('hub_rollup_days')
      .select(['store_id', 'metric', 'key', 'count', 'amount_fen'])
      .where('metric', 'in', [...metrics])
      .where(where.days)
      .where(storeFilter(scope, 'store_id')));
}

/** One or more metrics of the rollups, summed by key over the period and stores. */
export async function metricsPanel(db: HubDb, scope: PanelScope, metrics: readonly RollupMetric[]): Promise<MetricRow[]> {
  return db
    .selectFrom(metricRows(db, scope, metrics).as('x'))
    .select(['metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
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

/**
 * The per-store table: paid sales per store, and the metrics its headline measures need, per store (the funnel's
 * scanned and paid steps are filtered after the union: the month and day rows carry them alike). Paid sales come
 * from the ticket-size buckets, which count every paid sale once with its total (the same sales the hour rows
 * count): 7 rows a store-month instead of ≈ 100 weekday-hour rows.
 */
export async function byStorePanel(db: HubDb, scope: PanelScope): Promise<{ sales: StoreSalesRow[]; metrics: StoreMetricRow[] }> {
  const [sales, metrics] = await Promise.all([
    db
      .selectFrom(metricRows(db, scope, ['ticket']).as('x'))
      .select(['store_id', sum('count').as('sales_count'), sum('amount_fen').as('sales_fen')])
      .groupBy('store_id')
      .execute(),
    db
      .selectFrom(metricRows(db, scope, ['attempt', 'refund', 'latency']).as('x'))
      .select(['store_id', 'metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
      .where((eb) => eb.or([eb('metric', '<>', 'attempt'), eb('key', 'in', ['scanned', 'paid'])]))
      .groupBy(['store_id', 'metric', 'key'])
      .execute(),
  ]);
  return { sales, metrics };
}
