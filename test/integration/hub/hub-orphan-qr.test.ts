import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type AlertView, type StoreView } from '../../../shared/hub-admin-api';
import type { PushFactsAnswer } from '../../../shared/hub-protocol';
import { fen } from '../../../shared/money';
import { listQrCloses } from '../../../electron/hub/db/qr-closes';
import { ORPHAN_QR_GRACE_MS } from '../../../electron/hub/reconciliation/orphan-qr';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { CounterFacts, SandboxMerchants } from '../../helpers/chain-day';
import { HUB_ENGINES, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { sandboxClient } from '../../helpers/payments-sandbox';

/**
 * Orphaned QR orders at the hub (issue 14): a native order a counter told the hub about (a pending wechat-qr
 * tender) whose sale never completed is closed with the store's merchant credentials once the grace period is
 * over; one the customer paid meanwhile is recorded as paid and raised for review, never lost.
 */
describe.each(HUB_ENGINES)('orphaned QR orders at the hub on %s', (engine) => {
  const merchants = new SandboxMerchants();
  let t: HubUnderTest;
  let sandbox: Sandbox;
  let store = '';

  beforeAll(async () => {
    t = await startTestHub(engine, { merchants });
    store = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    // A second store without a merchant: its orders are not the hub's to close.
    await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' });
    sandbox = await startSandbox({ clock: t.clock });
    merchants.add(sandbox, 'v3', [store]);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  it('closes a pending QR order whose sale never completed after the grace period, and records one paid meanwhile for review', async () => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(store))).status).toBe(200);
    const client = sandboxClient(sandbox, t.clock, 'v3');
    const facts = new CounterFacts(counter.terminalId, 'SH1', 'c1');
    facts.openShift(t.clock.now());
    const abandoned = facts.orderNo('P');
    const paidLater = facts.orderNo('P');
    const completed = facts.orderNo('P');
    for (const no of [abandoned, paidLater, completed]) {
      const created = await client.createNativeOrder({ outTradeNo: no, totalFen: fen(1_200), description: '扫码', timeExpire: t.clock.now() + 2 * 3_600_000, productId: no });
      expect(created.kind).toBe('success');
    }
    facts.sale(t.clock.now(), abandoned, 1_200, { pendingQr: true });
    facts.sale(t.clock.now(), paidLater, 1_200, { pendingQr: true });
    facts.sale(t.clock.now(), completed, 1_200);
    const pushed = await counter.pushFacts<PushFactsAnswer>(facts.facts);
    expect(pushed.body.stored).toBe(facts.facts.length);
    const codeUrl = sandbox.listOrders().find((o) => o.outTradeNo === paidLater)?.codeUrl;
    if (!codeUrl) throw new Error('the native order has a code_url');
    sandbox.customerPay(codeUrl);

    // Within the grace period nothing is touched: the cashier may still be showing the QR.
    t.clock.advance(ORPHAN_QR_GRACE_MS - 60_000);
    expect(await t.hub.jobs.orphanQr.tick()).toBe(0);
    expect(await client.queryOrder(abandoned)).toMatchObject({ kind: 'success', value: { tradeState: 'NOTPAY' } });

    t.clock.advance(2 * 60_000);
    expect(await t.hub.jobs.orphanQr.tick()).toBe(2);
    expect(await t.hub.jobs.orphanQr.tick()).toBe(0);
    const closes = (await listQrCloses(t.hub.database.db)).map((c) => [c.out_trade_no, c.state, c.terminal_id, c.store_id]);
    expect(closes.sort()).toEqual([[abandoned, 'closed', counter.terminalId, store], [paidLater, 'paid', counter.terminalId, store]].sort());
    expect(await client.queryOrder(abandoned)).toMatchObject({ kind: 'success', value: { tradeState: 'CLOSED' } });
    expect(await client.queryOrder(paidLater)).toMatchObject({ kind: 'success', value: { tradeState: 'SUCCESS' } });
    expect(await client.queryOrder(completed)).toMatchObject({ kind: 'success', value: { tradeState: 'NOTPAY' } });

    const alerts = (await t.admin.request<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts)).body.filter((a) => a.kind === 'orphan-qr-paid');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]?.message).toContain(paidLater);
  });
});
