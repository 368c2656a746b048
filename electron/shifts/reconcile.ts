import type { Database } from 'better-sqlite3';
import type { MismatchClass } from '../../shared/shifts';
import {
  billPaymentDisagreements,
  billRefundDisagreements,
  countBillLines,
  unbilledLocalPayments,
  unbilledLocalRefunds,
  type BillPaymentMatchRow,
  type BillRefundMatchRow,
} from '../db/reconciliation-local';
import { deleteOpenMismatches, mismatchWriter, type NewMismatch } from '../db/reconciliation-mismatches';
import { beijingDayStart } from '../wechat/bills/beijing-day';
import { paymentDisagreements, refundDisagreements } from '../wechat/bills/bill-match';

const DAY_MS = 24 * 3_600_000;

export interface ReconcileCounts {
  matchedPayments: number;
  matchedRefunds: number;
  mismatches: Record<MismatchClass, number>;
}

type Found = Omit<NewMismatch, 'bill_date' | 'detected_at'>;

/**
 * Matches one stored day's bill (bill_lines) line by line with the local records and stores every
 * disagreement. Runs inside the caller's transaction, after the bill's lines are stored. SQL leaves out the lines
 * that plainly agree (see reconciliation-local.ts); the rest are classified here, in line order.
 */
export function reconcileDay(db: Database, billDate: string, now: number): ReconcileCounts {
  const start = beijingDayStart(billDate);
  if (start === null) throw new Error(`not a day: ${billDate}`);
  deleteOpenMismatches(db, billDate);
  const counts: ReconcileCounts = {
    matchedPayments: 0,
    matchedRefunds: 0,
    mismatches: { 'only-in-wechat': 0, 'only-local': 0, 'amount-differs': 0, 'state-differs': 0 },
  };
  const write = mismatchWriter(db);
  const record = (m: Found): void => {
    counts.mismatches[m.class] += 1;
    write({ ...m, bill_date: billDate, detected_at: now });
  };
  const lines = countBillLines(db, billDate);
  const payments = billPaymentDisagreements(db, billDate);
  const refunds = billRefundDisagreements(db, billDate);
  counts.matchedPayments = lines.payments - payments.length;
  counts.matchedRefunds = lines.refunds - refunds.length;
  for (const row of payments) if (matchPayment(row, record)) counts.matchedPayments += 1;
  for (const row of refunds) if (matchRefund(row, record)) counts.matchedRefunds += 1;
  const locals = [...unbilledLocalPayments(db, start, start + DAY_MS), ...unbilledLocalRefunds(db, start, start + DAY_MS)];
  for (const l of locals) {
    record({
      class: 'only-local', out_trade_no: l.out_trade_no, out_refund_no: l.out_refund_no, local_fen: l.amount_fen, wechat_fen: null,
      local_state: l.state, wechat_state: null, sale_id: l.sale_id, receipt_no: l.receipt_no, shift_id: l.shift_id, cashier_id: l.cashier_id,
    });
  }
  return counts;
}

const owner = (r: BillPaymentMatchRow | BillRefundMatchRow): Pick<Found, 'sale_id' | 'receipt_no' | 'shift_id' | 'cashier_id'> => ({
  sale_id: r.sale_id,
  receipt_no: r.receipt_no,
  shift_id: r.shift_id,
  cashier_id: r.cashier_id,
});

/** True when the line agrees with the local record. */
function matchPayment(r: BillPaymentMatchRow, record: (m: Found) => void): boolean {
  const found = paymentDisagreements(r);
  for (const d of found) record({ ...d, ...owner(r) });
  return found.length === 0;
}

function matchRefund(r: BillRefundMatchRow, record: (m: Found) => void): boolean {
  const found = refundDisagreements(r);
  for (const d of found) record({ ...d, ...owner(r) });
  return found.length === 0;
}
