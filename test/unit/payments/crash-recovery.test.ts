import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import type { WechatPayClient } from '../../../electron/wechat/types';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, openPaymentsDb, T0 } from '../../helpers/payments-harness';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDbFile(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pos-pay-'));
  dirs.push(dir);
  return join(dir, 'app.sqlite');
}

/** A client whose calls reach WeChat but whose answers never come back: the process "dies" mid-call. */
function answersNever(real: WechatPayClient): WechatPayClient {
  const never = <T>(p: Promise<T>): Promise<T> => {
    void p;
    return new Promise<T>(() => undefined);
  };
  return {
    ...real,
    micropay: (req) => never(real.micropay(req)),
    createNativeOrder: (req) => never(real.createNativeOrder(req)),
    refund: (req) => never(real.refund(req)),
  };
}

describe('crash recovery', () => {
  it('queries a payment that was in flight when the process died, and records it paid', async () => {
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const file = tempDbFile();
    const first = createHarness(answersNever(wechat.client()), { clock, db: openPaymentsDb(file) });
    const sale = first.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const attempt = first.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 1));
    void first.service.worker.runDue();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(first.service.getAttempt(attempt.id).state).toBe('sending');
    first.db.close();

    clock.advance(5_000);
    const second = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    second.service.recover();
    await second.drain();
    expect(second.service.getAttempt(attempt.id).state).toBe('paid');
    expect(wechat.calls.filter((c) => c.op === 'micropay')).toHaveLength(1);
    expect(second.events['sale.paid']).toHaveLength(1);
    second.db.close();
  });

  it('re-delivers sale.paid after a crash between commit and delivery', () => {
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const file = tempDbFile();
    const first = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    first.service.on('sale.paid', () => {
      throw new Error('printer queue not ready');
    });
    const sale = first.service.createSale({ cashierId: 'c1', amountFen: 500 });
    first.service.payCash(sale.id, 500);
    first.db.close();

    const second = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    second.service.recover();
    expect(second.events['sale.paid'].map((e) => e.sale.id)).toEqual([sale.id]);
    second.service.recover();
    expect(second.events['sale.paid']).toHaveLength(1);
    second.db.close();
  });

  it('resumes a refund whose send was in flight, with the same out_refund_no', async () => {
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const file = tempDbFile();
    const setup = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    const sale = setup.service.createSale({ cashierId: 'c1', amountFen: 900 });
    setup.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 2));
    await setup.service.worker.runUntilIdle();
    setup.db.close();

    const first = createHarness(answersNever(wechat.client()), { clock, db: openPaymentsDb(file) });
    const { refunds } = first.service.requestRefund({ saleId: sale.id, amountFen: 900, approvedBy: 'mgr1' });
    void first.service.worker.runDue();
    await new Promise((resolve) => setTimeout(resolve, 10));
    first.db.close();

    const second = createHarness(wechat.client(), { clock, db: openPaymentsDb(file) });
    second.service.recover();
    await second.drain();
    expect(second.service.listRefunds(sale.id).map((r) => r.state)).toEqual(['succeeded']);
    expect([...wechat.refunds.keys()]).toEqual([refunds[0]?.outRefundNo]);
    second.db.close();
  });

  it('puts back a job that ended while its attempt was still unresolved (insurance against bugs)', async () => {
    const clock = new ManualClock(T0);
    const wechat = new FakeWechat(clock);
    const h = createHarness(wechat.client(), { clock });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    wechat.script('micropay', 'drop');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 3));
    await h.service.worker.runUntilIdle();
    h.db.prepare("UPDATE outbox SET state = 'failed'").run();
    expect(h.service.getAttempt(attempt.id).state).toBe('confirming');
    h.service.recover();
    await h.drain();
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(h.logger.text()).toContain('resumed payment jobs');
  });
});
