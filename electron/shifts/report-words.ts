import type { ReceiptLang } from '../../shared/receipt';

/** Words on the shift report (printed, PDF, CSV), per language. */
export const REPORT_WORDS = {
  zh: {
    titleX: '交班报表 (X) 中途', titleZ: '交班报表 (Z)', zNo: 'Z 序号', sales: '销售', refunds: '退款', salesTotal: '销售合计',
    refundsTotal: '退款合计', count: '笔', voids: '作废（按收银员）', superseded: '已改用其他方式的支付（按收银员）', none: '无',
    drawer: '钱箱', noSales: '无销售开钱箱', cashIn: '存入现金', cashOut: '取出现金', cash: '现金核对', float: '备用金',
    cashSales: '现金销售', cashRefunds: '现金退款', expected: '应有现金', counted: '实点现金', difference: '差额',
    notCounted: '未清点', countersigned: '店长签核', denominations: '清点明细', pending: '未决交易', pendingNone: '无未决交易',
    check: '微信核对', checkNone: '未核对', matched: '一致（支付）', matchedRefunds: '一致（退款）', mismatches: '不一致',
    unchecked: '未能核对', sha: '校验', copy: '重打', cashier: '收银员', terminal: '终端', from: '开始', to: '结束',
    generated: '生成时间', auditHead: '审计链', section: '项目', item: '名称', value: '数值', countColumn: '笔数', amountColumn: '金额（元）', local: '本地', wechat: '微信',
    paymentAlerts: '待处理收款提醒（可能重复付款）',
  },
  en: {
    titleX: 'Shift report (X) mid-shift', titleZ: 'Shift report (Z)', zNo: 'Z no.', sales: 'Sales', refunds: 'Refunds',
    salesTotal: 'Sales total', refundsTotal: 'Refunds total', count: 'x', voids: 'Voids (by cashier)',
    superseded: 'Superseded payments (by cashier)', none: 'none', drawer: 'Drawer', noSales: 'No-sale openings',
    cashIn: 'Cash in', cashOut: 'Cash out', cash: 'Cash count', float: 'Opening float', cashSales: 'Cash sales',
    cashRefunds: 'Cash refunds', expected: 'Expected cash', counted: 'Counted cash', difference: 'Difference',
    notCounted: 'not counted', countersigned: 'Countersigned', denominations: 'Count detail', pending: 'Pending payments',
    pendingNone: 'No pending payments', check: 'WeChat check', checkNone: 'not checked', matched: 'Matched (payments)',
    matchedRefunds: 'Matched (refunds)', mismatches: 'Mismatches', unchecked: 'Unchecked', sha: 'Checksum', copy: 'COPY',
    cashier: 'Cashier', terminal: 'Terminal', from: 'From', to: 'To', generated: 'Generated', section: 'Section', countColumn: 'Count', amountColumn: 'Amount (CNY)',
    item: 'Item', value: 'Value', local: 'local', wechat: 'WeChat', auditHead: 'Audit chain',
    paymentAlerts: 'Payment alerts to resolve (possibly paid twice)',
  },
} as const satisfies Record<ReceiptLang, Record<string, string>>;
