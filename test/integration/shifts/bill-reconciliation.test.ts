import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import type { ApiVersion } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createTill, type Till } from './harness';

/** 2025-03-14 12:00 Beijing. */
const DAY_NOON = Date.UTC(2025, 2, 14, 4, 0, 0);
const BILL_DATE = '2025-03-14';
/** 2025-03-15 09:59 and 10:01 Beijing. */
const BEFORE_READY = Date.UTC(2025, 2, 15, 1, 59, 0);
const AFTER_READY = Date.UTC(2025, 2, 15, 2, 1, 0);

describe.each<ApiVersion>(['v2', 'v3'])('the next-day bill from the sandbox (%s)', (apiVersion) => {
  const clock = new ManualClock(DAY_NOON);
  let sandbox: Sandbox;
  let till: Till;
  let shiftId = '';
  const orders: Record<string, string> = {};
  let plantedTradeNo = '';
  let plantedRefundNo = '';

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
    till = createTill(sandbox, clock, apiVersion);
    const svc = till.payments.service;
    const cashierId = till.staff.cashierId;
    shiftId = till.shifts.openShift({ cashierId, cashierName: '李收银', openingFloatFen: 20_000 }).id;
    const sale = (amountFen: number): number => svc.createSale({ cashierId, shiftId, amountFen }).id;
    let serial = 1;
    for (const [name, amount] of [['s1', 1000], ['s2', 2000], ['s4', 3000]] as const) {
      const id = sale(amount);
      orders[name] = svc.scanPaymentCode(id, walletCode(WALLETS.instant, serial++)).outTradeNo;
    }
    const qrSale = sale(1500);
    const qr = svc.startNativeQr(qrSale);
    await till.payments.advance(1_000);
    sandbox.customerPay(svc.getAttempt(qr.id).codeUrl ?? '', { delayMs: 0 });
    orders.s3 = qr.outTradeNo;
    svc.payCash(sale(700), 1000);
    await till.payments.drain(60_000);
    const s4 = svc.findSaleByReceiptNo(3);
    svc.requestRefund({ saleId: s4?.id ?? 0, amountFen: 1000, approvedBy: 'm' });
    // A reversed payment: never money, must not be reported.
    const reversed = sale(900);
    svc.scanPaymentCode(reversed, walletCode(WALLETS.passwordNever, serial++));
    await till.payments.drain(120_000);

    // What happened on the merchant account without the app:
    plantedTradeNo = sandbox.plantPayment({ totalFen: 888, paidAt: DAY_NOON + 3 * 3_600_000 }).outTradeNo;
    sandbox.changeOrderAmount(orders.s2 ?? '', 2500);
    plantedRefundNo = sandbox.plantRefund({ outTradeNo: orders.s1 ?? '', refundFen: 300 }).outRefundNo;
  }, 120_000);

  afterAll(async () => {
    await till.payments.service.stop();
    await sandbox.close();
  });

  it('waits for 10:00 Beijing the next day, then downloads through the outbox', async () => {
    clock.set(BEFORE_READY);
    expect(till.reconciliation.queueDueBills()).toEqual([]);
    clock.set(AFTER_READY);
    expect(till.reconciliation.queueDueBills()).toEqual([BILL_DATE]);
    expect(till.reconciliation.queueDueBills()).toEqual([BILL_DATE]);
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.queueDueBills()).toEqual([]);
    const bill = till.reconciliation.getBill(BILL_DATE);
    // s1..s4 payments, the app's refund, the planted payment and refund (the reversed order never paid: no row).
    expect(bill).toMatchObject({ state: 'bill', lineCount: 7, openMismatches: 3 });
  });

  it('reports every planted disagreement and nothing else, with its shift and cashier', () => {
    const found = till.reconciliation.listMismatches({ billDate: BILL_DATE });
    const cashierId = till.staff.cashierId;
    expect(found.map((m) => ({ class: m.class, outTradeNo: m.outTradeNo, outRefundNo: m.outRefundNo, localFen: m.localFen, wechatFen: m.wechatFen, shiftId: m.shiftId, cashierId: m.cashierId })).sort((a, b) => a.class.localeCompare(b.class))).toEqual([
      { class: 'amount-differs', outTradeNo: orders.s2, outRefundNo: null, localFen: 2000, wechatFen: 2500, shiftId, cashierId },
      { class: 'only-in-wechat', outTradeNo: plantedTradeNo, outRefundNo: null, localFen: null, wechatFen: 888, shiftId: null, cashierId: null },
      { class: 'state-differs', outTradeNo: orders.s1, outRefundNo: plantedRefundNo, localFen: null, wechatFen: 300, shiftId, cashierId },
    ]);
  });

  it('resolves a mismatch with a note, audit-logged', () => {
    const [first] = till.reconciliation.listMismatches({ billDate: BILL_DATE, openOnly: true });
    const resolved = till.reconciliation.resolve({ id: first?.id ?? 0, note: '已与顾客核实', actor: { id: till.staff.managerId, name: '王店长' } });
    expect(resolved).toMatchObject({ resolvedBy: till.staff.managerId, note: '已与顾客核实' });
    expect(till.reconciliation.getBill(BILL_DATE)?.openMismatches).toBe(2);
    const audit = till.db.prepare("SELECT details FROM audit_log WHERE action = 'reconciliation.resolved'").all() as { details: string }[];
    expect(audit.map((r) => JSON.parse(r.details) as Record<string, unknown>)).toEqual([expect.objectContaining({ id: first?.id, note: '已与顾客核实' })]);
  });

  it('stores a day without trades as "no bill"', async () => {
    till.reconciliation.redownload('2025-03-13', { id: till.staff.managerId, name: '王店长' });
    await till.payments.service.worker.runUntilIdle();
    expect(till.reconciliation.getBill('2025-03-13')).toMatchObject({ state: 'no-bill', lineCount: 0, openMismatches: 0 });
  });
});
