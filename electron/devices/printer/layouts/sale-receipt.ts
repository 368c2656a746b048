import { formatYuan, type Fen } from '../../../../shared/money';
import type { ReceiptBlock, ReceiptDocument, ReceiptLang } from '../../../../shared/receipt';
import { formatSlipDateTime, LABELS, maskPaymentCodes, sandboxBanner, storeHeader, type Labels } from './common';
import { receiptQrPayload } from '../../../../shared/scan';

export interface SaleReceiptItem {
  name: string;
  quantity: number;
  unitPrice: Fen;
  /** Line amount as the sale computed it (quantity × unit price, less any line discount). */
  amount: Fen;
}

/**
 * How the sale was paid. Deliberately no field for the payment (auth) code or the payer's openid: neither may
 * ever reach paper.
 */
export type SaleTender =
  | { method: 'wechat'; amount: Fen; /** WeChat's transaction_id; absent while the result is unknown. */ transactionId?: string }
  | { method: 'cash'; amount: Fen; tendered: Fen; change: Fen };

export interface SaleReceiptData {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  sandbox: boolean;
  storeName: string;
  storeAddress?: string;
  terminalId: string;
  cashierName: string;
  receiptNo: string;
  /** Epoch ms; printed in Beijing time. */
  soldAt: number;
  items: SaleReceiptItem[];
  subtotal: Fen;
  /** Whole-sale discount, positive fen; omitted or zero prints no line. */
  discount?: Fen;
  total: Fen;
  tenders: SaleTender[];
  footer?: string;
}

export function saleReceiptDocument(sale: SaleReceiptData): ReceiptDocument {
  const l = LABELS[sale.lang];
  const blocks: ReceiptBlock[] = [
    ...(sale.sandbox ? sandboxBanner(sale.lang) : []),
    ...storeHeader(sale.storeName, sale.storeAddress),
    { type: 'rule' },
    { type: 'row', left: `${l.terminal} ${sale.terminalId}`, right: `${l.cashier} ${sale.cashierName}` },
    { type: 'row', left: l.receiptNo, right: sale.receiptNo },
    { type: 'row', left: l.time, right: formatSlipDateTime(sale.soldAt, sale.timeZone) },
    { type: 'rule' },
    ...sale.items.flatMap(itemBlocks),
    { type: 'rule' },
    ...totalBlocks(sale, l),
    { type: 'rule' },
    ...sale.tenders.flatMap((tender) => tenderBlocks(tender, l)),
    { type: 'rule' },
    { type: 'qr', data: receiptQrPayload(sale.terminalId, sale.receiptNo) },
    { type: 'text', text: l.scanForRefund, align: 'center' },
    { type: 'text', text: sale.footer ? maskPaymentCodes(sale.footer) : l.thanks, align: 'center' },
    ...(sale.sandbox ? sandboxBanner(sale.lang) : []),
  ];
  return { version: 1, lang: sale.lang, blocks };
}

function itemBlocks(item: SaleReceiptItem): ReceiptBlock[] {
  return [
    { type: 'text', text: maskPaymentCodes(item.name) },
    { type: 'row', left: `  ${item.quantity} × ${formatYuan(item.unitPrice)}`, right: formatYuan(item.amount) },
  ];
}

function totalBlocks(sale: SaleReceiptData, l: Labels): ReceiptBlock[] {
  const count = sale.items.reduce((sum, item) => sum + item.quantity, 0);
  const blocks: ReceiptBlock[] = [{ type: 'row', left: l.items, right: String(count) }];
  if (sale.discount) {
    blocks.push({ type: 'row', left: l.subtotal, right: formatYuan(sale.subtotal) });
    blocks.push({ type: 'row', left: l.discount, right: `-${formatYuan(sale.discount)}` });
  }
  blocks.push({ type: 'row', left: l.total, right: formatYuan(sale.total), bold: true });
  return blocks;
}

function tenderBlocks(tender: SaleTender, l: Labels): ReceiptBlock[] {
  if (tender.method === 'cash') {
    return [
      { type: 'row', left: l.cash, right: formatYuan(tender.amount) },
      { type: 'row', left: `  ${l.tendered}`, right: formatYuan(tender.tendered) },
      { type: 'row', left: `  ${l.change}`, right: formatYuan(tender.change), bold: true },
    ];
  }
  return [
    { type: 'row', left: l.wechat, right: formatYuan(tender.amount) },
    tender.transactionId
      ? { type: 'row', left: `  ${l.transactionId}`, right: tender.transactionId }
      : { type: 'text', text: `  ${l.wechatPending}` },
  ];
}
