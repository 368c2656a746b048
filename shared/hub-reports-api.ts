/**
 * The head office's chain dashboards and exports (issue 15): the contract between the hub's pages
 * (renderer/hub/dashboard/) and the hub (electron/hub/http/report-routes.ts), under HUB_ADMIN_PREFIX, signed in with
 * the session cookie. The query string is validated at the hub with `reportQuerySchema`.
 *
 *   GET reports/dashboard?from=YYYY-MM-DD&to=YYYY-MM-DD[&store=ID …] → DashboardAnswer
 *   GET exports/:kind.csv|xlsx?from=…&to=…[&store=ID …]             → a file, streamed (kind: EXPORT_KINDS)
 *
 * Periods are whole local days (Asia/Shanghai), `from` and `to` included, at most MAX_PERIOD_DAYS; the previous
 * period is the same number of days just before. Without `store`, every store the signed-in account may see; a
 * store it may not see is 403 FORBIDDEN (nothing of it is sent). Money is integer fen, durations ms.
 */
import { z } from 'zod';
import { HUB_ADMIN_PREFIX } from './hub-admin-api';

export const MAX_PERIOD_DAYS = 400;
export const EXPORT_KINDS = ['sales', 'refunds', 'shifts', 'day-closes'] as const;
export type ExportKind = (typeof EXPORT_KINDS)[number];
export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD').refine((d) => {
  const [y, m, day] = d.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, day));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === day && y >= 2000 && y <= 2200;
}, 'no such date');

export const reportQuerySchema = z
  .object({
    from: localDate,
    to: localDate,
    /** Stores to include; absent: every store the account may see. */
    stores: z.array(z.string().min(1).max(64)).max(1000).optional(),
    /** Exports: the language of the header row and sheet name (default zh). */
    lang: z.enum(['zh', 'en']).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, 'from must not be after to')
  .refine((q) => daysBetween(q.from, q.to) < MAX_PERIOD_DAYS, `a period of at most ${MAX_PERIOD_DAYS} days`);
export type ReportQuery = z.infer<typeof reportQuerySchema>;

/** The local day number of a YYYY-MM-DD date (days since 1970-01-01). */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return Date.UTC(y, m - 1, d) / 86_400_000;
}

export function dateOfDay(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}

function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a local day number (day 0, 1970-01-01, was a Thursday). */
export const weekdayOfDay = (day: number): number => ((((day + 3) % 7) + 7) % 7) + 1;

export interface Period {
  from: string;
  to: string;
  days: number;
}

/** A measure for the dashboards' headline cards and per-store table. null: nothing to divide by. */
export interface HeadlineMeasures {
  salesCount: number;
  salesFen: number;
  averageTicketFen: number | null;
  /** Paid WeChat attempts / scanned ones (0..1). */
  successRate: number | null;
  refundFen: number;
  /** Refunded fen / sales fen (0..). */
  refundShare: number | null;
  /** Scan-to-result of micropay, the upper edge of the bucket (ms); null: no sample, or beyond the last edge. */
  latencyP95Ms: number | null;
}

export interface CountAmount {
  count: number;
  amountFen: number;
}

export interface PeriodMeasures {
  headline: HeadlineMeasures;
  /** Paid sales by ticket size: `upToFen` is the bucket's exclusive upper edge, null for the last bucket. */
  ticketDistribution: ({ upToFen: number | null } & CountAmount)[];
  /** 24 entries, hour 0–23 local time. */
  byHour: ({ hour: number } & CountAmount)[];
  /** 7 entries, ISO weekday 1 (Monday) – 7 (Sunday). */
  byWeekday: ({ weekday: number } & CountAmount)[];
  /** Paid tenders of paid sales by kind ('cash', 'wechat-code', 'wechat-qr'). */
  tenders: ({ kind: string } & CountAmount)[];
  funnel: {
    scanned: number;
    sent: number;
    paid: number;
    failed: number;
    abandoned: number;
    needsAttention: number;
    /** Failed attempts by WeChat's (or the counter's) failure code, most first. */
    failures: { code: string; count: number }[];
  };
  refunds: CountAmount & { byReason: ({ reason: string } & CountAmount)[] };
  latency: {
    samples: number;
    p50Ms: number | null;
    p95Ms: number | null;
    /** Upper edges of the histogram (ms) and each bucket's count; the last count is beyond the last edge. */
    edgesMs: number[];
    counts: number[];
    slowThresholdMs: number;
    /** The three local hours with the most paid sales in the period (the peak), and their micropay slow share. */
    peakHours: number[];
    peakSamples: number;
    peakSlowShare: number | null;
  };
}

export interface StoreMeasures {
  storeId: string;
  name: string;
  current: HeadlineMeasures;
  previous: HeadlineMeasures;
}

export interface DashboardAnswer {
  period: Period;
  previousPeriod: Period;
  /** The stores included (those asked for, or every store the account may see). */
  storeIds: string[];
  current: PeriodMeasures;
  previous: PeriodMeasures;
  byStore: StoreMeasures[];
}

export const HUB_REPORT_PATHS = {
  dashboard: `${HUB_ADMIN_PREFIX}/reports/dashboard`,
  export: (kind: ExportKind, format: ExportFormat) => `${HUB_ADMIN_PREFIX}/exports/${kind}.${format}`,
} as const;

/** The query string of a report or export request (stores as repeated `store=`). */
export function reportQueryString(query: ReportQuery): string {
  const params = new URLSearchParams({ from: query.from, to: query.to });
  for (const store of query.stores ?? []) params.append('store', store);
  if (query.lang) params.set('lang', query.lang);
  return params.toString();
}
