/**
 * `npm run bench`: runs the benchmarks listed in BENCHMARKS (each module exports `benchmark: Benchmark`), prints
 * one table and writes bench-results/bench.json. Never part of the test run; loopback only; each benchmark
 * bounds itself. A listed module is imported only when it runs (some do work at import).
 *   npm run bench -- --only signing,sales     run some of them (ids as printed)
 *   npm run bench -- --shift-args 200000,20000   smaller shift-report run (default 1000000,100000)
 *   npm run bench -- --only dashboards --scale 0.05   the 200-store chain's year at 5 % of its sales (default: full, ≈ 20 M)
 *   BENCH_DRAIN_OPS=2000 BENCH_MEMORY_SALES=2000 npm run bench   smaller drain / memory runs (default 10,000 each)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Benchmark, BenchRow } from './stats';
import { formatTable } from './table';

const here = dirname(fileURLToPath(import.meta.url));

function selectedIds(argv: readonly string[]): Set<string> | null {
  const at = argv.indexOf('--only');
  const list = at >= 0 ? argv[at + 1] : undefined;
  return list ? new Set(list.split(',')) : null;
}

/** In order of value (issue 9's numbering in the ids' prefixes). */
const BENCHMARKS: Record<string, () => Promise<{ benchmark: Benchmark }>> = {
  signing: () => import('./signing.bench'),
  sales: () => import('./sales.bench'),
  scan: () => import('./scan.bench'),
  wan: () => import('./wan.bench'),
  'paid-output': () => import('./paid-output.bench'),
  drain: () => import('./drain.bench'),
  'shift-report': () => import('./shift-report-step'),
  startup: () => import('./startup.bench'),
  memory: () => import('./memory.bench'),
  hub: () => import('./hub.bench'),
  dashboards: () => import('./dashboards.bench'),
  notify: () => import('./notify.bench'),
};

async function main(): Promise<void> {
  const only = selectedIds(process.argv.slice(2));
  const ids = Object.keys(BENCHMARKS).filter((id) => !only || only.has(id));
  const rows: BenchRow[] = [];
  const failures: { id: string; error: string }[] = [];
  for (const id of ids) {
    const started = Date.now();
    try {
      const load = BENCHMARKS[id];
      if (!load) continue;
      const { benchmark: bench } = await load();
      process.stderr.write(`running ${bench.id}: ${bench.title}\n`);
      const result = await bench.run();
      rows.push(...result);
      process.stderr.write(`  ${result.length} rows in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      failures.push({ id, error: message });
      process.stderr.write(`  FAILED: ${message}\n`);
    }
  }
  const machine = { loadAverageAtEnd: loadavg(), cpus: cpus().length, cpuModel: cpus()[0]?.model ?? 'unknown', memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform}-${process.arch}` };
  const out = join(here, '..', '..', 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'bench.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, rows, failures }, null, 2)}\n`);
  const notes = rows.filter((r) => r.note).map((r) => `- ${r.id}: ${r.note ?? ''}`);
  const load = loadavg().map((n) => n.toFixed(2)).join(', ');
  process.stdout.write(`${formatTable(rows)}\n\n${notes.length > 0 ? `${notes.join('\n')}\n\n` : ''}load average at the end: ${load}\nmachine: ${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGiB} GiB, Node ${machine.node}\nwrote bench-results/bench.json\n`);
  if (failures.length > 0) process.exitCode = 1;
}

await main();
