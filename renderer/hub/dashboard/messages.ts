import { pageMessages } from '../i18n/messages';

/** The chain dashboard's texts (#/dashboard). */
export const dashboardMessages = pageMessages(
  {
    'dashboard.title': '经营看板', 'dashboard.from': '开始日期', 'dashboard.to': '结束日期', 'dashboard.store': '门店',
    'dashboard.allStores': '全部门店', 'dashboard.last7': '近 7 天', 'dashboard.last30': '近 30 天', 'dashboard.show': '查看',
    'dashboard.loading': '正在计算…', 'dashboard.previous': '上期 {from} 至 {to}', 'dashboard.vsPrevious': '较上期 {change}',
    'dashboard.noPrevious': '上期无数据', 'dashboard.sales': '销售额', 'dashboard.salesCount': '销售笔数', 'dashboard.averageTicket': '客单价',
    'dashboard.successRate': '支付成功率', 'dashboard.refundShare': '退款占比', 'dashboard.p95': '扫码到结果 P95', 'dashboard.p50': '扫码到结果 P50',
    'dashboard.none': '—', 'dashboard.overLast': '超过 120 秒', 'dashboard.byHour': '按小时销售笔数', 'dashboard.byWeekday': '按星期销售额（元）',
    'dashboard.tenders': '支付方式构成', 'dashboard.tickets': '客单价分布（笔数）', 'dashboard.funnel': '微信支付漏斗', 'dashboard.latency': '扫码到结果耗时分布',
    'dashboard.current': '本期', 'dashboard.previousShort': '上期', 'dashboard.scanned': '已扫码', 'dashboard.sent': '已发送', 'dashboard.paid': '已支付',
    'dashboard.failed': '失败', 'dashboard.abandoned': '放弃', 'dashboard.needsAttention': '待处理', 'dashboard.failures': '失败原因',
    'dashboard.code': '原因代码', 'dashboard.count': '笔数', 'dashboard.amount': '金额', 'dashboard.refunds': '退款原因', 'dashboard.reason': '原因',
    'dashboard.noReason': '（未填写）', 'dashboard.peak': '高峰时段 {hours} 慢支付（超过 {seconds} 秒）占比', 'dashboard.noPeak': '高峰时段无刷卡支付',
    'dashboard.byStore': '各门店', 'dashboard.storeName': '门店', 'dashboard.exports': '导出', 'dashboard.export.sales': '销售明细',
    'dashboard.export.refunds': '退款明细', 'dashboard.export.shifts': '班次', 'dashboard.export.day-closes': '日结', 'dashboard.cash': '现金',
    'dashboard.wechat-code': '微信付款码', 'dashboard.wechat-qr': '微信扫码', 'dashboard.weekdays': '一,二,三,四,五,六,日', 'dashboard.under': '{yuan} 元以下',
    'dashboard.over': '{yuan} 元及以上', 'dashboard.error': '无法读取看板：{message}', 'dashboard.badPeriod': '开始日期不能晚于结束日期',
  },
  {
    'dashboard.title': 'Dashboard', 'dashboard.from': 'From', 'dashboard.to': 'To', 'dashboard.store': 'Store',
    'dashboard.allStores': 'All stores', 'dashboard.last7': 'Last 7 days', 'dashboard.last30': 'Last 30 days', 'dashboard.show': 'Show',
    'dashboard.loading': 'Computing…', 'dashboard.previous': 'Previous period {from} to {to}', 'dashboard.vsPrevious': '{change} vs previous',
    'dashboard.noPrevious': 'no previous data', 'dashboard.sales': 'Sales', 'dashboard.salesCount': 'Number of sales', 'dashboard.averageTicket': 'Average ticket',
    'dashboard.successRate': 'Payment success rate', 'dashboard.refundShare': 'Refund share', 'dashboard.p95': 'Scan to result P95', 'dashboard.p50': 'Scan to result P50',
    'dashboard.none': '—', 'dashboard.overLast': 'over 120 s', 'dashboard.byHour': 'Sales by hour (count)', 'dashboard.byWeekday': 'Sales by weekday (¥)',
    'dashboard.tenders': 'Tender mix', 'dashboard.tickets': 'Ticket sizes (count)', 'dashboard.funnel': 'WeChat payment funnel', 'dashboard.latency': 'Scan to result times',
    'dashboard.current': 'This period', 'dashboard.previousShort': 'Previous', 'dashboard.scanned': 'Scanned', 'dashboard.sent': 'Sent', 'dashboard.paid': 'Paid',
    'dashboard.failed': 'Failed', 'dashboard.abandoned': 'Abandoned', 'dashboard.needsAttention': 'Needs attention', 'dashboard.failures': 'Failure reasons',
    'dashboard.code': 'Code', 'dashboard.count': 'Count', 'dashboard.amount': 'Amount', 'dashboard.refunds': 'Refund reasons', 'dashboard.reason': 'Reason',
    'dashboard.noReason': '(none given)', 'dashboard.peak': 'Slow payments (over {seconds} s) at peak hours {hours}', 'dashboard.noPeak': 'No card payments at peak hours',
    'dashboard.byStore': 'By store', 'dashboard.storeName': 'Store', 'dashboard.exports': 'Export', 'dashboard.export.sales': 'Sales',
    'dashboard.export.refunds': 'Refunds', 'dashboard.export.shifts': 'Shifts', 'dashboard.export.day-closes': 'Day closes', 'dashboard.cash': 'Cash',
    'dashboard.wechat-code': 'WeChat payment code', 'dashboard.wechat-qr': 'WeChat QR', 'dashboard.weekdays': 'Mon,Tue,Wed,Thu,Fri,Sat,Sun', 'dashboard.under': 'under ¥{yuan}',
    'dashboard.over': '¥{yuan} and over', 'dashboard.error': 'Cannot read the dashboard: {message}', 'dashboard.badPeriod': 'The start date must not be after the end date',
  },
);
