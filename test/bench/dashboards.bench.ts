import { loadavg } from 'node:os';
import pg from 'pg';
import { dateOfDay, dayNumber } from '../../shared/hub-reports-api';
import { dayClose } from '../../electron/hub/operations/day-close';
import { openHubDatabase } from '../../electron/hub/db/database';
import { firstDayOfMonth, lastDayOfMonth, monthOfDay, rebuildAllRollups, rebuildMonthRollups } from '../../electron/hub/projections/rollups';
import { dashboard } from '../../electron/hub/reports/dashboard';
import { byStorePanel, hoursPanel, metricsPanel, periodSlices, type DayRange, type PanelScope, type PeriodSlices } from '../../electron/hub/reports/panels';
import type { RollupMetric } from '../../electron/hub/projections/rollups';
import { startPostgresCluster, type PostgresCluster } from '../helpers/postgres-cluster';
import { DAYS, FULL_SALES_PER_STORE_DAY, STORES, YEAR_START, generateChainYear } from './dashboards-data';
import { nowNs, nsToMs, summarize, type Benchmark, type BenchRow } from './stats';

// (11) Chain dashboards over a year of a 200-store chain in PostgreSQL (test/bench/dashboards-data.ts generates it
// server-side into the hub's projection tables, under the indexes the hub's migrations make; the rollups, days and
// months, are then built by the hub's own rebuildAllRollups). Each panel's query (electron/hub/reports/panels.ts,
// through Kysely) is timed ROUNDS times beside the same query hand-written in SQL on a plain pg client (the floor),
// for the whole chain over the calendar year (whole months only), over Jan 2 – Dec 30 (the worst year-long
// period: 30 edge days at each end read from the day rollups), and for one store over a month; also the whole
// dashboard answer (both periods, every panel), the same "sales by hour" read straight from hub_sales (what the
// rollups save), and one store's day close. Each row's note carries the 1-minute load average when it was taken.
// `--scale 0.05` (or BENCH_DASH_SCALE) shrinks the sales per store-day; stores and days stay.
// BENCH_DASH_URL=postgres://…/db: use that database instead of a throwaway cluster; the year is generated only if
// its hub_sales is empty (generate once, measure many times), and the data is left there; BENCH_DASH_MONTHS_ONLY=1
// then skips rebuilding the day rollups (already built there by an earlier run) and sums only the months again.
// BENCH_DASH_KEEP=/work/benchdata/dash-pg (without BENCH_DASH_URL): the cluster lives in that folder and is kept —
// created and filled the first time, started again from there by later runs (same port, database dash_bench), and
// stopped cleanly at the end; the README says how to start it by hand for BENCH_DASH_URL.

function scaleArg(): number {
  const at = process.argv.indexOf('--scale');
  const value = Number(at >= 0 ? process.argv[at + 1] : (process.env.BENCH_DASH_SCALE ?? 1));
  if (!(value > 0 && value <= 1)) throw new Error('--scale must be in (0, 1]');
  return value;
}

const ROUNDS = Number(process.env.BENCH_DASH_ROUNDS ?? 20);
const TARGET_MS = 500;
const DAY_CLOSE_TARGET_MS = 100;

async function time(fn: () => Promise<unknown>, rounds = ROUNDS): Promise<number[]> {
  await fn();
  const samples: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    const start = nowNs();
    await fn();
    samples.push(nsToMs(nowNs() - start));
  }
  return samples;
}

function p95(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.95 * sorted.length) - 1)] ?? Number.NaN;
}

const load = (): string => `load ${loadavg()[0]?.toFixed(1) ?? '?'}`;

function row(id: string, name: string, ours: number[], floorName: string | null, floor: number[] | null, target: number, note?: string): BenchRow {
  const o = summarize(ours);
  const f = floor ? summarize(floor) : null;
  return {
    id, name, unit: 'ms', median: o.median, p99: o.p99, samples: o.samples,
    ...(f && floorName ? { floor: { name: floorName, median: f.median, p99: f.p99 }, ratio: o.median / f.median } : {}),
    target: `p95 < ${target} ms`, met: p95(ours) < target, note: `p95 ${p95(ours).toFixed(1)} ms${f ? `, floor p95 ${p95(floor ?? []).toFixed(1)} ms` : ''}; ${load()}${note ? `; ${note}` : ''}`,
  };
}

const EMPTY_RANGE: DayRange = { from: 1, to: 0 };

/**
 * The panels' queries written by hand for the floor: $1–$2 the months, $3–$6 the days added, $7–$10 the days
 * subtracted (outside the period in a read month), $11 the stores when there is a list.
 */
function handSql(slices: PeriodSlices, storeSql: string, params: unknown[]) {
  const pair = (list: DayRange[]) => [list[0] ?? EMPTY_RANGE, list[1] ?? EMPTY_RANGE].flatMap((d) => [d.from, d.to]);
  const range = [slices.months?.from ?? 1, slices.months?.to ?? 0, ...pair(slices.days), ...pair(slices.outside), ...params];
  const months = `month between $1 and $2${storeSql}`;
  const days = `(day between $3 and $4 or day between $5 and $6)${storeSql}`;
  const outside = `(day between $7 and $8 or day between $9 and $10)${storeSql}`;
  return {
    range,
    hours: `select hour, sales_count, sales_fen, micropay_count, micropay_slow from hub_rollup_month_hours where ${months}
      union all select hour, sales_count, sales_fen, micropay_count, micropay_slow from hub_rollup_hours where ${days}
      union all select hour, -sales_count, -sales_fen, -micropay_count, -micropay_slow from hub_rollup_hours where ${outside}`,
    weekdays: `select weekday, sales_count, sales_fen from hub_rollup_month_weekdays where ${months}
      union all select (day + 3) % 7 + 1, sales_count, sales_fen from hub_rollup_hours where ${days}
      union all select (day + 3) % 7 + 1, -sales_count, -sales_fen from hub_rollup_hours where ${outside}`,
    metricUnion: (list: string) => `select store_id, metric, key, count, amount_fen from hub_rollup_months where metric in (${list}) and ${months}
      union all select store_id, metric, key, count, amount_fen from hub_rollup_days where metric in (${list}) and ${days}
      union all select store_id, metric, key, -count, -amount_fen from hub_rollup_days where metric in (${list}) and ${outside}`,
  };
}

/** The rule before (for the A/B row): a period's whole months from the month rollups, every other day from the days. */
function wholeMonthSlices(fromDay: number, toDay: number): PeriodSlices {
  const slices: PeriodSlices = { months: null, days: [], outside: [] };
  for (let month = monthOfDay(fromDay); month <= monthOfDay(toDay); month += 1) {
    const from = Math.max(fromDay, firstDayOfMonth(month));
    const to = Math.min(toDay, lastDayOfMonth(month));
    if (from === firstDayOfMonth(month) && to === lastDayOfMonth(month)) slices.months = { from: slices.months?.from ?? month, to: month };
    else slices.days.push({ from, to });
  }
  return slices;
}

export const benchmark: Benchmark = {
  id: 'dashboards',
  title: 'chain dashboards over a year of a 200-store chain (PostgreSQL)',
  async run() {
    const scale = scaleArg();
    const given = process.env.BENCH_DASH_URL;
    let cluster: PostgresCluster | null = null;
    const out: BenchRow[] = [];
    try {
      let url: string;
      if (given) {
        url = given;
      } else {
        const keepAt = process.env.BENCH_DASH_KEEP;
        cluster = await startPostgresCluster(keepAt ? { keepAt } : {});
        const admin = new pg.Client({ connectionString: cluster.adminUrl });
        await admin.connect();
        const exists = (await admin.query(`select 1 from pg_database where datname = 'dash_bench'`)).rowCount === 1;
        if (!exists) await admin.query('create database dash_bench');
        await admin.end();
        const at = new URL(cluster.adminUrl);
        at.pathname = '/dash_bench';
        url = at.toString();
        if (keepAt) process.stderr.write(`  kept cluster ${keepAt}: ${url}\n`);
      }
      const database = await openHubDatabase({ engine: 'postgres', url });
      const client = new pg.Client({ connectionString: url });
      const helper = new pg.Client({ connectionString: url });
      await client.connect();
      await helper.connect();
      try {
        const log = (line: string): void => void process.stderr.write(`${line}\n`);
        const started = Date.now();
        const present = Number((await client.query<{ n: string }>('select count(*) as n from hub_sales')).rows[0]?.n ?? 0);
        let sales = present;
        // A kept database whose generation was cut off (rows there, indexes perhaps still dropped) must not be measured.
        await client.query('create table if not exists bench_dash_generated (sales bigint not null, done_at timestamptz not null)');
        const complete = (await client.query('select 1 from bench_dash_generated')).rowCount !== 0;
        if (present > 0 && !complete) {
          throw new Error(`${url.replace(/\/\/[^@]*@/, '//')} holds ${present} sales from a generation that did not finish: drop database dash_bench and run again`);
        }
        if (present === 0) {
          ({ sales } = await generateChainYear([client, helper], scale, log));
          await client.query('insert into bench_dash_generated (sales, done_at) values ($1, now())', [sales]);
          log(`  generated in ${((Date.now() - started) / 1000).toFixed(0)} s (${load()})`);
        } else {
          log(`  ${present} sales already in ${url.replace(/\/\/[^@]*@/, '//')}: not generated again`);
        }
        const rollupStart = Date.now();
        // BENCH_DASH_MONTHS_ONLY=1 (with BENCH_DASH_URL or _KEEP): the day rollups there are current, sum only the months again.
        if ((given || process.env.BENCH_DASH_KEEP) && process.env.BENCH_DASH_MONTHS_ONLY === '1') await rebuildMonthRollups(database.db);
        else await rebuildAllRollups(database.db);
        const rollupS = (Date.now() - rollupStart) / 1000;
        await client.query('analyze');
        const sizes = (await client.query<{ t: string; n: string }>(`select relname as t, n_live_tup as n from pg_stat_user_tables where relname like 'hub_%' order by relname`)).rows;
        log(`  rollups built in ${rollupS.toFixed(1)} s (${load()}); data ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${sizes.map((s) => `${s.t} ${s.n}`).join(', ')}`);
        const scaleNote = `${sales.toLocaleString('en-US')} sales (scale ${(sales / (STORES * DAYS * FULL_SALES_PER_STORE_DAY)).toFixed(3)}), ${STORES} stores × ${DAYS} days`;

        const firstDay = dayNumber('2026-01-01');
        const scopes: { label: string; scope: PanelScope; storeSql: string; params: unknown[] }[] = [
          { label: 'chain, year', scope: { stores: 'all', fromDay: firstDay, toDay: firstDay + DAYS - 1 }, storeSql: '', params: [] },
          { label: 'chain, Jan 2 – Dec 30', scope: { stores: 'all', fromDay: firstDay + 1, toDay: firstDay + DAYS - 2 }, storeSql: '', params: [] },
          { label: 'one store, month', scope: { stores: ['S007'], fromDay: firstDay + 150, toDay: firstDay + 179 }, storeSql: ' and store_id = any($11)', params: [['S007']] },
        ];
        let n = 0;
        for (const { label, scope, storeSql, params } of scopes) {
          // The floor: the same union of months, edge days and (negated) days outside the period, written by hand.
          const hand = handSql(periodSlices(scope.fromDay, scope.toDay), storeSql, params);
          const { range, hours, weekdays, metricUnion } = hand;
          const db = database.db;
          const metric = (metrics: RollupMetric[]) => ({
            ours: () => metricsPanel(db, scope, metrics),
            floor: () => client.query(`select metric, key, sum(count)::bigint, sum(amount_fen)::bigint from (${metricUnion(metrics.map((m) => `'${m}'`).join(', '))}) x
              group by metric, key`, range),
          });
          const panels: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
            ['sales by hour and weekday, peak', () => hoursPanel(db, scope), () => Promise.all([
              client.query(`select hour, sum(sales_count)::bigint, sum(sales_fen)::bigint, sum(micropay_count)::bigint, sum(micropay_slow)::bigint
                from (${hours}) x group by hour`, range),
              helper.query(`select weekday, sum(sales_count)::bigint, sum(sales_fen)::bigint from (${weekdays}) x group by weekday`, range),
            ])],
            ['tender mix and ticket sizes', metric(['tender', 'ticket']).ours, metric(['tender', 'ticket']).floor],
            ['payment funnel and failures', metric(['attempt', 'failure']).ours, metric(['attempt', 'failure']).floor],
            ['refunds by reason', metric(['refund']).ours, metric(['refund']).floor],
            ['scan-to-result latency', metric(['latency']).ours, metric(['latency']).floor],
            ['per-store table', () => byStorePanel(db, scope), async () => [
              await client.query(`select store_id, sum(count)::bigint, sum(amount_fen)::bigint from (${metricUnion(`'ticket'`)}) x group by store_id`, range),
              await client.query(`select store_id, metric, key, sum(count)::bigint, sum(amount_fen)::bigint from (${metricUnion(`'attempt', 'refund', 'latency'`)}) x
                where metric <> 'attempt' or key in ('scanned', 'paid') group by store_id, metric, key`, range),
            ]],
          ];
          for (const [name, ours, floor] of panels) {
            n += 1;
            const o = await time(ours);
            const f = await time(floor);
            out.push(row(`11.${n}`, `${name} (${label})`, o, 'hand SQL', f, TARGET_MS, n === 1 ? scaleNote : undefined));
          }
          const before = handSql(wholeMonthSlices(scope.fromDay, scope.toDay), storeSql, params);
          if (before.range.join() !== range.join()) {
            // A/B in the same run: the per-store table as it was read before the edge rule (every edge day summed),
            // after checking that both rules give the same paid sales per store on this data.
            const salesBefore = (await client.query<{ store_id: string; n: string; fen: string }>(`select store_id, sum(count)::bigint as n, sum(amount_fen)::bigint as fen
              from (${before.metricUnion(`'ticket'`)}) x group by store_id order by store_id`, before.range)).rows.map((r) => `${r.store_id}:${r.n}:${r.fen}`);
            const salesNow = (await byStorePanel(db, scope)).sales.sort((a, b) => a.store_id.localeCompare(b.store_id)).map((r) => `${r.store_id}:${r.sales_count}:${r.sales_fen}`);
            if (salesBefore.join() !== salesNow.join()) throw new Error(`the per-store table's sales differ between the edge rules (${label})`);
            n += 1;
            out.push(row(`11.${n}`, `per-store table, every edge day read (the rule before, hand SQL) (${label})`, await time(async () => [
              await client.query(`select store_id, sum(count)::bigint, sum(amount_fen)::bigint from (${before.metricUnion(`'ticket'`)}) x group by store_id`, before.range),
              await client.query(`select store_id, metric, key, sum(count)::bigint, sum(amount_fen)::bigint from (${before.metricUnion(`'attempt', 'refund', 'latency'`)}) x
                where metric <> 'attempt' or key in ('scanned', 'paid') group by store_id, metric, key`, before.range),
            ]), null, null, TARGET_MS, 'the same table with whole months only and up to 30 edge days a side from the day rollups'));
          }
          n += 1;
          const names = new Map(Array.from({ length: STORES }, (_, i) => [`S${String(i + 1).padStart(3, '0')}`, `门店${i + 1}`]));
          const from = new Date(scope.fromDay * 86_400_000).toISOString().slice(0, 10);
          const to = new Date(scope.toDay * 86_400_000).toISOString().slice(0, 10);
          out.push(row(`11.${n}`, `whole dashboard, both periods (${label})`, await time(() => dashboard(db, { from, to }, scope.stores, names), Math.min(ROUNDS, 10)), null, null, TARGET_MS * 4,
            'every panel of the period and of the one before, as GET reports/dashboard runs them'));
          if (label.startsWith('chain, Jan 2')) continue; // the no-rollup read of almost the same year, once is enough
          n += 1;
          const fromMs = YEAR_START + (scope.fromDay - firstDay) * 86_400_000;
          const toMs = YEAR_START + (scope.toDay - firstDay + 1) * 86_400_000;
          out.push(row(`11.${n}`, `sales by hour straight from hub_sales, no rollup (${label})`, await time(() => client.query(`select (created_at + 28800000) / 86400000 as day,
            ((created_at + 28800000) % 86400000) / 3600000 as hour, count(*), sum(total_fen) from hub_sales
            where state = 'paid' and created_at >= $1 and created_at < $2${storeSql.replace('$11', '$3')} group by 1, 2`, [fromMs, toMs, ...params]), 3), null, null, TARGET_MS,
            'what the rollups save: the decision in electron/hub/README.md'));
        }
        // One store's day close (日结) as GET operations/day-close runs it (electron/hub/operations/day-close.ts: the store,
        // its counters, its Z reports of the day, shifts still open, unresolved payments), beside the same reads by hand.
        const closeDate = dateOfDay(firstDay + 200);
        const dayStart = YEAR_START + 200 * 86_400_000;
        const closeArgs = ['S042', dayStart, dayStart + 86_400_000];
        const dayCloseFloor = async () => [
          await client.query('select * from stores where store_id = $1', ['S042']),
          await client.query('select * from terminals order by terminal_id'),
          await client.query('select * from hub_z_reports where store_id = $1 and created_at >= $2 and created_at < $3 order by terminal_id, z_no', closeArgs),
          await client.query(`select * from hub_shifts where store_id = $1 and state = 'open' and opened_at < $2 order by opened_at`, ['S042', dayStart + 86_400_000]),
          await client.query(`select * from hub_wechat_attempts where store_id = $1 and state in ('pending') and created_at >= $2 and created_at < $3`, closeArgs),
          await client.query(`select * from hub_refunds where store_id = $1 and state in ('queued', 'processing', 'abnormal') and requested_at >= $2 and requested_at < $3`, closeArgs),
          await client.query('select * from hub_counter_alerts where store_id = $1 and resolved_at is null and raised_at < $2', ['S042', dayStart + 86_400_000]),
        ];
        const close = await dayClose(database.db, 'S042', closeDate);
        if (close.counters.length !== 2) throw new Error(`the day close found ${close.counters.length} counters, not 2`);
        n += 1;
        out.push(row(`11.${n}`, "one store's day close (日结: Z reports of the day, open shifts, unresolved payments)", await time(() => dayClose(database.db, 'S042', closeDate)),
          'hand SQL', await time(dayCloseFloor), DAY_CLOSE_TARGET_MS, `${closeDate}, ${close.counters.reduce((a, c) => a + c.zReports.length, 0)} Z reports; ${scaleNote}`));
      } finally {
        await client.end();
        await helper.end();
        await database.close();
      }
    } finally {
      await cluster?.stop();
    }
    return out;
  },
};
