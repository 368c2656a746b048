import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HUB_ADMIN_PATHS, HUB_ADMIN_RECON_PATHS, HUB_ADMIN_REFERENCE_PATHS, type ReconciliationDayView, type StoreView } from '../../../shared/hub-admin-api';
import type { PushFactsAnswer } from '../../../shared/hub-protocol';
import { fen } from '../../../shared/money';
import { silentLogger } from '../../../shared/log';
import { HubBillJob } from '../../../electron/hub/reconciliation/bill-job';
import { startSandbox, type Sandbox } from '../../../electron/sandbox/server';
import type { WechatPayClient } from '../../../electron/wechat/types';
import { CounterFacts, SandboxMerchants } from '../../helpers/chain-day';
import { AdminClient, HUB_ENGINES, HUB_TEST_START, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { sandboxClient } from '../../helpers/payments-sandbox';
import { notifyUrlOf } from '../../../shared/hub-wechat-admin-api';
import { createWechatPayClient } from '../../../electron/wechat/factory';

const HOUR = 3_600_000;
const DAY = '2026-12-07';

/**
 * The chain's reconciliation at the hub (issue 14): two stores, each with its own merchant (store A on API v2,
 * store B on v3, two sandboxes over real HTTPS), three counters. Real payments and refunds at the sandboxes, the
 * counters' facts pushed to the hub, then disagreements planted at WeChat; the hub's bill job downloads the day
 * after 10:00 Beijing and must report every planted disagreement, and nothing else, with its store/counter/shift.
 */
describe.each(HUB_ENGINES)('chain reconciliation at the hub on %s', (engine) => {
  const merchants = new SandboxMerchants();
  let t: HubUnderTest;
  let sandboxA: Sandbox;
  let sandboxB: Sandbox;
  let storeA = '';
  let storeB = '';
  let authSeq = 0;
  // Store B's counter and its facts, and two of its orders: the late-facts test goes on where the day left them.
  let b1: TestCounter;
  let fb1: CounterFacts;
  let neverSeen = '';
  let notifiedOnly = '';

  beforeAll(async () => {
    t = await startTestHub(engine, { merchants });
    storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body.storeId;
    sandboxA = await startSandbox({ clock: t.clock });
    sandboxB = await startSandbox({ clock: t.clock });
    merchants.add(sandboxA, 'v2', [storeA]);
    merchants.add(sandboxB, 'v3', [storeB]);
  });
  afterAll(async () => {
    await t?.close();
    await sandboxA?.close();
    await sandboxB?.close();
  });

  const enrolled = async (storeId: string, name: string): Promise<TestCounter> => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(storeId), name)).status).toBe(200);
    return counter;
  };
  const push = async (counter: TestCounter, facts: CounterFacts): Promise<void> => {
    const answer = await counter.pushFacts<PushFactsAnswer>(facts.facts);
    expect(answer.status).toBe(200);
    expect(answer.body.stored).toBe(facts.facts.length);
  };
  /** A real payment-code payment at the sandbox (instant wallet), at the clock's time. */
  const pay = async (client: WechatPayClient, outTradeNo: string, totalFen: number): Promise<void> => {
    authSeq += 1;
    const outcome = await client.micropay({ outTradeNo, authCode: `1301${'0000'}${String(authSeq).padStart(10, '0')}`, totalFen: fen(totalFen), description: '测试' });
    expect(outcome.kind).toBe('success');
  };
  const tick = (ms = 60_000): void => t.clock.advance(ms);
  /** Sessions last 12 hours: after the clock jumps to the next day the owner signs in again. */
  const ownerSignsIn = async (): Promise<void> => {
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.session, { name: '王老板', password: 'correct horse battery' })).status).toBe(200);
  };

  it('reports every planted disagreement of a day across two stores and three counters, and nothing else, with its store, counter and shift', async () => {
    const [a1, a2] = [await enrolled(storeA, 'A店1号台'), await enrolled(storeA, 'A店2号台')];
    b1 = await enrolled(storeB, 'B店1号台');
    const clientA = sandboxClient(sandboxA, t.clock, 'v2');
    const clientB = sandboxClient(sandboxB, t.clock, 'v3');
    const fa1 = new CounterFacts(a1.terminalId, 'SH-A1', 'c-a1');
    const fa2 = new CounterFacts(a2.terminalId, 'SH-A2', 'c-a2');
    fb1 = new CounterFacts(b1.terminalId, 'SH-B1', 'c-b1');
    for (const f of [fa1, fa2, fb1]) f.openShift(t.clock.now());
    tick();

    // Store A, counter 1: a payment that agrees, one whose amount WeChat changes, one WeChat loses (only local).
    const agreesA1 = fa1.orderNo('P');
    await pay(clientA, agreesA1, 1_000);
    fa1.sale(t.clock.now(), agreesA1, 1_000);
    tick();
    const amountChanged = fa1.orderNo('P');
    await pay(clientA, amountChanged, 2_000);
    fa1.sale(t.clock.now(), amountChanged, 2_000);
    tick();
    const lostAtWechat = fa1.orderNo('P');
    await pay(clientA, lostAtWechat, 700);
    fa1.sale(t.clock.now(), lostAtWechat, 700);
    tick();
    // Store A, counter 2: a payment refunded outside the app, and one refunded through the app (agrees).
    const refundedOutside = fa2.orderNo('P');
    await pay(clientA, refundedOutside, 3_000);
    fa2.sale(t.clock.now(), refundedOutside, 3_000);
    tick();
    const refundedInApp = fa2.orderNo('P');
    await pay(clientA, refundedInApp, 1_500);
    const refundSale = fa2.sale(t.clock.now(), refundedInApp, 1_500);
    tick();
    const appRefundNo = fa2.orderNo('R');
    expect((await clientA.refund({ outTradeNo: refundedInApp, outRefundNo: appRefundNo, totalFen: fen(1_500), refundFen: fen(500) })).kind).toBe('success');
    fa2.refund(t.clock.now(), refundSale, refundedInApp, appRefundNo, 500);
    tick();
    // Store B, counter 1 (v3): a payment that agrees, and a payment whose facts never reached the hub.
    const agreesB1 = fb1.orderNo('P');
    await pay(clientB, agreesB1, 4_200);
    fb1.sale(t.clock.now(), agreesB1, 4_200);
    tick();
    neverSeen = fb1.orderNo('P');
    await pay(clientB, neverSeen, 880);
    tick();
    // Store B, counter 1: a QR paid and notified to the hub (v3 notify_url), whose sale no counter ever reported.
    const notifying = createWechatPayClient({
      apiVersion: 'v3', credentials: sandboxB.credentials, baseUrl: sandboxB.url, timeouts: { connectMs: 2_000, totalMs: 5_000 }, clock: t.clock,
      logger: silentLogger, spbillCreateIp: '127.0.0.1', notifyUrl: notifyUrlOf(t.hub.url, 'v3'),
    });
    notifiedOnly = fb1.orderNo('P');
    const qr = await notifying.createNativeOrder({ outTradeNo: notifiedOnly, totalFen: fen(1_300), description: '扫码', productId: notifiedOnly, timeExpire: t.clock.now() + 30 * 60_000 });
    if (qr.kind !== 'success') throw new Error('native order refused');
    expect(sandboxB.customerPay(qr.value.codeUrl)).toMatchObject({ ok: true });
    expect(await sandboxB.notifications.pump()).toBe(1);
    tick();

    await push(a1, fa1);
    await push(a2, fa2);
    await push(b1, fb1);

    // What happens at WeChat without any counter.
    sandboxA.changeOrderAmount(amountChanged, 2_500);
    sandboxA.plantRefund({ outTradeNo: refundedOutside, refundFen: 500, outRefundNo: 'MCHPLATFORM0001' });
    sandboxA.removeOrder(lostAtWechat);
    const planted = sandboxB.plantPayment({ totalFen: 999, paidAt: t.clock.now() });

    // Before 10:00 the next day nothing is fetched; after it, every merchant's bills are.
    t.clock.set(HUB_TEST_START + 23 * HOUR);
    await t.hub.jobs.bills.tick();
    await ownerSignsIn();
    const early = await t.admin.request<ReconciliationDayView>('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}`);
    expect(early.body.bills).toEqual([]);
    t.clock.set(HUB_TEST_START + 24 * HOUR + 30 * 60_000);
    await t.hub.jobs.bills.tick();

    const view = await t.admin.request<ReconciliationDayView>('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}`);
    expect(view.status).toBe(200);
    const bills = view.body.bills.map((b) => `${b.mchid === sandboxA.credentials.mchid ? 'A' : 'B'} ${b.bill} ${b.state}`).sort();
    expect(bills).toEqual(['A trade stored', 'B fund-flow stored', 'B trade stored']);
    const reported = view.body.mismatches.map((m) => ({
      class: m.class, outTradeNo: m.outTradeNo, outRefundNo: m.outRefundNo, storeId: m.storeId, terminalId: m.terminalId, shiftId: m.shiftId,
      cashierId: m.cashierId, localFen: m.localFen, wechatFen: m.wechatFen,
    }));
    const expected = [
      { class: 'amount-differs', outTradeNo: amountChanged, outRefundNo: null, storeId: storeA, terminalId: a1.terminalId, shiftId: 'SH-A1', cashierId: 'c-a1', localFen: 2_000, wechatFen: 2_500 },
      { class: 'only-local', outTradeNo: lostAtWechat, outRefundNo: null, storeId: storeA, terminalId: a1.terminalId, shiftId: 'SH-A1', cashierId: 'c-a1', localFen: 700, wechatFen: null },
      { class: 'state-differs', outTradeNo: refundedOutside, outRefundNo: 'MCHPLATFORM0001', storeId: storeA, terminalId: a2.terminalId, shiftId: 'SH-A2', cashierId: 'c-a2', localFen: null, wechatFen: 500 },
      { class: 'only-in-wechat', outTradeNo: neverSeen, outRefundNo: null, storeId: storeB, terminalId: b1.terminalId, shiftId: null, cashierId: null, localFen: null, wechatFen: 880 },
      // Reported as the notification no counter confirmed, and not also as "only in WeChat".
      { class: 'notification-unconfirmed', outTradeNo: notifiedOnly, outRefundNo: null, storeId: storeB, terminalId: b1.terminalId, shiftId: null, cashierId: null, localFen: null, wechatFen: 1_300 },
      { class: 'only-in-wechat', outTradeNo: planted.outTradeNo, outRefundNo: null, storeId: storeB, terminalId: null, shiftId: null, cashierId: null, localFen: null, wechatFen: 999 },
    ];
    const key = (m: { outTradeNo: string; class: string }): string => `${m.outTradeNo} ${m.class}`;
    expect(reported.sort((x, y) => key(x).localeCompare(key(y)))).toEqual(expected.sort((x, y) => key(x).localeCompare(key(y))));

    // The fund-flow bill of the v3 merchant is kept too: income for each payment still settled at WeChat.
    const flow = await t.hub.database.db.selectFrom('hub_fund_flow_lines').select(['voucher_no', 'direction', 'amount_fen'])
      .where('mchid', '=', sandboxB.credentials.mchid).where('business_name', '=', '交易').orderBy('line_no').execute();
    expect(flow.map((f) => [f.voucher_no, f.amount_fen])).toEqual([[agreesB1, 4_200], [neverSeen, 880], [notifiedOnly, 1_300], [planted.outTradeNo, 999]]);

    // Idempotent: another tick downloads nothing again; the stored lines stay as they were.
    const lines = await t.hub.database.db.selectFrom('hub_bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await t.hub.jobs.bills.tick();
    const again = await t.hub.database.db.selectFrom('hub_bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(again.n)).toBe(Number(lines.n));
    expect(Number(lines.n)).toBe(10);
  });

  it("lets a store manager see and resolve only its own store's mismatches, with a note, audit-logged", async () => {
    const created = await t.admin.request<{ userId: string }>('POST', HUB_ADMIN_REFERENCE_PATHS.users, { name: '张经理', password: 'manager password 1', storeIds: [storeB] });
    expect(created.status).toBe(201);
    const manager = new AdminClient(t.hub.url);
    expect((await manager.request('POST', HUB_ADMIN_PATHS.session, { name: '张经理', password: 'manager password 1' })).status).toBe(200);

    const mine = await manager.request<ReconciliationDayView>('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}`);
    expect(mine.status).toBe(200);
    expect(new Set(mine.body.mismatches.map((m) => m.storeId))).toEqual(new Set([storeB]));
    expect((await manager.request('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}&store=${storeA}`)).status).toBe(403);
    expect((await manager.request('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=12/07/2026`)).status).toBe(400);

    const all = await t.admin.request<ReconciliationDayView>('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}`);
    const ofStoreA = all.body.mismatches.find((m) => m.storeId === storeA);
    const ofStoreB = mine.body.mismatches[0];
    if (!ofStoreA || !ofStoreB) throw new Error('the day has mismatches in both stores');
    expect((await manager.request('POST', HUB_ADMIN_RECON_PATHS.resolve(ofStoreA.mismatchId), { note: '不是我的店' })).status).toBe(404);
    expect((await manager.request('POST', HUB_ADMIN_RECON_PATHS.resolve(ofStoreB.mismatchId), {})).status).toBe(400);
    const resolved = await manager.request<{ resolved: { note: string } | null }>('POST', HUB_ADMIN_RECON_PATHS.resolve(ofStoreB.mismatchId), { note: '已与顾客核实' });
    expect(resolved.status).toBe(200);
    expect(resolved.body.resolved?.note).toBe('已与顾客核实');
    expect((await t.admin.request('POST', HUB_ADMIN_RECON_PATHS.resolve(ofStoreB.mismatchId), { note: '再处理一次' })).status).toBe(409);

    const audit = await t.hub.database.db.selectFrom('hub_audit').selectAll().where('action', '=', 'reconciliation.resolve').execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]?.target).toBe(ofStoreB.mismatchId);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ note: '已与顾客核实', storeId: storeB });

    // Reconciling the day again keeps the resolution (the same disagreement is not reopened).
    await t.hub.database.db.updateTable('hub_bill_days').set({ state: 'pending', next_attempt_at: t.clock.now() }).where('bill_date', '=', DAY).execute();
    await t.hub.jobs.bills.tick();
    const after = await t.admin.request<ReconciliationDayView>('GET', `${HUB_ADMIN_RECON_PATHS.day}?date=${DAY}`);
    expect(after.body.mismatches).toHaveLength(all.body.mismatches.length);
    expect(after.body.mismatches.find((m) => m.mismatchId === ofStoreB.mismatchId)?.resolved?.note).toBe('已与顾客核实');
    const lines = await t.hub.database.db.selectFrom('hub_bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(lines.n)).toBe(10);
  });

  it('redoes a bill download that was interrupted, after a restart, without losing or doubling a line', async () => {
    const b2 = await enrolled(storeB, 'B店2号台');
    const facts = new CounterFacts(b2.terminalId, 'SH-B2', 'c-b2');
    facts.openShift(t.clock.now());
    const no = facts.orderNo('P', '261208');
    await pay(sandboxClient(sandboxB, t.clock, 'v3'), no, 600);
    facts.sale(t.clock.now(), no, 600);
    await push(b2, facts);
    const day = '2026-12-08';
    const rows = async (): Promise<{ state: string; lines: number; flow: number }> => {
      const db = t.hub.database.db;
      const row = await db.selectFrom('hub_bill_days').select(['state']).where('mchid', '=', sandboxB.credentials.mchid).where('bill_date', '=', day).where('bill', '=', 'trade').executeTakeFirstOrThrow();
      const lines = await db.selectFrom('hub_bill_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('bill_date', '=', day).executeTakeFirstOrThrow();
      const flow = await db.selectFrom('hub_fund_flow_lines').select((eb) => eb.fn.countAll<number>().as('n')).where('bill_date', '=', day).executeTakeFirstOrThrow();
      return { state: row.state, lines: Number(lines.n), flow: Number(flow.n) };
    };

    // The bill files' answers are lost (the request reached WeChat, the answer never came back): nothing is stored.
    t.clock.set(Date.parse('2026-12-09T02:30:00Z'));
    await sandboxB.faults.add({ kind: 'drop', pathPrefix: '/v3/billdownload', times: 2 });
    await t.hub.jobs.bills.tick();
    expect(await rows()).toEqual({ state: 'pending', lines: 0, flow: 0 });

    // A restarted hub (a new job over the same database) finishes the day once, and again finds nothing to do.
    const sandboxOf = (mchid: string): Sandbox => (mchid === sandboxA.credentials.mchid ? sandboxA : sandboxB);
    const restarted = new HubBillJob({
      db: t.hub.database.db, merchants, clock: t.clock, log: silentLogger,
      clientFor: (m) => sandboxClient(sandboxOf(m.mchid), t.clock, m.apiVersion),
    });
    t.clock.advance(5 * 60_000);
    await restarted.tick();
    expect(await rows()).toEqual({ state: 'stored', lines: 1, flow: 2 });
    t.clock.advance(60 * 60_000);
    await restarted.tick();
    await t.hub.jobs.bills.tick();
    expect(await rows()).toEqual({ state: 'stored', lines: 1, flow: 2 });
  });

  it('reconciles a day again when a counter\'s late facts arrive: what they explain is resolved by the hub with a note, audit-logged, and what they disagree with appears', async () => {
    const db = t.hub.database.db;
    const openOf = async (outTradeNo: string) => db.selectFrom('hub_recon_mismatches').selectAll().where('bill_date', '=', DAY).where('out_trade_no', '=', outTradeNo).execute();
    const before = await openOf(neverSeen);
    expect(before).toMatchObject([{ class: 'only-in-wechat', resolved_at: null }]);
    const untouched = await db.selectFrom('hub_recon_mismatches').selectAll().where('bill_date', '=', DAY).where('out_trade_no', 'not in', [neverSeen]).orderBy('mismatch_id').execute();

    // Counter B1 was offline: its sale of neverSeen (16:00 that day) and another it says WeChat paid reach the hub now.
    const from = fb1.facts.length;
    const at = HUB_TEST_START + 6 * HOUR;
    fb1.sale(at, neverSeen, 880);
    const lostLocally = fb1.orderNo('P');
    fb1.sale(at, lostLocally, 450);
    const answer = await b1.pushFacts<PushFactsAnswer>(fb1.facts.slice(from));
    expect(answer.status).toBe(200);
    t.clock.advance(5 * 60_000);
    await t.hub.jobs.bills.tick();

    expect(await openOf(neverSeen)).toMatchObject([{ mismatch_id: before[0]?.mismatch_id, resolved_by: 'hub', note: '迟到的收银台记录已解释 / explained by late facts' }]);
    expect((await openOf(neverSeen))[0]?.resolved_at).not.toBeNull();
    expect(await openOf(lostLocally)).toMatchObject([{ class: 'only-local', resolved_at: null, store_id: storeB, terminal_id: b1.terminalId, shift_id: 'SH-B1', local_fen: 450 }]);
    const audit = await db.selectFrom('hub_audit').selectAll().where('action', '=', 'reconciliation.auto-resolve').execute();
    expect(audit.map((a) => a.target)).toEqual([before[0]?.mismatch_id]);
    expect(JSON.parse(audit[0]?.detail ?? '{}')).toMatchObject({ class: 'only-in-wechat', outTradeNo: neverSeen, storeId: storeB, note: '迟到的收银台记录已解释 / explained by late facts' });
    // Every other mismatch of the day is as it was (same id, same resolution or still open).
    const others = await db.selectFrom('hub_recon_mismatches').selectAll().where('bill_date', '=', DAY).where('out_trade_no', 'not in', [neverSeen, lostLocally]).orderBy('mismatch_id').execute();
    expect(others.map((m) => [m.mismatch_id, m.class, m.resolved_at, m.note])).toEqual(untouched.map((m) => [m.mismatch_id, m.class, m.resolved_at, m.note]));

    // Nothing new arrived since: the next run leaves the day alone.
    t.clock.advance(5 * 60_000);
    expect(await t.hub.jobs.bills.rematchLate(t.clock.now())).toBe(0);
  });
});
