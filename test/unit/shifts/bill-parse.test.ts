import { describe, expect, it } from 'vitest';
import { BillFormatError, parseBill, parseBillTime } from '../../../electron/shifts/bill-parse';

const HEAD =
  '交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,费率备注';
const SUMMARY_HEAD = '总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,申请退款总金额';
const tick = (fields: string[]): string => fields.map((f) => `\`${f}`).join(',');
const pay = (no: string, amount: string, state = 'SUCCESS'): string =>
  tick(['2025-03-14 23:59:59', 'wx1', '190', '0', '', `42${no}`, no, 'o1', 'MICROPAY', state, 'OTHERS', 'CNY', state === 'REVOKED' ? '0.00' : amount, '0.00', '0', '0', '0.00', '0.00', '', '', '货品，一', '', '0.01', '0.60%', amount, '0.00', '']);
const refund = (no: string, refundNo: string, orderAmount: string, amount: string): string =>
  tick(['2025-03-14 12:00:00', 'wx1', '190', '0', '', `42${no}`, no, 'o1', 'MICROPAY', 'REFUND', 'OTHERS', 'CNY', orderAmount, '0.00', `50${refundNo}`, refundNo, amount, '0.00', 'ORIGINAL', 'SUCCESS', '货品', '', '-0.01', '0.60%', orderAmount, amount, '']);

function bill(rows: string[], summary: string[]): string {
  return `\uFEFF${[HEAD, ...rows, SUMMARY_HEAD, tick(summary)].join('\r\n')}\r\n`;
}

describe('parseBill', () => {
  it('turns yuan into exact fen and keeps payment and refund rows apart', () => {
    const parsed = parseBill(
      bill([pay('A1', '0.07'), pay('A2', '1234567.89'), refund('A2', 'R1', '1234567.89', '0.10'), pay('A3', '5.00', 'REVOKED')], ['4', '1234567.96', '0.10', '0.00', '0.02', '1234572.96', '0.10']),
    );
    expect(parsed.lines.map((l) => [l.kind, l.outTradeNo, l.orderFen, l.settleFen, l.outRefundNo, l.refundFen, l.feeFen])).toEqual([
      ['payment', 'A1', 7, 7, null, 0, 1],
      ['payment', 'A2', 123456789, 123456789, null, 0, 1],
      ['refund', 'A2', 123456789, 123456789, 'R1', 10, -1],
      ['payment', 'A3', 500, 0, null, 0, 1],
    ]);
    expect(parsed.summary).toMatchObject({ count: 4, settleFen: 123456796, refundFen: 10 });
    expect(parsed.lines[0]?.tradeTime).toBe(Date.UTC(2025, 2, 14, 15, 59, 59));
  });

  it('refuses a bill whose rows do not add up to its summary', () => {
    expect(() => parseBill(bill([pay('A1', '1.00')], ['1', '2.00', '0.00', '0.00', '0.01', '1.00', '0.00']))).toThrow(BillFormatError);
    expect(() => parseBill(bill([pay('A1', '1.00')], ['2', '1.00', '0.00', '0.00', '0.01', '1.00', '0.00']))).toThrow(/2 rows/);
  });

  it('refuses amounts that are not yuan with at most two decimals', () => {
    expect(() => parseBill(bill([pay('A1', '1.005')], ['1', '1.005', '0.00', '0.00', '0.01', '1.005', '0.00']))).toThrow(BillFormatError);
  });

  it('refuses a file without a summary row or header', () => {
    expect(() => parseBill(`${HEAD}\r\n${pay('A1', '1.00')}\r\n`)).toThrow(/summary/);
    expect(() => parseBill('')).toThrow(BillFormatError);
    expect(() => parseBillTime('20250314')).toThrow(BillFormatError);
  });
});
