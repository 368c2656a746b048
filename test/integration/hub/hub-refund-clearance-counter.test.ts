import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS } from '../../../shared/hub-admin-api';
import { HUB_SETTLEMENT_PATHS as S, type SettlementReportView } from '../../../shared/hub-settlement-api';
import { MemoryLogger } from '../../../shared/log';
import { describeRefund, type RefundView } from '../../../shared/payments';
import { HubClient } from '../../../electron/hub-link/client';
import { fetchHubHttp } from '../../../electron/hub-link/http';
import type { HubIdentity } from '../../../electron/hub-link/client';
import { hubRefundClearance } from '../../../electron/hub-link/refund-clearance';
import { createPaymentService, type PaymentService } from '../../../electron/payments/service';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { SandboxMerchants } from '../../helpers/chain-day';
import { startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { openLinkedCounter, type LinkedCounter } from '../../helpers/linked-counter';
import { buildSettlementWorld, OWNER, profitSharingPayClient } from '../../helpers/settlement-world';
import { startTcpProxy, type TcpProxy } from '../../helpers/tcp-proxy';

const HOUR = 3_600_000;
const DAY = '2026-12-07';

/**
 * Issue 16: a counter of a profit-sharing store refunds an order the head office already split. WeChat refunds only
 * money still with the merchant, so the counter's refund job asks the hub for the clearance first (the hub returns
 * the receivers' shares, 分账回退), then sends the refund — over real HTTP to a real hub and real HTTPS to the
 * sandbox. Store A's rule: 20 % to the store owner (the sandbox's receiver). The counter reaches the hub through a
 * TCP proxy that a test points at a dead port to play "hub offline".
 *
 * One engine (SQLite): what is tested is the counter's side; the hub's clearance is tested on both engines in
 * hub-settlement.test.ts.
 */
describe('a counter refunds a split order only after the hub returned the split', () => {
  const merchants = new SandboxMerchants();
  let t: HubUnderTest;
  let sandbox: Sandbox;
  let proxy: TcpProxy;
  let hubOnline = true;
  let dir: string;
  let counter: LinkedCounter;
  let db: Database;
  let payments: PaymentService;
  let receiver = '';
  const paidSales: { saleId: number; outTradeNo: string; totalFen: number }[] = [];

  const openPayments = (database: Database, identity: () => HubIdentity | null): PaymentService =>
    createPaymentService({
      db: database, client: profitSharingPayClient(sandbox, t.clock), clock: t.clock, logger: new MemoryLogger(), terminalId: counter.link.status().terminalId ?? 'T01',
      refundClearance: hubRefundClearance({
        client: new HubClient({ http: fetchHubHttp, now: () => t.clock.now(), timeoutMs: 3_000 }),
        identity, enrolled: () => true, profitSharing: () => true,
      }),
    });
  const balance = (): number => sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen ?? 0;
  const refundsAtWechat = (outTradeNo: string): number => sandbox.listRefunds(outTradeNo).length;
  const settleUntilFinal = async (service: PaymentService, saleId: number): Promise<RefundView[]> => {
    for (let i = 0; i < 20; i++) {
      await service.worker.runUntilIdle();
      const refunds = service.listRefunds(saleId);
      if (refunds.every((r) => r.state === 'succeeded' || r.state === 'failed')) return refunds;
      t.clock.advance(6_000);
    }
    return service.listRefunds(saleId);
  };
  const report = async (): Promise<SettlementReportView> => (await t.admin.request<SettlementReportView>('GET', `${S.report}?date=${DAY}`)).body;

  beforeAll(async () => {
    t = await startTestHub('sqlite', { merchants });
    const storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    sandbox = await startSandbox({ clock: t.clock });
    receiver = sandbox.credentials.receiverMchid;
    const hubPort = Number(new URL(t.hub.url).port);
    proxy = await startTcpProxy(() => ({ host: '127.0.0.1', port: hubOnline ? hubPort : 1 }), { protocol: 'http' });
    t.clock.advance(2 * HOUR);
    await buildSettlementWorld(t.admin, t.hub.url, storeA, sandbox, merchants, t.clock, DAY, [[], [], []]);

    dir = mkdtempSync(join(tmpdir(), 'refund-clearance-'));
    counter = openLinkedCounter(dir, t.clock, { timeoutMs: 3_000 });
    db = counter.db;
    await counter.link.enrol({ hubUrl: proxy.url, pairingCode: await t.admin.pairingCode(storeA), counterName: '分账收银台' }, { id: 'm1', name: '李经理' });
    payments = openPayments(db, () => counter.link.currentIdentity());
    for (const [i, amount] of [2_500, 10_000, 7_300].entries()) {
      const sale = payments.createSale({ cashierId: 'c1', amountFen: amount });
      const attempt = payments.scanPaymentCode(sale.id, `13011112222${String(3_000_000 + i)}`);
      await payments.worker.runUntilIdle();
      expect(payments.getSale(sale.id).state).toBe('paid');
      paidSales.push({ saleId: sale.id, outTradeNo: attempt.outTradeNo, totalFen: amount });
    }
    for (let i = 0; i < 10 && (await counter.link.pushOnce()) === 'pushed'; i++);

    // The next day after 10:00 Beijing the hub reconciles the day and splits it: 20 % of each order to the store owner.
    t.clock.advance(24 * HOUR + 30 * 60_000);
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.session, OWNER)).status).toBe(200);
    await t.hub.jobs.bills.tick();
    await t.hub.jobs.settlement.tick();
    t.clock.advance(2_000);
    await t.hub.jobs.settlement.tick();
    const lines = (await report()).stores.flatMap((s) => s.lines);
    expect(lines.map((l) => [l.outTradeNo, l.amountFen, l.state]).sort()).toEqual(paidSales.map((p) => [p.outTradeNo, p.totalFen / 5, 'done']).sort());
  });

  afterAll(async () => {
    await payments?.stop();
    db?.close();
    await proxy?.close();
    await t?.close();
    await sandbox?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('returns the store owner\'s share at the hub first, then refunds the customer once; the receiver\'s balance goes down by the returned amount', async () => {
    const sale = paidSales[0]!;
    const before = balance();
    const requested = payments.requestRefund({ saleId: sale.saleId, amountFen: sale.totalFen, approvedBy: 'm1', reason: '顾客退货' });
    expect(requested.refunds[0]?.clearance).toEqual({ state: 'waiting', problem: null, detail: null });
    expect(describeRefund(requested.refunds[0]!).zh).toBe('退款等待总部分账回退');
    const refunds = await settleUntilFinal(payments, sale.saleId);
    expect(refunds.map((r) => [r.state, r.clearance?.state])).toEqual([['succeeded', 'cleared']]);
    expect(balance()).toBe(before - sale.totalFen / 5);
    expect(refundsAtWechat(sale.outTradeNo)).toBe(1);
    const line = (await report()).stores.flatMap((s) => s.lines).find((l) => l.outTradeNo === sale.outTradeNo);
    expect([line?.state, line?.returnedFen]).toEqual(['returned', sale.totalFen / 5]);
  });

  it('with the hub offline the refund waits, saying so in both languages, sends nothing to WeChat, and goes through once the hub is back', async () => {
    const sale = paidSales[1]!;
    const before = balance();
    hubOnline = false;
    proxy.cutAll();
    payments.requestRefund({ saleId: sale.saleId, amountFen: 4_000, approvedBy: 'm1' });
    for (let i = 0; i < 3; i++) {
      await payments.worker.runUntilIdle();
      t.clock.advance(10 * 60_000);
    }
    const waiting = payments.listRefunds(sale.saleId)[0]!;
    expect([waiting.state, waiting.clearance?.problem]).toEqual(['queued', 'hub-unreachable']);
    expect(describeRefund(waiting)).toEqual({
      zh: '退款等待总部分账回退：总部暂时无法连接，自动重试',
      en: 'Waiting for head office to return split money: the head office cannot be reached; retrying automatically',
    });
    expect(payments.syncStatus().lastProblem?.zh).toContain('退款等待总部分账回退');
    expect(refundsAtWechat(sale.outTradeNo)).toBe(0);
    expect(balance()).toBe(before);

    hubOnline = true;
    t.clock.advance(6 * 60_000);
    const refunds = await settleUntilFinal(payments, sale.saleId);
    expect(refunds.map((r) => r.state)).toEqual(['succeeded']);
    // 4,000 of 10,000: the owner's 2,000 gives back ceil(2,000 × 4,000 ÷ 10,000) = 800.
    expect(balance()).toBe(before - 800);
    expect(refundsAtWechat(sale.outTradeNo)).toBe(1);
  });

  it('a crash between the hub\'s clearance and the refund (the database reopened) refunds once and returns once', async () => {
    const sale = paidSales[2]!;
    const before = balance();
    payments.requestRefund({ saleId: sale.saleId, amountFen: sale.totalFen, approvedBy: 'm1' });
    // One round: the clearance is asked and recorded; the refund is next in line but not sent.
    await payments.worker.runDue();
    expect(payments.listRefunds(sale.saleId).map((r) => [r.state, r.clearance?.state])).toEqual([['queued', 'cleared']]);
    expect(refundsAtWechat(sale.outTradeNo)).toBe(0);
    expect(balance()).toBe(before - sale.totalFen / 5);

    // The process dies: nothing stopped cleanly. The counter starts again on the same file.
    db.close();
    counter = openLinkedCounter(dir, t.clock, { timeoutMs: 3_000 });
    db = counter.db;
    const restarted = counter;
    payments = openPayments(db, () => restarted.link.currentIdentity());
    payments.recover();
    const refunds = await settleUntilFinal(payments, sale.saleId);
    expect(refunds.map((r) => r.state)).toEqual(['succeeded']);
    expect(refundsAtWechat(sale.outTradeNo)).toBe(1);
    expect(balance()).toBe(before - sale.totalFen / 5);
  });
});
