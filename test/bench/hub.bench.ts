import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { HUB_HEADERS, HUB_PATHS, MAX_FACTS_PER_PUSH, signingBase, type EnrolAnswer, type PushFactsAnswer } from '../../shared/hub-protocol';
import { HUB_ADMIN_PATHS, type StoreView } from '../../shared/hub-admin-api';
import { HUB_REPORT_PATHS, reportQueryString, type DashboardAnswer } from '../../shared/hub-reports-api';
import { AdminClient } from '../helpers/hub-harness';
import { startPostgresCluster } from '../helpers/postgres-cluster';
import { benchDir, repoRoot } from './bench-env';
import type { Benchmark, BenchRow } from './stats';

// (8) The hub after an outage: TERMINALS simulated counters, enrolled for real (a pairing code made through the
// admin API for each, an Ed25519 key pair each, POST /enrol) in stores of COUNTERS_PER_STORE counters each, as a
// chain has them (1,000 terminals: 200 stores × 5 counters; all of them in one store made a single store-day of
// 500,000 sales that no chain has), each with a backlog of FACTS sale facts, push them
// through the real HTTP API (signed requests, batches of MAX_FACTS_PER_PUSH, PUSHERS requests in flight at once,
// each terminal one push at a time, oldest first, as the counter's link does) into the hub started as
// `npm run hub` (its own process) on PostgreSQL (a throwaway cluster started here: initdb + pg_ctl, stopped by PID)
// and on SQLite. Measured: from the first push to the last acknowledgement (drain time) and facts per second.
// Floor: a raw batched INSERT of the same rows (500 per statement, in the same number of statements) into a table
// of the same shape (same columns, same primary key) in the same database, through `pg` (PUSHERS-bounded pool)
// or better-sqlite3 with the hub's pragmas (one transaction per batch). The floor runs right after the hub's drain.
// Checked after each drain: every terminal's high-water at the hub is FACTS and the hub holds TERMINALS × FACTS.
// Then (the dashboards' rollups are rebuilt off the push path, by the hub's rollup job): the time from the first push
// until the chain dashboard (GET reports/dashboard, which waits for the rollups of every acknowledged push) shows
// every one of the TERMINALS × FACTS sales.

const TERMINALS = Number(process.env.BENCH_HUB_TERMINALS ?? 1_000);
const FACTS = Number(process.env.BENCH_HUB_FACTS ?? 500);
const PUSHERS = Number(process.env.BENCH_HUB_PUSHERS ?? 32);
/** Counters per store (a chain store has 2–10): the terminals fill stores of this size one after the other. */
const COUNTERS_PER_STORE = Number(process.env.BENCH_HUB_COUNTERS_PER_STORE ?? 5);
const ENROL_CONCURRENCY = 16;
const START = Date.UTC(2026, 11, 7, 2, 0, 0);

interface SimTerminal {
  terminalId: string;
  storeId: string;
  privateKey: KeyObject;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** `npm run hub` as its own process (tsx, like the npm script); resolves with its ready line. */
async function startHubProcess(dataDir: string, databaseUrl?: string): Promise<{ child: ChildProcess; url: string; admin: string | null }> {
  // BENCH_HUB_CPU_PROF=<dir>: the hub process writes a V8 CPU profile there (open it in Chrome's DevTools).
  const profile = process.env.BENCH_HUB_CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_HUB_CPU_PROF] : [];
  const args = [...profile, '--import', 'tsx', 'electron/hub/cli.ts', '--port', '0', '--data-dir', dataDir, ...(databaseUrl ? ['--database', databaseUrl] : [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  // BENCH_HUB_STDERR=<file>: the hub's log lines go there too (a refused push's cause is in them, not in its answer).
  const logFile = process.env.BENCH_HUB_STDERR;
  child.stderr?.on('data', (d: Buffer) => {
    err = (err + d.toString()).slice(-4000);
    if (logFile) appendFileSync(logFile, d);
  });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const at = out.indexOf('\n');
      if (at >= 0) resolve(out.slice(0, at));
    });
    child.once('exit', (code) => reject(new Error(`hub exited with ${code}: ${err}`)));
  });
  const ready = JSON.parse(line) as { url: string; admin: string | null };
  return { child, ...ready };
}

async function stopHubProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
}

/** Runs `work(i)` for i in [0, n) with at most `limit` at once. */
async function pool(n: number, limit: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, n) }, async () => {
    while (next < n) await work(next++);
  });
  await Promise.all(runners);
}

async function enrolTerminals(url: string, admin: string | null): Promise<{ stores: number; terminals: SimTerminal[]; client: AdminClient }> {
  const client = new AdminClient(url);
  const storeIds = [(await client.setUp(admin)).storeId];
  const stores = Math.ceil(TERMINALS / COUNTERS_PER_STORE);
  for (let s = 1; s < stores; s++) {
    const answer = await client.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: `${s + 1}号店` });
    if (answer.status !== 201 && answer.status !== 200) throw new Error(`store ${s + 1} refused: ${answer.status} ${JSON.stringify(answer.body)}`);
    storeIds.push(answer.body.storeId);
  }
  const terminals: SimTerminal[] = new Array<SimTerminal>(TERMINALS);
  await pool(TERMINALS, ENROL_CONCURRENCY, async (i) => {
    const storeId = storeIds[Math.floor(i / COUNTERS_PER_STORE)]!;
    const code = await client.pairingCode(storeId);
    const pair = generateKeyPairSync('ed25519');
    const publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
    const response = await fetch(`${url}${HUB_PATHS.enrol}`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pairingCode: code, publicKey, counterName: `收银台 ${i + 1}`, appVersion: 'bench' }),
    });
    if (response.status !== 200) throw new Error(`enrol ${i} refused: ${response.status} ${await response.text()}`);
    const answer = (await response.json()) as EnrolAnswer;
    terminals[i] = { terminalId: answer.terminalId, storeId, privateKey: pair.privateKey };
  });
  return { stores, terminals, client };
}

/** The chain dashboard of the drained day, read once the drain is acknowledged: it must count every pushed sale. */
async function dashboardShowsEverySale(client: AdminClient): Promise<void> {
  const day = new Date(START + 8 * 3_600_000).toISOString().slice(0, 10);
  const answer = await client.request<DashboardAnswer>('GET', `${HUB_REPORT_PATHS.dashboard}?${reportQueryString({ from: day, to: day })}`);
  if (answer.status !== 200) throw new Error(`dashboard refused: ${answer.status} ${JSON.stringify(answer.body)}`);
  const count = answer.body.current.headline.salesCount;
  if (count !== TERMINALS * FACTS) throw new Error(`the dashboard counts ${count} sales after the drain, want ${TERMINALS * FACTS}`);
}

/** The body of sale fact `seq` of a terminal, as the counter's trigger writes it (a cash sale, two lines). */
function saleBody(terminalId: string, seq: number): string {
  const at = START + seq * 1_000;
  const total = 1_250 + (seq % 977);
  return JSON.stringify({
    saleId: seq, terminalId, receiptNo: seq, cashierId: 'c1', shiftId: 'SH1', state: 'paid', description: '收银小票', totalFen: total,
    createdAt: at, paidAt: at, voidedAt: null, voidReason: null,
    lines: [
      { lineNo: 1, name: '矿泉水', unitFen: 250, quantity: 1, amountFen: 250 },
      { lineNo: 2, name: '面包', unitFen: total - 250, quantity: 1, amountFen: total - 250 },
    ],
    tenders: [{ tenderId: seq, kind: 'cash', amountFen: total, state: 'paid', tenderedFen: total, changeFen: 0, createdAt: at, settledAt: at, outTradeNo: null, transactionId: null }],
  });
}

function batchOf(terminalId: string, from: number): { seq: number; kind: 'sale'; at: number; body: string }[] {
  const facts = [];
  for (let seq = from; seq < Math.min(FACTS + 1, from + MAX_FACTS_PER_PUSH); seq++) facts.push({ seq, kind: 'sale' as const, at: START + seq * 1_000, body: saleBody(terminalId, seq) });
  return facts;
}

/** Pushes that had to be sent again, and why (reported beside the figures). */
const retries = { network: [] as string[], http: [] as number[] };

async function push(url: string, t: SimTerminal, raw: string): Promise<PushFactsAnswer> {
  for (let attempt = 0; ; attempt++) {
    const timestamp = Date.now();
    const nonce = randomBytes(16).toString('base64url');
    const hash = createHash('sha256').update(raw).digest('hex');
    const signature = sign(null, Buffer.from(signingBase('POST', HUB_PATHS.facts, timestamp, nonce, hash)), t.privateKey).toString('base64url');
    let response: Response;
    try {
      response = await fetch(`${url}${HUB_PATHS.facts}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        [HUB_HEADERS.terminal]: t.terminalId, [HUB_HEADERS.timestamp]: String(timestamp), [HUB_HEADERS.nonce]: nonce, [HUB_HEADERS.signature]: signature,
      },
      body: raw,
      });
    } catch (error) {
      // As the counter's link does: no answer (a kept-alive socket the hub closed meanwhile, a reset) is retried.
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      retries.network.push(cause?.code ?? cause?.message ?? String(error));
      if (attempt >= 3) throw error;
      await sleep(100);
      continue;
    }
    const text = await response.text();
    if (response.status === 200) return JSON.parse(text) as PushFactsAnswer;
    if (attempt >= 3 || response.status < 500) throw new Error(`push refused: ${response.status} ${text}`);
    retries.http.push(response.status);
    await sleep(100);
  }
}

/** Every terminal pushes its backlog oldest first, one push at a time; PUSHERS pushes in flight at once. */
async function drain(url: string, terminals: readonly SimTerminal[]): Promise<{ ms: number; pushes: number }> {
  const queue = terminals.map((t) => ({ t, next: 1 }));
  let pushes = 0;
  const started = performance.now();
  await pool(queue.length, PUSHERS, async (i) => {
    const item = queue[i]!;
    while (item.next <= FACTS) {
      const facts = batchOf(item.t.terminalId, item.next);
      const answer = await push(url, item.t, JSON.stringify({ facts }));
      pushes += 1;
      if (answer.highWater !== facts[facts.length - 1]!.seq) throw new Error(`${item.t.terminalId}: high-water ${answer.highWater} after pushing up to ${facts[facts.length - 1]!.seq}`);
      item.next = answer.highWater + 1;
    }
  });
  return { ms: performance.now() - started, pushes };
}

interface FloorRow {
  terminal_id: string;
  seq: number;
  store_id: string;
  kind: string;
  at: number;
  body: string;
  received_at: number;
}

function floorBatches(terminals: readonly SimTerminal[]): FloorRow[][] {
  const batches: FloorRow[][] = [];
  for (const t of terminals) {
    for (let from = 1; from <= FACTS; from += MAX_FACTS_PER_PUSH) {
      batches.push(batchOf(t.terminalId, from).map((f) => ({ terminal_id: t.terminalId, seq: f.seq, store_id: t.storeId, kind: f.kind, at: f.at, body: f.body, received_at: Date.now() })));
    }
  }
  return batches;
}

const COLUMNS = ['terminal_id', 'seq', 'store_id', 'kind', 'at', 'body', 'received_at'] as const;

async function postgresFloor(url: string, terminals: readonly SimTerminal[]): Promise<number> {
  const client = new pg.Pool({ connectionString: url, max: 10 });
  try {
    await client.query('DROP TABLE IF EXISTS facts_floor');
    await client.query('CREATE TABLE facts_floor (LIKE facts INCLUDING ALL)');
    const batches = floorBatches(terminals);
    const started = performance.now();
    await pool(batches.length, PUSHERS, async (i) => {
      const rows = batches[i]!;
      const values = rows.map((_, r) => `(${COLUMNS.map((__, c) => `$${r * COLUMNS.length + c + 1}`).join(', ')})`).join(', ');
      await client.query(`INSERT INTO facts_floor (${COLUMNS.join(', ')}) VALUES ${values}`, rows.flatMap((r) => COLUMNS.map((c) => r[c])));
    });
    const ms = performance.now() - started;
    await client.query('DROP TABLE facts_floor');
    return ms;
  } finally {
    await client.end();
  }
}

function sqliteFloor(file: string, terminals: readonly SimTerminal[]): number {
  const db = new BetterSqlite3(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    const ddl = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'facts'").get() as { sql: string }).sql;
    db.exec('DROP TABLE IF EXISTS facts_floor');
    db.exec(ddl.replace(/CREATE TABLE\s+"?facts"?/i, 'CREATE TABLE facts_floor'));
    const batches = floorBatches(terminals);
    const started = performance.now();
    for (const rows of batches) {
      const values = rows.map(() => `(${COLUMNS.map(() => '?').join(', ')})`).join(', ');
      db.transaction(() => db.prepare(`INSERT INTO facts_floor (${COLUMNS.join(', ')}) VALUES ${values}`).run(rows.flatMap((r) => COLUMNS.map((c) => r[c]))))();
    }
    const ms = performance.now() - started;
    db.exec('DROP TABLE facts_floor');
    return ms;
  } finally {
    db.close();
  }
}

async function verifyHub(engine: 'postgres' | 'sqlite', target: string): Promise<string | null> {
  const query = 'SELECT COUNT(*) AS n, SUM(CASE WHEN high_water = $1 THEN 1 ELSE 0 END) AS full FROM terminals';
  const countSql = 'SELECT COUNT(*) AS n FROM facts';
  let terminals: { n: number; full: number };
  let facts: number;
  if (engine === 'postgres') {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const t = (await client.query(query, [FACTS])).rows[0] as { n: string; full: string };
      terminals = { n: Number(t.n), full: Number(t.full) };
      facts = Number(((await client.query(countSql)).rows[0] as { n: string }).n);
    } finally {
      await client.end();
    }
  } else {
    const db = new BetterSqlite3(target, { readonly: true });
    try {
      terminals = db.prepare(query.replace('$1', '?')).get(FACTS) as { n: number; full: number };
      facts = (db.prepare(countSql).get() as { n: number }).n;
    } finally {
      db.close();
    }
  }
  if (terminals.n !== TERMINALS || terminals.full !== TERMINALS || facts !== TERMINALS * FACTS) {
    return `after the drain: ${terminals.full} of ${terminals.n} terminals at high-water ${FACTS}, ${facts} facts held (want ${TERMINALS * FACTS})`;
  }
  return null;
}

function rows(engine: string, drained: { ms: number; pushes: number; dashboardMs: number }, floorMs: number, enrolMs: number): BenchRow[] {
  const total = TERMINALS * FACTS;
  const rate = (total * 1000) / drained.ms;
  const floorRate = (total * 1000) / floorMs;
  const scale = `${TERMINALS.toLocaleString('en-US')} terminals in stores of ${COUNTERS_PER_STORE} × ${FACTS} facts, ${PUSHERS} pushes in flight`;
  return [
    {
      id: `8.${engine}-rate`, name: `hub intake after an outage, ${engine} (${scale})`, unit: 'ops/s', median: rate, p99: rate, samples: 1,
      floor: { name: 'raw batched INSERT, same rows, same database', median: floorRate, p99: floorRate }, ratio: rate / floorRate,
      target: 'ratio >= 0.5', met: rate / floorRate >= 0.5,
    },
    {
      id: `8.${engine}-drain`, name: `hub drain time, ${engine} (${drained.pushes} signed pushes)`, unit: 'ms', median: drained.ms, p99: drained.ms, samples: 1,
      floor: { name: 'raw batched INSERT, same rows, same database', median: floorMs, p99: floorMs }, ratio: drained.ms / floorMs,
      target: '< 60 s', met: drained.ms < 60_000, note: `enrolling ${TERMINALS} terminals took ${(enrolMs / 1000).toFixed(1)} s (pairing code + Ed25519 key + enrol each)`,
    },
    {
      id: `8.${engine}-dashboard`, name: `hub drain until the chain dashboard shows every sale, ${engine}`, unit: 'ms', median: drained.dashboardMs, p99: drained.dashboardMs,
      samples: 1, floor: { name: 'raw batched INSERT, same rows, same database', median: floorMs, p99: floorMs }, ratio: drained.dashboardMs / floorMs,
      note: `the dashboard read after the last acknowledgement took ${((drained.dashboardMs - drained.ms) / 1000).toFixed(1)} s (it waits for the rollup job)`,
    },
  ];
}

async function runEngine(engine: 'postgres' | 'sqlite', dataDir: string, databaseUrl?: string): Promise<BenchRow[]> {
  const hub = await startHubProcess(dataDir, databaseUrl);
  let drained: { ms: number; pushes: number; dashboardMs: number };
  let enrolMs: number;
  let terminals: SimTerminal[];
  let stores: number;
  try {
    const enrolStarted = performance.now();
    let client: AdminClient;
    ({ stores, terminals, client } = await enrolTerminals(hub.url, hub.admin));
    enrolMs = performance.now() - enrolStarted;
    process.stderr.write(`  ${engine}: ${TERMINALS} terminals in ${stores} stores enrolled in ${(enrolMs / 1000).toFixed(1)} s; draining ${TERMINALS * FACTS} facts\n`);
    const started = performance.now();
    const pushed = await drain(hub.url, terminals);
    await dashboardShowsEverySale(client);
    drained = { ...pushed, dashboardMs: performance.now() - started };
  } finally {
    await stopHubProcess(hub.child);
  }
  const problem = await verifyHub(engine, databaseUrl ?? join(dataDir, 'hub.sqlite'));
  if (problem) throw new Error(problem);
  const floorMs = engine === 'postgres' ? await postgresFloor(databaseUrl ?? '', terminals) : sqliteFloor(join(dataDir, 'hub.sqlite'), terminals);
  process.stderr.write(`  ${engine}: drain ${(drained.ms / 1000).toFixed(1)} s, dashboard shows every sale at ${(drained.dashboardMs / 1000).toFixed(1)} s, floor ${(floorMs / 1000).toFixed(1)} s; pushes sent again: ${JSON.stringify(retries)}\n`);
  retries.network.length = 0;
  retries.http.length = 0;
  return rows(engine, drained, floorMs, enrolMs);
}

export const benchmark: Benchmark = {
  id: 'hub',
  title: `hub: ${TERMINALS} terminals push ${FACTS} facts each after an outage (PostgreSQL and SQLite) vs raw batched INSERT`,
  async run() {
    const out: BenchRow[] = [];
    const cluster = await startPostgresCluster();
    const work = benchDir('hub');
    const dir = work.dir;
    try {
      const admin = new pg.Client({ connectionString: cluster.adminUrl });
      await admin.connect();
      await admin.query('CREATE DATABASE hub_bench');
      await admin.end();
      const url = new URL(cluster.adminUrl);
      url.pathname = '/hub_bench';
      out.push(...(await runEngine('postgres', join(dir, 'pg'), url.toString())));
    } finally {
      await cluster.stop();
    }
    try {
      out.push(...(await runEngine('sqlite', join(dir, 'sqlite'))));
    } catch (error) {
      if (out.length === 0) throw error;
      out.push({ id: '8.sqlite-rate', name: 'hub intake after an outage, sqlite', unit: 'ops/s', median: Number.NaN, p99: Number.NaN, samples: 0, note: `FAILED: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      work.dispose();
    }
    return out;
  },
};
