/**
 * Figures for the shift charts, computed in the window from what the contract gives: the shift's sales (with
 * their tenders and WeChat attempts) and its report. Pure, so the tests check them without a DOM.
 */
import type { AttemptView, SaleView, TenderKind } from '../../shared/payments';
import type { ShiftReport } from '../../shared/shifts';

const HOUR_MS = 60 * 60 * 1000;
/** A shift crossing midnight still fits; anything longer is cut to its last day. */
const MAX_HOURS = 36;

export interface HourBucket {
  /** Start of the hour, epoch ms. */
  start: number;
  amountFen: number;
  count: number;
}

/**
 * Paid sales summed per clock hour from the shift's opening hour to its last. `offsetMs` is the local time
 * zone's offset (ms to add to UTC), so hours follow the store's clock (Beijing: 8 h).
 */
export function salesByHour(sales: readonly SaleView[], range: { from: number; to: number }, offsetMs: number): HourBucket[] {
  const hourOf = (t: number): number => Math.floor((t + offsetMs) / HOUR_MS) * HOUR_MS - offsetMs;
  const first = Math.max(hourOf(range.from), hourOf(range.to) - (MAX_HOURS - 1) * HOUR_MS);
  const last = hourOf(range.to);
  const buckets: HourBucket[] = [];
  for (let start = first; start <= last; start += HOUR_MS) buckets.push({ start, amountFen: 0, count: 0 });
  for (const sale of sales) {
    if (sale.state !== 'paid' || sale.paidAt === null) continue;
    const bucket = buckets[(hourOf(sale.paidAt) - first) / HOUR_MS];
    if (!bucket) continue;
    bucket.amountFen += sale.paidFen;
    bucket.count += 1;
  }
  return buckets;
}

export interface Slice {
  kind: TenderKind;
  amountFen: number;
  share: number;
}

/** The report's sales by tender as shares of the total (0 when nothing was sold). */
export function tenderMix(report: ShiftReport): Slice[] {
  const total = report.sales.byTender.reduce((sum, t) => sum + t.amountFen, 0);
  return report.sales.byTender
    .filter((t) => t.amountFen > 0)
    .map((t) => ({ kind: t.kind, amountFen: t.amountFen, share: total > 0 ? t.amountFen / total : 0 }));
}

/** Refunded amount over sold amount, 0..1; null when nothing was sold. */
export function refundShare(report: ShiftReport): number | null {
  if (report.sales.amountFen <= 0) return null;
  return Math.min(1, report.refunds.amountFen / report.sales.amountFen);
}

/** Every WeChat attempt of the given sales. */
export function attemptsOf(sales: readonly SaleView[]): AttemptView[] {
  return sales.flatMap((s) => s.tenders.flatMap((t) => (t.attempt ? [t.attempt] : [])));
}

/**
 * Finished WeChat attempts that ended paid, over all finished ones. Attempts the cashier superseded are left out:
 * the customer never got the chance to finish them, so they say nothing about WeChat.
 */
export function successRate(attempts: readonly AttemptView[]): { paid: number; total: number; rate: number | null } {
  const finished = attempts.filter((a) => a.final && !a.superseded);
  const paid = finished.filter((a) => a.state === 'paid').length;
  return { paid, total: finished.length, rate: finished.length > 0 ? paid / finished.length : null };
}

/** Nearest-rank percentile (p in 0..100) of the values; null when there are none. */
export function percentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1] ?? null;
}

/** Scan-to-result times (createdAt → resolvedAt) of the resolved attempts: p50 and p95 in ms. */
export function scanToResult(attempts: readonly AttemptView[]): { p50: number | null; p95: number | null; count: number } {
  const times = attempts.filter((a) => a.resolvedAt !== null).map((a) => Math.max(0, (a.resolvedAt ?? a.createdAt) - a.createdAt));
  return { p50: percentile(times, 50), p95: percentile(times, 95), count: times.length };
}
