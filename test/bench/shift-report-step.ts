import { spawn } from 'node:child_process';
import { repoRoot } from './bench-env';
import type { Benchmark, BenchRow } from './stats';

// (5) Shift report and reconciliation at scale: test/bench/shift-report.bench.ts runs as its own process, as it
// does standalone (its seeded database of a million sales is large; a separate process returns that memory). This
// step runs it with `--shift-args <transactions>,<billLines>` (default 1000000,100000; BENCH_DB=<file> keeps the
// seeded database between runs) and merges the rows of the one `{"rows":[...]}` line it prints last.

const [TRANSACTIONS, BILL_LINES] = (process.argv[process.argv.indexOf('--shift-args') + 1] ?? '')
  .split(',')
  .map(Number)
  .filter((n) => Number.isInteger(n) && n > 0);

function runScript(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/bench/shift-report.bench.ts', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      process.stderr.write(chunk);
    });
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`shift-report.bench.ts exited with ${code}`))));
  });
}

export function rowsFromOutput(out: string): BenchRow[] {
  const lines = out.split('\n');
  const merged = lines.flatMap((line) => {
    if (!line.startsWith('{')) return [];
    try {
      const parsed = JSON.parse(line) as { rows?: BenchRow[] };
      return parsed.rows ?? [];
    } catch {
      return [];
    }
  });
  if (merged.length === 0) throw new Error('shift-report.bench.ts printed no {"rows":[...]} line');
  return merged;
}

export const benchmark: Benchmark = {
  id: 'shift-report',
  title: '(5) Shift report and reconciliation at scale (test/bench/shift-report.bench.ts, as a child process)',
  async run() {
    const args = [String(TRANSACTIONS ?? 1_000_000), String(BILL_LINES ?? 100_000)];
    return rowsFromOutput(await runScript(args));
  },
};
