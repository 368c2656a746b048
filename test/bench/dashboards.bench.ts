import pg from 'pg';
import { dayNumber } from '../../shared/hub-reports-api';
import { openHubDatabase } from '../../electron/hub/db/database';
import { rebuildRollups } from '../../electron/hub/projections/rollups';
import { dashboard } from '../../electron/hub/reports/dashboard';
import { byStorePanel, hoursPanel, metricsPanel, type PanelScope } from '../../electron/hub/reports/panels';
import type { RollupMetric } from '../../electron/hub/projections/rollups';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { DAYS, STORES, YEAR_START, generateChainYear } from './dashboards-data';
import { nowNs, nsToMs, summarize, type Benchmark, type BenchRow } from './stats';

// (11) Chain dashboards over a year of a 200-store chain in PostgreSQL (test/bench/dashboards-data.ts generates it
// server-side into the hub's projection tables, under the indexes the hub's migrations make; the rollups are then
// built by the hub's own rebuildRollups). Each panel's query (electron/hub/reports/panels.ts, through Kysely) is
// timed ROUNDS times beside the same query hand-written in SQL on a plain pg client (the floor), for the whole
// chain over the year and for one store over a month; also the whole dashboard answer (both periods, every panel),
// the same "sales by hour" read straight from hub_sales (what the rollups save), and one store's day close.
// `--scale 0.05` (or BENCH_DASH_SCALE) shrinks the sales per store-day; stores and days stay.

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

function row(id: string, name: string, ours: number[], floorName: string | null, floor: number[] | null, target: number, note?: string): BenchRow {
  const o = summarize(ours);
  const f = floor ? summarize(floor) : null;
  return {
    id, name, unit: 'ms', median: o.median, p99: o.p99, samples: o.samples,
    ...(f && floorName ? { floor: { name: floorName, median: f.median, p99: f.p99 }, ratio: o.median / f.median } : {}),
    target: `p95 < ${target} ms`, met: p95(ours) < target, note: `p95 ${p95(ours).toFixed(1)} ms${note ? `; ${note}` : ''}`,
  };
}

export const benchmark: Benchmark = {
  id: 'dashboards',
  title: 'chain dashboards over a year of a 200-store chain (PostgreSQL)',
  async run() {
    const scale = scaleArg();
    const cluster = await startPostgresCluster();
    const out: BenchRow[] = [];
    try {
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('create database dash_bench');
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = '/dash_bench';
      const database = await openHubDatabase({ engine: 'postgres', url: url.toString() });
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      try {
        const log = (line: string): void => void process.stderr.write(`${line}\n`);
        const started = Date.now();
        const { sales } = await generateChainYear(client, scale, log);
        const rollupStart = Date.now();
        await rebuildRollups(database.db);
        const rollupS = (Date.now() - rollupStart) / 1000;
        await client.query('analyze');
        const sizes = (await client.query<{ t: string; n: string }>(`select relname as t, n_live_tup as n from pg_stat_user_tables where relname like 'hub_%' order by relname`)).rows;
        log(`  rollups built in ${rollupS.toFixed(1)} s; data ready in ${((Date.now() - started) / 1000).toFixed(0)} s: ${sizes.map((s) => `${s.t} ${s.n}`).join(', ')}`);
        const scaleNote = `scale ${scale}: ${sales.toLocaleString('en-US')} sales, ${STORES} stores × ${DAYS} days`;

        const firstDay = dayNumber('2026-01-01');
        const scopes: { label: string; scope: PanelScope; storeSql: string; params: unknown[] }[] = [
          { label: 'chain, year', scope: { stores: 'all', fromDay: firstDay, toDay: firstDay + DAYS - 1 }, storeSql: '', params: [] },
          { label: 'one store, month', scope: { stores: ['S007'], fromDay: firstDay + 150, toDay: firstDay + 179 }, storeSql: ' and store_id = any($3)', params: [['S007']] },
        ];
        let n = 0;
        for (const { label, scope, storeSql, params } of scopes) {
          const range = [scope.fromDay, scope.toDay, ...params];
          const db = database.db;
          const metric = (metrics: RollupMetric[]) => ({
            ours: () => metricsPanel(db, scope, metrics),
            floor: () => client.query(`select metric, key, sum(count)::bigint, sum(amount_fen)::bigint from hub_rollup_days
              where day >= $1 and day <= $2${storeSql} and metric = any($${params.length + 3}) group by metric, key`, [...range, metrics]),
          });
          const panels: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
            ['sales by hour and weekday, peak', () => hoursPanel(db, scope), () => client.query(`select day, hour, sum(sales_count)::bigint, sum(sales_fen)::bigint,
              sum(micropay_count)::bigint, sum(micropay_slow)::bigint from hub_rollup_hours where day >= $1 and day <= $2${storeSql} group by day, hour`, range)],
            ['tender mix and ticket sizes', metric(['tender', 'ticket']).ours, metric(['tender', 'ticket']).floor],
            ['payment funnel and failures', metric(['attempt', 'failure']).ours, metric(['attempt', 'failure']).floor],
            ['refunds by reason', metric(['refund']).ours, metric(['refund']).floor],
            ['scan-to-result latency', metric(['latency']).ours, metric(['latency']).floor],
            ['per-store table', () => byStorePanel(db, scope), async () => [
              await client.query(`select store_id, sum(sales_count)::bigint, sum(sales_fen)::bigint from hub_rollup_hours where day >= $1 and day <= $2${storeSql} group by store_id`, range),
              await client.query(`select store_id, metric, key, sum(count)::bigint, sum(amount_fen)::bigint from hub_rollup_days where day >= $1 and day <= $2${storeSql}
                and (metric in ('refund', 'latency') or (metric = 'attempt' and key in ('scanned', 'paid'))) group by store_id, metric, key`, range),
            ]],
          ];
          for (const [name, ours, floor] of panels) {
            n += 1;
            const o = await time(ours);
            const f = await time(floor);
            out.push(row(`11.${n}`, `${name} (${label})`, o, 'hand SQL', f, TARGET_MS, n === 1 ? scaleNote : undefined));
          }
          n += 1;
          const names = new Map(Array.from({ length: STORES }, (_, i) => [`S${String(i + 1).padStart(3, '0')}`, `门店${i + 1}`]));
          const from = new Date(scope.fromDay * 86_400_000).toISOString().slice(0, 10);
          const to = new Date(scope.toDay * 86_400_000).toISOString().slice(0, 10);
          out.push(row(`11.${n}`, `whole dashboard, both periods (${label})`, await time(() => dashboard(db, { from, to }, scope.stores, names), Math.min(ROUNDS, 10)), null, null, TARGET_MS * 4,
            'every panel of the period and of the one before, as GET reports/dashboard runs them'));
          n += 1;
          const fromMs = YEAR_START + (scope.fromDay - firstDay) * 86_400_000;
          const toMs = YEAR_START + (scope.toDay - firstDay + 1) * 86_400_000;
          out.push(row(`11.${n}`, `sales by hour straight from hub_sales, no rollup (${label})`, await time(() => client.query(`select (created_at + 28800000) / 86400000 as day,
            ((created_at + 28800000) % 86400000) / 3600000 as hour, count(*), sum(total_fen) from hub_sales
            where state = 'paid' and created_at >= $1 and created_at < $2${storeSql} group by 1, 2`, [fromMs, toMs, ...params]), 3), null, null, TARGET_MS,
            'what the rollups save: the decision in electron/hub/README.md'));
        }
        // One store's day close: its shifts' cash by counter, and its sales by tender and refunds of the day.
        const dayStart = YEAR_START + 200 * 86_400_000;
        const dayClose = async () => [
          await client.query(`select terminal_id, count(*), sum(expected_cash_fen), sum(counted_fen), sum(difference_fen) from hub_shifts
            where store_id = $1 and opened_at >= $2 and opened_at < $3 group by terminal_id`, ['S042', dayStart, dayStart + 86_400_000]),
          await client.query(`select t.kind, count(*), sum(t.amount_fen) from hub_sales s join hub_tenders t on t.terminal_id = s.terminal_id and t.sale_id = s.sale_id
            where s.store_id = $1 and s.created_at >= $2 and s.created_at < $3 and s.state = 'paid' and t.state = 'paid' group by t.kind`, ['S042', dayStart, dayStart + 86_400_000]),
          await client.query(`select count(*), sum(amount_fen) from hub_refunds where store_id = $1 and requested_at >= $2 and requested_at < $3 and state <> 'failed'`,
            ['S042', dayStart, dayStart + 86_400_000]),
        ];
        n += 1;
        out.push(row(`11.${n}`, "one store's day close (shifts, tenders, refunds of the day)", await time(dayClose), null, null, DAY_CLOSE_TARGET_MS, `projections through the (store_id, time) indexes; ${scaleNote}`));
      } finally {
        await client.end();
        await database.close();
      }
    } finally {
      await cluster.stop();
    }
    return out;
  },
};
