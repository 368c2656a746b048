import { describe, expect, it } from 'vitest';
import { parseFactBody } from '../../../shared/hub-facts';

const ownRefund = {
  refundId: 3, saleId: 7, terminalId: 'B2', receiptNo: 7, tenderId: 9, attemptId: null, outTradeNo: 'B2P000007', kind: 'wechat',
  outRefundNo: 'B2R000003', amountFen: 500, state: 'queued', approvedBy: 'm1', reason: null, requestedAt: 1, requestedOffline: false,
  wechatRefundId: null, failureCode: null, finishedAt: null,
};

describe('refund fact bodies naming the sale they refund', () => {
  it("accepts a refund of the counter's own sale without origin fields, as counters before the hub send them", () => {
    expect(parseFactBody('refund', JSON.stringify(ownRefund)).ok).toBe(true);
  });

  it("accepts a refund of another counter's sale that names the sale's terminal and receipt", () => {
    const cross = { ...ownRefund, saleId: null, receiptNo: null, tenderId: null, originTerminalId: 'A1', originReceiptNo: 2, outTradeNo: 'A1P000001' };
    expect(parseFactBody('refund', JSON.stringify(cross)).ok).toBe(true);
  });

  it('refuses a refund that names no sale, or only half of another counter\'s', () => {
    expect(parseFactBody('refund', JSON.stringify({ ...ownRefund, saleId: null })).ok).toBe(false);
    expect(parseFactBody('refund', JSON.stringify({ ...ownRefund, saleId: null, receiptNo: null, tenderId: null, originTerminalId: 'A1' })).ok).toBe(false);
    expect(parseFactBody('refund', JSON.stringify({ ...ownRefund, originReceiptNo: 2 })).ok).toBe(false);
  });
});
