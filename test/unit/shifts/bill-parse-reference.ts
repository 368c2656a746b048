/**
 * The bill parser written the plain way, as the reference the property tests compare the one-pass parser
 * (electron/wechat/bills/bill-parse.ts, bill-scan.ts) with: split into rows, split each row into fields, a regular
 * expression per amount, fee, rate and time. The header, the summary and the totals are read by the same
 * functions (bill-format.ts): only the reading of data rows differs.
 */
import { feeToFen } from '../../../shared/bill-amounts';
import { fen } from '../../../shared/money';
import {
  BillFormatError,
  checkTotals,
  parseRate,
  parseSignedFee,
  parseSignedYuan,
  readHeader,
  readSummary,
  SUMMARY_FIRSTS,
  unticked,
  type Columns,
  type ParsedBill,
  type ParsedBillLine,
} from '../../../electron/wechat/bills/bill-format';

const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function lineOf(fields: string[], c: Columns, lineNo: number): ParsedBillLine {
  const at = (i: number): string => (i < 0 ? '' : unticked(fields[i] ?? ''));
  const line = lineNo + 1;
  const money = (i: number, name: string) => parseSignedYuan(at(i), `line ${lineNo} ${name}`, line, name);
  const tradeState = at(c.tradeState);
  const isRefund = tradeState === 'REFUND';
  const outRefundNo = at(c.outRefundNo);
  if (isRefund && !outRefundNo) throw new BillFormatError(`line ${lineNo}: refund row without 商户退款单号`, line, '商户退款单号');
  const m = TIME.exec(at(c.time));
  if (!m) throw new BillFormatError(`line ${lineNo} 交易时间: not yyyy-MM-dd HH:mm:ss`, line, '交易时间');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const settleFen = money(c.settle, '应结订单金额');
  const orderFen = money(c.order, '订单金额');
  const refundFen = isRefund ? money(c.refundFen, '退款金额') : fen(0);
  const fee = parseSignedFee(at(c.fee), `line ${lineNo} 手续费`, line, '手续费');
  return {
    lineNo,
    kind: isRefund ? 'refund' : 'payment',
    tradeTime: Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000,
    transactionId: at(c.transactionId),
    outTradeNo: at(c.outTradeNo),
    tradeType: at(c.tradeType),
    tradeState,
    settleFen,
    orderFen,
    outRefundNo: isRefund ? outRefundNo : null,
    refundId: isRefund ? at(c.refundId) || null : null,
    refundFen,
    refundStatus: isRefund ? at(c.refundStatus) || null : null,
    feeFen: feeToFen(fee),
    feeMilliFen: fee,
    couponRefundFen: isRefund && c.couponRefund >= 0 ? money(c.couponRefund, '充值券退款金额') : fen(0),
    requestedRefundFen: isRefund && c.requestedRefund >= 0 ? money(c.requestedRefund, '申请退款金额') : fen(0),
    ratePpm: c.rate < 0 ? null : parseRate(at(c.rate), `line ${lineNo} 费率`, line),
  };
}

export function parseBillBySplitting(csv: string): ParsedBill {
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const rows = text.split(/\r?\n/);
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const headerLine = rows[0];
  if (headerLine === undefined) throw new BillFormatError('empty bill', 1, null);
  const header = readHeader(headerLine.split(','));
  const lines: ParsedBillLine[] = [];
  let i = 1;
  for (; i < rows.length; i++) {
    const row = rows[i] ?? '';
    if (SUMMARY_FIRSTS.some((first) => row.startsWith(first))) break;
    lines.push(lineOf(row.split(','), header.columns, lines.length + 1));
  }
  const summaryHeader = rows[i];
  const summaryRow = rows[i + 1];
  const summaryLine = lines.length + 3;
  if (summaryHeader === undefined || summaryRow === undefined) throw new BillFormatError('bill has no summary row', summaryLine, null);
  const summary = readSummary(header.billType, summaryHeader.split(','), summaryRow.split(','), summaryLine);
  checkTotals(lines, summary, header.columns, summaryLine);
  return { lines, summary, unknownColumns: header.unknownColumns };
}
