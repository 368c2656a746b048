import type pg from 'pg';

/**
 * Generates a chain's year into the hub's projection tables in PostgreSQL, server-side (INSERT … SELECT over
 * generate_series: no row crosses the wire). Full scale (scale 1): 200 stores × 365 days × 274 sales a store-day
 * ≈ 20 million sales, 2 lines and 1 tender each, a WeChat attempt per WeChat tender plus failed attempts before
 * ~6 % of them, refunds of ~1.5 % of paid sales, 4 shifts a store-day. `scale` shrinks the sales per store-day
 * only: stores and days stay, so the rollups the dashboards read keep almost their full-scale size.
 *
 * Made for speed at full scale on a small machine:
 * - every "random" value of sale g is a hash of (g, column) (`hashint8extended`), so each table is generated
 *   straight from generate_series with no join against another 20-million-row table, and a rerun gives the same
 *   year;
 * - the sales are generated in chunks of consecutive g, `workers` chunks at once on their own connections;
 * - the projection tables' indexes and primary keys (exactly those the hub's migrations made, read back from
 *   pg_catalog) are dropped before the load and built again after it with the same definitions: one sorted build
 *   per index instead of 20 million random inserts into each.
 * The rollups are not written here: the benchmark builds them with the hub's own rebuild.
 */
export const STORES = 200;
export const DAYS = 365;
export const FULL_SALES_PER_STORE_DAY = 274;
/** 2026-01-01 00:00 in China (UTC+8), ms. */
export const YEAR_START = Date.UTC(2026, 0, 1) - 8 * 3_600_000;

const LOADED_TABLES = ['hub_sales', 'hub_sale_lines', 'hub_tenders', 'hub_wechat_attempts', 'hub_refunds', 'hub_shifts', 'hub_z_reports'] as const;
const CHUNK = 1_000_000;

/** u(g, k): a uniform number in [0, 1) fixed by sale g and column k. */
const U = (k: number): string => `((hashint8extended(g, ${k}) & 2147483647)::float8 / 2147483648)`;

/** Every generated value of sales g in [from, to], one row per sale (each table's INSERT selects from it). */
function salesSource(from: number, to: number): string {
  const store = `'S' || lpad(((g % ${STORES}) + 1)::text, 3, '0')`;
  return `(select g, st, t, d, hr, at, total, state, kind,
      ${U(6)} < 0.06 as failed_first, (array['NOTENOUGH', 'AUTHCODEEXPIRE', 'USERPAYING_TIMEOUT', 'OFFLINE_EXPIRED'])[1 + floor(${U(7)} * 4)::int] as failure_code,
      300 + (${U(8)} ^ 4 * 40000)::bigint as latency, (${U(12)} * 15000)::bigint as failed_latency,
      ${U(9)} < 0.015 as refunded, ${U(10)} < 0.9 as refund_ok, (array['顾客退货', '商品质量问题', '收银错误', null])[1 + floor(${U(11)} * 4)::int] as reason
    from (select g, ${store} as st, ${store} || 'T' || (g / ${STORES} / ${DAYS}) % 2 as t, (g / ${STORES}) % ${DAYS} as d, hr,
            ${YEAR_START}::bigint + ((g / ${STORES}) % ${DAYS}) * 86400000 + hr * 3600000 + (${U(2)} * 3599999)::bigint as at,
            300 + (${U(3)} ^ 2 * 30000)::bigint as total,
            case when ${U(4)} < 0.95 then 'paid' when ${U(4)} < 0.99 then 'voided' else 'open' end as state,
            case when ${U(5)} < 0.35 then 'cash' when ${U(5)} < 0.85 then 'wechat-code' else 'wechat-qr' end as kind
          from (select g, (array[8,9,10,11,11,11,12,12,12,12,13,13,14,15,16,17,17,18,18,18,19,19,20,21])[1 + floor(${U(1)} * 24)::int] as hr
                from generate_series(${from}::bigint, ${to}::bigint) g) x) y) s`;
}

/** The INSERTs that load sales [from, to] with their lines, tenders, attempts and refunds. */
function chunkInserts(from: number, to: number): string[] {
  const src = salesSource(from, to);
  const tenderState = `case state when 'paid' then 'paid' when 'voided' then 'cancelled' else 'pending' end`;
  const attemptColumns = `terminal_id, attempt_id, store_id, sale_id, tender_id, mode, out_trade_no, amount_fen, state, auth_code_masked,
      payer_masked, transaction_id, paid_fen, success_time, failure_code, created_at, resolved_at, source_seq, first_sent_at`;
  const mode = `case kind when 'wechat-code' then 'micropay' else 'native' end`;
  return [
    `insert into hub_sales (terminal_id, sale_id, store_id, receipt_terminal, receipt_no, state, description, total_fen,
        cashier_id, shift_id, created_at, paid_at, voided_at, void_reason, source_seq)
      select t, g, st, t, g, state, '', total, 'c1', t || '-' || d || '-' || (case when hr < 15 then 1 else 2 end), at,
        case when state = 'paid' then at + 15000 end, case when state = 'voided' then at + 30000 end, null, g from ${src}`,
    `insert into hub_sale_lines (terminal_id, sale_id, line_no, name, unit_fen, quantity, amount_fen, source_seq)
      select t, g, n, '商品' || n, total / 2 + (case when n = 1 then total % 2 else 0 end), 1, total / 2 + (case when n = 1 then total % 2 else 0 end), g
      from ${src} cross join generate_series(1, 2) n`,
    `insert into hub_tenders (terminal_id, tender_id, sale_id, kind, amount_fen, state, tendered_fen, change_fen, out_trade_no,
        transaction_id, created_at, settled_at, source_seq)
      select t, g, g, kind, total, ${tenderState}, null, null, case when kind <> 'cash' then t || 'P' || g end, null, at,
        case when state = 'paid' then at + 15000 end, g from ${src}`,
    `insert into hub_wechat_attempts (${attemptColumns})
      select t, g * 2, st, g, g, ${mode}, t || 'P' || g, total,
        case state when 'paid' then 'paid' when 'voided' then 'cancelled' else 'needs-attention' end,
        null, null, null, null, null, null, at, at + latency, g, at + 50
      from ${src} where kind <> 'cash'`,
    `insert into hub_wechat_attempts (${attemptColumns})
      select t, g * 2 - 1, st, g, g, ${mode}, t || 'P' || g || 'F', total, 'failed', null, null, null, null, null, failure_code,
        at - 20000, at - 20000 + failed_latency, g, at - 19950
      from ${src} where kind <> 'cash' and failed_first`,
    `insert into hub_refunds (terminal_id, refund_id, store_id, sale_receipt_terminal, sale_receipt_no, local_sale_id, local_tender_id,
        cross_counter, kind, out_trade_no, out_refund_no, amount_fen, state, approved_by, reason, requested_at, wechat_refund_id, finished_at, source_seq)
      select t, g, st, t, g, g, g, 0, 'cash', null, null, total, case when refund_ok then 'succeeded' else 'failed' end, 'm1', reason,
        at + 3600000, null, at + 3700000, g
      from ${src} where state = 'paid' and refunded`,
  ];
}

interface Definitions {
  constraints: { table: string; name: string; definition: string }[];
  indexes: { name: string; definition: string }[];
}

/** The primary keys and indexes of the loaded tables, as the hub's migrations created them. */
async function readDefinitions(client: pg.Client): Promise<Definitions> {
  const tables = [...LOADED_TABLES];
  const constraints = (await client.query<{ table: string; name: string; definition: string }>(
    `select c.conrelid::regclass::text as table, c.conname as name, pg_get_constraintdef(c.oid) as definition
       from pg_constraint c where c.contype in ('p', 'u') and c.conrelid::regclass::text = any($1)`, [tables])).rows;
  const indexes = (await client.query<{ name: string; definition: string }>(
    `select i.indexname as name, i.indexdef as definition from pg_indexes i
       where i.schemaname = 'public' and i.tablename = any($1)
         and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`, [tables])).rows;
  return { constraints, indexes };
}

async function inParallel<T>(clients: readonly pg.Client[], work: readonly T[], run: (client: pg.Client, item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(clients.map(async (client) => {
    for (let i = next++; i < work.length; i = next++) await run(client, work[i] as T);
  }));
}

/**
 * Loads the year into empty projection tables. `clients`: one connection per worker (2 on this 2-core machine).
 * Returns the number of sales.
 */
export async function generateChainYear(clients: readonly pg.Client[], scale: number, log: (line: string) => void): Promise<{ sales: number }> {
  const [first] = clients;
  if (!first) throw new Error('generateChainYear needs a connection');
  const perDay = Math.max(1, Math.round(FULL_SALES_PER_STORE_DAY * scale));
  const sales = STORES * DAYS * perDay;
  const timed = async (what: string, fn: () => Promise<unknown>): Promise<void> => {
    const started = Date.now();
    await fn();
    log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  for (const client of clients) await client.query(`set maintenance_work_mem = '512MB'`);

  const definitions = await readDefinitions(first);
  await timed('drop the loaded tables\' keys and indexes', async () => {
    for (const { name } of definitions.indexes) await first.query(`drop index ${name}`);
    for (const { table, name } of definitions.constraints) await first.query(`alter table ${table} drop constraint ${name}`);
  });
  await first.query(`insert into stores (store_id, name, created_at)
    select 'S' || lpad(s::text, 3, '0'), '门店' || s, 0 from generate_series(1, ${STORES}) s`);
  await first.query(`insert into terminals (terminal_id, store_id, counter_name, public_key, app_version, enrolled_at)
    select 'S' || lpad(s::text, 3, '0') || 'T' || k, 'S' || lpad(s::text, 3, '0'), (k + 1) || '号收银台', 'bench-key-' || s || '-' || k, 'bench', 0
    from generate_series(1, ${STORES}) s, generate_series(0, 1) k`);

  const chunks: [number, number][] = [];
  for (let from = 1; from <= sales; from += CHUNK) chunks.push([from, Math.min(sales, from + CHUNK - 1)]);
  let done = 0;
  await timed(`${sales} sales with lines, tenders, attempts, refunds (${chunks.length} chunks, ${clients.length} at once)`, () =>
    inParallel(clients, chunks, async (client, [from, to]) => {
      for (const text of chunkInserts(from, to)) await client.query(text);
      done += to - from + 1;
      if (chunks.length > 1) log(`    ${done} / ${sales} sales`);
    }));
  await timed('terminals, hub_shifts, hub_z_reports', () => generateCounterDays(first));

  const builds = [
    ...definitions.constraints.map((c) => `alter table ${c.table} add constraint ${c.name} ${c.definition}`),
    ...definitions.indexes.map((i) => i.definition),
  ];
  await timed(`the hub's ${builds.length} keys and indexes built again`, () =>
    inParallel(clients, builds, async (client, text) => {
      await client.query(text);
    }));
  await timed('analyze', () => first.query('analyze'));
  return { sales };
}

/**
 * Two shifts a counter-day (08:00 and 15:00, 6 hours each), closed, each with its Z report: what a store's day
 * close (electron/hub/operations/day-close.ts) reads. The Z figures are plausible, not the sums of the generated
 * sales (the day close adds up what the counters signed; it never recomputes from sales).
 */
export async function generateCounterDays(client: pg.Client): Promise<void> {
  const shifts = `select 'S' || lpad(s::text, 3, '0') as st, 'S' || lpad(s::text, 3, '0') || 'T' || k as t, d, n,
      ${YEAR_START}::bigint + d * 86400000 + (case n when 1 then 8 else 15 end) * 3600000 as o,
      (case when (hashint8extended(s * 1000000 + k * 100000 + d * 10 + n, 1) & 1023) < 102 then (hashint8extended(s * 1000000 + k * 100000 + d * 10 + n, 2) % 1000) else 0 end) as diff
    from generate_series(1, ${STORES}) s, generate_series(0, 1) k, generate_series(0::bigint, ${DAYS - 1}) d, generate_series(1, 2) n`;
  await client.query(`insert into hub_shifts (terminal_id, shift_id, store_id, cashier_id, cashier_name, state, opening_float_fen, opened_at,
      counted_fen, counted_at, expected_cash_fen, difference_fen, countersigned_by, closed_by, closed_at, z_no, source_seq)
    select t, t || '-' || d || '-' || n, st, 'c1', '收银员', 'closed', 50000, o, 50000 + 100000 + diff, o + 6 * 3600000, 50000 + 100000, diff, null, 'c1',
      o + 6 * 3600000, d * 2 + n, 0
    from (${shifts}) x`);
  await client.query(`insert into hub_z_reports (terminal_id, z_no, store_id, shift_id, report_json, sha256, sha256_verified, created_at, source_seq)
    select t, d * 2 + n, st, t || '-' || d || '-' || n, json_build_object(
        'cashierName', '收银员', 'openedAt', o, 'closedAt', o + 6 * 3600000,
        'sales', json_build_object('count', 120, 'amountFen', 540000, 'byTender', json_build_array(
          json_build_object('kind', 'cash', 'count', 40, 'amountFen', 100000),
          json_build_object('kind', 'wechat-code', 'count', 60, 'amountFen', 340000),
          json_build_object('kind', 'wechat-qr', 'count', 20, 'amountFen', 100000))),
        'refunds', json_build_object('count', 2, 'amountFen', 3000),
        'cash', json_build_object('expectedFen', 150000, 'countedFen', 150000 + diff, 'differenceFen', diff))::text,
      md5(t || d || n), 1, o + 6 * 3600000, 0
    from (${shifts}) x`);
}
