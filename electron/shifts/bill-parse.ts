import { fen, parseYuan, type Fen } from '../../shared/money';
import { BillRows } from './bill-scan';

/**
 * Parses a WeChat Pay trade bill (对账单) as both API generations deliver it: a header row of column names, data
 * rows whose every field starts with a backtick, a summary header (总交易单数,...) and one backticked summary row.
 * Amounts are yuan with two decimals and become fen exactly (no floating point). Columns are found by name, so
 * the ALL / SUCCESS / REFUND layouts all parse.
 */

export class BillFormatError extends Error {
  override readonly name = 'BillFormatError';
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
  feeFen: Fen;
}

export interface BillSummary {
  count: number;
  settleFen: Fen;
  refundFen: Fen;
  feeFen: Fen;
  orderFen: Fen;
  requestedRefundFen: Fen;
}

export interface ParsedBill {
  lines: ParsedBillLine[];
  summary: BillSummary;
}

const SUMMARY_FIRST = '总交易单数';

function unticked(field: string): string {
  return field.startsWith('`') ? field.slice(1) : field;
}

/** Yuan with an optional minus sign (fees are negative on refund rows) → fen. */
export function parseSignedYuan(text: string, what: string): Fen {
  const t = text.trim();
  const negative = t.startsWith('-');
  const value = parseYuan(negative ? t.slice(1) : t);
  if (value === null) throw new BillFormatError(`${what}: not an amount in yuan`);
  return fen(negative ? 0 - value : value);
}

/** 'yyyy-MM-dd HH:mm:ss' in Beijing time → epoch ms. */
export function parseBillTime(text: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(text);
  if (!m) throw new BillFormatError('trade time is not yyyy-MM-dd HH:mm:ss');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
}

interface Columns {
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
}

function columnsOf(header: string[]): Columns {
  const find = (name: string, required: boolean): number => {
    const i = header.indexOf(name);
    if (i < 0 && required) throw new BillFormatError(`bill header lacks ${name}`);
    return i;
  };
  return {
    time: find('交易时间', true),
    transactionId: find('微信订单号', true),
    outTradeNo: find('商户订单号', true),
    tradeType: find('交易类型', true),
    tradeState: find('交易状态', true),
    settle: find('应结订单金额', true),
    order: find('订单金额', true),
    fee: find('手续费', true),
    refundId: find('微信退款单号', false),
    outRefundNo: find('商户退款单号', false),
    refundFen: find('退款金额', false),
    refundStatus: find('退款状态', false),
  };
}

function summaryOf(header: string[], row: string[]): BillSummary {
  const get = (name: string): string => {
    const i = header.indexOf(name);
    if (i < 0) throw new BillFormatError(`summary lacks ${name}`);
    return unticked(row[i] ?? '');
  };
  const count = Number(get('总交易单数'));
  if (!Number.isSafeInteger(count) || count < 0) throw new BillFormatError('summary count is not a whole number');
  return {
    count,
    settleFen: parseSignedYuan(get('应结订单总金额'), 'summary 应结订单总金额'),
    refundFen: parseSignedYuan(get('退款总金额'), 'summary 退款总金额'),
    feeFen: parseSignedYuan(get('手续费总金额'), 'summary 手续费总金额'),
    orderFen: parseSignedYuan(get('订单总金额'), 'summary 订单总金额'),
    requestedRefundFen: parseSignedYuan(get('申请退款总金额'), 'summary 申请退款总金额'),
  };
}

/** Checks the rows against the summary row: a truncated or altered file is refused, not half-matched. */
function checkTotals(lines: readonly ParsedBillLine[], s: BillSummary): void {
  if (lines.length !== s.count) throw new BillFormatError(`summary says ${s.count} rows, the bill has ${lines.length}`);
  let settle = 0;
  let refund = 0;
  for (const l of lines) {
    // A refund row repeats its order's 应结订单金额, but only payment rows add to the total.
    if (l.kind === 'payment') settle += l.settleFen;
    refund += l.refundFen;
  }
  if (settle !== s.settleFen) throw new BillFormatError('rows do not add up to 应结订单总金额');
  if (refund !== s.refundFen) throw new BillFormatError('rows do not add up to 退款总金额');
}

/** Reads data rows into lines, column positions found once from the header. */
class LineReader {
  private readonly width: number;

  constructor(
    private readonly rows: BillRows,
    private readonly c: Columns,
  ) {
    const read = [c.time, c.transactionId, c.outTradeNo, c.tradeType, c.tradeState, c.settle, c.order, c.fee, c.refundId, c.outRefundNo, c.refundFen, c.refundStatus];
    this.width = Math.max(...read) + 1;
  }

  /** An amount in its usual form is read in place; anything else goes through parseSignedYuan (and its refusal). */
  private amount(i: number, what: string): Fen {
    const value = this.rows.fenOf(i);
    return value === null ? parseSignedYuan(this.rows.field(i), what) : fen(value);
  }

  /** The current row as a line (the same checks, in the same order, as the row-splitting parser did). */
  read(lineNo: number): ParsedBillLine {
    const { rows, c } = this;
    rows.splitFields(this.width);
    const tradeState = rows.field(c.tradeState);
    const isRefund = tradeState === 'REFUND';
    const outRefundNo = isRefund ? rows.field(c.outRefundNo) : '';
    if (isRefund && !outRefundNo) throw new BillFormatError(`line ${lineNo}: refund row without 商户退款单号`);
    const tradeTime = rows.beijingTimeOf(c.time);
    if (tradeTime === null) throw new BillFormatError(`line ${lineNo} 交易时间: not yyyy-MM-dd HH:mm:ss`);
    return {
      lineNo,
      kind: isRefund ? 'refund' : 'payment',
      tradeTime,
      transactionId: rows.field(c.transactionId),
      outTradeNo: rows.field(c.outTradeNo),
      tradeType: rows.field(c.tradeType),
      tradeState,
      settleFen: this.amount(c.settle, `line ${lineNo} 应结订单金额`),
      orderFen: this.amount(c.order, `line ${lineNo} 订单金额`),
      outRefundNo: isRefund ? outRefundNo : null,
      refundId: isRefund ? rows.field(c.refundId) || null : null,
      refundFen: isRefund ? this.amount(c.refundFen, `line ${lineNo} 退款金额`) : fen(0),
      refundStatus: isRefund ? rows.field(c.refundStatus) || null : null,
      feeFen: this.amount(c.fee, `line ${lineNo} 手续费`),
    };
  }
}

/**
 * One pass over the text (see bill-scan.ts): only the columns the app keeps are cut out of each row. Rows up to
 * the summary header (总交易单数...) are lines; the row after it is the summary, checked against the lines.
 */
export function parseBill(csv: string): ParsedBill {
  const rows = new BillRows(csv);
  if (!rows.advance()) throw new BillFormatError('empty bill');
  const reader = new LineReader(rows, columnsOf(rows.row().split(',')));
  const lines: ParsedBillLine[] = [];
  let more = rows.advance();
  while (more && !rows.rowStartsWith(SUMMARY_FIRST)) {
    lines.push(reader.read(lines.length + 1));
    more = rows.advance();
  }
  const summaryHeader = more ? rows.row().split(',') : null;
  if (summaryHeader === null || !rows.advance()) throw new BillFormatError('bill has no summary row');
  const summary = summaryOf(summaryHeader, rows.row().split(','));
  checkTotals(lines, summary);
  return { lines, summary };
}
