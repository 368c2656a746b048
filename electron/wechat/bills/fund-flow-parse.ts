import { fen, type Fen } from '../../../shared/money';
import { BillFormatError, parseSignedYuan, unticked } from './bill-format';

/**
 * The fund-flow bill (资金账单: v2 downloadfundflow, v3 fundflowbill): every movement of the merchant's account,
 * for the hub's reconciliation of what was settled. Format (pay.weixin.qq.com "资金账单文件格式说明"; samples in
 * test/fixtures/bills/): header 记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,
 * 账户结余（元）,资金变更提交申请人,备注,业务凭证号 (the amount columns are written with full-width parentheses in the
 * documentation and half-width ones in SDK mocks: both are read), backticked rows, then the summary
 * 资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额 whose counts the documentation writes as `20.0`. Amounts are
 * yuan with two decimals. Not on the counter's hot path: read row by row.
 */

export interface FundFlowLine {
  lineNo: number;
  bookedAt: number;
  /** 微信支付业务单号: the payment's transaction id or the refund's refund id. */
  businessId: string;
  flowId: string;
  businessName: string;
  businessType: string;
  direction: 'income' | 'expense';
  amountFen: Fen;
  balanceFen: Fen;
  applicant: string;
  memo: string;
  /** 业务凭证号: the merchant's order or refund number. */
  voucherNo: string;
}

export interface FundFlowSummary {
  count: number;
  incomeCount: number;
  incomeFen: Fen;
  expenseCount: number;
  expenseFen: Fen;
}

export interface ParsedFundFlowBill {
  lines: FundFlowLine[];
  summary: FundFlowSummary;
  unknownColumns: string[];
}

const COLUMNS = {
  bookedAt: ['记账时间'],
  businessId: ['微信支付业务单号'],
  flowId: ['资金流水单号'],
  businessName: ['业务名称'],
  businessType: ['业务类型'],
  direction: ['收支类型'],
  amount: ['收支金额（元）', '收支金额(元)'],
  balance: ['账户结余（元）', '账户结余(元)'],
  applicant: ['资金变更提交申请人'],
  memo: ['备注'],
  voucherNo: ['业务凭证号'],
} as const;
type ColumnKey = keyof typeof COLUMNS;
const KNOWN = new Set<string>(Object.values(COLUMNS).flat());
const OPTIONAL: readonly ColumnKey[] = ['applicant', 'memo', 'voucherNo', 'balance'];
const SUMMARY_FIRST = '资金流水总笔数';
const TIME = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

function beijingTime(text: string, line: number): number {
  const m = TIME.exec(text);
  if (!m) throw new BillFormatError(`line ${line - 1} 记账时间: not yyyy-MM-dd HH:mm:ss`, line, '记账时间');
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) - 8 * 3_600_000;
}

/** A count as the summary writes it: `3` or `20.0`. */
function countOf(text: string, name: string, line: number): number {
  const m = /^(\d{1,9})(?:\.0+)?$/.exec(text.trim());
  if (!m) throw new BillFormatError(`summary ${name}: not a whole number`, line, name);
  return Number(m[1]);
}

export function parseFundFlowBill(csv: string, options: { verifyTotals?: boolean } = {}): ParsedFundFlowBill {
  const text = csv.charCodeAt(0) === 0xfeff ? csv.slice(1) : csv;
  const rows = text.split(/\r?\n/);
  while (rows.length > 0 && rows[rows.length - 1] === '') rows.pop();
  const names = (rows[0] ?? '').split(',');
  if (rows.length === 0 || names.length < 2) throw new BillFormatError('empty bill', 1, null);
  const col = {} as Record<ColumnKey, number>;
  for (const key of Object.keys(COLUMNS) as ColumnKey[]) {
    const i = names.findIndex((n) => (COLUMNS[key] as readonly string[]).includes(n));
    if (i < 0 && !OPTIONAL.includes(key)) throw new BillFormatError(`bill header lacks ${COLUMNS[key][0]}`, 1, COLUMNS[key][0]);
    col[key] = i;
  }
  const lines: FundFlowLine[] = [];
  let i = 1;
  for (; i < rows.length && !(rows[i] ?? '').startsWith(SUMMARY_FIRST); i++) {
    const fields = (rows[i] ?? '').split(',');
    const line = i + 1;
    const lineNo = lines.length + 1;
    const at = (k: ColumnKey): string => (col[k] < 0 ? '' : unticked(fields[col[k]] ?? ''));
    const directionText = at('direction');
    if (directionText !== '收入' && directionText !== '支出') throw new BillFormatError(`line ${lineNo} 收支类型: neither 收入 nor 支出`, line, '收支类型');
    lines.push({
      lineNo,
      bookedAt: beijingTime(at('bookedAt'), line),
      businessId: at('businessId'),
      flowId: at('flowId'),
      businessName: at('businessName'),
      businessType: at('businessType'),
      direction: directionText === '收入' ? 'income' : 'expense',
      amountFen: parseSignedYuan(at('amount'), `line ${lineNo} 收支金额`, line, names[col.amount] ?? null),
      balanceFen: col.balance < 0 ? fen(0) : parseSignedYuan(at('balance'), `line ${lineNo} 账户结余`, line, names[col.balance] ?? null),
      applicant: at('applicant'),
      memo: at('memo'),
      voucherNo: at('voucherNo'),
    });
  }
  const summaryLine = i + 2;
  const header = rows[i]?.split(',');
  const row = rows[i + 1]?.split(',');
  if (!header || !row) throw new BillFormatError('bill has no summary row', summaryLine, null);
  const get = (name: string): string => {
    const k = header.indexOf(name);
    if (k < 0) throw new BillFormatError(`summary lacks ${name}`, summaryLine, name);
    return unticked(row[k] ?? '');
  };
  const summary: FundFlowSummary = {
    count: countOf(get('资金流水总笔数'), '资金流水总笔数', summaryLine),
    incomeCount: countOf(get('收入笔数'), '收入笔数', summaryLine),
    incomeFen: parseSignedYuan(get('收入金额'), 'summary 收入金额', summaryLine, '收入金额'),
    expenseCount: countOf(get('支出笔数'), '支出笔数', summaryLine),
    expenseFen: parseSignedYuan(get('支出金额'), 'summary 支出金额', summaryLine, '支出金额'),
  };
  if (options.verifyTotals !== false) checkFundFlowTotals(lines, summary, summaryLine);
  return { lines, summary, unknownColumns: names.filter((n) => n !== '' && !KNOWN.has(n)) };
}

/** Every figure of the summary is a count or a sum over the rows. */
function checkFundFlowTotals(lines: readonly FundFlowLine[], s: FundFlowSummary, line: number): void {
  const income = lines.filter((l) => l.direction === 'income');
  const expense = lines.filter((l) => l.direction === 'expense');
  const sum = (ls: FundFlowLine[]): number => ls.reduce((t, l) => t + l.amountFen, 0);
  const checks: [boolean, string][] = [
    [s.count === lines.length, '资金流水总笔数'],
    [s.incomeCount === income.length, '收入笔数'],
    [s.incomeFen === sum(income), '收入金额'],
    [s.expenseCount === expense.length, '支出笔数'],
    [s.expenseFen === sum(expense), '支出金额'],
  ];
  for (const [ok, name] of checks) if (!ok) throw new BillFormatError(`rows do not add up to ${name}`, line, name);
}
