import type { Database } from 'better-sqlite3';
import type { RefundState } from '../../shared/payments';
import { cachedStatement } from './statements';

export interface RefundRow {
  id: number;
  /** Null for a refund of another counter's sale (then the origin_* columns name it; migration 0013). */
  sale_id: number | null;
  tender_id: number | null;
  attempt_id: number | null;
  kind: 'wechat' | 'cash';
  out_refund_no: string | null;
  amount_fen: number;
  state: RefundState;
  approved_by: string;
  reason: string | null;
  requested_at: number;
  requested_offline: number;
  send_count: number;
  refund_id: string | null;
  failure_code: string | null;
  failure_zh: string | null;
  failure_en: string | null;
  finished_at: number | null;
  updated_at: number;
  origin_terminal_id: string | null;
  origin_receipt_no: number | null;
  origin_out_trade_no: string | null;
  origin_total_fen: number | null;
  /** Migration 0018: null = no hub clearance needed; 'waiting' until the hub cleared it (分账回退 done). */
  clearance: 'waiting' | 'cleared' | null;
  clearance_problem: RefundClearanceProblem | null;
  clearance_detail: string | null;
  cleared_at: number | null;
}

/** Why a refund still waits for the hub's clearance (migration 0018). */
export type RefundClearanceProblem = 'hub-unreachable' | 'hub-stopped' | 'hub-busy' | 'returns-pending' | 'return-failed';

export type RefundPatch = Partial<
  Pick<RefundRow, 'state' | 'send_count' | 'refund_id' | 'failure_code' | 'failure_zh' | 'failure_en' | 'finished_at'
    | 'clearance' | 'clearance_problem' | 'clearance_detail' | 'cleared_at'>
>;

const PATCHABLE = new Set<string>([
  'state', 'send_count', 'refund_id', 'failure_code', 'failure_zh', 'failure_en', 'finished_at',
  'clearance', 'clearance_problem', 'clearance_detail', 'cleared_at',
]);

export interface NewRefundRow {
  saleId: number;
  tenderId: number;
  attemptId: number | null;
  kind: 'wechat' | 'cash';
  outRefundNo: string | null;
  amountFen: number;
  state: RefundState;
  approvedBy: string;
  reason: string | null;
  requestedAt: number;
  requestedOffline: boolean;
}

export function insertRefund(db: Database, r: NewRefundRow): number {
  const result = cachedStatement(db,
      `INSERT INTO refunds (sale_id, tender_id, attempt_id, kind, out_refund_no, amount_fen, state, approved_by, reason,
         requested_at, requested_offline, finished_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.saleId, r.tenderId, r.attemptId, r.kind, r.outRefundNo, r.amountFen, r.state, r.approvedBy, r.reason,
      r.requestedAt, r.requestedOffline ? 1 : 0, r.state === 'succeeded' ? r.requestedAt : null, r.requestedAt,
    );
  return Number(result.lastInsertRowid);
}

export function getRefund(db: Database, id: number): RefundRow | undefined {
  return cachedStatement(db, 'SELECT * FROM refunds WHERE id = ?').get(id) as RefundRow | undefined;
}

export function listRefundsForSale(db: Database, saleId: number): RefundRow[] {
  return cachedStatement(db, 'SELECT * FROM refunds WHERE sale_id = ? ORDER BY id').all(saleId) as RefundRow[];
}

export function listAllRefunds(db: Database): RefundRow[] {
  return cachedStatement(db, 'SELECT * FROM refunds ORDER BY id').all() as RefundRow[];
}

/** Money refunded or promised from one tender: every refund that has not failed. */
export function sumCommittedRefundsForTender(db: Database, tenderId: number): number {
  const row = cachedStatement(db, "SELECT COALESCE(SUM(amount_fen), 0) AS total FROM refunds WHERE tender_id = ? AND state <> 'failed'")
    .get(tenderId) as { total: number };
  return row.total;
}

export function updateRefund(db: Database, id: number, patch: RefundPatch, now: number): void {
  const keys = Object.keys(patch).filter((k) => PATCHABLE.has(k));
  if (keys.length !== Object.keys(patch).length) throw new Error('refund patch names an unknown column');
  const sets = [...keys.map((k) => `${k} = @${k}`), 'updated_at = @updated_at'].join(', ');
  cachedStatement(db, `UPDATE refunds SET ${sets} WHERE id = @id`).run({ ...patch, updated_at: now, id });
}

export function listOpenWechatRefunds(db: Database): RefundRow[] {
  return cachedStatement(db, "SELECT * FROM refunds WHERE kind = 'wechat' AND state IN ('queued', 'processing') ORDER BY id").all() as RefundRow[];
}

export interface NewOtherCounterRefundRow {
  originTerminalId: string;
  originReceiptNo: number;
  originOutTradeNo: string;
  originTotalFen: number;
  /** Which kind of WeChat tender of that sale it goes back to (the hub's view; shift figures list refunds by kind). */
  originTenderKind: 'wechat-code' | 'wechat-qr';
  outRefundNo: string;
  amountFen: number;
  approvedBy: string;
  reason: string | null;
  requestedAt: number;
  requestedOffline: boolean;
}

/** A WeChat refund of a sale made at another counter (no local sale or tender; see migration 0013). */
export function insertOtherCounterRefund(db: Database, r: NewOtherCounterRefundRow): number {
  const result = cachedStatement(db,
      `INSERT INTO refunds (sale_id, tender_id, attempt_id, kind, out_refund_no, amount_fen, state, approved_by, reason,
         requested_at, requested_offline, updated_at, origin_terminal_id, origin_receipt_no, origin_out_trade_no, origin_total_fen,
         origin_tender_kind)
       VALUES (NULL, NULL, NULL, 'wechat', ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      r.outRefundNo, r.amountFen, r.approvedBy, r.reason, r.requestedAt, r.requestedOffline ? 1 : 0, r.requestedAt,
      r.originTerminalId, r.originReceiptNo, r.originOutTradeNo, r.originTotalFen, r.originTenderKind,
    );
  return Number(result.lastInsertRowid);
}

/** Money this counter refunded or promised from another counter's WeChat order: every refund that has not failed. */
export function sumCommittedRefundsForOrigin(db: Database, outTradeNo: string): number {
  const row = cachedStatement(db,
    "SELECT COALESCE(SUM(amount_fen), 0) AS total FROM refunds WHERE origin_out_trade_no = ? AND state <> 'failed'",
  ).get(outTradeNo) as { total: number };
  return row.total;
}
