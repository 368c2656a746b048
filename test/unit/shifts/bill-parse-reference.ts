/**
 * The bill parser as it was before the one-pass scanner (electron/shifts/bill-scan.ts): split into rows, split
 * each row into fields, a regular expression per amount and time. Kept as the reference the property tests
 * compare the fast parser with. Only the trade-time error's wording differs (the fast parser names the line).
 */
import { fen } from '../../../shared/money';
import {
  BillFormatError,
  parseBillTime,
  parseSignedYuan,
  type BillSummary,
  type ParsedBill,
  type ParsedBillLine,
} from '../../../electron/shifts/bill-parse';

const SUMMARY_FIRST = '总交易单数';

function unticked(field: string): string {
  return field.startsWith('`') ? field.slice(1) : field;
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

function lineOf(fields: string[], c: Columns, lineNo: number): ParsedBillLine {
  const at = (i: number): string => (i < 0 ? '' : unticked(fields[i] ?? ''));
  const tradeState = at(c.tradeState);
  const isRefund = tradeState === 'REFUND';
  const outRefundNo = at(c.outRefundNo);
  if (isRefund && !outRefundNo) throw new BillFormatError(`line ${lineNo}: refund row without 商户退款单号`);
  return {
    lineNo,
    kind: isRefund ? 'refund' : 'payment',
    tradeTime: parseBillTime(at(c.time)),
    transactionId: at(c.transactionId),
    outTradeNo: at(c.outTradeNo),
    tradeType: at(c.tradeType),
    tradeState,
    settleFen: parseSignedYuan(at(c.settle), `line ${lineNo} 应结订单金额`),
    orderFen: parseSignedYuan(at(c.order), `line ${lineNo} 订单金额`),
    outRefundNo: isRefund ? outRefundNo : null,
    refundId: isRefund ? at(c.refundId) || null : null,
    refundFen: isRefund ? parseSignedYuan(at(c.refundFen), `line ${lineNo} 退款金额`) : fen(0),
    refundStatus: isRefund ? at(c.refundStatus) || null : null,
    feeFen: parseSignedYuan(at(c.fee), `line ${lineNo} 手续费`),
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

export function parseBillBySplitting(csv: string): ParsedBill {
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const rows = text.split(/\r?\n/);
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const headerLine = rows[0];
  if (headerLine === undefined) throw new BillFormatError('empty bill');
  const columns = columnsOf(headerLine.split(','));
  const lines: ParsedBillLine[] = [];
  let i = 1;
  for (; i < rows.length; i++) {
    const row = rows[i] ?? '';
    if (row.startsWith(SUMMARY_FIRST)) break;
    lines.push(lineOf(row.split(','), columns, lines.length + 1));
  }
  const summaryHeader = rows[i];
  const summaryRow = rows[i + 1];
  if (summaryHeader === undefined || summaryRow === undefined) throw new BillFormatError('bill has no summary row');
  const summary = summaryOf(summaryHeader.split(','), summaryRow.split(','));
  checkTotals(lines, summary);
  return { lines, summary };
}
