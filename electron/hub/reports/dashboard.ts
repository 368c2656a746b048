import {
  dateOfDay, dayNumber, type CountAmount, type DashboardAnswer, type HeadlineMeasures, type PeriodMeasures,
  type ReportQuery,
} from '../../../shared/hub-reports-api';
import type { HubDb } from '../db/database';
import { LATENCY_EDGES_MS, OVER_LAST_EDGE, SLOW_PAYMENT_MS, TICKET_EDGES_FEN } from '../projections/rollups';
import { byStorePanel, hoursPanel, metricsPanel, type MetricRow, type PanelScope } from './panels';

/** How many of the busiest local hours make "the peak" for the slow-payment share. */
export const PEAK_HOURS = 3;

/**
 * The chain dashboard for a period and a set of stores, beside the previous period of the same length. `stores`
 * is what the account may see ('all' for the owner and finance) already narrowed to the stores asked for.
 */
export async function dashboard(db: HubDb, query: ReportQuery, stores: 'all' | readonly string[], storeNames: ReadonlyMap<string, string>): Promise<DashboardAnswer> {
  const fromDay = dayNumber(query.from);
  const toDay = dayNumber(query.to);
  const days = toDay - fromDay + 1;
  const current: PanelScope = { stores, fromDay, toDay };
  const previous: PanelScope = { stores, fromDay: fromDay - days, toDay: fromDay - 1 };
  const [now, before, storesNow, storesBefore] = await Promise.all([
    periodMeasures(db, current), periodMeasures(db, previous), storeHeadlines(db, current), storeHeadlines(db, previous),
  ]);
  const storeIds = stores === 'all' ? [...storeNames.keys()] : [...stores];
  return {
    period: { from: query.from, to: query.to, days },
    previousPeriod: { from: dateOfDay(previous.fromDay), to: dateOfDay(previous.toDay), days },
    storeIds,
    current: now,
    previous: before,
    byStore: storeIds.map((storeId) => ({
      storeId,
      name: storeNames.get(storeId) ?? storeId,
      current: storesNow.get(storeId) ?? headline(0, 0, [], []),
      previous: storesBefore.get(storeId) ?? headline(0, 0, [], []),
    })),
  };
}

export async function periodMeasures(db: HubDb, scope: PanelScope): Promise<PeriodMeasures> {
  const [hours, tenderTicket, funnelRows, refundRows, latencyRows] = await Promise.all([
    hoursPanel(db, scope),
    metricsPanel(db, scope, ['tender', 'ticket']),
    metricsPanel(db, scope, ['attempt', 'failure']),
    metricsPanel(db, scope, ['refund']),
    metricsPanel(db, scope, ['latency']),
  ]);
  const byHour = Array.from({ length: 24 }, (_, hour) => ({ hour, count: 0, amountFen: 0 }));
  const byWeekday = Array.from({ length: 7 }, (_, i) => ({ weekday: i + 1, count: 0, amountFen: 0 }));
  const micropayByHour = Array.from({ length: 24 }, () => ({ samples: 0, slow: 0 }));
  let salesCount = 0;
  let salesFen = 0;
  for (const row of hours.hours) {
    const h = byHour[row.hour];
    const m = micropayByHour[row.hour];
    if (!h || !m) continue;
    h.count += row.sales_count;
    h.amountFen += row.sales_fen;
    m.samples += row.micropay_count;
    m.slow += row.micropay_slow;
    salesCount += row.sales_count;
    salesFen += row.sales_fen;
  }
  for (const row of hours.weekdays) {
    const w = byWeekday[row.weekday - 1];
    if (!w) continue;
    w.count += row.sales_count;
    w.amountFen += row.sales_fen;
  }
  // The peak: the busiest hours by paid sales (ties: the earlier hour), only hours that sold at all.
  const peakHours = [...byHour].filter((h) => h.count > 0).sort((a, b) => b.count - a.count || a.hour - b.hour).slice(0, PEAK_HOURS).map((h) => h.hour).sort((a, b) => a - b);
  const peak = peakHours.reduce((acc, hour) => ({ samples: acc.samples + (micropayByHour[hour]?.samples ?? 0), slow: acc.slow + (micropayByHour[hour]?.slow ?? 0) }), { samples: 0, slow: 0 });

  const pick = (rows: MetricRow[], metric: string): MetricRow[] => rows.filter((r) => r.metric === metric);
  const step = (key: string): number => funnelRows.find((r) => r.metric === 'attempt' && r.key === key)?.count ?? 0;
  const refunds = pick(refundRows, 'refund');
  const counts = latencyCounts(latencyRows);
  const refundTotal = total(refunds);
  return {
    headline: headline(salesCount, salesFen, funnelRows, [...refundRows, ...latencyRows]),
    ticketDistribution: [...TICKET_EDGES_FEN, null].map((edge) => {
      const row = pick(tenderTicket, 'ticket').find((r) => r.key === (edge === null ? OVER_LAST_EDGE : String(edge)));
      return { upToFen: edge, count: row?.count ?? 0, amountFen: row?.amount_fen ?? 0 };
    }),
    byHour,
    byWeekday,
    tenders: pick(tenderTicket, 'tender').map((r) => ({ kind: r.key, count: r.count, amountFen: r.amount_fen })).sort((a, b) => b.amountFen - a.amountFen || a.kind.localeCompare(b.kind)),
    funnel: {
      scanned: step('scanned'), sent: step('sent'), paid: step('paid'), failed: step('failed'), abandoned: step('abandoned'),
      needsAttention: step('needs-attention'),
      failures: pick(funnelRows, 'failure').map((r) => ({ code: r.key, count: r.count })).sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    },
    refunds: {
      ...refundTotal,
      byReason: refunds.map((r) => ({ reason: r.key, count: r.count, amountFen: r.amount_fen })).sort((a, b) => b.amountFen - a.amountFen || a.reason.localeCompare(b.reason)),
    },
    latency: {
      samples: counts.reduce((a, b) => a + b, 0),
      p50Ms: percentileEdge(counts, 0.5),
      p95Ms: percentileEdge(counts, 0.95),
      edgesMs: [...LATENCY_EDGES_MS],
      counts,
      slowThresholdMs: SLOW_PAYMENT_MS,
      peakHours,
      peakSamples: peak.samples,
      peakSlowShare: peak.samples > 0 ? peak.slow / peak.samples : null,
    },
  };
}

async function storeHeadlines(db: HubDb, scope: PanelScope): Promise<Map<string, HeadlineMeasures>> {
  const { sales, metrics } = await byStorePanel(db, scope);
  const stores = new Set([...sales.map((s) => s.store_id), ...metrics.map((m) => m.store_id)]);
  const result = new Map<string, HeadlineMeasures>();
  for (const storeId of stores) {
    const s = sales.find((r) => r.store_id === storeId);
    const rows = metrics.filter((m) => m.store_id === storeId);
    result.set(storeId, headline(s?.sales_count ?? 0, s?.sales_fen ?? 0, rows, rows));
  }
  return result;
}

/** The headline measures from paid sales, the funnel rows ('attempt') and the refund and latency rows. */
function headline(salesCount: number, salesFen: number, funnelRows: readonly MetricRow[], otherRows: readonly MetricRow[]): HeadlineMeasures {
  const step = (key: string): number => funnelRows.filter((r) => r.metric === 'attempt' && r.key === key).reduce((a, r) => a + r.count, 0);
  const refundFen = otherRows.filter((r) => r.metric === 'refund').reduce((a, r) => a + r.amount_fen, 0);
  const scanned = step('scanned');
  return {
    salesCount,
    salesFen,
    averageTicketFen: salesCount > 0 ? Math.round(salesFen / salesCount) : null,
    successRate: scanned > 0 ? step('paid') / scanned : null,
    refundFen,
    refundShare: salesFen > 0 ? refundFen / salesFen : null,
    latencyP95Ms: percentileEdge(latencyCounts(otherRows), 0.95),
  };
}

function total(rows: readonly MetricRow[]): CountAmount {
  return rows.reduce((acc, r) => ({ count: acc.count + r.count, amountFen: acc.amountFen + r.amount_fen }), { count: 0, amountFen: 0 });
}

/** Counts per latency bucket, in edge order, the bucket past the last edge last. */
function latencyCounts(rows: readonly MetricRow[]): number[] {
  const keys = [...LATENCY_EDGES_MS.map(String), OVER_LAST_EDGE];
  return keys.map((key) => rows.filter((r) => r.metric === 'latency' && r.key === key).reduce((a, r) => a + r.count, 0));
}

/**
 * The nearest-rank percentile (the ⌈p·n⌉-th smallest sample) as the upper edge of the bucket holding it; null
 * when there is no sample or it lies past the last edge (the page says "over 120 s").
 */
export function percentileEdge(counts: readonly number[], p: number): number | null {
  const n = counts.reduce((a, b) => a + b, 0);
  if (n === 0) return null;
  const rank = Math.max(1, Math.ceil(p * n));
  let seen = 0;
  for (let i = 0; i < counts.length; i += 1) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return LATENCY_EDGES_MS[i] ?? null;
  }
  return null;
}
