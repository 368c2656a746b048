import type { Database } from '../../db/open';
import type { LedgerOrigin } from './orders';

export type LedgerRefundStatus = 'PROCESSING' | 'SUCCESS' | 'CLOSED' | 'ABNORMAL';

export interface RefundRow {
  outRefundNo: string;
  refundId: string;
  outTradeNo: string;
  refundFee: number;
  /** The order total the merchant stated when asking; a retry must state the same. */
  totalFee: number;
  reason: string | null;
  status: LedgerRefundStatus;
  createdAt: number;
  /** An accepted (PROCESSING) refund completes at this instant. */
  succeedsAt: number;
  successAt: number | null;
  origin: LedgerOrigin;
}

interface RawRefund {
  out_refund_no: string;
  refund_id: string;
  out_trade_no: string;
  refund_fee: number;
  total_fee: number;
  reason: string | null;
  status: LedgerRefundStatus;
  created_at: number;
  succeeds_at: number;
  success_at: number | null;
  origin: LedgerOrigin;
}

function fromRaw(r: RawRefund): RefundRow {
  return {
    outRefundNo: r.out_refund_no,
    refundId: r.refund_id,
    outTradeNo: r.out_trade_no,
    refundFee: r.refund_fee,
    totalFee: r.total_fee,
    reason: r.reason,
    status: r.status,
    createdAt: r.created_at,
    succeedsAt: r.succeeds_at,
    successAt: r.success_at,
    origin: r.origin,
  };
}

export function insertRefund(db: Database, r: RefundRow): void {
  db.prepare(
    `INSERT INTO sandbox_refunds (out_refund_no, refund_id, out_trade_no, refund_fee, total_fee, reason, status,
       created_at, succeeds_at, success_at, origin)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.outRefundNo,
    r.refundId,
    r.outTradeNo,
    r.refundFee,
    r.totalFee,
    r.reason,
    r.status,
    r.createdAt,
    r.succeedsAt,
    r.successAt,
    r.origin,
  );
}

export function updateRefundStatus(db: Database, outRefundNo: string, status: LedgerRefundStatus, successAt: number | null): void {
  db.prepare('UPDATE sandbox_refunds SET status = ?, success_at = ? WHERE out_refund_no = ?').run(
    status,
    successAt,
    outRefundNo,
  );
}

/** Testing aid only (planting.ts removeOrder); returns how many refunds went. */
export function deleteRefundsForOrder(db: Database, outTradeNo: string): number {
  return db.prepare('DELETE FROM sandbox_refunds WHERE out_trade_no = ?').run(outTradeNo).changes;
}

export function getRefund(db: Database, outRefundNo: string): RefundRow | null {
  const raw = db.prepare('SELECT * FROM sandbox_refunds WHERE out_refund_no = ?').get(outRefundNo) as
    | RawRefund
    | undefined;
  return raw ? fromRaw(raw) : null;
}

export function getRefundByRefundId(db: Database, refundId: string): RefundRow | null {
  const raw = db.prepare('SELECT * FROM sandbox_refunds WHERE refund_id = ?').get(refundId) as RawRefund | undefined;
  return raw ? fromRaw(raw) : null;
}

export function listRefundsForOrder(db: Database, outTradeNo: string): RefundRow[] {
  const rows = db
    .prepare('SELECT * FROM sandbox_refunds WHERE out_trade_no = ? ORDER BY created_at, rowid')
    .all(outTradeNo) as RawRefund[];
  return rows.map(fromRaw);
}

export function listRefunds(db: Database): RefundRow[] {
  const rows = db.prepare('SELECT * FROM sandbox_refunds ORDER BY created_at, rowid').all() as RawRefund[];
  return rows.map(fromRaw);
}

/** Refunds applied for inside [from, to): the refund rows of one day's bill. */
export function listRefundsCreatedBetween(db: Database, from: number, to: number): RefundRow[] {
  const rows = db
    .prepare('SELECT * FROM sandbox_refunds WHERE created_at >= ? AND created_at < ? ORDER BY created_at, rowid')
    .all(from, to) as RawRefund[];
  return rows.map(fromRaw);
}
