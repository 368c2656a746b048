import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { describeAttempt } from '../../../shared/payments';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

function setup() {
  const clock = new ManualClock(T0);
  const wechat = new FakeWechat(clock);
  const h = createHarness(wechat.client(), { clock });
  const sale = h.service.createSale({ cashierId: 'c1', lines: [{ name: '咖啡', unitFen: 1800, quantity: 2 }] });
  return { clock, wechat, h, sale };
}

async function shownQr(h: ReturnType<typeof setup>['h'], saleId: number) {
  const started = h.service.startNativeQr(saleId);
  expect(started.state).toBe('creating');
  await h.service.worker.runUntilIdle();
  const shown = h.service.getAttempt(started.id);
  expect(shown.state).toBe('awaiting-scan');
  expect(shown.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
  return shown;
}

describe('native QR', () => {
  it('shows code_url with an expiry at least 5 minutes away and records the payment found by polling', async () => {
    const { wechat, h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    expect(shown.qrExpiresAt).toBeGreaterThanOrEqual(T0 + 5 * 60_000);
    expect(describeAttempt(shown, { now: h.clock.now(), online: true }).zh).toMatch(/^请顾客扫码支付（剩余 \d+ 秒）$/);
    await h.advance(6_000);
    expect(wechat.customerPays(shown.codeUrl ?? '')).toBe(true);
    await h.advance(3_000);
    expect(h.service.getAttempt(shown.id).state).toBe('paid');
    expect(h.service.getSale(sale.id).state).toBe('paid');
    expect(h.events['sale.paid']).toHaveLength(1);
    const polls = wechat.calls.filter((c) => c.op === 'query');
    expect(polls.length).toBeGreaterThanOrEqual(2);
  });

  it('closes the order when the cashier cancels', async () => {
    const { wechat, h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    const cancelling = h.service.cancelNativeQr(shown.id);
    expect(cancelling.state).toBe('closing');
    await h.service.worker.runUntilIdle();
    const closed = h.service.getAttempt(shown.id);
    expect(closed.state).toBe('closed');
    expect(closed.failure?.code).toBe('LOCAL_QR_CANCELLED');
    expect(wechat.order(shown.outTradeNo)?.state).toBe('CLOSED');
    expect(wechat.customerPays(shown.codeUrl ?? '')).toBe(false);
  });

  it('records the payment when the close answers ORDERPAID (paid between the last poll and the close)', async () => {
    const { wechat, h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    h.service.cancelNativeQr(shown.id);
    wechat.customerPays(shown.codeUrl ?? '');
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(shown.id).state).toBe('paid');
    expect(h.service.getSale(sale.id).state).toBe('paid');
    expect(wechat.calls.map((c) => c.op)).toContain('close');
  });

  it('closes the order once it expires', async () => {
    const { wechat, h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    await h.advance(6 * 60_000, 2_500);
    const closed = h.service.getAttempt(shown.id);
    expect(closed.state).toBe('closed');
    expect(closed.failure?.code).toBe('LOCAL_QR_EXPIRED');
    expect(wechat.order(shown.outTradeNo)?.state).toBe('CLOSED');
  });

  it('is refused while offline, with the reason', async () => {
    const { wechat, h, sale } = setup();
    wechat.outage = true;
    h.clock.advance(61_000);
    await h.service.worker.runUntilIdle();
    expect(h.service.syncStatus().wechatAvailable).toBe(false);
    expect(() => h.service.startNativeQr(sale.id)).toThrow(/暂不能使用二维码收款/);
  });

  it('refunds a QR that was paid after the cashier switched to cash', async () => {
    const { wechat, h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    wechat.customerPays(shown.codeUrl ?? '');
    h.service.payCash(sale.id, 5000);
    await h.drain();
    const attempt = h.service.getAttempt(shown.id);
    expect(attempt.superseded).toBe(true);
    expect(attempt.state).toBe('refunded');
    expect(wechat.refundedFen(shown.outTradeNo)).toBe(3600);
    const refunds = h.service.listRefunds(sale.id);
    expect(refunds.map((r) => [r.approvedBy, r.state])).toEqual([['system', 'succeeded']]);
    expect(h.events['sale.paid']).toHaveLength(1);
  });

  it('a new scan on the same sale supersedes a QR still showing', async () => {
    const { h, sale } = setup();
    const shown = await shownQr(h, sale.id);
    const scan = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    await h.drain();
    expect(h.service.getAttempt(shown.id).state).toBe('closed');
    expect(h.service.getAttempt(scan.id).state).toBe('paid');
  });
});
