/**
 * The day's matching as it was before the SQL pre-filter: every bill line of the day joined with its local
 * record and classified in JS. Kept as the reference the property test compares reconcileDay with; it returns
 * the mismatches it would record, in order, instead of writing them.
 */
import type { Database } from 'better-sqlite3';
import type { NewMismatch } from '../../../electron/db/reconciliation-mismatches';
import { unbilledLocalPayments, unbilledLocalRefunds } from '../../../electron/db/reconciliation-local';
import { beijingDayStart } from '../../../electron/wechat/bills/beijing-day';
import type { ReconcileCounts } from '../../../electron/shifts/reconcile';

const DAY_MS = 24 * 3_600_000;
const MONEY_TAKEN_STATES: readonly string[] = ['paid', 'refunding', 'refunded'];

type Found = Omit<NewMismatch, 'bill_date' | 'detected_at'>;

interface PaymentRow {
  out_trade_no: string;
  trade_state: string;
  order_fen: number;
  local_fen: number | null;
  local_state: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
}

interface RefundRow {
  out_trade_no: string;
  out_refund_no: string;
  refund_fen: number;
  refund_status: string | null;
  local_refund_fen: number | null;
  local_refund_state: string | null;
  order_state: string | null;
  sale_id: number | null;
  receipt_no: number | null;
  shift_id: string | null;
  cashier_id: string | null;
}

const owner = (r: PaymentRow | RefundRow): Pick<Found, 'sale_id' | 'receipt_no' | 'shift_id' | 'cashier_id'> => ({
  sale_id: r.sale_id, receipt_no: r.receipt_no, shift_id: r.shift_id, cashier_id: r.cashier_id,
});

function matchPayment(r: PaymentRow, record: (m: Found) => void): boolean {
  const base = { out_trade_no: r.out_trade_no, out_refund_no: '', wechat_fen: r.order_fen, wechat_state: r.trade_state, ...owner(r) };
  if (r.local_state === null || r.local_fen === null) {
    if (r.trade_state === 'REVOKED') return true;
    record({ ...base, class: 'only-in-wechat', local_fen: null, local_state: null });
    return false;
  }
  let agrees = true;
  if ((r.trade_state !== 'REVOKED') !== MONEY_TAKEN_STATES.includes(r.local_state)) {
    record({ ...base, class: 'state-differs', local_fen: r.local_fen, local_state: r.local_state });
    agrees = false;
  }
  if (r.order_fen !== r.local_fen) {
    record({ ...base, class: 'amount-differs', local_fen: r.local_fen, local_state: r.local_state });
    agrees = false;
  }
  return agrees;
}

function matchRefund(r: RefundRow, record: (m: Found) => void): boolean {
  const wechatState = `REFUND ${r.refund_status ?? ''}`.trim();
  const base = { out_trade_no: r.out_trade_no, out_refund_no: r.out_refund_no, wechat_fen: r.refund_fen, wechat_state: wechatState, ...owner(r) };
  if (r.local_refund_state === null || r.local_refund_fen === null) {
    record({ ...base, class: r.order_state !== null ? 'state-differs' : 'only-in-wechat', local_fen: null, local_state: r.order_state });
    return false;
  }
  let agrees = true;
  if (r.local_refund_state === 'failed') {
    record({ ...base, class: 'state-differs', local_fen: r.local_refund_fen, local_state: r.local_refund_state });
    agrees = false;
  }
  if (r.refund_fen !== r.local_refund_fen) {
    record({ ...base, class: 'amount-differs', local_fen: r.local_refund_fen, local_state: r.local_refund_state });
    agrees = false;
  }
  return agrees;
}

export function reconcileDayReference(db: Database, billDate: string): { counts: ReconcileCounts; found: Found[] } {
  const start = beijingDayStart(billDate);
  if (start === null) throw new Error(`not a day: ${billDate}`);
  const counts: ReconcileCounts = {
    matchedPayments: 0, matchedRefunds: 0, mismatches: { 'only-in-wechat': 0, 'only-local': 0, 'amount-differs': 0, 'state-differs': 0 },
  };
  const found: Found[] = [];
  const record = (m: Found): void => {
    counts.mismatches[m.class] += 1;
    found.push(m);
  };
  const payments = db
    .prepare(
      `SELECT b.out_trade_no, b.trade_state, b.order_fen, a.amount_fen AS local_fen, a.state AS local_state, a.sale_id,
         s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'payment' ORDER BY b.line_no`,
    )
    .all(billDate) as PaymentRow[];
  const refunds = db
    .prepare(
      `SELECT b.out_trade_no, b.out_refund_no, b.refund_fen, b.refund_status, r.amount_fen AS local_refund_fen,
         r.state AS local_refund_state, a.state AS order_state, a.sale_id, s.receipt_no, s.shift_id, s.cashier_id
       FROM bill_lines b LEFT JOIN refunds r ON r.out_refund_no = b.out_refund_no
         LEFT JOIN wechat_attempts a ON a.out_trade_no = b.out_trade_no LEFT JOIN sales s ON s.id = a.sale_id
       WHERE b.bill_date = ? AND b.kind = 'refund' ORDER BY b.line_no`,
    )
    .all(billDate) as RefundRow[];
  for (const row of payments) if (matchPayment(row, record)) counts.matchedPayments += 1;
  for (const row of refunds) if (matchRefund(row, record)) counts.matchedRefunds += 1;
  for (const l of [...unbilledLocalPayments(db, start, start + DAY_MS), ...unbilledLocalRefunds(db, start, start + DAY_MS)]) {
    record({
      class: 'only-local', out_trade_no: l.out_trade_no, out_refund_no: l.out_refund_no, local_fen: l.amount_fen, wechat_fen: null,
      local_state: l.state, wechat_state: null, sale_id: l.sale_id, receipt_no: l.receipt_no, shift_id: l.shift_id, cashier_id: l.cashier_id,
    });
  }
  return { counts, found };
}
