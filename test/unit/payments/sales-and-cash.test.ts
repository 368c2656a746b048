import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

function setup() {
  const clock = new ManualClock(T0);
  const wechat = new FakeWechat(clock);
  return { clock, wechat, h: createHarness(wechat.client(), { clock }) };
}

describe('sales', () => {
  it('numbers receipts without gaps, keeps a voided sale’s number and never spends one on a refused sale', () => {
    const { h } = setup();
    const a = h.service.createSale({ cashierId: 'c1', amountFen: 100 });
    expect(() => h.service.createSale({ cashierId: 'c1', amountFen: 0 })).toThrow();
    const b = h.service.createSale({ cashierId: 'c1', amountFen: 200 });
    h.service.voidSale(b.id, 'customer left');
    const c = h.service.createSale({ cashierId: 'c1', amountFen: 300, shiftId: 's9' });
    expect([a.receiptNo, b.receiptNo, c.receiptNo]).toEqual([1, 2, 3]);
    expect(h.service.getSale(b.id).state).toBe('voided');
    expect(h.service.findSaleByReceiptNo(2)?.id).toBe(b.id);
    expect(c.shiftId).toBe('s9');
    expect(a.shiftId).toBeNull();
  });

  it('totals lines in fen and refuses lines together with a plain amount', () => {
    const { h } = setup();
    const sale = h.service.createSale({
      cashierId: 'c1',
      lines: [
        { name: '矿泉水', unitFen: 250, quantity: 3 },
        { name: '面包', unitFen: 1199, quantity: 1 },
      ],
    });
    expect(sale.totalFen).toBe(1949);
    expect(sale.lines.map((l) => l.amountFen)).toEqual([750, 1199]);
    expect(() => h.service.createSale({ cashierId: 'c1', amountFen: 5, lines: [{ name: 'x', unitFen: 1, quantity: 1 }] })).toThrow();
  });

  it('takes cash with change, opens the drawer and emits sale.paid with what a receipt needs', () => {
    const { h } = setup();
    const sale = h.service.createSale({ cashierId: 'c7', amountFen: 1250 });
    const result = h.service.payCash(sale.id, 2000);
    expect(result.changeFen).toBe(750);
    expect(result.sale.state).toBe('paid');
    expect(h.drawerOpened).toBe(1);
    const paid = h.events['sale.paid'][0]?.sale;
    expect(paid?.receiptNo).toBe(1);
    expect(paid?.cashierId).toBe('c7');
    expect(paid?.tenders[0]).toMatchObject({ kind: 'cash', tenderedFen: 2000, changeFen: 750, amountFen: 1250 });
  });

  it('splits a sale between cash and WeChat', async () => {
    const { h } = setup();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 10_000 });
    h.service.payCash(sale.id, 3000);
    expect(h.service.getSale(sale.id).dueFen).toBe(7000);
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    expect(attempt.amountFen).toBe(7000);
    await h.service.worker.runUntilIdle();
    expect(h.service.getSale(sale.id).state).toBe('paid');
    expect(h.events['sale.paid']).toHaveLength(1);
  });

  it('voids only an unpaid sale, superseding an attempt still in flight', async () => {
    const { h, wechat } = setup();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, 2));
    await h.service.worker.runUntilIdle();
    h.service.voidSale(sale.id);
    await h.drain();
    expect(h.service.getAttempt(attempt.id).state).toBe('reversed');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');

    const paid = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    h.service.payCash(paid.id, 200);
    expect(() => h.service.voidSale(paid.id)).toThrow(/部分付款/);
    h.service.payCash(paid.id, 300);
    expect(() => h.service.voidSale(paid.id)).toThrow(/已付款/);
    expect(() => h.service.payCash(paid.id, 100)).toThrow(/已付款/);
  });

  it('makes out_trade_no unique per terminal and install, within 32 characters of the allowed set', async () => {
    const { h } = setup();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const a = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.expired, 3));
    await h.service.worker.runUntilIdle();
    const b = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 4));
    for (const no of [a.outTradeNo, b.outTradeNo]) expect(no).toMatch(/^T01[0-9a-z]{8}250314P\d{6}$/);
    expect(a.outTradeNo).not.toBe(b.outTradeNo);
    const other = createHarness(new FakeWechat(h.clock).client(), { clock: h.clock });
    const s2 = other.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const c = other.service.scanPaymentCode(s2.id, walletCode(WALLETS.instant, 5));
    expect(c.outTradeNo.slice(0, 11)).not.toBe(a.outTradeNo.slice(0, 11));
  });
});
