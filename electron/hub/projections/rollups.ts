import { sql, type RawBuilder } from 'kysely';
import type { HubDb } from '../db/database';

/**
 * Per-store per-day rollups for the chain dashboards (migration 0007, electron/hub/reports/), and per-store
 * per-month sums of them (migration 0011, below). Each (store, local day) a push touches is marked in the push's
 * transaction and recomputed from the projections by the rollup job (rollup-job.ts, migration 0010): a delete and an
 * INSERT … SELECT over that store-day's rows (found through the (store_id, created_at) indexes). Recomputing instead
 * of adding deltas keeps the rollup exactly equal to the projections whatever order facts arrive in and however often
 * a sale changes state; it costs one store-day per pass, whatever number of pushes marked it.
 *
 * Days and hours are the stores' local time: every store is in China (Asia/Shanghai, UTC+8 all year, no daylight
 * saving since 1991), so a local day is `(ms + 8 h) / 24 h` in integer arithmetic, the same on both engines.
 */
export const STORE_UTC_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
/** A micropay slower than this from scan to result counts as slow (a queue forms behind it at a busy counter). */
export const SLOW_PAYMENT_MS = 10_000;
/** Upper edges (ms, inclusive) of the scan-to-result latency buckets; a last bucket holds the rest. */
export const LATENCY_EDGES_MS = [500, 1000, 1500, 2000, 2500, 3000, 4000, 5000, 6000, 8000, 10_000, 15_000, 20_000, 30_000, 45_000, 60_000, 120_000] as const;
/** Upper edges (fen, exclusive) of the ticket-size buckets (¥10, ¥20, ¥50 …); a last bucket holds the rest. */
export const TICKET_EDGES_FEN = [1000, 2000, 5000, 10_000, 20_000, 50_000] as const;
/** The key of the bucket past the last edge. */
export const OVER_LAST_EDGE = 'over';

export type RollupMetric = 'tender' | 'ticket' | 'attempt' | 'failure' | 'refund' | 'latency';
/** Funnel steps under metric 'attempt'. */
export const FUNNEL_STEPS = ['scanned', 'sent', 'paid', 'failed', 'abandoned', 'needs-attention'] as const;
/** Refunds that hold (or may yet hold) money: only a failed one gave nothing back (as in db/sales.ts). */
export const COUNTED_REFUND_STATES_SQL = "('queued', 'processing', 'succeeded', 'abnormal')";

export const localDay = (ms: number): number => Math.floor((ms + STORE_UTC_OFFSET_MS) / DAY_MS);
export const dayStartMs = (day: number): number => day * DAY_MS - STORE_UTC_OFFSET_MS;

const dayOf = (column: string): RawBuilder<number> => sql<number>`((${sql.ref(column)} + ${sql.lit(STORE_UTC_OFFSET_MS)}) / ${sql.lit(DAY_MS)})`;
const hourOf = (column: string): RawBuilder<number> =>
  sql<number>`(((${sql.ref(column)} + ${sql.lit(STORE_UTC_OFFSET_MS)}) % ${sql.lit(DAY_MS)}) / 3600000)`;

/** Which rows to (re)build: one store's days [fromDay, toDay], or everything (a rebuild). */
export type RollupScope = { storeId: string; fromDay: number; toDay: number } | null;

function within(scope: RollupScope, storeColumn: string, timeColumn: string): RawBuilder<boolean> {
  if (scope === null) return sql<boolean>`1 = 1`;
  return sql<boolean>`${sql.ref(storeColumn)} = ${scope.storeId} and ${sql.ref(timeColumn)} >= ${dayStartMs(scope.fromDay)} and ${sql.ref(timeColumn)} < ${dayStartMs(scope.toDay + 1)}`;
}

function bucketCase(value: RawBuilder<number>, edges: readonly number[], inclusive: boolean): RawBuilder<string> {
  const op = sql.raw(inclusive ? '<=' : '<');
  const arms = edges.map((edge) => sql`when ${value} ${op} ${sql.lit(edge)} then ${sql.lit(String(edge))}`);
  return sql<string>`case ${sql.join(arms, sql` `)} else ${sql.lit(OVER_LAST_EDGE)} end`;
}

/**
 * Recomputes the rollups of the given store-days from the projections, in the caller's transaction. With
 * `lockStores` (PostgreSQL) the stores' rows are locked first, in id order (FOR NO KEY UPDATE: the facts' foreign keys
 * already hold KEY SHARE on the store, which FOR UPDATE would wait on — a deadlock between two pushes): two counters of one store pushing at
 * once would otherwise each delete and rebuild the same store-day, one failing on the rollup's key and, worse, the
 * later commit rebuilt without the other's sales it could not see yet. Under the lock the second recompute waits
 * and then reads the first one's committed rows (READ COMMITTED reads per statement). SQLite has one writer.
 */
export async function recomputeStoreDays(db: HubDb, storeDays: ReadonlyMap<string, ReadonlySet<number>>, lockStores = false): Promise<void> {
  if (lockStores && storeDays.size > 0) {
    await db.selectFrom('stores').select('store_id').where('store_id', 'in', [...storeDays.keys()]).orderBy('store_id').forNoKeyUpdate().execute();
  }
  for (const [storeId, days] of storeDays) {
    // Consecutive days go together (a backlog after an outage spans a few days of one store).
    const sorted = [...days].sort((a, b) => a - b);
    let from = sorted[0];
    for (let i = 0; from !== undefined && i < sorted.length; i += 1) {
      const day = sorted[i] as number;
      const next = sorted[i + 1];
      if (next !== undefined && next === day + 1) continue;
      await buildRollups(db, { storeId, fromDay: from, toDay: day });
      from = next;
    }
    // The months these days fall in, summed again from their (now current) day rows, under the same store lock.
    await recomputeMonths(db, storeId, new Set(sorted.map(monthOfDay)));
  }
}

/**
 * Empties the store-day rollups and builds them again from every projection row. Migration 0007 runs this before
 * the month rollups exist, so it leaves them alone: everyone else calls rebuildAllRollups.
 */
export async function rebuildRollups(db: HubDb): Promise<void> {
  await buildRollups(db, null);
}

/** Every rollup, days and months, built again from the projections (a rebuild, the benchmark). */
export async function rebuildAllRollups(db: HubDb): Promise<void> {
  await buildRollups(db, null);
  await rebuildMonthRollups(db);
}

/**
 * Local months (Asia/Shanghai, like days): month m is `(year − 1970) · 12 + (month − 1)`. The month rollups
 * (migration 0011) hold, per store and month, the sums of that month's store-day rows: a chain's year is 12 rows a
 * store and key instead of 365. The dashboards read a period's whole months there and its other days from the
 * day rollups (reports/panels.ts), so a figure is the same sum of the same store-day rows either way.
 */
export const monthOfDay = (day: number): number => {
  const date = new Date(day * DAY_MS);
  return (date.getUTCFullYear() - 1970) * 12 + date.getUTCMonth();
};
export const firstDayOfMonth = (month: number): number => Date.UTC(1970 + Math.floor(month / 12), ((month % 12) + 12) % 12, 1) / DAY_MS;
export const lastDayOfMonth = (month: number): number => firstDayOfMonth(month + 1) - 1;
/** ISO weekday (Monday 1 … Sunday 7) of a local day number in SQL (day 0, 1970-01-01, was a Thursday). */
export const weekdayOfDaySql = (column: string): RawBuilder<number> => sql<number>`((${sql.ref(column)} + 3) % 7 + 1)`;

/** Empties the month rollups and sums every month that has day rows again (migration 0011, rebuildAllRollups). */
export async function rebuildMonthRollups(db: HubDb): Promise<void> {
  await db.deleteFrom('hub_rollup_months').execute();
  await db.deleteFrom('hub_rollup_month_hours').execute();
  await db.deleteFrom('hub_rollup_month_weekdays').execute();
  const span = await sql<{ lo: number | string | null; hi: number | string | null }>`
    select min(day) as lo, max(day) as hi from (
      select min(day) as day from hub_rollup_days union all select max(day) from hub_rollup_days
      union all select min(day) from hub_rollup_hours union all select max(day) from hub_rollup_hours) x`.execute(db);
  const { lo, hi } = span.rows[0] ?? { lo: null, hi: null };
  if (lo === null || hi === null) return;
  const months = new Set<number>();
  for (let m = monthOfDay(Number(lo)); m <= monthOfDay(Number(hi)); m += 1) months.add(m);
  await recomputeMonths(db, null, months);
}

/** Sums the given months of one store (or of every store: null) from the day rollups, replacing what was there. */
async function recomputeMonths(db: HubDb, storeId: string | null, months: ReadonlySet<number>): Promise<void> {
  const ofStore = (column: string): RawBuilder<boolean> => (storeId === null ? sql<boolean>`1 = 1` : sql<boolean>`${sql.ref(column)} = ${storeId}`);
  for (const month of [...months].sort((a, b) => a - b)) {
    const first = firstDayOfMonth(month);
    const last = lastDayOfMonth(month);
    let deleteMonths = db.deleteFrom('hub_rollup_months').where('month', '=', month);
    let deleteHours = db.deleteFrom('hub_rollup_month_hours').where('month', '=', month);
    let deleteWeekdays = db.deleteFrom('hub_rollup_month_weekdays').where('month', '=', month);
    if (storeId !== null) {
      deleteMonths = deleteMonths.where('store_id', '=', storeId);
      deleteHours = deleteHours.where('store_id', '=', storeId);
      deleteWeekdays = deleteWeekdays.where('store_id', '=', storeId);
    }
    await deleteMonths.execute();
    await deleteHours.execute();
    await deleteWeekdays.execute();
    await sql`
      insert into hub_rollup_months (store_id, month, metric, key, count, amount_fen)
      select store_id, ${sql.lit(month)}, metric, key, sum(count), sum(amount_fen) from hub_rollup_days
      where day >= ${sql.lit(first)} and day <= ${sql.lit(last)} and ${ofStore('store_id')}
      group by store_id, metric, key`.execute(db);
    await sql`
      insert into hub_rollup_month_hours (store_id, month, hour, sales_count, sales_fen, micropay_count, micropay_slow)
      select store_id, ${sql.lit(month)}, hour, sum(sales_count), sum(sales_fen), sum(micropay_count), sum(micropay_slow)
      from hub_rollup_hours where day >= ${sql.lit(first)} and day <= ${sql.lit(last)} and ${ofStore('store_id')}
      group by store_id, hour`.execute(db);
    await sql`
      insert into hub_rollup_month_weekdays (store_id, month, weekday, sales_count, sales_fen)
      select store_id, ${sql.lit(month)}, ${weekdayOfDaySql('day')}, sum(sales_count), sum(sales_fen)
      from hub_rollup_hours where day >= ${sql.lit(first)} and day <= ${sql.lit(last)} and ${ofStore('store_id')}
      group by store_id, ${weekdayOfDaySql('day')}`.execute(db);
  }
}

async function buildRollups(db: HubDb, scope: RollupScope): Promise<void> {
  let deleteHours = db.deleteFrom('hub_rollup_hours');
  let deleteDays = db.deleteFrom('hub_rollup_days');
  if (scope !== null) {
    deleteHours = deleteHours.where('store_id', '=', scope.storeId).where('day', '>=', scope.fromDay).where('day', '<=', scope.toDay);
    deleteDays = deleteDays.where('store_id', '=', scope.storeId).where('day', '>=', scope.fromDay).where('day', '<=', scope.toDay);
  }
  await deleteHours.execute();
  await deleteDays.execute();
  await sql`
    insert into hub_rollup_hours (store_id, day, hour, sales_count, sales_fen, micropay_count, micropay_slow)
    select store_id, day, hour, sum(sc), sum(sf), sum(mc), sum(ms) from (
      select store_id, ${dayOf('created_at')} as day, ${hourOf('created_at')} as hour, 1 as sc, total_fen as sf, 0 as mc, 0 as ms
        from hub_sales where state = 'paid' and ${within(scope, 'store_id', 'created_at')}
      union all
      select store_id, ${dayOf('created_at')}, ${hourOf('created_at')}, 0, 0, 1,
             case when resolved_at - created_at > ${sql.lit(SLOW_PAYMENT_MS)} then 1 else 0 end
        from hub_wechat_attempts where mode = 'micropay' and resolved_at is not null and ${within(scope, 'store_id', 'created_at')}
    ) x group by store_id, day, hour`.execute(db);

  const attempts = (key: string, condition: RawBuilder<boolean>): RawBuilder<unknown> => sql`
    select store_id, ${dayOf('created_at')} as day, 'attempt' as metric, ${sql.lit(key)} as key, amount_fen
      from hub_wechat_attempts where ${condition} and ${within(scope, 'store_id', 'created_at')}`;
  const latency = sql<number>`(resolved_at - created_at)`;
  const parts: RawBuilder<unknown>[] = [
    sql`select s.store_id, ${dayOf('s.created_at')} as day, 'tender' as metric, t.kind as key, t.amount_fen
      from hub_sales s join hub_tenders t on t.terminal_id = s.terminal_id and t.sale_id = s.sale_id
      where s.state = 'paid' and t.state = 'paid' and ${within(scope, 's.store_id', 's.created_at')}`,
    sql`select store_id, ${dayOf('created_at')} as day, 'ticket' as metric, ${bucketCase(sql`total_fen`, TICKET_EDGES_FEN, false)} as key, total_fen
      from hub_sales where state = 'paid' and ${within(scope, 'store_id', 'created_at')}`,
    attempts('scanned', sql`1 = 1`),
    attempts('sent', sql`(first_sent_at is not null or state in ('paid', 'refunded'))`),
    attempts('paid', sql`state in ('paid', 'refunded')`),
    attempts('failed', sql`state = 'failed'`),
    attempts('abandoned', sql`state in ('cancelled', 'closed', 'reversed')`),
    attempts('needs-attention', sql`state = 'needs-attention'`),
    sql`select store_id, ${dayOf('created_at')} as day, 'failure' as metric, coalesce(failure_code, 'UNKNOWN') as key, amount_fen
      from hub_wechat_attempts where state = 'failed' and ${within(scope, 'store_id', 'created_at')}`,
    sql`select store_id, ${dayOf('requested_at')} as day, 'refund' as metric, coalesce(substr(trim(reason), 1, 64), '') as key, amount_fen
      from hub_refunds where state in ${sql.raw(COUNTED_REFUND_STATES_SQL)} and ${within(scope, 'store_id', 'requested_at')}`,
    sql`select store_id, ${dayOf('created_at')} as day, 'latency' as metric, ${bucketCase(latency, LATENCY_EDGES_MS, true)} as key, 0
      from hub_wechat_attempts where mode = 'micropay' and resolved_at is not null and ${within(scope, 'store_id', 'created_at')}`,
  ];
  await sql`
    insert into hub_rollup_days (store_id, day, metric, key, count, amount_fen)
    select store_id, day, metric, key, count(*), sum(amount_fen) from (${sql.join(parts, sql` union all `)}) x
    group by store_id, day, metric, key`.execute(db);
}
