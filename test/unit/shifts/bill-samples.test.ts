import { describe, expect, it } from 'vitest';
import { BillFormatError, parseBill } from '../../../electron/wechat/bills/bill-parse';
import { parseFundFlowBill } from '../../../electron/wechat/bills/fund-flow-parse';
import {
  CLOUDRUN_DOC_ALL_2022,
  FUNDFLOW_DOC_2018,
  GO_SDK_FUNDFLOW_2021,
  GO_SDK_TRADEBILL_2021,
  JAVA_REFUND_BILL_2024,
  RUST_SDK_FEE_2018,
  V2_DOC_ALL_2014,
} from '../../fixtures/bills/official-samples';

function formatError(run: () => unknown): BillFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillFormatError) return error;
    throw error;
  }
  throw new Error('expected a BillFormatError');
}

describe('published WeChat Pay trade bills', () => {
  it('reads a whole live bill with fees of five decimals and a 1.00% rate', () => {
    const bill = parseBill(GO_SDK_TRADEBILL_2021.text);
    expect(bill.lines.map((l) => [l.outTradeNo, l.tradeType, l.settleFen, l.orderFen, l.feeMilliFen, l.ratePpm])).toEqual([
      ['S20210128170702357723', 'NATIVE', 1, 1, 0, 10_000],
      ['S20210128153505214586', 'NATIVE', 1, 1, 0, 10_000],
      ['S20210128165824499930', 'NATIVE', 1, 1, 0, 10_000],
    ]);
    expect(bill.summary).toMatchObject({ billType: 'ALL', count: 3, settleFen: 3, refundFen: 0, feeMilliFen: 0, orderFen: 3, requestedRefundFen: 0 });
    expect(bill.unknownColumns).toEqual([]);
  });

  it('reads refund rows as the live service writes them: 0.00 settled and ordered, the money in 退款金额 and 申请退款金额', () => {
    const bill = parseBill(JAVA_REFUND_BILL_2024.text);
    expect(bill.lines.map((l) => [l.kind, l.outRefundNo, l.settleFen, l.orderFen, l.refundFen, l.requestedRefundFen, l.refundStatus, l.ratePpm])).toEqual([
      ['payment', null, 2, 2, 0, 0, null, 9000],
      ['refund', 'R1747268742516264960', 0, 0, 1, 1, 'SUCCESS', 9000],
      ['refund', 'R1747275041228390400', 0, 0, 1, 1, 'SUCCESS', 9000],
    ]);
    expect(bill.summary).toMatchObject({ count: 3, settleFen: 2, refundFen: 2, couponRefundFen: 0, orderFen: 2, requestedRefundFen: 2 });
    expect(bill.lines[1]?.tradeTime).toBe(Date.UTC(2024, 0, 16, 14, 45, 16));
  });

  it('keeps a fee of 0.01000 exact and rounds it to 1 fen where fen are stored', () => {
    const bill = parseBill(RUST_SDK_FEE_2018.text);
    expect(bill.lines[0]).toMatchObject({ orderFen: 10_000, settleFen: 10_000, feeMilliFen: 1000, feeFen: 1, ratePpm: 6000, refundFen: 0 });
    expect(bill.summary).toMatchObject({ feeMilliFen: 1000, feeFen: 1 });
  });

  it('reads the abridged documentation sample row and summary, and refuses it as a whole bill because 1 row is not 12', () => {
    const read = parseBill(CLOUDRUN_DOC_ALL_2022.text, { verifyTotals: false });
    expect(read.lines[0]).toMatchObject({ outTradeNo: '2021WERUN1647840687637', tradeType: 'JSAPI', settleFen: 1, feeMilliFen: 0, ratePpm: 9000 });
    expect(read.summary).toMatchObject({ count: 12, settleFen: 6, refundFen: 6, orderFen: 6, requestedRefundFen: 6, feeMilliFen: 0 });
    const error = formatError(() => parseBill(CLOUDRUN_DOC_ALL_2022.text));
    expect(error.message).toBe('summary says 12 rows, the bill has 1');
    expect(error.line).toBe(4);
  });

  it('refuses the pre-2018 format (总金额 instead of 应结订单金额), naming the missing column on line 1', () => {
    const error = formatError(() => parseBill(V2_DOC_ALL_2014.text));
    expect([error.message, error.line, error.column]).toEqual(['bill header lacks 应结订单金额', 1, '应结订单金额']);
  });
});

describe('published WeChat Pay fund-flow bills', () => {
  it('reads the documentation sample (full-width parentheses, counts written 20.0) and refuses it as a whole day', () => {
    const read = parseFundFlowBill(FUNDFLOW_DOC_2018.text, { verifyTotals: false });
    expect(read.lines).toEqual([
      expect.objectContaining({ businessId: '50000305742018020103387128253', direction: 'expense', amountFen: 2, balanceFen: 17, voucherNo: 'REF4200000068201801293084726067' }),
    ]);
    expect(read.summary).toEqual({ count: 20, incomeCount: 17, incomeFen: 35, expenseCount: 3, expenseFen: 18 });
    expect(formatError(() => parseFundFlowBill(FUNDFLOW_DOC_2018.text)).column).toBe('资金流水总笔数');
  });

  it('reads half-width parentheses as well', () => {
    const read = parseFundFlowBill(GO_SDK_FUNDFLOW_2021.text, { verifyTotals: false });
    expect(read.lines.map((l) => [l.direction, l.amountFen, l.balanceFen, l.voucherNo])).toEqual([
      ['expense', 1, 22, 'S20210201135356381941'],
      ['expense', 1, 21, 'S20210201140044552846'],
    ]);
    expect(read.unknownColumns).toEqual([]);
  });

  it('accepts a whole fund-flow day whose summary is its rows, and names the column when it is not', () => {
    const head = GO_SDK_FUNDFLOW_2021.text.split('\n').slice(0, 3).join('\n');
    const whole = `${head}\n资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\n\`2,\`0,\`0.00,\`2,\`0.02\n`;
    expect(parseFundFlowBill(whole).summary.expenseFen).toBe(2);
    expect(formatError(() => parseFundFlowBill(whole.replace('`0.02\n', '`0.03\n'))).column).toBe('支出金额');
  });
});
