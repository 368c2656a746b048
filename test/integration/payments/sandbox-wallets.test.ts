import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../shared/clock';
import { getMeta } from '../../../electron/db/app-meta';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import type { ApiVersion } from '../../../electron/wechat/types';
import { walletCode, WALLETS } from '../../helpers/fake-wechat-client';
import { createHarness, T0, type Harness } from '../../helpers/payments-harness';
import { ledgerViolations } from '../../helpers/payments-invariants';
import { sandboxClient, sandboxLedger } from '../../helpers/payments-sandbox';

let serial = 0;
const nextSerial = (): number => ++serial;

describe.each<ApiVersion>(['v2', 'v3'])('payments against the sandbox (%s)', (apiVersion) => {
  const clock = new ManualClock(T0);
  let sandbox: Sandbox;
  let terminal = 0;

  beforeAll(async () => {
    sandbox = await startSandbox({ clock });
  });
  afterAll(async () => {
    await sandbox.close();
  });

  function harness(): Harness {
    terminal += 1;
    return createHarness(sandboxClient(sandbox, clock, apiVersion), { clock, terminalId: `${apiVersion.toUpperCase()}T${terminal}` });
  }

  /** Drains, then checks the local books against the sandbox ledger (this terminal's orders only). */
  async function expectBooksAgree(h: Harness): Promise<void> {
    await h.drain(15 * 60_000);
    expect(h.service.syncStatus().queueLength).toBe(0);
    const prefix = `${h.service.getSale(1).terminalId}${getMeta(h.db, 'install_id') ?? ''}`;
    const ledger = sandboxLedger(sandbox);
    const orders = ledger.orders.filter((o) => o.outTradeNo.startsWith(prefix));
    const refunds = ledger.refunds.filter((r) => r.outTradeNo.startsWith(prefix));
    expect(ledgerViolations(h.db, orders, refunds)).toEqual([]);
  }

  const walletCases: { name: string; code: () => string; amount?: number; attempt: string; ledger: string | null; failure?: string }[] = [
    { name: 'instant', code: () => walletCode(WALLETS.instant, nextSerial()), attempt: 'paid', ledger: 'SUCCESS' },
    { name: 'password, pays after 12 s', code: () => walletCode(WALLETS.password, nextSerial(), 12), attempt: 'paid', ledger: 'SUCCESS' },
    { name: 'password slower than 45 s', code: () => walletCode(WALLETS.password, nextSerial(), 50), attempt: 'reversed', ledger: 'REVOKED' },
    { name: 'password, never pays', code: () => walletCode(WALLETS.passwordNever, nextSerial()), attempt: 'reversed', ledger: 'REVOKED' },
    { name: 'not enough money', code: () => walletCode(WALLETS.notEnough, nextSerial()), attempt: 'failed', ledger: 'REVOKED', failure: 'NOTENOUGH' },
    { name: 'expired code', code: () => walletCode(WALLETS.expired, nextSerial()), attempt: 'failed', ledger: null, failure: 'AUTHCODEEXPIRE' },
    { name: 'code already used', code: () => walletCode(WALLETS.alreadyUsed, nextSerial()), attempt: 'failed', ledger: null, failure: 'AUTH_CODE_ERROR' },
    { name: 'bank error then paid', code: () => walletCode(WALLETS.bankError, nextSerial()), attempt: 'paid', ledger: 'SUCCESS' },
    { name: 'payer cancels the password', code: () => walletCode(WALLETS.passwordCancel, nextSerial(), 8), attempt: 'failed', ledger: 'REVOKED', failure: 'PAYERROR' },
    { name: 'over ¥1000 needs the password', code: () => walletCode(WALLETS.instant, nextSerial()), amount: 120_000, attempt: 'paid', ledger: 'SUCCESS' },
  ];

  it.each(walletCases)('wallet: $name → $attempt, ledger $ledger', async (c) => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: c.amount ?? 1250 });
    const attempt = h.service.scanPaymentCode(sale.id, c.code());
    await h.drain(5 * 60_000);
    const ended = h.service.getAttempt(attempt.id);
    expect(ended.state).toBe(c.attempt);
    if (c.failure) expect(ended.failure?.code).toBe(c.failure);
    expect(sandbox.getOrder(attempt.outTradeNo)?.tradeState ?? null).toBe(c.ledger);
    expect(h.service.getSale(sale.id).state).toBe(c.attempt === 'paid' ? 'paid' : 'open');
    await expectBooksAgree(h);
  });

  const paths =
    apiVersion === 'v2'
      ? { micropay: '/pay/micropay', query: '/pay/orderquery', refund: '/secapi/pay/refund', reverse: '/secapi/pay/reverse' }
      : { micropay: '/v3/pay/transactions/codepay', query: '/v3/pay/transactions/out-trade-no', refund: '/v3/refund/domestic/refunds', reverse: '/v3/pay/transactions/out-trade-no' };

  const faultCases: { name: string; specs: Parameters<Sandbox['faults']['add']>[0][] }[] = [
    { name: 'dropped answer (processed)', specs: [{ kind: 'drop', pathPrefix: paths.micropay, times: 1 }] },
    { name: 'SYSTEMERROR before processing', specs: [{ kind: 'system-error', pathPrefix: paths.micropay, times: 1 }] },
    { name: 'SYSTEMERROR after processing', specs: [{ kind: 'system-error', pathPrefix: paths.micropay, times: 1, processed: true }] },
    { name: '502 before processing', specs: [{ kind: 'http-5xx', pathPrefix: paths.micropay, times: 2 }] },
    { name: '503 after processing', specs: [{ kind: 'http-5xx', status: 503, pathPrefix: paths.micropay, times: 1, processed: true }] },
    { name: 'rate limited', specs: [{ kind: 'rate-limit', pathPrefix: paths.micropay, times: 2 }] },
    { name: 'tampered answer', specs: [{ kind: 'tamper', pathPrefix: paths.micropay, times: 1 }] },
    { name: 'latency', specs: [{ kind: 'latency', latencyMs: 300, times: 3 }] },
    {
      name: 'dropped micropay, then the queries fail too',
      specs: [
        { kind: 'drop', pathPrefix: paths.micropay, times: 1 },
        { kind: 'http-5xx', pathPrefix: paths.query, times: 3 },
        { kind: 'tamper', pathPrefix: paths.query, times: 2 },
      ],
    },
  ];

  it.each(faultCases)('fault: $name → paid exactly once', async ({ specs }) => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 990 });
    await h.service.worker.runUntilIdle();
    for (const spec of specs) await sandbox.faults.add(spec);
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.drain(3 * 60_000);
    await sandbox.faults.clear();
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    expect(sandbox.getOrder(attempt.outTradeNo)?.tradeState).toBe('SUCCESS');
    await expectBooksAgree(h);
  });

  it('fault: a refund whose answer is dropped and then rate limited succeeds once', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 2400 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    await sandbox.faults.add({ kind: 'drop', pathPrefix: paths.refund, times: 1 });
    await sandbox.faults.add({ kind: 'rate-limit', pathPrefix: paths.refund, times: 1 });
    h.service.requestRefund({ saleId: sale.id, amountFen: 2400, approvedBy: 'mgr1' });
    await h.drain();
    await sandbox.faults.clear();
    expect(h.service.listRefunds(sale.id).map((r) => r.state)).toEqual(['succeeded']);
    expect(sandbox.listRefunds(attempt.outTradeNo)).toHaveLength(1);
    await expectBooksAgree(h);
  });

  it('fault: reverse answers SYSTEMERROR with recall=Y → reversed after all', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 700 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.passwordNever, nextSerial()));
    await h.advance(1_000);
    await sandbox.faults.add({ kind: 'system-error', pathPrefix: paths.reverse, times: 3 });
    h.service.payCash(sale.id, 700);
    await h.drain();
    await sandbox.faults.clear();
    expect(h.service.getAttempt(attempt.id).state).toBe('reversed');
    expect(sandbox.getOrder(attempt.outTradeNo)?.tradeState).toBe('REVOKED');
    await expectBooksAgree(h);
  });

  it('outage: a code scanned offline is sent when WeChat returns within the window', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 660 });
    await sandbox.faults.add({ kind: 'outage' });
    h.clock.advance(61_000);
    await h.service.worker.runUntilIdle();
    expect(h.service.syncStatus().connectivity).toBe('offline');
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.advance(20_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('queued');
    await sandbox.faults.clear();
    await h.advance(20_000);
    expect(h.service.getAttempt(attempt.id).state).toBe('paid');
    await expectBooksAgree(h);
  });

  it('outage: a code never sent before its deadline ends cleanly with no order', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 660 });
    await sandbox.faults.add({ kind: 'outage' });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.advance(55_000);
    await sandbox.faults.clear();
    expect(h.service.getAttempt(attempt.id).state).toBe('cancelled');
    expect(sandbox.getOrder(attempt.outTradeNo)).toBeNull();
    await expectBooksAgree(h);
  });

  it('native QR: paid by the customer, cancelled, paid during the close, and expired', async () => {
    const h = harness();
    const paid = h.service.createSale({ cashierId: 'c1', amountFen: 3600 });
    const qr1 = h.service.startNativeQr(paid.id);
    await h.service.worker.runUntilIdle();
    const shown = h.service.getAttempt(qr1.id);
    expect(shown.codeUrl).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
    expect(sandbox.customerPay(shown.codeUrl ?? '', { delayMs: 4_000 }).ok).toBe(true);
    await h.advance(8_000);
    expect(h.service.getAttempt(qr1.id).state).toBe('paid');

    const cancelled = h.service.createSale({ cashierId: 'c1', amountFen: 100 });
    const qr2 = h.service.startNativeQr(cancelled.id);
    await h.advance(3_000);
    h.service.cancelNativeQr(qr2.id);
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(qr2.id).state).toBe('closed');
    expect(sandbox.getOrder(qr2.outTradeNo)?.tradeState).toBe('CLOSED');

    const raced = h.service.createSale({ cashierId: 'c1', amountFen: 200 });
    const qr3 = h.service.startNativeQr(raced.id);
    await h.service.worker.runUntilIdle();
    sandbox.customerPay(h.service.getAttempt(qr3.id).codeUrl ?? '');
    h.service.cancelNativeQr(qr3.id);
    await h.service.worker.runUntilIdle();
    expect(h.service.getAttempt(qr3.id).state).toBe('paid');
    expect(h.service.getSale(raced.id).state).toBe('paid');

    const expired = h.service.createSale({ cashierId: 'c1', amountFen: 300 });
    const qr4 = h.service.startNativeQr(expired.id);
    await h.advance(6 * 60_000, 2_500);
    expect(h.service.getAttempt(qr4.id).state).toBe('closed');
    expect(sandbox.getOrder(qr4.outTradeNo)?.tradeState).toBe('CLOSED');
    await expectBooksAgree(h);
  });

  it('refunds: partial then the rest, both SUCCESS in the ledger', async () => {
    const h = harness();
    const sale = h.service.createSale({ cashierId: 'c1', amountFen: 5000 });
    const attempt = h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    await h.service.worker.runUntilIdle();
    h.service.requestRefund({ saleId: sale.id, amountFen: 1200, approvedBy: 'mgr1' });
    h.service.requestRefund({ saleId: sale.id, amountFen: 3800, approvedBy: 'mgr1' });
    expect(() => h.service.requestRefund({ saleId: sale.id, amountFen: 1, approvedBy: 'mgr1' })).toThrow(/超过可退金额/);
    await h.drain();
    expect(h.service.listRefunds(sale.id).map((r) => r.state)).toEqual(['succeeded', 'succeeded']);
    expect(sandbox.listRefunds(attempt.outTradeNo).map((r) => r.status)).toEqual(['SUCCESS', 'SUCCESS']);
    await expectBooksAgree(h);
  });

  it('transaction reports: finished micropay orders are reported in a batch', async () => {
    const h = harness();
    const before = sandbox.listReports().length;
    for (let i = 0; i < 3; i++) {
      const sale = h.service.createSale({ cashierId: 'c1', amountFen: 100 + i });
      h.service.scanPaymentCode(sale.id, walletCode(WALLETS.instant, nextSerial()));
    }
    await h.service.worker.runUntilIdle();
    await h.advance(61_000);
    expect(h.service.syncStatus().queueLength).toBe(0);
    if (apiVersion === 'v2') expect(sandbox.listReports().length).toBeGreaterThan(before);
  });
});
