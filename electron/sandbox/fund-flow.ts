import { feeFor, feeToFen } from '../../shared/bill-amounts';
import { fen, fenToYuanString } from '../../shared/money';
import type { Database } from '../db/open';
import { beijingDayStart, BILL_RETENTION_MS, billTime, RATE, READY_AFTER_DAY_END_MS, settleDay } from './bills';
import { getOrder, listOrdersPaidBetween } from './ledger/orders';
import { listRefundsCreatedBetween } from './ledger/refunds';
import { settleRefund } from './state';

/**
 * The fund-flow bill (资金账单, v3 `GET /v3/bill/fundflowbill`) of one Beijing day, built from the ledger in the
 * format electron/wechat/bills/fund-flow-parse.ts reads (pay.weixin.qq.com "资金账单文件格式说明"): UTF-8 BOM, header,
 * backticked rows, the summary 资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额. Rows, in time order: a 交易 income
 * per payment still settled (not reversed), its 扣除交易手续费 expense (0.60 %, rounded to the fen), and a 退款
 * expense per refund applied for that day that was not closed. 账户结余 is the running balance of the day's rows
 * from zero (the sandbox keeps no account across days).
 */

export type FundFlowOutcome = { kind: 'bill'; csv: string } | { kind: 'no-bill' } | { kind: 'creating' } | { kind: 'invalid-date' };

const DAY = 24 * 3_600_000;
const HEADER = ['记账时间', '微信支付业务单号', '资金流水单号', '业务名称', '业务类型', '收支类型', '收支金额（元）', '账户结余（元）', '资金变更提交申请人', '备注', '业务凭证号'];
const SUMMARY = ['资金流水总笔数', '收入笔数', '收入金额', '支出笔数', '支出金额'];

interface FlowRow {
  at: number;
  businessId: string;
  name: string;
  type: string;
  income: boolean;
  amount: number;
  voucher: string;
}

const yuan = (amount: number): string => fenToYuanString(fen(amount));

export function buildFundFlowBill(db: Database, now: number, day: string): FundFlowOutcome {
  const start = beijingDayStart(day);
  if (start === null || start > now || now - start > BILL_RETENTION_MS) return { kind: 'invalid-date' };
  if (now < start + DAY + READY_AFTER_DAY_END_MS) return { kind: 'creating' };
  return db.transaction((): FundFlowOutcome => {
    settleDay(db, now);
    const rows: FlowRow[] = [];
    for (const o of listOrdersPaidBetween(db, start, start + DAY)) {
      if (o.state === 'REVOKED' || o.transactionId === null) continue;
      const at = o.paidAt ?? o.createdAt;
      rows.push({ at, businessId: o.transactionId, name: '交易', type: '交易', income: true, amount: o.totalFee, voucher: o.outTradeNo });
      const fee = feeToFen(feeFor(fen(o.totalFee), RATE));
      if (fee > 0) rows.push({ at, businessId: o.transactionId, name: '扣除交易手续费', type: '扣除交易手续费', income: false, amount: fee, voucher: o.outTradeNo });
    }
    for (const raw of listRefundsCreatedBetween(db, start, start + DAY)) {
      const r = settleRefund(db, raw, now);
      if (r.status === 'CLOSED' || !getOrder(db, r.outTradeNo)) continue;
      rows.push({ at: r.createdAt, businessId: r.refundId, name: '退款', type: '退款', income: false, amount: r.refundFee, voucher: r.outRefundNo });
    }
    if (rows.length === 0) return { kind: 'no-bill' };
    rows.sort((a, b) => a.at - b.at);
    return { kind: 'bill', csv: toCsv(rows) };
  })();
}

function toCsv(rows: FlowRow[]): string {
  let balance = 0;
  const tick = (fields: string[]): string => fields.map((f) => `\`${f}`).join(',');
  const body = rows.map((r, i) => {
    balance += r.income ? r.amount : -r.amount;
    const flowId = `${r.businessId}${String(i + 1).padStart(4, '0')}`;
    return tick([billTime(r.at), r.businessId, flowId, r.name, r.type, r.income ? '收入' : '支出', yuan(r.amount), yuan(balance), '系统', '', r.voucher]);
  });
  const income = rows.filter((r) => r.income);
  const expense = rows.filter((r) => !r.income);
  const sum = (list: FlowRow[]): string => yuan(list.reduce((t, r) => t + r.amount, 0));
  const summary = tick([String(rows.length), String(income.length), sum(income), String(expense.length), sum(expense)]);
  return `\uFEFF${[HEADER.join(','), ...body, SUMMARY.join(','), summary].join('\r\n')}\r\n`;
}
