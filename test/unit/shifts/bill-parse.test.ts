import { describe, expect, it } from 'vitest';
import { BillFormatError, parseBill, parseBillTime } from '../../../electron/wechat/bills/bill-parse';
import { TRADE_BILL_HEADERS } from '../../../electron/wechat/bills/bill-format';

const HEAD = TRADE_BILL_HEADERS.ALL.join(',');
const SUMMARY_HEAD = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const tick = (fields: string[]): string => fields.map((f) => `\`${f}`).join(',');
/** A payment row in the live format: fee with five decimals, rate as a percentage. */
const pay = (no: string, amount: string, state = 'SUCCESS', fee = '0.01000'): string =>
  tick(['2025-03-14 23:59:59', 'wx1', '190', '0', '', `42${no}`, no, 'o1', 'MICROPAY', state, 'OTHERS', 'CNY', state === 'REVOKED' ? '0.00' : amount, '0.00', '0', '0', '0.00', '0.00', '', '', '货品，一', '', fee, '0.60%', amount, '0.00', '']);
/** A refund row as the live service writes it: 应结订单金额 and 订单金额 are 0.00. */
const refund = (no: string, refundNo: string, amount: string, fee = '-0.01000'): string =>
  tick(['2025-03-14 12:00:00', 'wx1', '190', '0', '', `42${no}`, no, 'o1', 'MICROPAY', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', `50${refundNo}`, refundNo, amount, '0.00', 'ORIGINAL', 'SUCCESS', '货品', '', fee, '0.60%', '0.00', amount, '']);

function bill(rows: string[], summary: string[], head = HEAD, summaryHead = SUMMARY_HEAD): string {
  return `\uFEFF${[head, ...rows, summaryHead, tick(summary)].join('\r\n')}\r\n`;
}

function formatError(run: () => unknown): BillFormatError {
  try {
    run();
  } catch (error) {
    if (error instanceof BillFormatError) return error;
    throw error;
  }
  throw new Error('expected a BillFormatError');
}

describe('parseBill', () => {
  it('turns yuan into exact fen, fees into exact milli-fen, and keeps payment and refund rows apart', () => {
    const parsed = parseBill(
      bill([pay('A1', '0.07', 'SUCCESS', '0.00000'), pay('A2', '1234567.89', 'SUCCESS', '7407.40734'), refund('A2', 'R1', '0.10', '-0.00060'), pay('A3', '5.00', 'REVOKED', '0')], [
        '4', '1234567.96', '0.10', '0.00', '7407.40674', '1234572.96', '0.10',
      ]),
    );
    expect(parsed.lines.map((l) => [l.kind, l.outTradeNo, l.orderFen, l.settleFen, l.outRefundNo, l.refundFen, l.feeMilliFen, l.feeFen])).toEqual([
      ['payment', 'A1', 7, 7, null, 0, 0, 0],
      ['payment', 'A2', 123456789, 123456789, null, 0, 740_740_734, 740_741],
      ['refund', 'A2', 0, 0, 'R1', 10, -60, 0],
      ['payment', 'A3', 500, 0, null, 0, 0, 0],
    ]);
    expect(parsed.summary).toMatchObject({ count: 4, settleFen: 123456796, refundFen: 10, feeMilliFen: 740_740_674, feeFen: 740_741 });
    expect(parsed.lines[0]?.tradeTime).toBe(Date.UTC(2025, 2, 14, 15, 59, 59));
  });

  it('refuses a bill whose rows do not add up to its summary, naming the summary column', () => {
    expect(formatError(() => parseBill(bill([pay('A1', '1.00')], ['1', '2.00', '0.00', '0.00', '0.01000', '1.00', '0.00']))).column).toBe('应结订单总金额');
    expect(() => parseBill(bill([pay('A1', '1.00')], ['2', '1.00', '0.00', '0.00', '0.01000', '1.00', '0.00']))).toThrow(/2 rows/);
    const fee = formatError(() => parseBill(bill([pay('A1', '1.00')], ['1', '1.00', '0.00', '0.00', '0.01001', '1.00', '0.00'])));
    expect([fee.column, fee.line]).toEqual(['手续费总金额', 4]);
    // A refund row that repeated the order total (as the sandbox once wrote) no longer adds up.
    const repeated = bill([pay('A1', '1.00'), refund('A1', 'R1', '0.50').replace('`0.00,`0.00,`50', '`1.00,`0.00,`50')], ['2', '1.00', '0.50', '0.00', '0.00000', '1.00', '0.50']);
    expect(formatError(() => parseBill(repeated)).column).toBe('应结订单总金额');
  });

  it('refuses amounts with more than two decimals and fees with more than five, naming line and column', () => {
    const amount = formatError(() => parseBill(bill([pay('A1', '1.005')], ['1', '1.005', '0.00', '0.00', '0.01000', '1.005', '0.00'])));
    expect([amount.message, amount.line, amount.column]).toEqual(['line 1 应结订单金额: not an amount in yuan', 2, '应结订单金额']);
    const fee = formatError(() => parseBill(bill([pay('A1', '1.00', 'SUCCESS', '0.010000')], ['1', '1.00', '0.00', '0.00', '0.01', '1.00', '0.00'])));
    expect([fee.line, fee.column]).toEqual([2, '手续费']);
    const rate = formatError(() => parseBill(bill([pay('A1', '1.00').replace('0.60%', '0.60')], ['1', '1.00', '0.00', '0.00', '0.01', '1.00', '0.00'])));
    expect([rate.line, rate.column]).toEqual([2, '费率']);
  });

  it('tolerates unknown columns added at the end and reports them once for the bill', () => {
    const head = `${HEAD},结算周期,新增列`;
    const rows = [`${pay('A1', '1.00')},\`T+1,\`x`, `${pay('A2', '2.00')},\`T+1,\`y`];
    const parsed = parseBill(bill(rows, ['2', '3.00', '0.00', '0.00', '0.02000', '3.00', '0.00'], head));
    expect(parsed.lines.map((l) => l.orderFen)).toEqual([100, 200]);
    expect(parsed.unknownColumns).toEqual(['结算周期', '新增列']);
  });

  it('names a missing required column, on line 1', () => {
    const head = HEAD.replace(',手续费,', ',');
    const error = formatError(() => parseBill(bill([], ['0', '0.00', '0.00', '0.00', '0.00000', '0.00', '0.00'], head)));
    expect([error.message, error.line, error.column]).toEqual(['bill header lacks 手续费', 1, '手续费']);
  });

  it('reads the SUCCESS and REFUND types with their own summaries', () => {
    const success = [
      TRADE_BILL_HEADERS.SUCCESS.join(','),
      tick(['2025-03-14 10:00:00', 'wx1', '190', '0', '', '42A1', 'A1', 'o1', 'NATIVE', 'SUCCESS', 'OTHERS', 'CNY', '12.50', '0.00', '货品', '', '0.08000', '0.60%', '12.50', '']),
      '总交易单数,应结订单总金额,手续费总金额,订单总金额',
      tick(['1', '12.50', '0.08000', '12.50']),
    ].join('\n');
    expect(parseBill(success).summary).toEqual({
      billType: 'SUCCESS', count: 1, settleFen: 1250, refundFen: null, couponRefundFen: null, feeMilliFen: 8000, feeFen: 8, orderFen: 1250, requestedRefundFen: null,
    });
    const refunds = [
      TRADE_BILL_HEADERS.REFUND.join(','),
      tick(['2025-03-14 10:00:00', 'wx1', '190', '0', '', '42A1', 'A1', 'o1', 'NATIVE', 'REFUND', 'OTHERS', 'CNY', '0.00', '0.00', '2025-03-14 11:00:00', '2025-03-14 11:00:05', '50R1', 'R1', '2.50', '0.00', 'ORIGINAL', 'SUCCESS', '货品', '', '-0.02000', '0.60%', '0.00', '2.50', '']),
      '总退款单数,退款总金额,充值券退款总金额,手续费总金额,申请退款总金额',
      tick(['1', '2.50', '0.00', '-0.02000', '2.50']),
    ].join('\n');
    const parsed = parseBill(refunds);
    expect(parsed.summary).toMatchObject({ billType: 'REFUND', count: 1, refundFen: 250, feeMilliFen: -2000, settleFen: null, requestedRefundFen: 250 });
    expect(parsed.lines[0]).toMatchObject({ kind: 'refund', outRefundNo: 'R1', refundFen: 250, feeFen: -2 });
  });

  it('refuses a file without a summary row or header', () => {
    expect(() => parseBill(`${HEAD}\r\n${pay('A1', '1.00')}\r\n`)).toThrow(/summary/);
    expect(() => parseBill('')).toThrow(BillFormatError);
    expect(() => parseBillTime('20250314')).toThrow(BillFormatError);
  });
});
