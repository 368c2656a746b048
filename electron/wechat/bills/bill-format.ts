import { feeMilliFen, feeToFen, parseFeeYuan, parseRatePercent, type FeeMilliFen, type RatePpm } from '../../../shared/bill-amounts';
import { fen, parseYuan, type Fen } from '../../../shared/money';

/**
 * The trade bill's format (交易账单), as the live service writes it for both API generations (v2 downloadbill,
 * v3 tradebill + download_url): a header row of column names, data rows whose every field starts with a
 * backtick, a summary header and one backticked summary row. Specification: pay.weixin.qq.com "交易账单文件格式说明"
 * (docs/merchant/products/bill-download/format-trade.html) and the v2 downloadbill page (doc/v2/merchant/4011987833);
 * samples as fixtures in test/fixtures/bills/. What the live files hold, checked against those samples and
 * WxJava's / wechatpay-go's tests:
 * - amounts (应结订单金额, 订单金额, 退款金额, …) are yuan with two decimals; fees (手续费, 手续费总金额) have five
 *   (`0.01000`), negative on refund rows; rates are percentages (`0.60%`);
 * - a refund row (交易状态 REFUND) has 应结订单金额 and 订单金额 `0.00`: the money is in 退款金额 / 申请退款金额,
 *   so every summary total is the plain sum of its column;
 * - the three types (ALL, SUCCESS, REFUND) have different columns (SUCCESS has no refund columns, REFUND has
 *   退款申请时间 / 退款成功时间) and different summaries (see SUMMARY_REQUIRED). Columns are found by name.
 * Columns the app does not know are tolerated (WeChat adds columns at the end over the years) and reported.
 */

export type TradeBillType = 'ALL' | 'SUCCESS' | 'REFUND';

/** Where a bill could not be read: `line` is the line of the file (1 = the header), `column` a column's name. */
export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
  constructor(
    message: string,
    readonly line: number | null = null,
    readonly column: string | null = null,
  ) {
    super(message);
  }
}

export interface ParsedBillLine {
  lineNo: number;
  kind: 'payment' | 'refund';
  tradeTime: number;
  transactionId: string;
  outTradeNo: string;
  tradeType: string;
  /** SUCCESS, REVOKED or REFUND (a refund row). */
  tradeState: string;
  settleFen: Fen;
  orderFen: Fen;
  outRefundNo: string | null;
  refundId: string | null;
  refundFen: Fen;
  refundStatus: string | null;
  /** The fee to the fen (rounded half away from zero, see feeToFen); the exact value is feeMilliFen. */
  feeFen: Fen;
  feeMilliFen: FeeMilliFen;
  /** 充值券退款金额 (0 when the bill has no such column). */
  couponRefundFen: Fen;
  /** 申请退款金额 (0 when the bill has no such column). */
  requestedRefundFen: Fen;
  /** 费率, null when the field is empty or the bill has no such column. */
  ratePpm: RatePpm | null;
}

/** The summary row: totals the type has, null for the ones it does not. */
export interface BillSummary {
  billType: TradeBillType;
  count: number;
  settleFen: Fen | null;
  refundFen: Fen | null;
  couponRefundFen: Fen | null;
  /** 手续费总金额 exactly, and rounded once to the fen. */
  feeMilliFen: FeeMilliFen;
  feeFen: Fen;
  orderFen: Fen | null;
  requestedRefundFen: Fen | null;
}

export interface ParsedBill {
  lines: ParsedBillLine[];
  summary: BillSummary;
  /** Header columns the app does not know (tolerated; the caller logs them once). */
  unknownColumns: string[];
}

const COMMON = ['交易时间', '公众账号ID', '商户号', '特约商户号', '设备号', '微信订单号', '商户订单号', '用户标识', '交易类型', '交易状态', '付款银行', '货币种类', '应结订单金额', '代金券金额'];
/** The header of each type, in WeChat's order (the sandbox writes these). */
export const TRADE_BILL_HEADERS: Record<TradeBillType, readonly string[]> = {
  ALL: [...COMMON, '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
  SUCCESS: [...COMMON, '商品名称', '商户数据包', '手续费', '费率', '订单金额', '费率备注'],
  REFUND: [...COMMON, '退款申请时间', '退款成功时间', '微信退款单号', '商户退款单号', '退款金额', '充值券退款金额', '退款类型', '退款状态', '商品名称', '商户数据包', '手续费', '费率', '订单金额', '申请退款金额', '费率备注'],
};
const KNOWN_COLUMNS = new Set(Object.values(TRADE_BILL_HEADERS).flat());

/** The first field of a summary header: trade bills count 交易单数; a REFUND bill may count 退款单数. */
export const SUMMARY_FIRSTS = ['总交易单数', '总退款单数'] as const;

/** The summary header of each type, as the sandbox writes it. */
export const TRADE_BILL_SUMMARY_HEADERS: Record<TradeBillType, readonly string[]> = {
  ALL: ['总交易单数', '应结订单总金额', '退款总金额', '充值券退款总金额', '手续费总金额', '订单总金额', '申请退款总金额'],
  SUCCESS: ['总交易单数', '应结订单总金额', '手续费总金额', '订单总金额'],
  REFUND: ['总退款单数', '退款总金额', '充值券退款总金额', '手续费总金额', '申请退款总金额'],
};

/** Summary fields a bill of the type must have; the others are checked when present. */
const SUMMARY_REQUIRED: Record<TradeBillType, readonly string[]> = {
  ALL: ['应结订单总金额', '退款总金额', '手续费总金额', '订单总金额'],
  SUCCESS: ['应结订单总金额', '手续费总金额', '订单总金额'],
  REFUND: ['退款总金额', '手续费总金额'],
};

export interface Columns {
  time: number;
  transactionId: number;
  outTradeNo: number;
  tradeType: number;
  tradeState: number;
  settle: number;
  order: number;
  fee: number;
  refundId: number;
  outRefundNo: number;
  refundFen: number;
  refundStatus: number;
  couponRefund: number;
  requestedRefund: number;
  rate: number;
}

export interface BillHeader {
  billType: TradeBillType;
  columns: Columns;
  names: string[];
  unknownColumns: string[];
}

/** The bill's columns by name; a missing required column is an error naming it (line 1 of the file). */
export function readHeader(names: string[]): BillHeader {
  const find = (name: string, required: boolean): number => {
    const i = names.indexOf(name);
    if (i < 0 && required) throw new BillFormatError(`bill header lacks ${name}`, 1, name);
    return i;
  };
  const billType: TradeBillType = names.includes('退款申请时间') ? 'REFUND' : names.includes('微信退款单号') ? 'ALL' : 'SUCCESS';
  const columns: Columns = {
    time: find('交易时间', true),
    transactionId: find('微信订单号', true),
    outTradeNo: find('商户订单号', true),
    tradeType: find('交易类型', true),
    tradeState: find('交易状态', true),
    settle: find('应结订单金额', true),
    order: find('订单金额', true),
    fee: find('手续费', true),
    refundId: find('微信退款单号', false),
    outRefundNo: find('商户退款单号', billType !== 'SUCCESS'),
    refundFen: find('退款金额', billType !== 'SUCCESS'),
    refundStatus: find('退款状态', false),
    couponRefund: find('充值券退款金额', false),
    requestedRefund: find('申请退款金额', false),
    rate: find('费率', false),
  };
  const unknownColumns = names.filter((n) => n !== '' && !KNOWN_COLUMNS.has(n));
  return { billType, columns, names, unknownColumns };
}

export function unticked(field: string): string {
  return field.startsWith('`') ? field.slice(1) : field;
}

/** Yuan with an optional minus sign (two decimals at most) → fen. */
export function parseSignedYuan(text: string, what: string, line: number | null = null, column: string | null = null): Fen {
  const t = text.trim();
  const negative = t.startsWith('-');
  const value = parseYuan(negative ? t.slice(1) : t);
  if (value === null) throw new BillFormatError(`${what}: not an amount in yuan`, line, column);
  return fen(negative ? 0 - value : value);
}

/** A fee (five decimals at most, optional sign) → milli-fen. */
export function parseSignedFee(text: string, what: string, line: number | null = null, column: string | null = null): FeeMilliFen {
  const value = parseFeeYuan(text.trim());
  if (value === null) throw new BillFormatError(`${what}: not a fee in yuan (up to five decimals)`, line, column);
  return value;
}

/** A rate: empty → null; `0.60%` → ppm; anything else is an error. */
export function parseRate(text: string, what: string, line: number | null = null): RatePpm | null {
  const t = text.trim();
  if (t === '') return null;
  const value = parseRatePercent(t);
  if (value === null) throw new BillFormatError(`${what}: not a rate like 0.60%`, line, '费率');
  return value;
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time → epoch ms. */
export function parseBillTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new BillFormatError('trade time is not yyyy-MM-dd HH:mm:ss');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
}

/** The summary row of a bill of `billType`; `line` is the summary row's line in the file. */
export function readSummary(billType: TradeBillType, header: string[], row: string[], line: number): BillSummary {
  const at = (name: string): string | null => {
    const i = header.indexOf(name);
    return i < 0 ? null : unticked(row[i] ?? '');
  };
  for (const name of SUMMARY_REQUIRED[billType]) if (at(name) === null) throw new BillFormatError(`summary lacks ${name}`, line, name);
  const countName = SUMMARY_FIRSTS.find((n) => header.includes(n)) ?? SUMMARY_FIRSTS[0];
  const countText = at(countName) ?? '';
  const count = /^\d{1,9}$/.test(countText) ? Number(countText) : NaN;
  if (!Number.isSafeInteger(count)) throw new BillFormatError('summary count is not a whole number', line, countName);
  const money = (name: string): Fen | null => {
    const text = at(name);
    return text === null ? null : parseSignedYuan(text, `summary ${name}`, line, name);
  };
  const feeText = at('手续费总金额') ?? '';
  const fee = parseSignedFee(feeText, 'summary 手续费总金额', line, '手续费总金额');
  return {
    billType,
    count,
    settleFen: money('应结订单总金额'),
    refundFen: money('退款总金额'),
    couponRefundFen: money('充值券退款总金额'),
    feeMilliFen: fee,
    feeFen: feeToFen(fee),
    orderFen: money('订单总金额'),
    requestedRefundFen: money('申请退款总金额'),
  };
}

/**
 * Checks the rows against the summary: a truncated or altered file is refused, not half-matched. Every total the
 * summary has is the sum of its column (the format says so; refund rows hold 0.00 in 应结订单金额 and 订单金额).
 * A total whose column the bill lacks is not checked.
 */
export function checkTotals(lines: readonly ParsedBillLine[], s: BillSummary, c: Columns, line: number): void {
  if (lines.length !== s.count) throw new BillFormatError(`summary says ${s.count} rows, the bill has ${lines.length}`, line, null);
  let settle = 0;
  let order = 0;
  let refund = 0;
  let coupon = 0;
  let requested = 0;
  let fee = 0;
  for (const l of lines) {
    settle += l.settleFen;
    order += l.orderFen;
    refund += l.refundFen;
    coupon += l.couponRefundFen;
    requested += l.requestedRefundFen;
    fee += l.feeMilliFen;
  }
  const check = (total: number | null, sum: number, name: string, present: boolean): void => {
    if (total !== null && present && total !== sum) throw new BillFormatError(`rows do not add up to ${name}`, line, name);
  };
  check(s.settleFen, settle, '应结订单总金额', true);
  check(s.refundFen, refund, '退款总金额', c.refundFen >= 0);
  check(s.couponRefundFen, coupon, '充值券退款总金额', c.couponRefund >= 0);
  check(feeMilliFen(s.feeMilliFen), fee, '手续费总金额', true);
  check(s.orderFen, order, '订单总金额', true);
  check(s.requestedRefundFen, requested, '申请退款总金额', c.requestedRefund >= 0);
}
