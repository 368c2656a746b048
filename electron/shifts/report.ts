import { createHash } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { fen, type Fen } from '../../shared/money';
import type { TenderKind } from '../../shared/payments';
import type { CashierFigure, DenominationCount, PendingItem, ShiftReport, TenderFigure } from '../../shared/shifts';
import { listOpenPaymentAlertsOfTerminal } from '../db/payment-alerts';
import { listCashMovements, type ShiftRow } from '../db/shifts';
import { getUser } from '../db/users';
import {
  countSalesWithPayment,
  paidTendersByKind,
  otherCounterRefundsInWindow,
  pendingAttempts,
  refundsByKind,
  refundsInWindow,
  supersededByCashier,
  voidsByCashier,
  type CashierFigureRow,
  type KindFigureRow,
  type ShiftWindow,
} from '../db/shift-figures';
import { latestCheckResult } from './wechat-check';

const KINDS: readonly TenderKind[] = ['wechat-code', 'wechat-qr', 'cash'];

function byKind(rows: readonly KindFigureRow[]): TenderFigure[] {
  return KINDS.map((kind) => {
    const row = rows.find((r) => r.kind === kind);
    return { kind, count: row?.n ?? 0, amountFen: fen(row?.amount ?? 0) };
  });
}

const byCashier = (rows: readonly CashierFigureRow[]): CashierFigure[] =>
  rows.map((r) => ({ cashierId: r.cashier_id, ...(r.cashier_name !== null ? { cashierName: r.cashier_name } : {}), count: r.n, amountFen: fen(r.amount) }));

const total = (figures: readonly { amountFen: Fen }[]): Fen => fen(figures.reduce((sum, f) => sum + f.amountFen, 0));

export function windowOf(shift: ShiftRow, now: number): ShiftWindow {
  return { shiftId: shift.id, terminalId: shift.terminal_id, from: shift.opened_at, to: shift.closed_at ?? now + 1 };
}

/** WeChat payments and refunds of the shift without a final answer, with what the app is doing about each. */
export function pendingItems(db: Database, shift: ShiftRow, now: number): PendingItem[] {
  const attempts = pendingAttempts(db, shift.id).map(
    (a): PendingItem => ({
      kind: 'payment',
      id: a.id,
      saleId: a.sale_id,
      receiptNo: a.receipt_no,
      ref: a.out_trade_no,
      amountFen: fen(a.amount_fen),
      state: a.state,
      cashierId: a.cashier_id,
      doing:
        a.state === 'needs-attention'
          ? { zh: '自动处理失败，需店长在微信支付商户平台核实', en: 'Automation gave up: a manager must check it in the merchant platform' }
          : a.state === 'reversing' || a.state === 'refunding'
            ? { zh: '正在撤销/退回，等待微信结果', en: 'Reversing / refunding, waiting for WeChat' }
            : { zh: '正在向微信查询结果', en: 'Querying WeChat for the result' },
    }),
  );
  const refunds = refundsInWindow(db, windowOf(shift, now), 'wechat', ['queued', 'processing']).map(
    (r): PendingItem => ({
      kind: 'refund',
      id: r.id,
      saleId: r.sale_id,
      receiptNo: r.receipt_no,
      ref: r.out_refund_no ?? '',
      amountFen: fen(r.amount_fen),
      state: r.state,
      cashierId: r.cashier_id,
      doing: r.state === 'queued' ? { zh: '退款待发送，联网后自动提交', en: 'Refund waiting to be sent' } : { zh: '退款处理中，正在查询结果', en: 'Refund processing, querying the result' },
    }),
  );
  // Refunds made here of other counters' sales are this counter's money in flight just the same (issue 13).
  const otherCounters = otherCounterRefundsInWindow(db, windowOf(shift, now), ['queued', 'processing']).map(
    (r): PendingItem => ({
      kind: 'refund',
      id: r.id,
      saleId: null,
      receiptNo: r.origin_receipt_no,
      originTerminalId: r.origin_terminal_id,
      ref: r.out_refund_no ?? '',
      amountFen: fen(r.amount_fen),
      state: r.state,
      cashierId: r.cashier_id,
      doing: r.state === 'queued' ? { zh: '其他收银台小票的退款待发送，联网后自动提交', en: 'Refund of another counter’s receipt waiting to be sent' } : { zh: '其他收银台小票的退款处理中，正在查询结果', en: 'Refund of another counter’s receipt processing, querying the result' },
    }),
  );
  return [...attempts, ...refunds, ...otherCounters];
}

interface ShiftFigures {
  sales: TenderFigure[];
  refunds: TenderFigure[];
  movements: ReturnType<typeof listCashMovements>;
  cashIn: { count: number; amountFen: Fen };
  cashOut: { count: number; amountFen: Fen };
  cashSalesFen: Fen;
  cashRefundsFen: Fen;
  /** Float + cash sales − cash refunds + cash in − cash out. */
  expectedFen: Fen;
}

/** The figures the drawer's expected cash is made of (the report shows them; the count and close need only the sum). */
function drawerFigures(db: Database, shift: ShiftRow, now: number): ShiftFigures {
  const sales = byKind(paidTendersByKind(db, shift.id));
  const refunds = byKind(refundsByKind(db, windowOf(shift, now)));
  const movements = listCashMovements(db, shift.id);
  const sumOf = (k: 'in' | 'out'): { count: number; amountFen: Fen } => {
    const list = movements.filter((m) => m.kind === k);
    return { count: list.length, amountFen: fen(list.reduce((s, m) => s + m.amount_fen, 0)) };
  };
  const cashIn = sumOf('in');
  const cashOut = sumOf('out');
  const cashSalesFen = sales.find((s) => s.kind === 'cash')?.amountFen ?? fen(0);
  const cashRefundsFen = refunds.find((s) => s.kind === 'cash')?.amountFen ?? fen(0);
  const expectedFen = fen(shift.opening_float_fen + cashSalesFen - cashRefundsFen + cashIn.amountFen - cashOut.amountFen);
  return { sales, refunds, movements, cashIn, cashOut, cashSalesFen, cashRefundsFen, expectedFen };
}

/** Expected cash in the drawer now, without the rest of the report. */
export function expectedCash(db: Database, shift: ShiftRow, now: number): Fen {
  return drawerFigures(db, shift, now).expectedFen;
}

export function computeReport(db: Database, shift: ShiftRow, kind: 'X' | 'Z', now: number, zNo: number | null): ShiftReport {
  const { sales, refunds, movements, cashIn, cashOut, cashSalesFen, cashRefundsFen, expectedFen } = drawerFigures(db, shift, now);
  const countedFen = shift.counted_fen === null ? null : fen(shift.counted_fen);
  return {
    kind,
    zNo,
    shiftId: shift.id,
    terminalId: shift.terminal_id,
    cashierId: shift.cashier_id,
    cashierName: shift.cashier_name,
    openedAt: shift.opened_at,
    closedAt: shift.closed_at,
    generatedAt: now,
    sales: { byTender: sales, count: countSalesWithPayment(db, shift.id), amountFen: total(sales) },
    refunds: { byTender: refunds, count: refunds.reduce((s, r) => s + r.count, 0), amountFen: total(refunds) },
    voids: byCashier(voidsByCashier(db, shift.id)),
    superseded: byCashier(supersededByCashier(db, shift.id)),
    noSales: movements.filter((m) => m.kind === 'no-sale').length,
    cashIn,
    cashOut,
    cash: {
      openingFloatFen: fen(shift.opening_float_fen),
      cashSalesFen,
      cashRefundsFen,
      cashInFen: cashIn.amountFen,
      cashOutFen: cashOut.amountFen,
      expectedFen,
      countedFen,
      differenceFen: countedFen === null ? null : fen(countedFen - expectedFen),
      denominations: shift.count_json === null ? null : (JSON.parse(shift.count_json) as DenominationCount[]),
    },
    countersignedBy: shift.countersigned_by,
    ...countersignerName(db, shift.countersigned_by),
    pending: pendingItems(db, shift, now),
    wechatCheck: latestCheckResult(db, shift.id),
    paymentAlerts: listOpenPaymentAlertsOfTerminal(db, shift.terminal_id).map((a) => ({
      saleId: a.sale_id,
      receiptNo: a.receipt_no,
      amountFen: fen(a.amount_fen),
      paidAt: a.paid_at,
    })),
  };
}

/** The stored form of a Z report and its hash: what is hashed is exactly what is stored. */
export function sealReport(report: ShiftReport): { json: string; sha256: string } {
  const json = JSON.stringify(report);
  return { json, sha256: createHash('sha256').update(json, 'utf8').digest('hex') };
}

export function verifySealed(json: string, sha256: string): boolean {
  return createHash('sha256').update(json, 'utf8').digest('hex') === sha256;
}

/** The countersigning manager by name, as every report shows people (not `demo-manager`). */
export function countersignerName(db: Database, id: string | null): { countersignedByName?: string } {
  const name = id === null ? undefined : getUser(db, id)?.name;
  return name === undefined ? {} : { countersignedByName: name };
}
