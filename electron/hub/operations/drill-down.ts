import type { SaleDetailView, SaleSummary, ShiftDetailView } from '../../../shared/hub-admin-api';
import { fen, formatYuan } from '../../../shared/money';
import { layoutReceipt, lineText, type ReceiptBlock } from '../../../shared/receipt';
import type { HubDb } from '../db/database';
import { attemptsOfSale, findSale, findShift, linesOfSale, refundsOfReceipt, salesOfShift, tendersOfSales } from '../db/operations';
import { findStoreSettings } from '../db/store-settings';
import { findTerminal } from '../db/terminals';
import { HubHttpError } from '../http/io';

const notFound = (what: string): HubHttpError => new HubHttpError(404, 'NOT_FOUND', `没有这个${what === 'shift' ? '班次' : '销售'} / No such ${what}`);

/** A shift and its sales (the day close's drill-down). */
export async function shiftDetail(db: HubDb, storeId: string, terminalId: string, shiftId: string): Promise<ShiftDetailView> {
  const shift = await findShift(db, storeId, terminalId, shiftId);
  if (!shift) throw notFound('shift');
  const sales = await salesOfShift(db, storeId, terminalId, shiftId);
  const tenders = await tendersOfSales(db, terminalId, sales.map((s) => s.sale_id));
  return {
    storeId, terminalId, shiftId, cashierName: shift.cashier_name, state: shift.state, openedAt: shift.opened_at, closedAt: shift.closed_at,
    zNo: shift.z_no,
    sales: sales.map((s): SaleSummary => ({
      terminalId, saleId: s.sale_id, receiptNo: s.receipt_no, state: s.state, totalFen: s.total_fen, createdAt: s.created_at, paidAt: s.paid_at,
      tenders: tenders.filter((t) => t.sale_id === s.sale_id).map((t) => `${t.kind}:${t.state}`),
    })),
  };
}

/**
 * One sale with its lines, tenders, WeChat attempts (masked codes and payers only, as the facts carry them), the
 * refunds made against its receipt at any counter of the store, and its receipt rebuilt from those facts in the
 * counter's receipt layout (80 mm): the hub has the sale's facts, not the bytes the printer got.
 */
export async function saleDetail(db: HubDb, storeId: string, terminalId: string, saleId: number): Promise<SaleDetailView> {
  const sale = await findSale(db, storeId, terminalId, saleId);
  if (!sale) throw notFound('sale');
  const terminal = await findTerminal(db, terminalId);
  const lines = await linesOfSale(db, terminalId, saleId);
  const tenders = await tendersOfSales(db, terminalId, [saleId]);
  const attempts = await attemptsOfSale(db, terminalId, saleId);
  const refunds = await refundsOfReceipt(db, storeId, sale.receipt_terminal, sale.receipt_no);
  const settings = await findStoreSettings(db, storeId);
  const y = (amount: number): string => formatYuan(fen(amount));
  const blocks: ReceiptBlock[] = [
    { type: 'text', text: terminal?.counter_name ?? terminalId, align: 'center', bold: true },
    { type: 'text', text: `单号 ${sale.receipt_terminal}-${sale.receipt_no}` },
    { type: 'rule' },
    ...lines.map((l): ReceiptBlock => ({ type: 'row', left: `${l.name} ×${l.quantity}`, right: y(l.amount_fen) })),
    { type: 'rule' },
    { type: 'row', left: '合计', right: y(sale.total_fen), bold: true },
    ...tenders.filter((t) => t.state === 'paid').map((t): ReceiptBlock => ({ type: 'row', left: t.kind === 'cash' ? '现金' : '微信支付', right: y(t.amount_fen) })),
    ...tenders.filter((t) => t.change_fen !== null && t.change_fen > 0).map((t): ReceiptBlock => ({ type: 'row', left: '找零', right: y(t.change_fen ?? 0) })),
    ...(settings?.receipt_footer ? [{ type: 'text', text: settings.receipt_footer, align: 'center' } satisfies ReceiptBlock] : []),
  ];
  return {
    storeId, terminalId, counterName: terminal?.counter_name ?? terminalId, saleId, receiptNo: sale.receipt_no, state: sale.state,
    description: sale.description, totalFen: sale.total_fen, cashierId: sale.cashier_id, shiftId: sale.shift_id, createdAt: sale.created_at, paidAt: sale.paid_at,
    lines: lines.map((l) => ({ lineNo: l.line_no, name: l.name, unitFen: l.unit_fen, quantity: l.quantity, amountFen: l.amount_fen })),
    tenders: tenders.map((t) => ({ tenderId: t.tender_id, kind: t.kind, amountFen: t.amount_fen, state: t.state, tenderedFen: t.tendered_fen, changeFen: t.change_fen, outTradeNo: t.out_trade_no })),
    wechatAttempts: attempts.map((a) => ({
      attemptId: a.attempt_id, mode: a.mode, outTradeNo: a.out_trade_no, amountFen: a.amount_fen, state: a.state, authCodeMasked: a.auth_code_masked,
      payerMasked: a.payer_masked, failureCode: a.failure_code, createdAt: a.created_at, resolvedAt: a.resolved_at,
    })),
    refunds: refunds.map((r) => ({ refundId: r.refund_id, kind: r.kind, amountFen: r.amount_fen, state: r.state, reason: r.reason, requestedAt: r.requested_at })),
    receiptLines: layoutReceipt({ version: 1, lang: 'zh', blocks }, 48).map(lineText),
  };
}
