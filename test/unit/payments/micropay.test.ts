import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { describeAttempt } from '../../../shared/payments';
import { countStoredAuthCodes } from '../../../electron/db/wechat-attempts';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

function setup() {
  const clock = new ManualClock(T0);
  const wechat = new FakeWechat(clock);
  const h = createHarness(wechat.client(), { clock });
  const sale = h.service.createSale({ cashierId: 'c1', amountFen: 1250 });
  return { clock, wechat, h, sale };
}

describe('micropay', () => {
  it('pays at once with an instant wallet, emits sale.paid and erases the code', async () => {
    const { wechat, h, sale } = setup();
    const code = walletCode(WALLETS.instant, 1);
    const attempt = h.service.scanPaymentCode(sale.id, code);
    expect(attempt.state).toBe('queued');
    expect(attempt.authCodeMasked).toBe('1301**********0001');
    await h.service.worker.runUntilIdle();
    const paid = h.service.getAttempt(attempt.id);
    expect(paid.state).toBe('paid');
    expect(paid.transactionId).toBeTruthy();
    expect(paid.payerMasked).toBe('oUpF***eS6o');
    expect(h.service.getSale(sale.id).state).toBe('paid');
    expect(h.events['sale.paid']).toHaveLength(1);
    expect(h.events['sale.paid'][0]?.sale.tenders[0]?.attempt?.state).toBe('paid');
    expect(countStoredAuthCodes(h.db)).toBe(0);
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('SUCCESS');
    expect(h.logger.text()).not.toContain(code);
  });

  it('waits for the password (USERPAYING) and records the payment once the payer confirms', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.password, 2, 12));
    await h.service.worker.runUntilIdle();
    const waiting = h.service.getAttempt(attempt.id);
    expect(waiting.state).toBe('user-paying');
    expect(describeAttempt(waiting, { now: h.clock.now(), online: true }).zh).toBe('等待顾客输入密码');
    await h.advance(20_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('SUCCESS');
    expect(h.service.getSale(sale.id).state).toBe('paid');
  });

  it('reverses a payer who never enters the password, 45 s after the order was created', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, 3));
    await h.advance(44_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('user-paying');
    await h.advance(10_000);
    const ended = h.service.getAttempt(attempt.id);
    expect(ended.state).toBe('reversed');
    expect(describeAttempt(ended, { now: h.clock.now(), online: true }).zh).toBe('已撤销');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');
    expect(h.service.getSale(sale.id).state).toBe('open');
    expect(h.service.getSale(sale.id).dueFen).toBe(1250);
  });

  it('shows a definite failure at once and still reverses the failed order in the background', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.notEnough, 4));
    await h.service.worker.runUntilIdle();
    const failed = h.service.getAttempt(attempt.id);
    expect(failed.state).toBe('failed');
    expect(failed.failure?.code).toBe('NOTENOUGH');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('PAYERROR');
    await h.drain();
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');
    expect(h.service.getAttempt(attempt.id).state).toBe('failed');
    // The cashier can rescan with another code at once.
    const retry = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 5));
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(retry.id).state).toBe('paid');
  });

  it('fails an expired code without creating an order', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.expired, 6));
    await h.drain();
    expect(h.service.getAttempt(attempt.id).failure?.code).toBe('AUTHCODEEXPIRE');
    expect(wechat.order(attempt.outTradeNo)).toBeUndefined();
  });

  it('treats BANKERROR as unknown and finds the payment by querying', async () => {
    const { h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.bankError, 7));
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(attempt.id).state).toBe('confirming');
    await h.advance(2_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
  });

  it('fails a payer who cancels the password entry and reverses the order', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordCancel, 8, 8));
    await h.advance(12_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('failed');
    expect(h.service.getAttempt(attempt.id).failure?.code).toBe('PAYERROR');
    await h.drain();
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');
  });

  it('refuses an Alipay code and a product barcode without sending anything', () => {
    const { wechat, h, sale } = setup();
    expect(() => h.service.scanPaymentCode(sale.id, '2812345678901234')).toThrow(/支付宝/);
    expect(() => h.service.scanPaymentCode(sale.id, '6901234567892')).toThrow(/微信付款码/);
    expect(wechat.calls).toHaveLength(0);
    expect(h.service.syncStatus().queueLength).toBe(0);
  });

  it('queries after a dropped answer and records the payment the dropped answer carried', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('micropay', 'drop');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 9));
    await h.service.worker.runUntilIdle();
    const unknown = h.service.getAttempt(attempt.id);
    expect(unknown.state).toBe('confirming');
    expect(unknown.networkTrouble).toBe(true);
    expect(describeAttempt(unknown, { now: h.clock.now(), online: true }).zh).toMatch(/^网络中断，重试中（剩余 \d+ 秒）$/);
    await h.advance(6_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(wechat.calls.filter((c) => c.op === 'micropay')).toHaveLength(1);
  });

  it('resends with the same out_trade_no when the query shows the first request never arrived', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('micropay', 'system-error');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 10));
    await h.advance(3_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    const sends = wechat.calls.filter((c) => c.op === 'micropay');
    expect(sends).toHaveLength(2);
    expect(new Set(sends.map((c) => c.ref)).size).toBe(1);
  });

  it('keeps reversing while WeChat answers recall=Y', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('reverse', 'recall', 2);
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, 11));
    await h.advance(30_000);
    h.service.supersedeAttempt(attempt.id);
    await h.drain();
    expect(wechat.calls.filter((c) => c.op === 'reverse').length).toBeGreaterThanOrEqual(3);
    expect(h.service.getAttempt(attempt.id).state).toBe('reversed');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');
  });

  it('never reverses within 15 s of creation, even when superseded at once', async () => {
    const { wechat, h, sale } = setup();
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, 12));
    await h.service.worker.runUntilIdle();
    h.service.payCash(sale.id, 2000);
    await h.advance(14_000);
    expect(wechat.calls.filter((c) => c.op === 'reverse')).toHaveLength(0);
    await h.drain();
    const reverses = wechat.calls.filter((c) => c.op === 'reverse');
    expect(reverses[0]?.at).toBeGreaterThanOrEqual(T0 + 15_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('reversed');
  });

  it('reverses a superseded attempt that turned out paid, and prints only the cash tender', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('micropay', 'drop');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 13));
    await h.service.worker.runUntilIdle();
    const cash = h.service.payCash(sale.id, 2000);
    expect(cash.changeFen).toBe(750);
    expect(h.drawerOpened).toBe(1);
    expect(h.service.getAttempt(attempt.id).superseded).toBe(true);
    await h.drain();
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('REVOKED');
    expect(h.service.getAttempt(attempt.id).state).toBe('reversed');
    const paidEvents = h.events['sale.paid'];
    expect(paidEvents).toHaveLength(1);
    expect(paidEvents[0]?.sale.tenders.filter((t) => t.state === 'paid').map((t) => t.kind)).toEqual(['cash']);
    expect(h.service.listAttemptsForReview().map((a) => a.id)).toContain(attempt.id);
  });
});
