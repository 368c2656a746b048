import { fen } from '../../../../shared/money';
import type { SaleReceiptData } from '../../../../electron/devices/printer/layouts/sale-receipt';
import type { RefundSlipData } from '../../../../electron/devices/printer/layouts/refund-slip';
import type { ShiftReportData } from '../../../../electron/devices/printer/layouts/shift-report';

/** 2024-05-01 14:03:22 Beijing time (06:03:22 UTC). */
export const SOLD_AT = Date.UTC(2024, 4, 1, 6, 3, 22);

export const WECHAT_TRANSACTION_ID = '4200002024050112345678901234';

export function sampleSale(overrides: Partial<SaleReceiptData> = {}): SaleReceiptData {
  return {
    lang: 'zh',
    sandbox: false,
    storeName: '好邻居便利店',
    storeAddress: '上海市浦东新区世纪大道100号',
    terminalId: 'T01',
    cashierName: '张三',
    receiptNo: '20240501-0007',
    soldAt: SOLD_AT,
    items: [
      { name: '可口可乐 330ml', quantity: 2, unitPrice: fen(350), amount: fen(700) },
      { name: '农夫山泉天然饮用水550ml（整箱特惠装，限购一箱）', quantity: 1, unitPrice: fen(2990), amount: fen(2990) },
      { name: 'Instant noodles', quantity: 3, unitPrice: fen(450), amount: fen(1350) },
    ],
    subtotal: fen(5040),
    discount: fen(40),
    total: fen(5000),
    tenders: [
      { method: 'wechat', amount: fen(3000), transactionId: WECHAT_TRANSACTION_ID },
      { method: 'cash', amount: fen(2000), tendered: fen(5000), change: fen(3000) },
    ],
    ...overrides,
  };
}

export function sampleRefund(overrides: Partial<RefundSlipData> = {}): RefundSlipData {
  return {
    lang: 'zh',
    sandbox: false,
    storeName: '好邻居便利店',
    terminalId: 'T01',
    cashierName: '张三',
    refundNo: 'R20240501-0002',
    originalReceiptNo: '20240501-0007',
    requestedAt: SOLD_AT + 3_600_000,
    amount: fen(700),
    method: 'wechat',
    state: 'done',
    wechatRefundId: '50300001232024050112345678901',
    reason: '商品破损',
    ...overrides,
  };
}

export function sampleShiftReport(overrides: Partial<ShiftReportData> = {}): ShiftReportData {
  return {
    lang: 'zh',
    sandbox: false,
    title: '交班报表 (Z)',
    storeName: '好邻居便利店',
    terminalId: 'T01',
    cashierName: '张三',
    openedAt: SOLD_AT - 4 * 3_600_000,
    closedAt: SOLD_AT + 4 * 3_600_000,
    printedAt: SOLD_AT + 4 * 3_600_000 + 60_000,
    sections: [
      { title: '销售', rows: [{ label: '微信支付 (12笔)', value: '￥356.00' }, { label: '现金 (5笔)', value: '￥120.50' }] },
      { title: '钱箱', rows: [{ label: '无销售开钱箱', value: '2' }, { label: '应有现金', value: '￥620.50', bold: true }] },
    ],
    ...overrides,
  };
}
