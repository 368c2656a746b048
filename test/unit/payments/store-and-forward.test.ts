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
  const sale = h.service.createSale({ cashierId: 'c1', amountFen: 880 });
  return { clock, wechat, h, sale };
}

async function goOffline(h: ReturnType<typeof setup>['h'], wechat: FakeWechat): Promise<void> {
  wechat.outage = true;
  h.clock.advance(61_000); // idle long enough for the status probe
  await h.service.worker.runUntilIdle();
  expect(h.service.syncStatus().connectivity).toBe('offline');
}

describe('store and forward', () => {
  it('queues a code scanned offline with a countdown and sends it when WeChat is back', async () => {
    const { wechat, h, sale } = setup();
    await goOffline(h, wechat);
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    expect(attempt.sendDeadlineAt).toBe(h.clock.now() + 50_000);
    await h.advance(10_000);
    const queued = h.service.getAttempt(attempt.id);
    expect(queued.state).toBe('queued');
    expect(describeAttempt(queued, { now: h.clock.now(), online: false }).zh).toBe('网络中断，重试中（剩余 40 秒）');
    expect(wechat.calls.filter((c) => c.op === 'micropay')).toHaveLength(0);
    wechat.outage = false;
    await h.advance(20_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(h.service.syncStatus().connectivity).toBe('online');
  });

  it('gives up cleanly when the code was never sent before its deadline', async () => {
    const { wechat, h, sale } = setup();
    await goOffline(h, wechat);
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 2));
    await h.advance(51_000);
    const ended = h.service.getAttempt(attempt.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.failure?.code).toBe('LOCAL_NEVER_SENT');
    expect(countStoredAuthCodes(h.db)).toBe(0);
    wechat.outage = false;
    await h.drain();
    expect(wechat.calls.filter((c) => c.op === 'micropay')).toHaveLength(0);
    expect(h.service.getSale(sale.id).state).toBe('open');
  });

  it('keeps a code queued after a refused connection (nothing was sent) and sends it later', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('micropay', 'refused');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 3));
    await h.service.worker.runUntilIdle();
    const queued = h.service.getAttempt(attempt.id);
    expect(queued.state).toBe('queued');
    expect(queued.resolveBy).toBeNull();
    await h.advance(20_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
  });

  it('resolves a maybe-sent code after a long outage: paid orders are kept, never blindly reversed', async () => {
    const { wechat, h, sale } = setup();
    wechat.script('micropay', 'drop');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 4));
    await h.service.worker.runUntilIdle();
    wechat.outage = true;
    await h.advance(30 * 60_000, 5_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('confirming');
    wechat.outage = false;
    await h.drain();
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(wechat.order(attempt.outTradeNo)?.state).toBe('SUCCESS');
  });

  it('ends a maybe-sent code that never reached WeChat without money, after the send window', async () => {
    const { wechat, h, sale } = setup();
    // A 5xx: the request may have been processed, so the code counts as maybe sent.
    wechat.script('micropay', 'http-5xx');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 5));
    await h.service.worker.runUntilIdle();
    wechat.outage = true;
    await h.advance(5 * 60_000, 5_000);
    wechat.outage = false;
    await h.drain();
    const ended = h.service.getAttempt(attempt.id);
    expect(ended.state).toBe('cancelled');
    expect(ended.failure?.code).toBe('LOCAL_NEVER_REACHED');
    expect(wechat.order(attempt.outTradeNo)).toBeUndefined();
  });
});
