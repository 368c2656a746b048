import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { silentLogger } from '../../../shared/log';
import { fen } from '../../../shared/money';
import { getMeta } from '../../../electron/db/app-meta';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { defaultSettings, type Settings } from '../../../electron/settings/schema';
import { createClientFor } from '../../../electron/wiring/wechat-connection';
import type { ApiVersion, WechatPayClient } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0, type Harness } from '../../helpers/payments-harness';
import { ledgerViolations } from '../../helpers/payments-invariants';
import { sandboxLedger } from '../../helpers/payments-sandbox';

/**
 * A store in service-provider mode (服务商 / 特约商户): the counter holds the provider's credentials and its
 * sub-merchant id, and takes every kind of payment through the payment service over real HTTPS.
 */

let serial = 0;
const nextSerial = (): number => ++serial;
const DAY = 24 * 3_600_000;

describe.each<ApiVersion>(['v2', 'v3'])('service-provider mode against the sandbox (%s)', (apiVersion) => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;
  let terminal = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  function settingsFor(subMchid: string, profitSharing: boolean): Settings {
    const settings = defaultSettings();
    return { ...settings, wechat: { ...settings.wechat, apiVersion, merchantMode: 'partner', subMchid, profitSharing } };
  }

  function clientFor(settings: Settings): WechatPayClient {
    const { baseUrl: _baseUrl, ...credentials } = sandbox.credentials;
    return createClientFor(settings, credentials, sandbox.url, clock, silentLogger);
  }

  function harness(subMchid = sandbox.credentials.subMchid, profitSharing = true): Harness {
    terminal += 1;
    return createHarness(clientFor(settingsFor(subMchid, profitSharing)), { clock, terminalId: `P${apiVersion.toUpperCase()}${terminal}` });
  }

  it('takes a micropay, a QR payment and a refund end to end, every order under the sub-merchant and flagged for profit sharing', async () => {
    const h = harness();
    const scanned = h.service.createSale({ cashierId: 'c1', amountFen: 2600 });
    const micropay = h.service.scanPaymentCode(scanned.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(micropay.id).state).toBe('paid');

    const shown = h.service.createSale({ cashierId: 'c1', amountFen: 1800 });
    const qr = h.service.startNativeQr(shown.id);
    await h.service.worker.runUntilIdle();
    expect(sandbox.customerPay(h.service.getAttempt(qr.id).codeUrl ?? '', { delayMs: 3_000 }).ok).toBe(true);
    await h.advance(8_000);
    expect(h.service.getAttempt(qr.id).state).toBe('paid');

    h.service.requestRefund({ saleId: scanned.id, amountFen: 600, approvedBy: 'mgr1' });
    await h.drain();
    expect(h.service.listRefunds(scanned.id).map((r) => r.state)).toEqual(['succeeded']);
    expect(sandbox.listRefunds(micropay.outTradeNo).map((r) => [r.refundFen, r.status])).toEqual([[600, 'SUCCESS']]);

    for (const no of [micropay.outTradeNo, qr.outTradeNo]) {
      expect(sandbox.getOrder(no)?.tradeState).toMatch(/SUCCESS|REFUND/);
      expect(sandbox.profitSharing.ownerOf(no)).toMatchObject({ subMchid: sandbox.credentials.subMchid, profitSharing: true });
    }
    const prefix = `${h.service.getSale(scanned.id).terminalId}${getMeta(h.db, 'install_id') ?? ''}`;
    const ledger = sandboxLedger(sandbox);
    expect(
      ledgerViolations(
        h.db,
        ledger.orders.filter((o) => o.outTradeNo.startsWith(prefix)),
        ledger.refunds.filter((r) => r.outTradeNo.startsWith(prefix)),
      ),
    ).toEqual([]);
  });

  it('keeps a sub-merchant’s orders its own: the provider’s direct calls do not see them', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 990 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    const direct = clientFor(defaultSettings());
    const asDirect = await direct.queryOrder(attempt.outTradeNo);
    expect(asDirect).toMatchObject({ kind: 'failure', code: 'ORDERNOTEXIST' });
    const asPartner = await clientFor(settingsFor(sandbox.credentials.subMchid, false)).queryOrder(attempt.outTradeNo);
    expect(asPartner).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
  });

  it('refuses a sub-merchant that is not under the service provider, and no order is made', async () => {
    const stranger = clientFor(settingsFor('1999999999', false));
    const outTradeNo = `STRANGER${apiVersion}${nextSerial()}`;
    const outcome = await stranger.micropay({ outTradeNo, authCode: walletCode(WALLETS.instant, nextSerial()), totalFen: fen(100), description: 'x' });
    expect(outcome.kind).toBe('failure');
    expect(sandbox.getOrder(outTradeNo)).toBeNull();
  });

  it('a payment made without profit sharing is recorded as such', async () => {
    const h = harness(sandbox.credentials.subMchid, false);
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 500 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    expect(sandbox.profitSharing.ownerOf(attempt.outTradeNo)).toMatchObject({ subMchid: sandbox.credentials.subMchid, profitSharing: false });
  });

  it('the sub-merchant’s bill lists its payments with its 特约商户号', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 1234 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    const shift = sandbox.shiftBillClock(DAY + 11 * 3_600_000);
    try {
      const day = new Date(clock.now() + 8 * 3_600_000).toISOString().slice(0, 10);
      const bill = await clientFor(settingsFor(sandbox.credentials.subMchid, true)).downloadBill({ billDate: day, billType: 'ALL' });
      expect(bill.kind).toBe('success');
      const csv = bill.kind === 'success' && bill.value.kind === 'bill' ? bill.value.csv : '';
      const row = csv.split('\r\n').find((line) => line.includes(attempt.outTradeNo)) ?? '';
      expect(row.split(',')[3]).toBe(`\`${sandbox.credentials.subMchid}`);
    } finally {
      sandbox.shiftBillClock(-shift);
    }
  });
});
