import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { createHarness, openPaymentsDb, T0 } from '../../helpers/payments-harness';
import { sandboxClient } from '../../helpers/payments-sandbox';

/**
 * Orphaned QR orders at the counter (issue 14): after a restart, a native order still payable whose sale is not
 * the one the counter comes back to is closed through the outbox; the QR of the sale still on the counter keeps
 * going; one the customer paid while the counter was down is recorded and raised for review, never lost.
 */
describe.each(['v2', 'v3'] as const)('orphaned QR orders at a counter restart (%s)', (apiVersion) => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox?.close();
  });

  it('closes the QR orders of sales the counter left behind, keeps the one on the counter, and records one paid meanwhile', async () => {
    const db = openPaymentsDb();
    const client = sandboxClient(sandbox, clock, apiVersion);
    const before = createHarness(client, { clock, db });
    const qrOf = async (amountFen: number): Promise<{ saleId: number; attemptId: number; outTradeNo: string; codeUrl: string }> => {
      const sale = before.service.createSale({ cashierId: 'c1', amountFen });
      before.service.setCounterSale(sale.id);
      const attempt = before.service.startNativeQr(sale.id);
      await before.service.worker.runUntilIdle();
      const shown = before.service.getAttempt(attempt.id);
      expect(shown.state).toBe('awaiting-scan');
      return { saleId: sale.id, attemptId: attempt.id, outTradeNo: shown.outTradeNo, codeUrl: shown.codeUrl ?? '' };
    };
    const abandoned = await qrOf(1_100);
    const paidWhileDown = await qrOf(2_200);
    const onCounter = await qrOf(3_300);
    await before.service.stop();

    // While the counter is down the customer of a left-behind basket pays its QR.
    expect(sandbox.customerPay(paidWhileDown.codeUrl).ok).toBe(true);
    clock.advance(5_000);

    const after = createHarness(client, { clock, db });
    after.service.recover();
    await after.advance(10_000);

    expect(after.service.getAttempt(abandoned.attemptId).state).toBe('closed');
    expect(sandbox.getOrder(abandoned.outTradeNo)?.tradeState).toBe('CLOSED');
    expect(after.service.getAttempt(paidWhileDown.attemptId).state).toBe('paid');
    expect(sandbox.getOrder(paidWhileDown.outTradeNo)?.tradeState).toBe('SUCCESS');
    const alerts = after.service.listPaymentAlerts(true);
    expect(alerts.map((a) => a.saleId)).toEqual([paidWhileDown.saleId]);
    // The sale still on the counter keeps its QR: the cashier is showing it.
    expect(after.service.getAttempt(onCounter.attemptId).state).toBe('awaiting-scan');
    expect(sandbox.getOrder(onCounter.outTradeNo)?.tradeState).toBe('NOTPAY');
    await after.service.stop();
    db.close();
  });
});
