import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Database } from 'better-sqlite3';
import { replaceBill, type BillLineRow } from '../../../electron/db/bills';
import { reconcileDay } from '../../../electron/shifts/reconcile';
import { openShiftsDb } from './fixture';
import { reconcileDayReference } from './reconcile-reference';

/** 2025-03-14 00:00 Beijing; some lines are in the next day's bill (a payment at 23:59:59 is billed then). */
const DAY = Date.UTC(2025, 2, 13, 16, 0, 0);
const BILL_DATE = '2025-03-14';
const NEXT_DATE = '2025-03-15';
const HOUR = 3_600_000;

const order = fc.record({
  local: fc.boolean(),
  amount: fc.constantFrom(100, 200, 300),
  state: fc.constantFrom('paid', 'refunding', 'refunded', 'failed', 'cancelled', 'unknown', 'reversed'),
  timing: fc.constantFrom('paid in the day', 'resolved in the day, no time', 'next day', 'day before'),
});
const refund = fc.record({
  order: fc.nat(),
  amount: fc.constantFrom(50, 100),
  state: fc.constantFrom('queued', 'processing', 'succeeded', 'failed', 'abnormal'),
  kind: fc.constantFrom('wechat', 'wechat', 'cash'),
  inDay: fc.boolean(),
});
const line = fc.oneof(
  fc.record({ kind: fc.constant('payment' as const), order: fc.nat(), state: fc.constantFrom('SUCCESS', 'REVOKED'), fen: fc.constantFrom(100, 200, 300), next: fc.boolean() }),
  fc.record({
    kind: fc.constant('refund' as const), order: fc.nat(), refund: fc.nat(), fen: fc.constantFrom(50, 100), next: fc.boolean(),
    status: fc.option(fc.constantFrom('SUCCESS', 'PROCESSING', 'CHANGE'), { nil: null }),
  }),
);
const day = fc.record({
  orders: fc.array(order, { maxLength: 8 }),
  refunds: fc.array(refund, { maxLength: 5 }),
  lines: fc.array(line, { maxLength: 14 }),
});
type Day = typeof day extends fc.Arbitrary<infer T> ? T : never;

/** Order i's out_trade_no; an index past the orders names one the app never had. */
const tradeNo = (d: Day, i: number): string => `O${d.orders.length === 0 ? i % 3 : i % (d.orders.length + 2)}`;
const refundNo = (d: Day, j: number): string => `R${d.refunds.length === 0 ? j % 2 : j % (d.refunds.length + 2)}`;

function seedLocal(db: Database, d: Day): void {
  const sale = db.prepare(`INSERT INTO sales (id, terminal_id, receipt_no, cashier_id, shift_id, state, description, total_fen, created_at) VALUES (?, 'T1', ?, 'c1', 'S1', 'paid', '', ?, ?)`);
  const tender = db.prepare(`INSERT INTO tenders (id, sale_id, kind, amount_fen, state, created_at) VALUES (?, ?, 'wechat-code', ?, 'paid', ?)`);
  const attempt = db.prepare(
    `INSERT INTO wechat_attempts (tender_id, sale_id, mode, out_trade_no, amount_fen, description, state, created_at, success_time, resolved_at, updated_at)
     VALUES (?, ?, 'micropay', ?, ?, '', ?, ?, ?, ?, ?)`,
  );
  d.orders.forEach((o, i) => {
    if (!o.local) return;
    const at = { 'paid in the day': DAY + i * HOUR, 'resolved in the day, no time': DAY + i * HOUR, 'next day': DAY + 24 * HOUR + i, 'day before': DAY - 1000 - i }[o.timing];
    const id = i + 1;
    sale.run(id, id, o.amount, at);
    tender.run(id, id, o.amount, at);
    attempt.run(id, id, `O${i}`, o.amount, o.state, at, o.timing === 'resolved in the day, no time' ? null : at, at, at);
  });
  const insertRefund = db.prepare(
    `INSERT INTO refunds (sale_id, tender_id, kind, out_refund_no, amount_fen, state, approved_by, requested_at, requested_offline, updated_at)
     VALUES (?, ?, ?, ?, ?, ?, 'm', ?, 0, ?)`,
  );
  d.refunds.forEach((r, j) => {
    const owner = d.orders.length === 0 ? -1 : r.order % d.orders.length;
    if (owner < 0 || !d.orders[owner]?.local) return;
    const at = r.inDay ? DAY + 12 * HOUR + j : DAY + 30 * HOUR;
    insertRefund.run(owner + 1, owner + 1, r.kind, `R${j}`, r.amount, r.state, at, at);
  });
}

function billLines(d: Day, billDate: string, next: boolean): BillLineRow[] {
  return d.lines
    .filter((l) => l.next === next)
    .map((l, k): BillLineRow => {
      const refundLine = l.kind === 'refund';
      return {
        bill_date: billDate, line_no: k + 1, kind: l.kind, trade_time: DAY + k, transaction_id: `42${k}`, out_trade_no: tradeNo(d, l.order),
        trade_type: 'MICROPAY', trade_state: refundLine ? 'REFUND' : l.state, settle_fen: refundLine ? 0 : l.fen, order_fen: refundLine ? 300 : l.fen,
        out_refund_no: refundLine ? refundNo(d, l.refund) : null, refund_id: refundLine ? `50${k}` : null, refund_fen: refundLine ? l.fen : 0,
        refund_status: refundLine ? l.status : null, fee_fen: 0,
      };
    });
}

const bill = (billDate: string, count: number): Parameters<typeof replaceBill>[1] => ({
  bill_date: billDate, state: 'bill', sha1: null, line_count: count, summary_json: null, downloaded_at: 0, reconciled_at: 0,
});

const COLUMNS = 'class, out_trade_no, out_refund_no, local_fen, wechat_fen, local_state, wechat_state, sale_id, receipt_no, shift_id, cashier_id';

describe('reconcileDay (lines that plainly agree left out in SQL) against classifying every line in JS', () => {
  it('counts and records exactly the same mismatches, in the same order', () => {
    const db = openShiftsDb();
    fc.assert(
      fc.property(day, (d) => {
        db.exec('BEGIN');
        try {
          seedLocal(db, d);
          const today = billLines(d, BILL_DATE, false);
          const tomorrow = billLines(d, NEXT_DATE, true);
          replaceBill(db, bill(BILL_DATE, today.length), today);
          replaceBill(db, bill(NEXT_DATE, tomorrow.length), tomorrow);
          const reference = reconcileDayReference(db, BILL_DATE);
          const counts = reconcileDay(db, BILL_DATE, DAY + 34 * HOUR);
          expect(counts).toEqual(reference.counts);
          // The same mismatch twice (a line repeated in the bill) is stored once, as before.
          const firstOfEach = reference.found.filter(
            (m, i) => reference.found.findIndex((n) => n.class === m.class && n.out_trade_no === m.out_trade_no && n.out_refund_no === m.out_refund_no) === i,
          );
          const stored = db.prepare(`SELECT ${COLUMNS} FROM reconciliation_mismatches WHERE bill_date = ? ORDER BY id`).all(BILL_DATE);
          expect(stored).toEqual(firstOfEach.map((m) => ({ ...m })));
        } finally {
          db.exec('ROLLBACK');
        }
      }),
      { numRuns: 400 },
    );
    db.close();
  });
});
