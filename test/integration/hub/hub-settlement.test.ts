import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, type AlertView } from '../../../shared/hub-admin-api';
import { HUB_SETTLEMENT_PATHS as S, type RefundClearanceAnswer, type SettlementReportView } from '../../../shared/hub-settlement-api';
import { fen } from '../../../shared/money';
import { splitOrderAmount } from '../../../shared/split-rules';
import { splitRuleOf } from '../../../electron/hub/db/settlement';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import { SandboxMerchants } from '../../helpers/chain-day';
import { HUB_ENGINES, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { HUB_PATHS } from '../../../shared/hub-protocol';
import { BRAND, buildSettlementWorld, OWNER, payAtStores, rulesFor, type SettlementWorld } from '../../helpers/settlement-world';

const HOUR = 3_600_000;
const DAY = '2026-12-07';

/**
 * Settlement runs at the hub (issue 16), over real HTTPS against the sandbox: a profit-sharing day of three stores
 * with different rules, split after the day's reconciliation; the sandbox's receiver balances must equal the hub's
 * report to the fen; a refund of a split order needs its return (回退) first; the day checks out against WeChat's
 * profit-sharing bill.
 */
describe.each(HUB_ENGINES)('settlement runs at the hub on %s', (engine) => {
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
    ]);
  });
  afterAll(async () => {
    await t?.close();
    await sandbox?.close();
  });

  const ownerSignsIn = async (): Promise<void> => {
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.session, OWNER)).status).toBe(200);
  };
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

  it('splits every paid order of a three-store profit-sharing day exactly by its store\'s rules, unfreezes the rest, and the sandbox\'s receiver balances equal the hub\'s report to the fen', async () => {
    // The next day after 10:00 Beijing: the trade bill is downloaded and reconciled, then the day is settled.
    t.clock.advance(24 * HOUR + 30 * 60_000);
    await ownerSignsIn();
    await t.hub.jobs.bills.tick();
    await t.hub.jobs.settlement.tick();
    t.clock.advance(2_000);
    await t.hub.jobs.settlement.tick();

    const day = await report();
    expect(day.days.map((d) => d.state)).toEqual(['done']);
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
    // One split per order, and every order's rest unfrozen: nothing is left frozen at WeChat.
    const psOrders = sandbox.profitSharing.orders();
    for (const p of world.paid) {
      expect(psOrders.filter((o) => o.transactionId === p.transactionId && o.kind === 'split').length).toBe(expectedParts(p.storeId, p.totalFen).length > 0 ? 1 : 0);
      expect(psOrders.filter((o) => o.transactionId === p.transactionId && o.kind === 'unfreeze').length).toBe(1);
    }

    // A second run changes nothing (planned once, nothing sent twice).
    const before = sandbox.profitSharing.orders().length;
    await t.hub.jobs.settlement.tick();
    expect(sandbox.profitSharing.orders().length).toBe(before);
  });

  it('a refund of a split order is refused by WeChat until the hub returns the split, then the refund goes through', async () => {
    const order = world.paid.find((p) => p.storeId === world.stores[0] && p.totalFen === 2_345);
    if (!order) throw new Error('no order');
    const outRefundNo = `${order.outTradeNo.slice(0, 20)}R1`;
    const before = sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen ?? 0;
    const refund = () => world.pay.refund({ outTradeNo: order.outTradeNo, outRefundNo, totalFen: fen(order.totalFen), refundFen: fen(order.totalFen) });
    // The store owner holds 20 % of it: WeChat cannot refund money the merchant no longer has.
    expect((await refund()).kind).toBe('failure');

    const cleared = await t.admin.request<RefundClearanceAnswer>('POST', S.refundClearance, { outTradeNo: order.outTradeNo, outRefundNo, refundFen: order.totalFen });
    expect(cleared.status).toBe(200);
    expect(cleared.body.clear).toBe(true);
    expect(cleared.body.returns.map((r) => [r.account, r.amountFen, r.state])).toEqual([[receiver, 469, 'done']]);
    const refunded = await refund();
    expect(refunded.kind).toBe('success');
    expect(sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen).toBe(before - 469);

    const line = (await report()).stores.flatMap((s) => s.lines).find((l) => l.transactionId === order.transactionId);
    expect([line?.state, line?.returnedFen]).toEqual(['returned', 469]);
    // Asking again for the same refund sends nothing more.
    const again = await t.admin.request<RefundClearanceAnswer>('POST', S.refundClearance, { outTradeNo: order.outTradeNo, outRefundNo, refundFen: order.totalFen });
    expect(again.body.returns).toEqual(cleared.body.returns);
    expect(sandbox.profitSharing.balances().find((b) => b.account === receiver)?.balanceFen).toBe(before - 469);
  });

  it('a counter asks for the clearance of its own store\'s refund with its signature; another store\'s counter is told the order is unknown', async () => {
    const order = world.paid.find((p) => p.storeId === world.stores[1] && p.totalFen === 88_888);
    if (!order) throw new Error('no order');
    const outRefundNo = `${order.outTradeNo.slice(0, 20)}R2`;
    const body = JSON.stringify({ outTradeNo: order.outTradeNo, outRefundNo, refundFen: 10_000 });
    const counterOf = async (storeId: string): Promise<TestCounter> => {
      const counter = new TestCounter(t.hub.url, t.clock);
      expect((await counter.enrol(await t.admin.pairingCode(storeId), `退款台-${storeId.slice(0, 4)}`)).status).toBe(200);
      return counter;
    };
    const elsewhere = await (await counterOf(world.stores[0] ?? '')).signed('POST', HUB_PATHS.refundClearance, body);
    expect(elsewhere.status).toBe(404);
    const own = await (await counterOf(world.stores[1] ?? '')).signed<RefundClearanceAnswer>('POST', HUB_PATHS.refundClearance, body);
    expect(own.status).toBe(200);
    // 10,000 of 88,888: the brand's 5.5 % (4,889) gives back ceil(4,889 × 10,000 ÷ 88,888) = 551, the owner's fixed 150 gives 17.
    expect(own.body.returns.map((r) => [r.account, r.amountFen, r.state]).sort()).toEqual([[BRAND, 551, 'done'], [receiver, 17, 'done']].sort());
    expect(own.body.clear).toBe(true);
    expect((await world.pay.refund({ outTradeNo: order.outTradeNo, outRefundNo, totalFen: fen(order.totalFen), refundFen: fen(10_000) })).kind).toBe('success');
  });

  it('checks the settled day against WeChat\'s profit-sharing bill once it is out', async () => {
    t.clock.advance(24 * HOUR);
    await ownerSignsIn();
    await t.hub.jobs.settlement.tick();
    const day = await report();
    expect(day.days.map((d) => [d.billState, d.billProblems])).toEqual([['matched', []]]);
  });

  it('a receiver not on file and a day over its cap hold the splits back with an alert; the owner retries one (sent despite the cap) and resolves the other with a note, both audit-logged', async () => {
    const nextDay = '2026-12-09';
    expect((await t.admin.request('PUT', S.caps, { scope: world.stores[1], maxDayFen: 100 })).status).toBe(200);
    const stranger = '1900099999';
    const proposed = await t.admin.request<{ ruleSetId: string }>('POST', S.rules, {
      storeId: world.stores[2], effectiveFrom: nextDay,
      rules: [{ account: stranger, type: 'MERCHANT_ID', relationType: 'PARTNER', share: { kind: 'percent', basisPoints: 1_000 }, description: '合作方' }],
    });
    expect((await t.admin.request('POST', S.approve(proposed.body.ruleSetId), {})).status).toBe(200);
    const paid = await payAtStores(t.admin, t.hub.url, world.pay, world.stores, t.clock, nextDay, [[], [5_000], [4_000]]);
    t.clock.advance(24 * HOUR);
    await ownerSignsIn();
    await t.hub.jobs.bills.tick();
    await t.hub.jobs.settlement.tick();

    const held = await t.admin.request<SettlementReportView>('GET', `${S.report}?date=${nextDay}`);
    const lines = held.body.stores.flatMap((s) => s.lines);
    const overCap = lines.filter((l) => l.transactionId === paid[0]?.transactionId);
    const unknown = lines.filter((l) => l.transactionId === paid[1]?.transactionId);
    expect(overCap.map((l) => [l.state, l.failCode])).toEqual([['failed', 'OVER_DAILY_CAP'], ['failed', 'OVER_DAILY_CAP']]);
    expect(unknown.map((l) => [l.account, l.amountFen, l.state, l.failCode])).toEqual([[stranger, 400, 'failed', 'RECEIVER_NOT_ON_FILE']]);
    const alerts = (await t.admin.request<AlertView[]>('GET', HUB_ADMIN_PATHS.alerts)).body;
    expect(alerts.filter((a) => a.kind.startsWith('settlement-')).map((a) => a.kind).sort()).toEqual(['settlement-over-cap', 'settlement-receiver-unknown']);
    const nothingSent = sandbox.profitSharing.orders().filter((o) => paid.some((p) => p.transactionId === o.transactionId));
    expect(nothingSent).toEqual([]);

    // Finance reads but cannot retry; the owner retries the capped splits and resolves the unknown receiver's.
    const overCapLine = overCap[0];
    const unknownLine = unknown[0];
    if (!overCapLine || !unknownLine) throw new Error('lines missing');
    // A retry sends the order's whole split again (both its held parts), under the next number; once is enough.
    expect((await t.admin.request('POST', S.retry(overCapLine.transactionId, overCapLine.account), { note: '老板确认超限' })).status).toBe(200);
    const second = overCap[1];
    if (second) expect((await t.admin.request('POST', S.retry(second.transactionId, second.account), { note: '老板确认超限' })).status).toBe(409);
    expect((await t.admin.request('POST', S.resolve(unknownLine.transactionId, unknownLine.account), { note: '合作方尚未签约，本单不分' })).status).toBe(200);
    expect((await t.admin.request('POST', S.resolve(unknownLine.transactionId, unknownLine.account), { note: '再次处理' })).status).toBe(409);
    await t.hub.jobs.settlement.tick();
    t.clock.advance(2_000);
    await t.hub.jobs.settlement.tick();
    const after = (await t.admin.request<SettlementReportView>('GET', `${S.report}?date=${nextDay}`)).body;
    const afterLines = after.stores.flatMap((s) => s.lines);
    expect(afterLines.filter((l) => l.transactionId === paid[0]?.transactionId).map((l) => [l.state, l.outOrderNo])).toEqual(
      overCap.map(() => ['done', `PS${paid[0]?.transactionId ?? ''}R1`]),
    );
    expect(afterLines.find((l) => l.transactionId === paid[1]?.transactionId)?.resolved?.note).toBe('合作方尚未签约，本单不分');
    expect(after.days.map((d) => d.state)).toEqual(['done']);
    expect(after.stores.find((s) => s.storeId === world.stores[2])?.unfrozenOrders).toBe(1);
    const audit = (await t.admin.request<{ action: string }[]>('GET', `${HUB_ADMIN_PATHS.stores.replace('/stores', '/audit')}`)).body;
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['settlement.order.retry', 'settlement.order.resolve', 'settlement.cap.set', 'settlement.rules.approve', 'settlement.rules.propose', 'settlement.receiver.add']));
  });
});
