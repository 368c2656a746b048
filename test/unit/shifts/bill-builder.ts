/**
 * A reference bill writer for the parser's property tests: writes lines the way WeChat Pay lays a trade bill out
 * (one of the ALL / SUCCESS / REFUND column layouts, every field backticked, summary header and row), with the
 * freedoms the format leaves (BOM or not, \r\n or \n, trailing line breaks, amounts as "12", "12.5" or "12.50").
 */
import fc from 'fast-check';
import { fen, type Fen } from '../../../shared/money';
import type { ParsedBill, ParsedBillLine } from '../../../electron/shifts/bill-parse';

export type Layout = 'ALL' | 'SUCCESS' | 'REFUND';

const COMMON = ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额'];
export const HEADERS: Record<Layout, string[]> = {
  ALL: [...COMMON, '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
  SUCCESS: [...COMMON, '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注'],
  REFUND: [...COMMON, '退款申请时间', '退款成功时间', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
};
const SUMMARY_HEADER = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';

/** How an amount is written: WeChat writes two decimals; the parser also takes fewer. */
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
    微信退款单号: l.kind === 'refund' ? (l.refundId ?? '') : '0', 商户退款单号: l.outRefundNo ?? '0', 退款金额: y(l.refundFen), 充值券退款金额: '0.00', 退款类型: l.kind === 'refund' ? 'ORIGINAL' : '',
    退款状态: l.refundStatus ?? '', 商品名称: '货品，一', 商户数据包: '', 手续费: y(l.feeFen), 费率: '0.60%', 订单金额: y(l.orderFen),
    申请退款金额: y(l.refundFen), 费率备注: '',
  };
  return HEADERS[layout].map((name) => byName[name] ?? '');
}

const reordered = <T>(items: readonly T[], order: readonly number[]): T[] => order.map((i) => items[i] as T);

const ticked = (fields: readonly string[]): string => fields.map((f) => `\`${f}`).join(',');

/** What the parser must return for these lines: the summary adds up payment settles and refund amounts. */
export function expectedBill(lines: ParsedBillLine[]): ParsedBill {
  const sum = (pick: (l: ParsedBillLine) => number): Fen => fen(lines.reduce((s, l) => s + pick(l), 0));
  return {
    lines,
    summary: {
      count: lines.length,
      settleFen: sum((l) => (l.kind === 'payment' ? l.settleFen : 0)),
      refundFen: sum((l) => l.refundFen),
      feeFen: sum((l) => l.feeFen),
      orderFen: sum((l) => l.orderFen),
      requestedRefundFen: sum((l) => l.refundFen),
    },
  };
}

/** The bill's text, as rows (without BOM and line breaks) and as the whole file. */
export function billRows(shape: BillShape): string[] {
  const { summary } = expectedBill(shape.lines);
  const y = (amount: number): string => yuanText(amount, shape.yuanStyle);
  return [
    reordered(HEADERS[shape.layout], shape.columnOrder).join(','),
    ...shape.lines.map((l) => ticked(reordered(fieldsOf(l, shape.layout, shape.yuanStyle), shape.columnOrder))),
    SUMMARY_HEADER,
    ticked([String(summary.count), y(summary.settleFen), y(summary.refundFen), '0.00', y(summary.feeFen), y(summary.orderFen), y(summary.requestedRefundFen)]),
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

const payment = fc.record({ outTradeNo: id, transactionId: id, tradeTime, order: amount, revoked: fc.boolean(), fee: fc.integer({ min: 0, max: 1_000_000 }), tradeType: fc.constantFrom('MICROPAY', 'NATIVE', 'JSAPI') });
const refund = fc.record({
  outTradeNo: id, transactionId: id, tradeTime, order: amount, refund: amount, outRefundNo: id, refundId: fc.option(id, { nil: null }),
  refundStatus: fc.option(fc.constantFrom('SUCCESS', 'PROCESSING', 'CHANGE'), { nil: null }), fee: fc.integer({ min: 0, max: 1_000_000 }),
});

/** Random lines in the shape the parser returns (numbered 1..n). */
export function linesArb(layout: Layout): fc.Arbitrary<ParsedBillLine[]> {
  const paymentLine = payment.map((p): Omit<ParsedBillLine, 'lineNo'> => ({
    kind: 'payment', tradeTime: p.tradeTime, transactionId: p.transactionId, outTradeNo: p.outTradeNo, tradeType: p.tradeType,
    tradeState: p.revoked ? 'REVOKED' : 'SUCCESS', settleFen: fen(p.revoked ? 0 : p.order), orderFen: fen(p.order), outRefundNo: null,
    refundId: null, refundFen: fen(0), refundStatus: null, feeFen: fen(p.revoked ? 0 : p.fee),
  }));
  const refundLine = refund.map((r): Omit<ParsedBillLine, 'lineNo'> => ({
    kind: 'refund', tradeTime: r.tradeTime, transactionId: r.transactionId, outTradeNo: r.outTradeNo, tradeType: 'MICROPAY', tradeState: 'REFUND',
    settleFen: fen(r.order), orderFen: fen(r.order), outRefundNo: r.outRefundNo, refundId: r.refundId, refundFen: fen(r.refund),
    refundStatus: r.refundStatus, feeFen: fen(0 - r.fee),
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
