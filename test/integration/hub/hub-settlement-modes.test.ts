import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS } from '../../../shared/hub-admin-api';
import { HUB_SETTLEMENT_PATHS as S, type RefundClearanceAnswer, type SettlementReportView } from '../../../shared/hub-settlement-api';
import { fen } from '../../../shared/money';
import { splitOrderAmount } from '../../../shared/split-rules';
import { splitRuleOf } from '../../../electron/hub/db/settlement';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { SandboxMerchants } from '../../helpers/chain-day';
import { HUB_ENGINES, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { buildSettlementWorld, OWNER, rulesFor, type SettlementSetup, type SettlementWorld } from '../../helpers/settlement-world';

const HOUR = 3_600_000;
const DAY = '2026-12-07';

const SETUPS: [string, SettlementSetup, string][] = [
  ['a direct merchant on API v2', { apiVersion: 'v2', serviceProvider: false }, '/secapi/pay/multiprofitsharing'],
  ['a service provider\'s sub-merchant on API v3', { apiVersion: 'v3', serviceProvider: true }, '/v3/profitsharing/orders'],
  ['a service provider\'s sub-merchant on API v2', { apiVersion: 'v2', serviceProvider: true }, '/secapi/pay/multiprofitsharing'],
];

/**
 * The hub's settlement runs (issue 16) for the other ways a chain takes money, over real HTTPS against the sandbox:
 * a merchant on API v2 (the v2 profit-sharing API) and a store that is a service provider's sub-merchant (the
 * provider splits its orders, receivers added for the sub-merchant). The same day as hub-settlement.test.ts: every
 * order split exactly, the sandbox's balances per receiver equal to the hub's report, a refund of a split order
 * returned first, tampered and failed answers retried without a split made twice. One engine: the engines' paths are
 * the same as for a v3 direct merchant (hub-settlement.test.ts runs both); what differs here is the WeChat side.
 */
describe.each(SETUPS)('settlement runs for %s', (_name, setup, splitPath) => {
  const engine = HUB_ENGINES[0] ?? 'sqlite';
  const merchants = new SandboxMerchants();
  let t: HubUnderTest;
  let sandbox: Sandbox;
  let world: SettlementWorld;
  let receiver = '';

  beforeAll(async () => {
    t = await startTestHub(engine, { merchants });
    const storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    sandbox = await startSandbox({ clock: t.clock });
    receiver = sandbox.credentials.receiverMchid;
    t.clock.advance(2 * HOUR);
    world = await buildSettlementWorld(t.admin, t.hub.url, storeA, sandbox, merchants, t.clock, DAY, [
      [1_000, 2_345, 99_999, 1],
      [1_000, 2_345, 7, 160, 88_888],
      [1_000, 2_345, 501, 12_000, 3],
    ], setup);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  const report = async (): Promise<SettlementReportView> => {
    const answer = await t.admin.request<SettlementReportView>('GET', `${S.report}?date=${DAY}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const expectedParts = (storeId: string, totalFen: number) => {
    const set = rulesFor(world.stores, receiver, DAY).find((r) => r.storeId === storeId);
    const rules = (set?.rules ?? []).map((r, i) => splitRuleOf({
      rule_set_id: '', position: i, account: r.account, type: r.type, relation_type: r.relationType, share_kind: r.share.kind,
      basis_points: r.share.kind === 'percent' ? r.share.basisPoints : null, fixed_fen: r.share.kind === 'fixed' ? r.share.fen : null, description: r.description,
    }));
    return splitOrderAmount(fen(totalFen), rules, 3_000).parts;
  };

  it('splits every order of a three-store day exactly under the right merchant, through tampered and failed answers, and the sandbox\'s receiver balances equal the hub\'s report to the fen', async () => {
    // The receivers were added at WeChat for the merchant the hub settles (the sub-merchant in service-provider mode).
    expect(world.mchid).toBe(setup.serviceProvider ? sandbox.credentials.subMchid : sandbox.credentials.mchid);
    // The first split answer is tampered with, the next is a system error, one query is lost: all must end in one split each.
    await sandbox.faults.add({ kind: 'tamper', pathPrefix: splitPath, times: 1 });
    await sandbox.faults.add({ kind: 'system-error', pathPrefix: splitPath, times: 1 });
    t.clock.advance(24 * HOUR + 30 * 60_000);
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.session, OWNER)).status).toBe(200);
    await t.hub.jobs.bills.tick();
    for (let i = 0; i < 4; i += 1) {
      await t.hub.jobs.settlement.tick();
      t.clock.advance(2_000);
    }
    // Both faults met the hub's split requests on this API's path (so the splits went through that API).
    expect(sandbox.faults.list()).toEqual([]);

    const day = await report();
    expect(day.days.map((d) => [d.mchid, d.state])).toEqual([[world.mchid, 'done']]);
    const byAccount = new Map<string, number>();
    for (const store of world.stores) {
      const view = day.stores.find((s) => s.storeId === store);
      const orders = world.paid.filter((p) => p.storeId === store);
      const due = orders.flatMap((o) => expectedParts(store, o.totalFen));
      expect(view?.orders).toBe(orders.length);
      expect(view?.dueFen).toBe(due.reduce((s, p) => s + p.amountFen, 0));
      expect(view?.splitFen).toBe(view?.dueFen);
      expect([view?.failedFen, view?.pendingFen, view?.returnedFen]).toEqual([0, 0, 0]);
      expect(view?.unfrozenOrders).toBe(orders.length);
      for (const o of orders) {
        const lines = (view?.lines ?? []).filter((l) => l.transactionId === o.transactionId).map((l) => [l.account, l.amountFen, l.state]);
        expect(lines.sort()).toEqual(expectedParts(store, o.totalFen).map((p) => [p.account, p.amountFen, 'done']).sort());
      }
      for (const line of view?.lines ?? []) byAccount.set(line.account, (byAccount.get(line.account) ?? 0) + line.amountFen - line.returnedFen);
    }
    const balances = new Map(sandbox.profitSharing.balances().map((b) => [b.account, b.balanceFen]));
    expect(new Map([...balances].filter(([, v]) => v !== 0))).toEqual(byAccount);
    const psOrders = sandbox.profitSharing.orders();
    for (const p of world.paid) {
      const mine = psOrders.filter((o) => o.transactionId === p.transactionId);
      expect(mine.every((o) => o.ownerMchid === world.mchid)).toBe(true);
      expect(mine.filter((o) => o.kind === 'split').length).toBe(expectedParts(p.storeId, p.totalFen).length > 0 ? 1 : 0);
      expect(mine.filter((o) => o.kind === 'unfreeze').length).toBe(1);
    }
    const before = psOrders.length;
    await t.hub.jobs.settlement.tick();
    expect(sandbox.profitSharing.orders().length).toBe(before);
  });

  it('a refund of a split order is refused until the hub returns the split (回退), then the refund goes through', async () => {
    const order = world.paid.find((p) => p.storeId === world.stores[0] && p.totalFen === 2_345);
    if (!order) throw new Error('no order');
    const outRefundNo = `${order.outTradeNo.slice(0, 20)}R1`;
    const before = sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen ?? 0;
    const refund = () => world.pay.refund({ outTradeNo: order.outTradeNo, outRefundNo, totalFen: fen(order.totalFen), refundFen: fen(order.totalFen) });
    expect(await refund()).toMatchObject({ kind: 'failure', code: 'NOTENOUGH' });
    const cleared = await t.admin.request<RefundClearanceAnswer>('POST', S.refundClearance, { outTradeNo: order.outTradeNo, outRefundNo, refundFen: order.totalFen });
    expect(cleared.status).toBe(200);
    expect(cleared.body.clear).toBe(true);
    expect(cleared.body.returns.map((r) => [r.account, r.amountFen, r.state])).toEqual([[receiver, 469, 'done']]);
    expect((await refund()).kind).toBe('success');
    expect(sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen).toBe(before - 469);
    const line = (await report()).stores.flatMap((s) => s.lines).find((l) => l.transactionId === order.transactionId);
    expect([line?.state, line?.returnedFen]).toEqual(['returned', 469]);
  });

  it('checks the day against WeChat\'s profit-sharing bill where the API has one (v3); on v2, which has none, the check stays pending', async () => {
    t.clock.advance(24 * HOUR);
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.session, OWNER)).status).toBe(200);
    await t.hub.jobs.settlement.tick();
    const day = await report();
    expect(day.days.map((d) => [d.billState, d.billProblems])).toEqual([[setup.apiVersion === 'v3' ? 'matched' : 'pending', []]]);
  });
});
