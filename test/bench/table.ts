import type { BenchRow } from './stats';

function figure(value: number, unit: BenchRow['unit']): string {
  if (!Number.isFinite(value)) return '–';
  if (unit === 'ops/s') return value >= 100 ? Math.round(value).toLocaleString('en-US') : value.toFixed(1);
  if (unit === 'MiB') return value.toFixed(1);
  return value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}

const verdict = (met: boolean | null | undefined): string => (met === true ? 'met' : met === false ? 'MISSED' : '');

/** A Markdown table (pasted as is into README "Benchmarks"). */
export function formatTable(rows: readonly BenchRow[]): string {
  const header = ['#', 'figure', 'unit', 'median', 'p99', 'floor', 'floor median', 'floor p99', 'ratio', 'target', ''];
  const lines = rows.map((r) => [
    r.id.split('.')[0] ?? '',
    r.name,
    r.unit,
    figure(r.median, r.unit),
    figure(r.p99, r.unit),
    r.floor?.name ?? '',
    r.floor ? figure(r.floor.median, r.unit) : '',
    r.floor ? figure(r.floor.p99, r.unit) : '',
    r.ratio === undefined ? '' : r.ratio.toFixed(2),
    r.target ?? '',
    verdict(r.met),
  ]);
  const all = [header, ...lines];
  return all.map((cells, i) => `| ${cells.join(' | ')} |${i === 0 ? `\n|${header.map(() => '---').join('|')}|` : ''}`).join('\n');
}
