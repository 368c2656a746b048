import { formatYuan, type Fen } from '../../../../shared/money';
import type { ReceiptBlock, ReceiptDocument, ReceiptLang } from '../../../../shared/receipt';
import { formatSlipDateTime, LABELS, maskPaymentCodes, sandboxBanner, storeHeader } from './common';

export interface RefundSlipData {
  lang: ReceiptLang;
  /** The store's time zone (settings.timeZone); Asia/Shanghai when absent. */
  timeZone?: string;
  sandbox: boolean;
  storeName: string;
  storeAddress?: string;
  terminalId: string;
  cashierName: string;
  refundNo: string;
  originalReceiptNo: string;
  /** Epoch ms the refund was requested; printed in Beijing time. */
  requestedAt: number;
  amount: Fen;
  method: 'wechat' | 'cash';
  /**
   * The refund's real state when the slip prints: 'done' (cash, or WeChat confirmed it); 'pending' (sent to WeChat,
   * not confirmed yet: a second slip follows when it succeeds); 'offline' (requested while WeChat was unreachable:
   * it goes out once online). Neither of the last two claims that money moved.
   */
  state: 'done' | 'pending' | 'offline';
  /** WeChat's refund_id once known. */
  wechatRefundId?: string;
  reason?: string;
}

export function refundSlipDocument(refund: RefundSlipData): ReceiptDocument {
  const l = LABELS[refund.lang];
  const pending = refund.state !== 'done';
  const blocks: ReceiptBlock[] = [
    ...(refund.sandbox ? sandboxBanner(refund.lang) : []),
    ...storeHeader(refund.storeName, refund.storeAddress),
    { type: 'text', text: l.refundTitle, align: 'center', bold: true },
    { type: 'rule' },
    { type: 'row', left: `${l.terminal} ${refund.terminalId}`, right: `${l.cashier} ${refund.cashierName}` },
    { type: 'row', left: l.refundNo, right: refund.refundNo },
    { type: 'row', left: l.originalReceipt, right: refund.originalReceiptNo },
    { type: 'row', left: l.time, right: formatSlipDateTime(refund.requestedAt, refund.timeZone) },
    { type: 'rule' },
    { type: 'row', left: l.refundMethod, right: refund.method === 'wechat' ? l.wechat : l.cash },
    { type: 'row', left: l.refundAmount, right: formatYuan(refund.amount), bold: true },
  ];
  if (refund.wechatRefundId) blocks.push({ type: 'row', left: l.refundId, right: refund.wechatRefundId });
  if (refund.reason) blocks.push({ type: 'row', left: l.reason, right: maskPaymentCodes(refund.reason) });
  blocks.push(
    { type: 'rule' },
    { type: 'text', text: pending ? l.refundPending : l.refundDone, align: 'center', bold: true, size: 'double' },
  );
  if (refund.state === 'offline') blocks.push({ type: 'text', text: l.refundPendingNote, align: 'center' });
  if (refund.state === 'pending') blocks.push({ type: 'text', text: l.refundSentNote, align: 'center' });
  blocks.push({ type: 'blank' }, { type: 'text', text: l.signature }, { type: 'blank' });
  if (refund.sandbox) blocks.push(...sandboxBanner(refund.lang));
  return { version: 1, lang: refund.lang, blocks };
}
