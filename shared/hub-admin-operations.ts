/**
 * The head office's operations pages (issue 15), part of the admin contract (re-exported by shared/hub-admin-api.ts,
 * where the rules of the whole API are): today live, a store's day (Z reports, day close) and its drill-down.
 *
 *   GET live                                 → LiveView (the stores the person may see)
 *   GET live/events                          → text/event-stream: `event: live`, `data: <LiveView>` at once, on
 *                                              every fact push or heartbeat of a visible store, and every 30 s
 *   GET stores/:storeId/days/:date           → DayCloseView (date: YYYY-MM-DD, China time)
 *   GET stores/:storeId/days/:date/pdf       → application/pdf, the day close (日结) as printed
 *   GET stores/:storeId/shifts/:terminalId/:shiftId → ShiftDetailView (its sales)
 *   GET stores/:storeId/sales/:terminalId/:saleId   → SaleDetailView (lines, tenders, WeChat attempts, refunds, receipt)
 * A store the person may not see is 403 FORBIDDEN (nothing of it is sent).
 */
import { z } from 'zod';

/** China has one time zone and no daylight saving: a business day runs 00:00–24:00 at UTC+8. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;
export const DAY_MS = 86_400_000;
export const dateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** The UTC ms when the China business day `date` (YYYY-MM-DD) starts. */
export function chinaDayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`) - CHINA_OFFSET_MS;
}

export function chinaDateOf(ms: number): string {
  return new Date(ms + CHINA_OFFSET_MS).toISOString().slice(0, 10);
}

/** A counter is online while its heartbeats (every 30 s) keep arriving: three missed ones make it offline. */
export const ONLINE_WITHIN_MS = 90_000;

export interface TenderTotal {
  kind: string;
  count: number;
  amountFen: number;
}

export interface LiveCounter {
  terminalId: string;
  counterName: string;
  revoked: boolean;
  online: boolean;
  /** The last signed call from the counter (push or heartbeat). */
  lastSeenAt: number | null;
  /** From the last heartbeat, null before the first. */
  backlog: number | null;
  oldestUnsentAt: number | null;
  wechatReachable: boolean | null;
  printer: 'ok' | 'paper-out' | 'offline' | 'none' | null;
  scanner: 'ok' | 'offline' | 'none' | null;
  heartbeatAt: number | null;
  /** Shifts open at this counter by the facts at the hub (normally one). */
  openShifts: { shiftId: string; cashierName: string; openedAt: number }[];
}

export interface LiveStore {
  storeId: string;
  name: string;
  counters: LiveCounter[];
  /** Today's paid sales (China day) by the facts at the hub. */
  sales: { count: number; totalFen: number; byTender: TenderTotal[] };
  refunds: { count: number; amountFen: number };
}

export interface LiveView {
  /** When the hub made this view. */
  at: number;
  date: string;
  stores: LiveStore[];
}

export interface DayCounterClose {
  terminalId: string;
  counterName: string;
  zReports: DayZReport[];
  /** This counter's sums over its Z reports of the day. */
  totals: DayTotals;
}

export interface DayTotals {
  saleCount: number;
  salesFen: number;
  byTender: TenderTotal[];
  refundCount: number;
  refundsFen: number;
  cashExpectedFen: number;
  cashCountedFen: number;
  cashDifferenceFen: number;
}

export interface DayZReport {
  zNo: number;
  shiftId: string;
  cashierName: string;
  openedAt: number;
  closedAt: number;
  /** The report's SHA-256 checked at the hub (false: a z-report-mismatch alert exists). */
  verified: boolean;
  totals: DayTotals;
}

/** A WeChat payment or refund of the day not settled: the store must look at it before closing. */
export interface UnresolvedPayment {
  terminalId: string;
  kind: 'wechat-attempt' | 'refund' | 'counter-alert';
  saleId: number | null;
  amountFen: number | null;
  state: string;
  at: number;
  detail: string;
}

export interface DayCloseView {
  storeId: string;
  storeName: string;
  date: string;
  counters: DayCounterClose[];
  /** The store's day close: the sum of every counter's totals. */
  totals: DayTotals;
  /** Shifts of the day still open (no Z report yet): the day close is not final while any is. */
  openShifts: { terminalId: string; shiftId: string; cashierName: string; openedAt: number }[];
  unresolved: UnresolvedPayment[];
}

export interface SaleSummary {
  terminalId: string;
  saleId: number;
  receiptNo: number;
  state: string;
  totalFen: number;
  createdAt: number;
  paidAt: number | null;
  tenders: string[];
}

export interface ShiftDetailView {
  storeId: string;
  terminalId: string;
  shiftId: string;
  cashierName: string;
  state: string;
  openedAt: number;
  closedAt: number | null;
  zNo: number | null;
  sales: SaleSummary[];
}

export interface SaleDetailView {
  storeId: string;
  terminalId: string;
  counterName: string;
  saleId: number;
  receiptNo: number;
  state: string;
  description: string;
  totalFen: number;
  cashierId: string;
  shiftId: string | null;
  createdAt: number;
  paidAt: number | null;
  lines: { lineNo: number; name: string; unitFen: number; quantity: number; amountFen: number }[];
  tenders: { tenderId: number; kind: string; amountFen: number; state: string; tenderedFen: number | null; changeFen: number | null; outTradeNo: string | null }[];
  wechatAttempts: { attemptId: number; mode: string; outTradeNo: string; amountFen: number; state: string; authCodeMasked: string | null; payerMasked: string | null; failureCode: string | null; createdAt: number; resolvedAt: number | null }[];
  refunds: { refundId: number; kind: string; amountFen: number; state: string; reason: string | null; requestedAt: number }[];
  /** The receipt as the counter printed it, rebuilt from the sale's fact (text lines). */
  receiptLines: string[];
}

const P = '/api/admin/v1';
const e = encodeURIComponent;
export const HUB_ADMIN_OPERATIONS_PATHS = {
  live: `${P}/live`,
  liveEvents: `${P}/live/events`,
  day: (storeId: string, date: string) => `${P}/stores/${e(storeId)}/days/${e(date)}`,
  dayPdf: (storeId: string, date: string) => `${P}/stores/${e(storeId)}/days/${e(date)}/pdf`,
  shift: (storeId: string, terminalId: string, shiftId: string) => `${P}/stores/${e(storeId)}/shifts/${e(terminalId)}/${e(shiftId)}`,
  sale: (storeId: string, terminalId: string, saleId: number) => `${P}/stores/${e(storeId)}/sales/${e(terminalId)}/${saleId}`,
} as const;
