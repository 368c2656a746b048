import { formatStoreDateTime } from '../../../../shared/clock';
import { maskAuthCode } from '../../../../shared/mask';
import type { ReceiptBlock, ReceiptLang } from '../../../../shared/receipt';

/** Words printed on receipts, per language. Keys are what a layout asks for. */
export const LABELS = {
  zh: {
    terminal: '终端', cashier: '收银员', receiptNo: '小票号', time: '时间', items: '商品数量', subtotal: '小计',
    discount: '优惠', total: '合计', wechat: '微信支付', cash: '现金', transactionId: '微信单号',
    tendered: '实收', change: '找零', wechatPending: '微信支付结果待确认', scanForRefund: '退货请出示此码',
    thanks: '谢谢惠顾，欢迎再次光临', sandbox: '*** 沙箱 ***', sandboxNote: '测试交易，未实际收付款',
    refundTitle: '退款凭证', refundNo: '退款单号', originalReceipt: '原小票号', refundAmount: '退款金额',
    refundMethod: '退款方式', refundId: '微信退款单号', refundDone: '退款成功', refundPending: '退款处理中',
    refundPendingNote: '离线时发起，联网后自动提交，请留意到账', reason: '原因', signature: '顾客签字：',
    refundSentNote: '已提交微信支付，退款成功后将另打印凭证',
    shiftFrom: '开始', shiftTo: '结束', printedAt: '打印时间',
  },
  en: {
    terminal: 'Terminal', cashier: 'Cashier', receiptNo: 'Receipt', time: 'Time', items: 'Items',
    subtotal: 'Subtotal', discount: 'Discount', total: 'TOTAL', wechat: 'WeChat Pay', cash: 'Cash',
    transactionId: 'WeChat txn', tendered: 'Tendered', change: 'Change', wechatPending: 'WeChat result pending',
    scanForRefund: 'Show this code for returns', thanks: 'Thank you, come again', sandbox: '*** SANDBOX ***',
    sandboxNote: 'Test transaction, no money moved', refundTitle: 'REFUND', refundNo: 'Refund no.',
    originalReceipt: 'Orig. receipt', refundAmount: 'Refund amount', refundMethod: 'Refund to',
    refundId: 'WeChat refund id', refundDone: 'REFUNDED', refundPending: 'REFUND PENDING',
    refundPendingNote: 'Requested offline; submitted once online, watch for the credit', reason: 'Reason',
    refundSentNote: 'Sent to WeChat Pay; another slip prints once it succeeds',
    signature: 'Customer signature:', shiftFrom: 'From', shiftTo: 'To', printedAt: 'Printed',
  },
} as const satisfies Record<ReceiptLang, Record<string, string>>;

export type Labels = (typeof LABELS)[ReceiptLang];

/** 2024-05-01 14:03:22 in the store's time zone (Beijing unless settings say otherwise), whatever the OS's zone. */
export function formatSlipDateTime(epochMs: number, timeZone?: string): string {
  return formatStoreDateTime(epochMs, timeZone);
}

/** Store name large and centred, then the address. */
export function storeHeader(storeName: string, storeAddress?: string): ReceiptBlock[] {
  const blocks: ReceiptBlock[] = [{ type: 'text', text: storeName, align: 'center', bold: true, size: 'double' }];
  if (storeAddress) blocks.push({ type: 'text', text: storeAddress, align: 'center' });
  return blocks;
}

/** Printed at the top and bottom in sandbox mode so a test slip can never pass for a real one. */
export function sandboxBanner(lang: ReceiptLang): ReceiptBlock[] {
  const l = LABELS[lang];
  return [
    { type: 'text', text: l.sandbox, align: 'center', bold: true, size: 'double' },
    { type: 'text', text: l.sandboxNote, align: 'center' },
  ];
}

/**
 * A payment code scanned into the wrong field can end up in free text (an item name, a note). Receipts never
 * show one: any standalone WeChat payment code (18 digits, 10–15…) or Alipay code (16–24 digits, 25–30…) is masked.
 */
export function maskPaymentCodes(text: string): string {
  return text
    .replace(/(?<!\d)1[0-5]\d{16}(?!\d)/g, (code) => maskAuthCode(code))
    .replace(/(?<!\d)(?:2[5-9]|30)\d{14,22}(?!\d)/g, (code) => maskAuthCode(code));
}
