import { feeMilliFen, feeToFen, type FeeMilliFen, type RatePpm } from '../../../shared/bill-amounts';
import { fen, type Fen } from '../../../shared/money';
import {
  BillFormatError,
  checkTotals,
  parseRate,
  parseSignedFee,
  parseSignedYuan,
  readHeader,
  readSummary,
  SUMMARY_FIRSTS,
  type Columns,
  type ParsedBill,
  type ParsedBillLine,
} from './bill-format';
import { BillRows } from './bill-scan';

/**
 * Parses a WeChat Pay trade bill (对账单) as the live service writes it (format and its sources: bill-format.ts).
 * Amounts become fen and fees milli-fen exactly (no floating point). Columns are found by name, so the ALL /
 * SUCCESS / REFUND layouts all parse.
 */

export { BillFormatError, parseBillTime, parseSignedYuan, type BillSummary, type ParsedBill, type ParsedBillLine } from './bill-format';

/** Reads data rows into lines, column positions found once from the header. */
class LineReader {
  private readonly width: number;

  constructor(
    private readonly rows: BillRows,
    private readonly c: Columns,
  ) {
    this.width = Math.max(...(Object.values(c) as number[])) + 1;
  }

  /** An amount in its usual form is read in place; anything else goes through parseSignedYuan (and its refusal). */
  private amount(i: number, lineNo: number, name: string): Fen {
    const value = this.rows.fenOf(i);
    return value === null ? parseSignedYuan(this.rows.field(i), `line ${lineNo} ${name}`, lineNo + 1, name) : fen(value);
  }

  /** An optional amount column: 0 when the bill has no such column. */
  private optionalAmount(i: number, lineNo: number, name: string): Fen {
    return i < 0 ? fen(0) : this.amount(i, lineNo, name);
  }

  private fee(i: number, lineNo: number): FeeMilliFen {
    const value = this.rows.milliFenOf(i);
    return value === null ? parseSignedFee(this.rows.field(i), `line ${lineNo} 手续费`, lineNo + 1, '手续费') : feeMilliFen(value);
  }

  private rate(i: number, lineNo: number): RatePpm | null {
    if (i < 0) return null;
    const value = this.rows.ratePpmOf(i);
    return value === null ? parseRate(this.rows.field(i), `line ${lineNo} 费率`, lineNo + 1) : (value as RatePpm);
  }

  /** The current row as a line. The checks run in a fixed order (the reference parser in the tests keeps it). */
  read(lineNo: number): ParsedBillLine {
    const { rows, c } = this;
    rows.splitFields(this.width);
    const tradeState = rows.field(c.tradeState);
    const isRefund = tradeState === 'REFUND';
    const outRefundNo = isRefund ? rows.field(c.outRefundNo) : '';
    if (isRefund && !outRefundNo) throw new BillFormatError(`line ${lineNo}: refund row without 商户退款单号`, lineNo + 1, '商户退款单号');
    const tradeTime = rows.beijingTimeOf(c.time);
    if (tradeTime === null) throw new BillFormatError(`line ${lineNo} 交易时间: not yyyy-MM-dd HH:mm:ss`, lineNo + 1, '交易时间');
    const settleFen = this.amount(c.settle, lineNo, '应结订单金额');
    const orderFen = this.amount(c.order, lineNo, '订单金额');
    const refundFen = isRefund ? this.amount(c.refundFen, lineNo, '退款金额') : fen(0);
    const fee = this.fee(c.fee, lineNo);
    return {
      lineNo,
      kind: isRefund ? 'refund' : 'payment',
      tradeTime,
      transactionId: rows.field(c.transactionId),
      outTradeNo: rows.field(c.outTradeNo),
      tradeType: rows.field(c.tradeType),
      tradeState,
      settleFen,
      orderFen,
      outRefundNo: isRefund ? outRefundNo : null,
      refundId: isRefund ? rows.field(c.refundId) || null : null,
      refundFen,
      refundStatus: isRefund ? rows.field(c.refundStatus) || null : null,
      feeFen: feeToFen(fee),
      feeMilliFen: fee,
      couponRefundFen: isRefund ? this.optionalAmount(c.couponRefund, lineNo, '充值券退款金额') : fen(0),
      requestedRefundFen: isRefund ? this.optionalAmount(c.requestedRefund, lineNo, '申请退款金额') : fen(0),
      ratePpm: this.rate(c.rate, lineNo),
    };
  }
}

const startsSummary = (rows: BillRows): boolean => SUMMARY_FIRSTS.some((first) => rows.rowStartsWith(first));

/**
 * One pass over the text (see bill-scan.ts): only the columns the app keeps are cut out of each row. Rows up to
 * the summary header (总交易单数... or 总退款单数...) are lines; the row after it is the summary, checked against
 * the lines.
 */
export function parseBill(csv: string, options: { verifyTotals?: boolean } = {}): ParsedBill {
  const rows = new BillRows(csv);
  if (!rows.advance()) throw new BillFormatError('empty bill', 1, null);
  const header = readHeader(rows.row().split(','));
  const reader = new LineReader(rows, header.columns);
  const lines: ParsedBillLine[] = [];
  let more = rows.advance();
  while (more && !startsSummary(rows)) {
    lines.push(reader.read(lines.length + 1));
    more = rows.advance();
  }
  const summaryHeader = more ? rows.row().split(',') : null;
  const summaryLine = lines.length + 3;
  if (summaryHeader === null || !rows.advance()) throw new BillFormatError('bill has no summary row', summaryLine, null);
  const summary = readSummary(header.billType, summaryHeader, rows.row().split(','), summaryLine);
  // Only documentation samples (one row shown, the whole day's summary) are read without the check.
  if (options.verifyTotals !== false) checkTotals(lines, summary, header.columns, summaryLine);
  return { lines, summary, unknownColumns: header.unknownColumns };
}
