import { sql, type RawBuilder, type SqlBool } from 'kysely';
import type { HubDb } from '../db/database';
import { firstDayOfMonth, lastDayOfMonth, monthOfDay, weekdayOfDaySql, type RollupMetric } from '../projections/rollups';

/**
 * The dashboards' queries: each panel is one grouped read of the rollups (../projections/rollups.ts) over a period
 * of local days and a set of stores, through the rollups' covering indexes. The period is cut by month
 * (periodSlices): a month it covers wholly, or more than half of, is read from the month rollups, less the day
 * rollups of that month's days outside the period; a month it covers half or less of is read from the day rollups
 * of the period's days in it. A chain's year is then 12 rows a store and key, not 365, and a period's edge reads
 * at most 15 days a side (Jan 2 – Dec 30: the months less Jan 1 and Dec 31, not 60 edge days). Every measure of
 * the rollups is a sum of integers (counts, fen, histogram buckets: the percentiles are taken from the summed
 * buckets afterwards, there is no max or percentile stored), so month − days is exactly the sum of the period's
 * store-day rows, as month + days is. The month and day rows are read in one statement (one snapshot on
 * PostgreSQL) and a month is summed again in the transaction that rebuilds its days, so they always agree. Sums
 * are cast to 64-bit integers (PostgreSQL's SUM of a bigint is numeric, which `pg` would return as text).
 */
export interface PanelScope {
  /** 'all': every store (the owner's or finance's whole chain, no list to send); else these stores only. */
  stores: 'all' | readonly string[];
  fromDay: number;
  toDay: number;
}

export interface DayRange {
  from: number;
  to: number;
}

/**
 * How a period is read: `months` from the month rollups (null: none), plus the day rollups of `days`, minus those
 * of `outside` (days of a read month that are not in the period). At most two ranges each.
 */
export interface PeriodSlices {
  months: DayRange | null;
  days: DayRange[];
  outside: DayRange[];
}

export function periodSlices(fromDay: number, toDay: number): PeriodSlices {
  const slices: PeriodSlices = { months: null, days: [], outside: [] };
  if (toDay < fromDay) return slices;
  for (let month = monthOfDay(fromDay); month <= monthOfDay(toDay); month += 1) {
    const first = firstDayOfMonth(month);
    const last = lastDayOfMonth(month);
    const from = Math.max(fromDay, first);
    const to = Math.min(toDay, last);
    // Inside more than outside (a whole month, or an edge longer than half of it): the month less the rest.
    // Only the first and the last month can be partial, so the months read stay one contiguous range.
    if (2 * (to - from + 1) > last - first + 1) {
      slices.months = { from: slices.months?.from ?? month, to: month };
      if (first < from) slices.outside.push({ from: first, to: from - 1 });
      if (to < last) slices.outside.push({ from: to + 1, to: last });
    } else {
      slices.days.push({ from, to });
    }
  }
  return slices;
}

const sum = (column: string) => sql<number>`cast(coalesce(sum(${sql.ref(column)}), 0) as bigint)`;
const negated = (column: string) => sql<number>`0 - ${sql.ref(column)}`;
/** A key the period has no row of nets to zero when its month is read less the days outside: not shown. */
const anyCount = sql<SqlBool>`sum(${sql.ref('count')}) <> 0`;

function storeFilter(scope: PanelScope, column: string): RawBuilder<SqlBool> {
  if (scope.stores === 'all') return sql<SqlBool>`1 = 1`;
  if (scope.stores.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`${sql.ref(column)} in (${sql.join(scope.stores.map((s) => sql`${s}`))})`;
}

function between(column: string, range: DayRange): RawBuilder<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} >= ${range.from} and ${sql.ref(column)} <= ${range.to}`;
}

function anyOf(ranges: readonly DayRange[]): RawBuilder<SqlBool> {
  if (ranges.length === 0) return sql<SqlBool>`1 = 0`;
  return sql<SqlBool>`(${sql.join(ranges.map((d) => sql`(${between('day', d)})`), sql` or `)})`;
}

/** Where the period's rows are: the months, the days added and the days subtracted, as three parts of a `union all`. */
function slicesOf(scope: PanelScope): { months: RawBuilder<SqlBool>; days: RawBuilder<SqlBool>; outside: RawBuilder<SqlBool> } {
  const slices = periodSlices(scope.fromDay, scope.toDay);
  return {
    months: slices.months ? between('month', slices.months) : sql<SqlBool>`1 = 0`,
    days: anyOf(slices.days),
    outside: anyOf(slices.outside),
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
 * weekday: from the month hours and month weekdays, plus the edge days' hour rows, less the hour rows of the read
 * months' days outside the period.
 */
export async function hoursPanel(db: HubDb, scope: PanelScope): Promise<{ hours: HourRow[]; weekdays: WeekdayRow[] }> {
  const where = slicesOf(scope);
  const stores = storeFilter(scope, 'store_id');
  const [hours, weekdays] = await Promise.all([
    db
      .selectFrom(db
        .selectFrom('hub_rollup_month_hours').select(['hour', ...HOUR_SUMS]).where(where.months).where(stores)
        .unionAll(db.selectFrom('hub_rollup_hours').select(['hour', ...HOUR_SUMS]).where(where.days).where(stores))
        .unionAll(db.selectFrom('hub_rollup_hours').select(['hour', ...HOUR_SUMS.map((c) => negated(c).as(c))]).where(where.outside).where(stores))
        .as('x'))
      .select(['hour', sum('sales_count').as('sales_count'), sum('sales_fen').as('sales_fen'), sum('micropay_count').as('micropay_count'), sum('micropay_slow').as('micropay_slow')])
      .groupBy('hour')
      .execute(),
    db
      .selectFrom(db
        .selectFrom('hub_rollup_month_weekdays').select(['weekday', 'sales_count', 'sales_fen']).where(where.months).where(stores)
        .unionAll(db.selectFrom('hub_rollup_hours').select([weekdayOfDaySql('day').as('weekday'), 'sales_count', 'sales_fen']).where(where.days).where(stores))
        .unionAll(db.selectFrom('hub_rollup_hours')
          .select([weekdayOfDaySql('day').as('weekday'), negated('sales_count').as('sales_count'), negated('sales_fen').as('sales_fen')]).where(where.outside).where(stores))
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

/** Metric rows of the period and stores (`metrics`: only these): the months, the edge days, less the days outside. */
function metricRows(db: HubDb, scope: PanelScope, metrics: readonly RollupMetric[]) {
  const where = slicesOf(scope);
  const stores = storeFilter(scope, 'store_id');
  return db
    .selectFrom('hub_rollup_months')
    .select(['store_id', 'metric', 'key', 'count', 'amount_fen'])
    .where('metric', 'in', [...metrics])
    .where(where.months)
    .where(stores)
    .unionAll(db
      .selectFrom('hub_rollup_days')
      .select(['store_id', 'metric', 'key', 'count', 'amount_fen'])
      .where('metric', 'in', [...metrics])
      .where(where.days)
      .where(stores))
    .unionAll(db
      .selectFrom('hub_rollup_days')
      .select(['store_id', 'metric', 'key', negated('count').as('count'), negated('amount_fen').as('amount_fen')])
      .where('metric', 'in', [...metrics])
      .where(where.outside)
      .where(stores));
}

/** One or more metrics of the rollups, summed by key over the period and stores. */
export async function metricsPanel(db: HubDb, scope: PanelScope, metrics: readonly RollupMetric[]): Promise<MetricRow[]> {
  return db
    .selectFrom(metricRows(db, scope, metrics).as('x'))
    .select(['metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
    .groupBy(['metric', 'key'])
    .having(anyCount)
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
      .having(anyCount)
      .execute(),
    db
      .selectFrom(metricRows(db, scope, ['attempt', 'refund', 'latency']).as('x'))
      .select(['store_id', 'metric', 'key', sum('count').as('count'), sum('amount_fen').as('amount_fen')])
      .where((eb) => eb.or([eb('metric', '<>', 'attempt'), eb('key', 'in', ['scanned', 'paid'])]))
      .groupBy(['store_id', 'metric', 'key'])
      .having(anyCount)
      .execute(),
  ]);
  return { sales, metrics };
}
