import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { getMeta } from '../../../electron/db/app-meta';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0 } from '../../helpers/payments-harness';
import { ledgerViolations } from '../../helpers/payments-invariants';
import { sandboxClient, sandboxLedger } from '../../helpers/payments-sandbox';

const MINUTE = 60_000;
const clock = new ManualClock(T0);
let sandbox: Sandbox;

beforeAll(async () => {
  sandbox = await startSandbox({ clock });
});
afterAll(async () => {
  await sandbox.close();
});

describe('a 30-minute WeChat outage', () => {
  it('keeps the counter working, then drains the queue to empty with the books agreeing', async () => {
    const h = createHarness(sandboxClient(sandbox, clock), { clock, terminalId: 'OUT1' });
    const { service } = h;
    let serial = 0;

    // Before: three WeChat sales to refund later, a payer typing the password, a dropped answer, a QR on screen.
    const paidSales = [1500, 2600, 990].map((amountFen) => {
      const sale = service.createSale({ cashierId: 'c1', amountFen });
      service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, ++serial));
      return sale;
    });
    await h.advance(1_000);
    expect(paidSales.map((s) => service.getSale(s.id).state)).toEqual(['paid', 'paid', 'paid']);

    const typing = service.createSale({ cashierId: 'c1', amountFen: 4_200 });
    const typingAttempt = service.scanPaymentCode(typing.id, walletCode(WALLETS.password, ++serial, 12));
    const dropped = service.createSale({ cashierId: 'c1', amountFen: 777 });
    await sandbox.faults.add({ kind: 'drop', pathPrefix: '/pay/micropay', times: 1 });
    const droppedAttempt = service.scanPaymentCode(dropped.id, walletCode(WALLETS.instant, ++serial));
    const qrSale = service.createSale({ cashierId: 'c1', amountFen: 3_000 });
    const qr = service.startNativeQr(qrSale.id);
    await h.advance(1_000);
    const codeUrl = service.getAttempt(qr.id).codeUrl ?? '';
    expect(codeUrl).not.toBe('');

    // The outage.
    await sandbox.faults.add({ kind: 'outage' });
    const outageStart = clock.now();
    await h.advance(5_000);
    expect(service.syncStatus().connectivity).toBe('offline');
    expect(() => service.startNativeQr(service.createSale({ cashierId: 'c1', amountFen: 100 }).id)).toThrow(/暂不能使用二维码收款/);

    // The customer's phone still reaches WeChat: the QR on screen gets paid during the outage.
    expect(sandbox.customerPay(codeUrl).ok).toBe(true);

    const refunds = paidSales.map((sale) => service.requestRefund({ saleId: sale.id, amountFen: 500, approvedBy: 'mgr1' }));
    expect(refunds.every((r) => r.pending && r.refunds[0]?.requestedOffline)).toBe(true);

    const offlineScan = service.createSale({ cashierId: 'c1', amountFen: 450 });
    const offlineAttempt = service.scanPaymentCode(offlineScan.id, walletCode(WALLETS.instant, ++serial));

    const cashSales: number[] = [];
    while (clock.now() - outageStart < 30 * MINUTE) {
      const sale = service.createSale({ cashierId: 'c1', amountFen: 100 + cashSales.length });
      expect(service.payCash(sale.id, 10_000).sale.state).toBe('paid');
      cashSales.push(sale.id);
      await h.advance(MINUTE, 5_000);
    }
    const during = service.syncStatus();
    expect(during).toMatchObject({ connectivity: 'offline', wechatAvailable: false });
    expect(during.queueLength).toBeGreaterThanOrEqual(5);
    expect(during.oldestAgeMs).toBeGreaterThanOrEqual(30 * MINUTE);
    expect(service.getAttempt(offlineAttempt.id).state).toBe('cancelled');
    expect(h.events['sale.paid'].filter((e) => cashSales.includes(e.sale.id))).toHaveLength(cashSales.length);
    expect(h.drawerOpened).toBe(cashSales.length);

    // Recovery.
    await sandbox.faults.clear();
    await h.drain(30 * MINUTE, 2_000);
    expect(service.syncStatus()).toMatchObject({ connectivity: 'online', queueLength: 0, oldestAgeMs: null });
    const statuses = h.events['sync.status'];
    expect(statuses.some((s) => s.connectivity === 'offline' && s.queueLength > 0)).toBe(true);
    expect(statuses.at(-1)).toMatchObject({ connectivity: 'online', wechatAvailable: true, queueLength: 0 });

    expect(service.getAttempt(typingAttempt.id).state).toBe('paid');
    expect(service.getAttempt(droppedAttempt.id).state).toBe('paid');
    expect(service.getAttempt(qr.id).state).toBe('paid');
    expect(service.getSale(qrSale.id).state).toBe('paid');
    for (const sale of paidSales) expect(service.listRefunds(sale.id).map((r) => r.state)).toEqual(['succeeded']);
    expect(sandbox.getOrder(offlineAttempt.outTradeNo)).toBeNull();

    const prefix = `OUT1${getMeta(h.db, 'install_id') ?? ''}`;
    const ledger = sandboxLedger(sandbox);
    expect(
      ledgerViolations(
        h.db,
        ledger.orders.filter((o) => o.outTradeNo.startsWith(prefix)),
        ledger.refunds.filter((r) => r.outTradeNo.startsWith(prefix)),
      ),
    ).toEqual([]);
  }, 120_000);
});
