/** Timing helpers shared by the benchmarks: nanosecond samples, median and p99, and the table row they become. */

export interface Summary {
  median: number;
  p99: number;
  samples: number;
}

export function summarize(values: readonly number[]): Summary {
  if (values.length === 0) return { median: Number.NaN, p99: Number.NaN, samples: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? (sorted[Math.floor(middle)] ?? Number.NaN) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, p99: at(0.99), samples: sorted.length };
}

export const nowNs = (): number => Number(process.hrtime.bigint());
export const nsToMs = (ns: number): number => ns / 1e6;

/**
 * One line of the results table. `unit` says how to read median/p99: 'ms' per item (lower is better) or
 * 'ops/s' (higher is better; p99 is then the rate of the slowest 1% of batches). `ratio` is ours / floor in that
 * unit. `target` is the goal in words and `met` whether this run reached it (null: no target).
 */
export interface BenchRow {
  id: string;
  name: string;
  unit: 'ms' | 'ops/s' | 'MiB';
  median: number;
  p99: number;
  samples: number;
  floor?: { name: string; median: number; p99: number };
  ratio?: number;
  target?: string;
  met?: boolean | null;
  note?: string;
}

export interface Benchmark {
  /** Stable id used by `npm run bench -- --only <id>`. */
  id: string;
  title: string;
  run(): Promise<BenchRow[]>;
}

/** Per-operation times of `op`, measured in batches of `batch` so that timer cost stays negligible. */
export function batchSampler(op: () => void, batch: number): () => number {
  return () => {
    const start = nowNs();
    for (let i = 0; i < batch; i++) op();
    return (nowNs() - start) / batch;
  };
}

/**
 * Runs the candidates side by side: every round takes one sample of each, in turns, so a slow moment of a shared
 * machine falls on all of them alike. Returns the samples (ns per op) by name. Warms up first.
 */
export function interleave(candidates: Record<string, () => number>, rounds: number, warmupRounds = Math.ceil(rounds / 10)): Record<string, number[]> {
  const names = Object.keys(candidates);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let round = 0; round < warmupRounds + rounds; round++) {
    for (const name of round % 2 === 0 ? names : [...names].reverse()) {
      const value = candidates[name]?.() ?? Number.NaN;
      if (round >= warmupRounds) samples[name]?.push(value);
    }
  }
  return samples;
}

/** A throughput row from ns-per-op samples: ops/s of the median batch and of the p99 (slow) batch. */
export function throughputRow(base: Omit<BenchRow, 'unit' | 'median' | 'p99' | 'samples' | 'floor' | 'ratio'>, ours: number[], floorName: string, floor: number[]): BenchRow {
  const o = summarize(ours);
  const f = summarize(floor);
  const rate = (ns: number): number => 1e9 / ns;
  return {
    ...base,
    unit: 'ops/s',
    median: rate(o.median),
    p99: rate(o.p99),
    samples: o.samples,
    floor: { name: floorName, median: rate(f.median), p99: rate(f.p99) },
    ratio: f.median / o.median,
  };
}

/** A latency row (ms) from ns samples of ours and of the floor. */
export function latencyRow(base: Omit<BenchRow, 'unit' | 'median' | 'p99' | 'samples' | 'floor' | 'ratio'>, ours: number[], floorName: string, floor: number[]): BenchRow {
  const o = summarize(ours);
  const f = summarize(floor);
  return {
    ...base,
    unit: 'ms',
    median: nsToMs(o.median),
    p99: nsToMs(o.p99),
    samples: o.samples,
    floor: { name: floorName, median: nsToMs(f.median), p99: nsToMs(f.p99) },
    ratio: o.median / f.median,
  };
}
