import type { NewSale } from '../../shared/payments';
import { classifyScan } from '../../shared/scan';
import { LOCAL_REASONS } from '../../shared/payments';
import { insertTender, type TenderRow } from '../db/tenders';
import { listUnresolvedAttemptsForSale } from '../db/wechat-attempts';
import { refreshSalePaid } from './attempt-lifecycle';
import type { ChangeSet } from './changes';
import type { PaymentContext } from './context';
import { PaymentError, refuse } from './errors';
import { insertMicropayAttempt } from './micropay';
import { insertNativeAttempt } from './native-qr';
import { dueOf, requireOpenSale, supersedeUnresolved, writeNewSale } from './sales';
import { saleViewFromRows } from './views';

/** The amount a new tender covers: what is still due, or the cashier's part of a split (never more than due). */
function tenderAmount(due: number, requested: number | undefined): number {
  if (due <= 0) throw refuse('NOTHING_DUE', '该笔销售已无待付金额', 'Nothing is left to pay on this sale');
  if (requested === undefined) return due;
  if (!Number.isSafeInteger(requested) || requested <= 0) throw refuse('INVALID_AMOUNT', '金额必须大于零', 'The amount must be more than zero');
  if (requested > due) throw refuse('INVALID_AMOUNT', '金额超过待付金额', 'The amount is more than is due');
  return requested;
}

/** One payment code at a time per sale: a burst of codes (a stuck scanner, a flood on the port) must not turn into a tender each. */
const CODE_IN_FLIGHT = {
  zh: '上一个付款码正在处理，请等待结果；如需换码，请先按 F4 停止等待',
  en: 'The previous payment code is still being processed: wait for the result, or press F4 to stop waiting before scanning another',
};

/**
 * Validates a scanned text as a WeChat payment code (an Alipay or product code is refused with a clear message and
 * never sent), then records tender, attempt and outbox job in the caller's transaction. A second code while a
 * micropay of the sale is unresolved is refused; any other unresolved attempt (a QR) is superseded first: one
 * payment in flight per sale.
 */
export function recordScan(ctx: PaymentContext, saleId: number, scanned: string, amountFen: number | undefined, now: number, changes: ChangeSet): number {
  const scan = classifyScan(scanned);
  if (scan.kind === 'alipay-code' || scan.kind === 'garbage') throw new PaymentError('NOT_WECHAT_CODE', scan.message);
  if (scan.kind !== 'wechat-pay-code') {
    throw new PaymentError('NOT_WECHAT_CODE', { zh: LOCAL_REASONS.notWechatCode.zh, en: LOCAL_REASONS.notWechatCode.en });
  }
  const sale = requireOpenSale(ctx.db, saleId);
  // A code still being sent or resolved is not replaced by the next one: refused before anything is written. A QR
  // still showing is (the customer showed a code instead); F4 (supersede) frees the sale for another code.
  if (listUnresolvedAttemptsForSale(ctx.db, saleId).some((a) => a.mode === 'micropay' && a.superseded_at === null)) {
    throw new PaymentError('PAYMENT_IN_PROGRESS', CODE_IN_FLIGHT);
  }
  supersedeUnresolved(ctx, saleId, now, changes);
  const amount = tenderAmount(dueOf(ctx.db, sale), amountFen);
  return insertMicropayAttempt(ctx, sale, scan.code, amount, now, changes);
}

/** Native QR needs WeChat now (the customer scans within minutes): refused while offline, with the reason. */
export function recordNativeStart(ctx: PaymentContext, saleId: number, amountFen: number | undefined, now: number, changes: ChangeSet): number {
  if (!ctx.isOnline()) throw new PaymentError('OFFLINE', { zh: LOCAL_REASONS.offline.zh, en: LOCAL_REASONS.offline.en });
  const sale = requireOpenSale(ctx.db, saleId);
  supersedeUnresolved(ctx, saleId, now, changes);
  const amount = tenderAmount(dueOf(ctx.db, sale), amountFen);
  return insertNativeAttempt(ctx, sale, amount, now, changes);
}

export interface CashTaken {
  tenderId: number;
  appliedFen: number;
  changeFen: number;
}

/**
 * Cash works offline. Tendered money above what this tender covers is change; the drawer opens after commit.
 * `amountFen` splits: cover only that much (the rest stays due for another tender).
 */
export function recordCash(ctx: PaymentContext, saleId: number, tenderedFen: number, amountFen: number | undefined, now: number, changes: ChangeSet): CashTaken {
  if (!Number.isSafeInteger(tenderedFen) || tenderedFen <= 0) throw refuse('INVALID_AMOUNT', '收款金额必须大于零', 'The cash tendered must be more than zero');
  const sale = requireOpenSale(ctx.db, saleId);
  supersedeUnresolved(ctx, saleId, now, changes);
  const cover = tenderAmount(dueOf(ctx.db, sale), amountFen);
  const applied = Math.min(tenderedFen, cover);
  const change = tenderedFen - applied;
  const tenderId = insertTender(ctx.db, { saleId, kind: 'cash', amountFen: applied, state: 'paid', tenderedFen, changeFen: change, createdAt: now });
  changes.openDrawer = true;
  refreshSalePaid(ctx.db, saleId, now, changes);
  return { tenderId, appliedFen: applied, changeFen: change };
}

/**
 * A cart paid in full in cash as it is rung up (`cashSale`): the sale is written already paid, then its cash
 * tender, in the caller's one transaction. The tender's insert writes the sale's one fact for the hub (sale,
 * lines, tender, state paid); nothing updates the sale afterwards, so no second fact and no second index change.
 * A new sale has no attempt to supersede and nothing paid yet: what is due is its total. Less cash than the total
 * is refused before anything (even a receipt number) is taken. The sale's view is built from the rows as written
 * (published only after the commit): reading back what this transaction just wrote was a third of its CPU.
 */
export function recordCashSale(ctx: PaymentContext, input: NewSale, tenderedFen: number, now: number, changes: ChangeSet): CashTaken & { saleId: number } {
  const { sale, lines } = writeNewSale(ctx, input, now, 'paid', (total) => {
    if (!(tenderedFen >= total)) throw refuse('CASH_SHORT', '收款金额不足', 'The cash tendered is less than the amount due');
    if (!Number.isSafeInteger(tenderedFen)) throw refuse('INVALID_AMOUNT', '收款金额必须大于零', 'The cash tendered must be more than zero');
  });
  const tender: TenderRow = {
    id: 0,
    sale_id: sale.id,
    kind: 'cash',
    amount_fen: sale.total_fen,
    state: 'paid',
    tendered_fen: tenderedFen,
    change_fen: tenderedFen - sale.total_fen,
    created_at: now,
    settled_at: now,
  };
  tender.id = insertTender(ctx.db, { saleId: sale.id, kind: 'cash', amountFen: tender.amount_fen, state: 'paid', tenderedFen, changeFen: tender.change_fen, createdAt: now });
  changes.openDrawer = true;
  changes.sales.add(sale.id);
  changes.paidSales.add(sale.id);
  changes.saleViews.set(sale.id, saleViewFromRows(sale, { attempts: [], tenders: [tender], lines, refunds: [] }, ctx.policy));
  return { saleId: sale.id, tenderId: tender.id, appliedFen: tender.amount_fen, changeFen: tenderedFen - sale.total_fen };
}
