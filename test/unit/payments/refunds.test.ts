import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { describeRefund } from '../../../shared/payments';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

async function paidByWechat(amountFen: number) {
  const clock = new ManualClock(T0);
  const wechat = new FakeWechat(clock);
  const h = createHarness(wechat.client(), { clock });
  const sale = h.service.createSale({ cashierId: 'c1', amountFen });
  const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
  await h.service.worker.runUntilIdle();
  expect(h.service.getSale(sale.id).state).toBe('paid');
  return { clock, wechat, h, sale, attempt };
}

describe('refunds', () => {
  it('queues a full refund with a fixed out_refund_no and polls it to success', async () => {
    const { wechat, h, sale, attempt } = await paidByWechat(3000);
    const result = h.service.requestRefund({ saleId: sale.id, amountFen: 3000, approvedBy: 'mgr1', reason: '退货' });
    expect(result.pending).toBe(true);
    const [refund] = result.refunds;
    expect(refund?.state).toBe('queued');
    expect(refund?.outRefundNo).toMatch(/^T01[0-9a-z]{8}250314R\d{6}$/);
    await h.service.worker.runUntilIdle();
    expect(h.service.listRefunds(sale.id)[0]?.state).toBe('processing');
    await h.drain();
    const done = h.service.listRefunds(sale.id)[0];
    expect(done?.state).toBe('succeeded');
    expect(done && describeRefund(done).zh).toBe('退款成功');
    expect(wechat.refundedFen(attempt.outTradeNo)).toBe(3000);
    expect(h.service.getSale(sale.id).refundedFen).toBe(3000);
  });

  it('allows several partial refunds and refuses one above what is left, saying how much is left', async () => {
    const { h, sale } = await paidByWechat(1000);
    h.service.requestRefund({ saleId: sale.id, amountFen: 300, approvedBy: 'mgr1' });
    h.service.requestRefund({ saleId: sale.id, amountFen: 500, approvedBy: 'mgr1' });
    expect(() => h.service.requestRefund({ saleId: sale.id, amountFen: 201, approvedBy: 'mgr1' })).toThrow(
      '退款金额超过可退金额（最多可退 ￥2.00）',
    );
    await h.drain();
    expect(h.service.listRefunds(sale.id).map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
  });

  it('requires a manager approval and a positive amount', async () => {
    const { h, sale } = await paidByWechat(1000);
    expect(() => h.service.requestRefund({ saleId: sale.id, amountFen: 100, approvedBy: '  ' })).toThrow(/授权/);
    expect(() => h.service.requestRefund({ saleId: sale.id, amountFen: 0, approvedBy: 'mgr1' })).toThrow(/大于零/);
    const open = h.service.createSale({ cashierId: 'c1', amountFen: 100 });
    expect(() => h.service.requestRefund({ saleId: open.id, amountFen: 100, approvedBy: 'mgr1' })).toThrow(/已付款/);
  });

  it('marks a refund requested offline as pending for the slip and sends it once online', async () => {
    const { wechat, h, sale } = await paidByWechat(1000);
    wechat.outage = true;
    h.clock.advance(61_000);
    await h.service.worker.runUntilIdle();
    const result = h.service.requestRefund({ saleId: sale.id, amountFen: 1000, approvedBy: 'mgr1' });
    expect(result.pending).toBe(true);
    expect(result.refunds[0]?.requestedOffline).toBe(true);
    expect(result.refunds[0] && describeRefund(result.refunds[0]).zh).toBe('退款处理中（待发送）');
    await h.advance(10 * 60_000, 5_000);
    expect(h.service.listRefunds(sale.id)[0]?.state).toBe('queued');
    wechat.outage = false;
    await h.drain();
    expect(h.service.listRefunds(sale.id)[0]?.state).toBe('succeeded');
  });

  it('refunds a cash tender at once and opens the drawer', () => {
    const clock = new ManualClock(T0);
    const h = createHarness(new FakeWechat(clock).client(), { clock });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 800 });
    h.service.payCash(sale.id, 1000);
    const result = h.service.requestRefund({ saleId: sale.id, amountFen: 800, approvedBy: 'mgr1' });
    expect(result.pending).toBe(false);
    expect(result.refunds[0]).toMatchObject({ kind: 'cash', state: 'succeeded', amountFen: 800 });
    expect(h.drawerOpened).toBe(2);
  });

  it('retries a refund whose answer was lost, without a second refund at WeChat', async () => {
    const { wechat, h, sale } = await paidByWechat(1000);
    wechat.script('refund', 'drop');
    h.service.requestRefund({ saleId: sale.id, amountFen: 1000, approvedBy: 'mgr1' });
    await h.drain();
    expect(h.service.listRefunds(sale.id)[0]?.state).toBe('succeeded');
    expect(wechat.refunds.size).toBe(1);
  });
});
