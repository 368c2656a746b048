import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { FakeWechat, walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';

describe('one payment code at a time per sale', () => {
  it('refuses a second code while the first is in flight, in words, and writes nothing for it', () => {
    const clock = new ManualClock(T0);
    const h = createHarness(new FakeWechat(clock).client(), { clock });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 900 });
    const first = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.password, 1, 12));
    expect(() => h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 2))).toThrow(/正在处理/);
    const tenders = h.db.prepare('SELECT COUNT(*) AS n FROM tenders WHERE sale_id = ?').get(sale.id) as { n: number };
    expect(tenders.n).toBe(1);
    expect(h.service.getAttempt(first.id).superseded).toBe(false);
  });

  it('takes another code once the cashier stopped waiting for the first (F4)', () => {
    const clock = new ManualClock(T0);
    const h = createHarness(new FakeWechat(clock).client(), { clock });
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 900 });
    const first = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.password, 1, 12));
    h.service.supersedeAttempt(first.id);
    const second = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, 2));
    expect(second.id).not.toBe(first.id);
  });
});
