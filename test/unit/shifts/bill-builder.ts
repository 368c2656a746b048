/**
 * A reference bill writer for the parser's property tests: writes lines the way WeChat Pay lays a trade bill out
 * (one of the ALL / SUCCESS / REFUND column layouts, every field backticked, summary header and row), with the
 * freedoms the format leaves (BOM or not, \r\n or \n, trailing line breaks, amounts as "12", "12.5" or "12.50").
 */
import fc from 'fast-check';
import { feeMilliFen, feeToFen, formatFeeYuan, formatRatePercent, type RatePpm } from '../../../shared/bill-amounts';
import { fen, type Fen } from '../../../shared/money';
import { TRADE_BILL_HEADERS, TRADE_BILL_SUMMARY_HEADERS, type ParsedBill, type ParsedBillLine, type TradeBillType } from '../../../electron/wechat/bills/bill-format';

export type Layout = TradeBillType;

export const HEADERS: Record<Layout, readonly string[]> = TRADE_BILL_HEADERS;

/** How an amount is written: WeChat writes two decimals (five for fees); the parser also takes fewer. */
export type YuanStyle = 'two' | 'short';

export interface BillShape {
  layout: Layout;
  lines: ParsedBillLine[];
  bom: boolean;
  newline: '\r\n' | '\n';
  trailingBreaks: number;
  yuanStyle: YuanStyle;
  /** The columns in this order (indexes into HEADERS[layout]): the parser finds columns by name. */
  columnOrder: number[];
}

export function yuanText(amount: number, style: YuanStyle): string {
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  const whole = Math.floor(abs / 100);
  const cents = abs % 100;
  if (style === 'two') return `${sign}${whole}.${String(cents).padStart(2, '0')}`;
  if (cents === 0) return `${sign}${whole}`;
  return cents % 10 === 0 ? `${sign}${whole}.${cents / 10}` : `${sign}${whole}.${String(cents).padStart(2, '0')}`;
}

/** A fee: five decimals as WeChat writes it, or as few as needed. */
export function feeText(fee: number, style: YuanStyle): string {
  const full = formatFeeYuan(feeMilliFen(fee));
  return style === 'two' ? full : full.replace(/\.?0+$/, '');
}

/** Epoch ms → 'yyyy-MM-dd HH:mm:ss' in Beijing time. */
export function beijingText(epochMs: number): string {
  const d = new Date(epochMs + 8 * 3_600_000);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`;
}

function fieldsOf(l: ParsedBillLine, layout: Layout, style: YuanStyle): string[] {
  const y = (amount: number): string => yuanText(amount, style);
  const byName: Record<string, string> = {
    交易时间: beijingText(l.tradeTime), 公众账号ID: 'wx0a1b', 商户号: '1900000001', 特约商户号: '0', 设备号: '', 微信订单号: l.transactionId,
    商户订单号: l.outTradeNo, 用户标识: 'oUser', 交易类型: l.tradeType, 交易状态: l.tradeState, 付款银行: 'OTHERS', 货币种类: 'CNY',
    应结订单金额: y(l.settleFen), 代金券金额: '0.00', 退款申请时间: beijingText(l.tradeTime), 退款成功时间: '',
    // Payment rows carry 0 in the refund columns; a refund row without a WeChat refund id is read as null.
    微信退款单号: l.kind === 'refund' ? (l.refundId ?? '') : '0', 商户退款单号: l.outRefundNo ?? '0', 退款金额: y(l.refundFen), 充值券退款金额: y(l.couponRefundFen), 退款类型: l.kind === 'refund' ? 'ORIGINAL' : '',
    退款状态: l.refundStatus ?? '', 商品名称: '货品，一', 商户数据包: '', 手续费: feeText(l.feeMilliFen, style), 费率: l.ratePpm === null ? '' : formatRatePercent(l.ratePpm), 订单金额: y(l.orderFen),
    申请退款金额: y(l.requestedRefundFen), 费率备注: '',
  };
  return HEADERS[layout].map((name) => byName[name] ?? '');
}

const reordered = <T>(items: readonly T[], order: readonly number[]): T[] => order.map((i) => items[i] as T);

const ticked = (fields: readonly string[]): string => fields.map((f) => `\`${f}`).join(',');

/** What the parser must return for these lines: each total the layout's summary has is the sum of its column. */
export function expectedBill(lines: ParsedBillLine[], layout: Layout): ParsedBill {
  const sum = (pick: (l: ParsedBillLine) => number): Fen => fen(lines.reduce((s, l) => s + pick(l), 0));
  const has = (name: string): boolean => TRADE_BILL_SUMMARY_HEADERS[layout].includes(name);
  const fee = feeMilliFen(lines.reduce((s, l) => s + l.feeMilliFen, 0));
  return {
    lines,
    summary: {
      billType: layout,
      count: lines.length,
      settleFen: has('应结订单总金额') ? sum((l) => l.settleFen) : null,
      refundFen: has('退款总金额') ? sum((l) => l.refundFen) : null,
      couponRefundFen: has('充值券退款总金额') ? sum((l) => l.couponRefundFen) : null,
      feeMilliFen: fee,
      feeFen: feeToFen(fee),
      orderFen: has('订单总金额') ? sum((l) => l.orderFen) : null,
      requestedRefundFen: has('申请退款总金额') ? sum((l) => l.requestedRefundFen) : null,
    },
    unknownColumns: [],
  };
}

/** The bill's text, as rows (without BOM and line breaks) and as the whole file. */
export function billRows(shape: BillShape): string[] {
  const { summary } = expectedBill(shape.lines, shape.layout);
  const y = (amount: number | null): string => yuanText(amount ?? 0, shape.yuanStyle);
  const byName: Record<string, string> = {
    总交易单数: String(summary.count), 总退款单数: String(summary.count), 应结订单总金额: y(summary.settleFen), 退款总金额: y(summary.refundFen),
    充值券退款总金额: y(summary.couponRefundFen), 手续费总金额: feeText(summary.feeMilliFen, shape.yuanStyle), 订单总金额: y(summary.orderFen),
    申请退款总金额: y(summary.requestedRefundFen),
  };
  const summaryHeader = TRADE_BILL_SUMMARY_HEADERS[shape.layout];
  return [
    reordered(HEADERS[shape.layout], shape.columnOrder).join(','),
    ...shape.lines.map((l) => ticked(reordered(fieldsOf(l, shape.layout, shape.yuanStyle), shape.columnOrder))),
    summaryHeader.join(','),
    ticked(summaryHeader.map((name) => byName[name] ?? '')),
  ];
}

export function billText(shape: BillShape, rows = billRows(shape)): string {
  return `${shape.bom ? '\uFEFF' : ''}${rows.join(shape.newline)}${shape.newline.repeat(shape.trailingBreaks)}`;
}

const id = fc.stringMatching(/^[0-9A-Za-z_-]{1,32}$/);
/** parseYuan takes at most nine digits of whole yuan: the summary of 30 such lines must still fit. */
const MAX_LINES = 30;
const amount = fc.integer({ min: 0, max: Math.floor(999_999_999_99 / MAX_LINES) });
/** 2001 to 2099, or (more often, as in a real bill) within one year: rows on the same day of different months. */
const tradeTime = fc
  .oneof(fc.integer({ min: 978_307_200, max: 4_102_444_799 }), fc.integer({ min: 1_735_660_800, max: 1_767_196_799 }), fc.integer({ min: 1_741_881_600, max: 1_741_967_999 }))
  .map((s) => s * 1000);

/** Fees in milli-fen: any five-decimal value, not only whole fen (the parser must not assume WeChat rounds). */
const feeArb = fc.integer({ min: 0, max: 1_000_000_000 });
const rateArb = fc.option(fc.constantFrom(6000, 3800, 10_000, 2000, 6250), { nil: null });
const payment = fc.record({ outTradeNo: id, transactionId: id, tradeTime, order: amount, revoked: fc.boolean(), fee: feeArb, rate: rateArb, tradeType: fc.constantFrom('MICROPAY', 'NATIVE', 'JSAPI') });
const refund = fc.record({
  outTradeNo: id, transactionId: id, tradeTime, order: amount, refund: amount, outRefundNo: id, refundId: fc.option(id, { nil: null }),
  refundStatus: fc.option(fc.constantFrom('SUCCESS', 'PROCESSING', 'CHANGE'), { nil: null }), fee: feeArb, rate: rateArb, coupon: fc.integer({ min: 0, max: 100 }),
});

/** Random lines in the shape the parser returns (numbered 1..n). */
export function linesArb(layout: Layout): fc.Arbitrary<ParsedBillLine[]> {
  const paymentLine = payment.map((p): Omit<ParsedBillLine, 'lineNo'> => ({
    kind: 'payment', tradeTime: p.tradeTime, transactionId: p.transactionId, outTradeNo: p.outTradeNo, tradeType: p.tradeType,
    tradeState: p.revoked ? 'REVOKED' : 'SUCCESS', settleFen: fen(p.revoked ? 0 : p.order), orderFen: fen(p.order), outRefundNo: null,
    refundId: null, refundFen: fen(0), refundStatus: null, feeFen: feeToFen(feeMilliFen(p.revoked ? 0 : p.fee)), feeMilliFen: feeMilliFen(p.revoked ? 0 : p.fee),
    couponRefundFen: fen(0), requestedRefundFen: fen(0), ratePpm: p.rate as RatePpm | null,
  }));
  const refundLine = refund.map((r): Omit<ParsedBillLine, 'lineNo'> => ({
    kind: 'refund', tradeTime: r.tradeTime, transactionId: r.transactionId, outTradeNo: r.outTradeNo, tradeType: 'MICROPAY', tradeState: 'REFUND',
    // As the live service writes a refund row: 应结订单金额 and 订单金额 are 0.00, the money is in the refund columns.
    settleFen: fen(0), orderFen: fen(0), outRefundNo: r.outRefundNo, refundId: r.refundId, refundFen: fen(r.refund),
    refundStatus: r.refundStatus, feeFen: feeToFen(feeMilliFen(0 - r.fee)), feeMilliFen: feeMilliFen(0 - r.fee),
    couponRefundFen: fen(r.coupon), requestedRefundFen: fen(r.refund), ratePpm: r.rate as RatePpm | null,
  }));
  const one = layout === 'SUCCESS' ? paymentLine : layout === 'REFUND' ? refundLine : fc.oneof(paymentLine, refundLine);
  return fc.array(one, { maxLength: MAX_LINES }).map((lines) => lines.map((l, i) => ({ lineNo: i + 1, ...l })));
}

export const shapeArb: fc.Arbitrary<BillShape> = fc.constantFrom<Layout>('ALL', 'SUCCESS', 'REFUND').chain((layout) =>
  fc.record({
    layout: fc.constant(layout),
    lines: linesArb(layout),
    bom: fc.boolean(),
    newline: fc.constantFrom<'\r\n' | '\n'>('\r\n', '\n'),
    trailingBreaks: fc.integer({ min: 0, max: 2 }),
    yuanStyle: fc.constantFrom<YuanStyle>('two', 'short'),
    columnOrder: fc.oneof(fc.constant(HEADERS[layout].map((_, i) => i)), fc.shuffledSubarray(HEADERS[layout].map((_, i) => i), { minLength: HEADERS[layout].length })),
  }),
);
