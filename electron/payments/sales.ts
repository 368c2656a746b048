import type { Database } from 'better-sqlite3';
import type { NewSale } from '../../shared/payments';
import { insertSaleLine, type SaleLineRow } from '../db/sale-lines';
import { getSale, insertPaidSale, insertSale, markSaleVoided, type SaleRow } from '../db/sales';
import { takeNextSequence } from '../db/sequences';
import { markTenderSuperseded, sumPaidTenders } from '../db/tenders';
import { listUnresolvedAttemptsForSale } from '../db/wechat-attempts';
import { mustGetAttempt, updateAndTrack } from './attempt-lifecycle';
import type { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { refuse } from './errors';
import { supersedeMicropay } from './micropay';
import { stopNativeAttempt } from './native-qr';

/** Largest sale the counter takes: ¥1,000,000 (far above any counter sale, catches a mistyped amount). */
export const MAX_SALE_FEN = 100_000_000;

function checkedTotal(input: NewSale): { total: number; lines: { name: string; unitFen: number; quantity: number }[] } {
  const lines = input.lines ?? [];
  if (lines.length > 0 && input.amountFen !== undefined) {
    throw refuse('BAD_REQUEST', '请只输入商品或金额之一', 'Give either lines or an amount, not both');
  }
  for (const line of lines) {
    const name = line.name.trim();
    if (name.length === 0 || name.length > 64) throw refuse('BAD_REQUEST', '商品名称不能为空且不超过 64 字', 'Line names are 1–64 characters');
    if (!Number.isSafeInteger(line.unitFen) || line.unitFen < 0) throw refuse('INVALID_AMOUNT', '单价无效', 'Invalid unit price');
    if (!Number.isSafeInteger(line.quantity) || line.quantity < 1 || line.quantity > 9999) {
      throw refuse('BAD_REQUEST', '数量必须是 1–9999 的整数', 'Quantity must be a whole number 1–9999');
    }
  }
  const total = lines.length > 0 ? lines.reduce((sum, l) => sum + l.unitFen * l.quantity, 0) : (input.amountFen ?? 0);
  if (!Number.isSafeInteger(total) || total <= 0) throw refuse('INVALID_AMOUNT', '金额必须大于零', 'The amount must be more than zero');
  if (total > MAX_SALE_FEN) throw refuse('INVALID_AMOUNT', '金额过大', 'The amount is too large');
  return { total, lines: lines.map((l) => ({ ...l, name: l.name.trim() })) };
}

/** Creates a sale and takes its receipt number in the same transaction, so numbers stay gapless. */
export function recordNewSale(ctx: PaymentContext, input: NewSale, now: number): number {
  return writeNewSale(ctx, input, now, 'open').sale.id;
}

/**
 * Writes a new sale (state `open`, or `paid` when the caller pays it in full in the same transaction: see
 * recordCashSale) with its lines and receipt number, and returns the rows as written. `check` runs on the
 * validated total before anything is written, so a refusal leaves no receipt number taken.
 */
export function writeNewSale(
  ctx: PaymentContext,
  input: NewSale,
  now: number,
  state: 'open' | 'paid',
  check?: (totalFen: number) => void,
): { sale: SaleRow; lines: SaleLineRow[] } {
  const { db } = ctx;
  const cashierId = input.cashierId.trim();
  if (cashierId.length === 0) throw refuse('BAD_REQUEST', '缺少收银员', 'A cashier is required');
  const { total, lines } = checkedTotal(input);
  check?.(total);
  const receiptNo = takeNextSequence(db, `receipt:${ctx.ids.terminalId}`);
  const description = (input.description?.trim() || `收银小票 ${receiptNo}`).slice(0, 120);
  const row = { terminalId: ctx.ids.terminalId, receiptNo, cashierId, shiftId: input.shiftId ?? null, description, totalFen: total, createdAt: now };
  const id = state === 'paid' ? insertPaidSale(db, row) : insertSale(db, row);
  const lineRows = lines.map((l, i) => ({ sale_id: id, line_no: i + 1, name: l.name, unit_fen: l.unitFen, quantity: l.quantity, amount_fen: l.unitFen * l.quantity }));
  for (const line of lineRows) insertSaleLine(db, line);
  const sale: SaleRow = {
    id,
    terminal_id: row.terminalId,
    receipt_no: receiptNo,
    cashier_id: cashierId,
    shift_id: row.shiftId,
    state,
    description,
    total_fen: total,
    created_at: now,
    paid_at: state === 'paid' ? now : null,
    voided_at: null,
    void_reason: null,
    paid_event_delivered: 0,
  };
  return { sale, lines: lineRows };
}

export function requireOpenSale(db: Database, saleId: number): SaleRow {
  const sale = getSale(db, saleId);
  if (!sale) throw refuse('NOT_FOUND', '找不到该笔销售', 'Sale not found');
  if (sale.state === 'paid') throw refuse('SALE_PAID', '该笔销售已付款', 'This sale is already paid');
  if (sale.state === 'voided') throw refuse('SALE_VOIDED', '该笔销售已作废', 'This sale was voided');
  return sale;
}

export function dueOf(db: Database, sale: SaleRow): number {
  return Math.max(0, sale.total_fen - sumPaidTenders(db, sale.id));
}

/**
 * The cashier moves on from an unresolved WeChat attempt (another tender, a void). It never counts as paid from
 * now on; if it turns out paid it is reversed (micropay) or refunded (native QR), and the manager sees it.
 */
export function supersedeAttempt(ctx: PaymentContext, attemptId: number, now: number, changes: ChangeSet): void {
  const { db } = ctx;
  const a = mustGetAttempt(db, attemptId);
  if (a.superseded_at !== null) return;
  updateAndTrack(db, a, { superseded_at: now }, now, changes);
  markTenderSuperseded(db, a.tender_id, now);
  const fresh = mustGetAttempt(db, attemptId);
  if (a.mode === 'micropay') supersedeMicropay(ctx, fresh, now, changes);
  else stopNativeAttempt(ctx, fresh, now, changes);
}

export function supersedeUnresolved(ctx: PaymentContext, saleId: number, now: number, changes: ChangeSet): void {
  for (const a of listUnresolvedAttemptsForSale(ctx.db, saleId)) supersedeAttempt(ctx, a.id, now, changes);
}

export function recordVoid(ctx: PaymentContext, saleId: number, reason: string | null, now: number, changes: ChangeSet): void {
  const { db } = ctx;
  const sale = requireOpenSale(db, saleId);
  if (sumPaidTenders(db, saleId) > 0) {
    throw refuse('SALE_PARTLY_PAID', '该笔销售已部分付款，不能作废，请先完成或退款', 'Part of this sale is paid; it cannot be voided');
  }
  supersedeUnresolved(ctx, saleId, now, changes);
  markSaleVoided(db, sale.id, now, reason);
  changes.sales.add(saleId);
}
