import { z } from 'zod';
import {
  DAY_MS, chinaDayStart, type DayCloseView, type DayCounterClose, type DayTotals, type DayZReport, type TenderTotal, type UnresolvedPayment,
} from '../../../shared/hub-admin-api';
import type { HubDb } from '../db/database';
import { shiftsOfStoreOpenedBefore, unresolvedOfStore, zReportsOfStore, type ZReportRow } from '../db/operations';
import { findStore } from '../db/stores';
import { listTerminals } from '../db/terminals';
import { HubHttpError } from '../http/io';

// The figures of a counter's Z report the day close adds up (shared/shifts.ts ShiftReport); the rest is ignored.
const fen = z.number().int();
const figure = z.object({ kind: z.string(), count: z.number().int(), amountFen: fen });
const zFigures = z.looseObject({
  cashierName: z.string(),
  openedAt: z.number().int(),
  closedAt: z.number().int().nullable(),
  sales: z.looseObject({ byTender: z.array(figure), count: z.number().int(), amountFen: fen }),
  refunds: z.looseObject({ count: z.number().int(), amountFen: fen }),
  cash: z.looseObject({ expectedFen: fen, countedFen: fen.nullable(), differenceFen: fen.nullable() }),
});

export const emptyTotals = (): DayTotals => ({
  saleCount: 0, salesFen: 0, byTender: [], refundCount: 0, refundsFen: 0, cashExpectedFen: 0, cashCountedFen: 0, cashDifferenceFen: 0,
});

export function addTotals(a: DayTotals, b: DayTotals): DayTotals {
  const byKind = new Map<string, TenderTotal>();
  for (const t of [...a.byTender, ...b.byTender]) {
    const sum = byKind.get(t.kind) ?? { kind: t.kind, count: 0, amountFen: 0 };
    byKind.set(t.kind, { kind: t.kind, count: sum.count + t.count, amountFen: sum.amountFen + t.amountFen });
  }
  return {
    saleCount: a.saleCount + b.saleCount, salesFen: a.salesFen + b.salesFen,
    byTender: [...byKind.values()].sort((x, y) => x.kind.localeCompare(y.kind)),
    refundCount: a.refundCount + b.refundCount, refundsFen: a.refundsFen + b.refundsFen,
    cashExpectedFen: a.cashExpectedFen + b.cashExpectedFen, cashCountedFen: a.cashCountedFen + b.cashCountedFen,
    cashDifferenceFen: a.cashDifferenceFen + b.cashDifferenceFen,
  };
}

/**
 * A store's day close (日结) for one China business day: every counter's Z reports made that day, each counter's
 * sums, and the store's sum of those (nothing is recomputed from sales: the day close is what the counters
 * closed and signed). A Z report whose text is not readable as a report is listed as unresolved, not guessed at.
 * Shifts still open and WeChat payments/refunds not settled are listed so the store sees them before closing.
 */
export async function dayClose(db: HubDb, storeId: string, date: string): Promise<DayCloseView> {
  const store = await findStore(db, storeId);
  if (!store) throw new HubHttpError(404, 'NOT_FOUND', '没有这个门店 / No such store');
  const from = chinaDayStart(date);
  const to = from + DAY_MS;
  const terminals = (await listTerminals(db)).filter((t) => t.store_id === storeId);
  const reports = await zReportsOfStore(db, storeId, from, to);
  const unresolved: UnresolvedPayment[] = [];
  const counters: DayCounterClose[] = [];
  for (const terminal of terminals) {
    const zReports: DayZReport[] = [];
    for (const row of reports.filter((r) => r.terminal_id === terminal.terminal_id)) {
      const report = readZ(row);
      if (report) zReports.push(report);
      else unresolved.push({ terminalId: row.terminal_id, kind: 'counter-alert', saleId: null, amountFen: null, state: 'unreadable', at: row.created_at, detail: `Z ${row.z_no}` });
    }
    if (zReports.length === 0 && !reports.some((r) => r.terminal_id === terminal.terminal_id)) continue;
    counters.push({ terminalId: terminal.terminal_id, counterName: terminal.counter_name, zReports, totals: zReports.map((z) => z.totals).reduce(addTotals, emptyTotals()) });
  }
  const open = await shiftsOfStoreOpenedBefore(db, storeId, to);
  const pending = await unresolvedOfStore(db, storeId, from, to);
  for (const a of pending.attempts) unresolved.push({ terminalId: a.terminal_id, kind: 'wechat-attempt', saleId: a.sale_id, amountFen: a.amount_fen, state: a.state, at: a.created_at, detail: a.out_trade_no });
  for (const r of pending.refunds) unresolved.push({ terminalId: r.terminal_id, kind: 'refund', saleId: r.local_sale_id, amountFen: r.amount_fen, state: r.state, at: r.requested_at, detail: r.out_refund_no ?? '' });
  for (const c of pending.alerts) unresolved.push({ terminalId: c.terminal_id, kind: 'counter-alert', saleId: null, amountFen: c.amount_fen, state: c.state, at: c.raised_at, detail: c.kind });
  return {
    storeId, storeName: store.name, date, counters,
    totals: counters.map((c) => c.totals).reduce(addTotals, emptyTotals()),
    openShifts: open.map((s) => ({ terminalId: s.terminal_id, shiftId: s.shift_id, cashierName: s.cashier_name, openedAt: s.opened_at })),
    unresolved: unresolved.sort((a, b) => a.at - b.at),
  };
}

function readZ(row: ZReportRow): DayZReport | null {
  let json: unknown;
  try {
    json = JSON.parse(row.report_json);
  } catch {
    return null;
  }
  const parsed = zFigures.safeParse(json);
  if (!parsed.success) return null;
  const r = parsed.data;
  return {
    zNo: row.z_no, shiftId: row.shift_id, cashierName: r.cashierName, openedAt: r.openedAt, closedAt: r.closedAt ?? row.created_at,
    verified: row.sha256_verified === 1,
    totals: {
      saleCount: r.sales.count, salesFen: r.sales.amountFen,
      byTender: r.sales.byTender.map((t) => ({ kind: t.kind, count: t.count, amountFen: t.amountFen })).sort((x, y) => x.kind.localeCompare(y.kind)),
      refundCount: r.refunds.count, refundsFen: r.refunds.amountFen,
      cashExpectedFen: r.cash.expectedFen, cashCountedFen: r.cash.countedFen ?? 0, cashDifferenceFen: r.cash.differenceFen ?? 0,
    },
  };
}
