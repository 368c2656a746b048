import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUB_ADMIN_PATHS, HUB_ADMIN_REFDATA_PATHS as D, HUB_ADMIN_REFERENCE_PATHS as R, historyQueryString,
  type HistoryEntryView, type HistoryQuery, type ItemView, type ManagerView, type PriceScheduleView, type StaffView, type StoreView,
} from '../../../shared/hub-admin-api';
import { HUB_PATHS, type ReferenceAnswer } from '../../../shared/hub-protocol';
import { AdminClient, HUB_ENGINES, HUB_TEST_START, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

const PASSWORD = 'a long enough password';
const MINUTE = 60_000;
/** HUB_TEST_START is 2026-12-07 02:00 UTC = 10:00 in China; the schedules below are for the next morning. */
const TOMORROW_0900 = '2026-12-08T09:00';
const TOMORROW_0900_MS = Date.UTC(2026, 11, 8, 1, 0, 0);

describe.each(HUB_ENGINES)('reference pages at the hub on %s: scheduled prices, history, accounts', (engine) => {
  let t: HubUnderTest;
  let storeA = '';
  let storeB = '';
  let counterA: TestCounter;
  let counterB: TestCounter;
  let owner: AdminClient;
  let manager: AdminClient;
  let finance: AdminClient;

  const ok = async <T>(client: AdminClient, method: string, path: string, body?: unknown, status = 200): Promise<T> => {
    const answer = await client.request<T>(method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBe(status);
    return answer.body;
  };
  const priceAt = async (counter: TestCounter, itemId: string): Promise<number | undefined> => {
    const answer = await counter.signed<ReferenceAnswer>('GET', `${HUB_PATHS.reference}?since=0`);
    expect(answer.status).toBe(200);
    return answer.body.items?.find((i) => i.hubItemId === itemId)?.priceFen;
  };
  const history = (client: AdminClient, query: HistoryQuery) => client.request<HistoryEntryView[]>('GET', `${D.history}?${historyQueryString(query)}`);
  const signIn = async (name: string, password = PASSWORD): Promise<AdminClient> => {
    const client = new AdminClient(t.hub.url);
    await ok(client, 'POST', HUB_ADMIN_PATHS.session, { name, password });
    return client;
  };

  /** Moves the hub's clock (a day ahead ends 12-hour sessions: everyone signs in again, as at the next morning). */
  const at = async (ms: number): Promise<void> => {
    t.clock.set(ms);
    owner = await signIn('王老板', 'correct horse battery');
    manager = await signIn('甲店长');
    finance = await signIn('财务');
  };

  beforeAll(async () => {
    t = await startTestHub(engine);
    owner = t.admin;
    storeA = (await owner.setUp(t.hub.adminUrl)).storeId;
    storeB = (await ok<StoreView>(owner, 'POST', HUB_ADMIN_PATHS.stores, { name: '二号店' }, 201)).storeId;
    counterA = new TestCounter(t.hub.url, t.clock);
    await counterA.enrol(await owner.pairingCode(storeA));
    counterB = new TestCounter(t.hub.url, t.clock);
    await counterB.enrol(await owner.pairingCode(storeB));
    await ok(owner, 'POST', R.users, { name: '甲店长', password: PASSWORD, storeIds: [storeA] }, 201);
    await ok(owner, 'POST', R.users, { name: '财务', password: PASSWORD, role: 'finance' }, 201);
    await at(HUB_TEST_START);
  });
  afterAll(async () => t?.close());

  it('applies a chain price scheduled for 09:00 store time with the job: not at 08:59, at the first pull after 09:00', async () => {
    const item = await ok<ItemView>(owner, 'POST', R.items, { name: '豆浆', priceFen: 300 }, 201);
    const scheduled = await ok<PriceScheduleView>(owner, 'POST', D.priceSchedules, { itemId: item.itemId, storeId: null, priceFen: 350, applyAt: TOMORROW_0900 }, 201);
    expect(scheduled).toMatchObject({ state: 'pending', applyAt: TOMORROW_0900_MS, priceFen: 350, createdByName: '王老板' });

    await at(TOMORROW_0900_MS - MINUTE);
    expect(await t.hub.jobs.prices.tick()).toBe(0);
    expect(await priceAt(counterA, item.itemId)).toBe(300);
    expect(await priceAt(counterB, item.itemId)).toBe(300);

    await at(TOMORROW_0900_MS + 1000);
    await t.hub.jobs.prices.tick();
    expect(await priceAt(counterA, item.itemId)).toBe(350);
    expect(await priceAt(counterB, item.itemId)).toBe(350);
    const schedules = await ok<PriceScheduleView[]>(owner, 'GET', `${D.priceSchedules}?item=${item.itemId}`);
    expect(schedules.map((s) => s.state)).toEqual(['applied']);

    const entries = await ok<HistoryEntryView[]>(owner, 'GET', `${D.history}?${historyQueryString({ of: 'item', id: item.itemId })}`);
    const applied = entries.find((e) => e.action === 'item.update');
    expect(applied).toMatchObject({ userName: '王老板', address: 'hub-schedule', at: TOMORROW_0900_MS + 1000 });
    expect(applied?.changes).toEqual([{ field: 'priceFen', before: { type: 'fen', fen: 300 }, after: { type: 'fen', fen: 350 } }]);
    expect(entries.map((e) => e.action)).toEqual(['item.update', 'price.schedule', 'item.create']);
  });

  it("lets store A's manager schedule and cancel store A's price, never store B's nor the chain's, and a cancelled one never applies", async () => {
    await at(HUB_TEST_START);
    const item = await ok<ItemView>(owner, 'POST', R.items, { name: '油条', priceFen: 200 }, 201);
    const request = (storeId: string | null) => ({ itemId: item.itemId, storeId, priceFen: 180, applyAt: TOMORROW_0900 });
    expect((await manager.request('POST', D.priceSchedules, request(storeB))).status).toBe(403);
    expect((await manager.request('POST', D.priceSchedules, request(null))).status).toBe(403);
    expect((await finance.request('POST', D.priceSchedules, request(storeA))).status).toBe(403);
    const past = await manager.request('POST', D.priceSchedules, { ...request(storeA), applyAt: '2026-12-07T09:59' });
    expect(past.status).toBe(400);
    expect((await manager.request('POST', D.priceSchedules, { ...request(storeA), applyAt: '2026-02-30T09:00' })).status).toBe(400);

    const kept = await ok<PriceScheduleView>(manager, 'POST', D.priceSchedules, request(storeA), 201);
    const cancelled = await ok<PriceScheduleView>(manager, 'POST', D.priceSchedules, { ...request(storeA), priceFen: 150, applyAt: '2026-12-08T09:30' }, 201);
    const other = await ok<PriceScheduleView>(owner, 'POST', D.priceSchedules, { ...request(storeB), priceFen: 190 }, 201);
    expect((await manager.request('POST', D.cancelPriceSchedule(other.scheduleId))).status).toBe(404);
    expect((await ok<PriceScheduleView>(manager, 'POST', D.cancelPriceSchedule(cancelled.scheduleId))).state).toBe('cancelled');
    expect((await manager.request('POST', D.cancelPriceSchedule(cancelled.scheduleId))).status).toBe(409);
    const seen = await ok<PriceScheduleView[]>(manager, 'GET', `${D.priceSchedules}?item=${item.itemId}`);
    expect(seen.map((s) => s.scheduleId).sort()).toEqual([kept.scheduleId, cancelled.scheduleId].sort());

    await at(TOMORROW_0900_MS + 31 * MINUTE);
    await t.hub.jobs.prices.tick();
    expect(await priceAt(counterA, item.itemId)).toBe(180);
    expect(await priceAt(counterB, item.itemId)).toBe(190);
    expect((await owner.request('POST', D.cancelPriceSchedule(kept.scheduleId))).status).toBe(409);

    // The item's history as store A's manager sees it: store A's price old → new, nothing of store B.
    const entries = (await history(manager, { of: 'item', id: item.itemId })).body;
    expect(JSON.stringify(entries)).not.toContain(storeB);
    const storePrice = entries.find((e) => e.action === 'item.override');
    expect(storePrice).toMatchObject({ storeId: storeA, address: 'hub-schedule', userName: '甲店长' });
    expect(storePrice?.changes).toEqual([{ field: 'priceFen', before: { type: 'chain-price' }, after: { type: 'fen', fen: 180 } }]);
    expect(entries.filter((e) => e.action === 'price.cancel')).toHaveLength(1);
    // The owner sees both stores' changes.
    expect((await history(owner, { of: 'item', id: item.itemId })).body.filter((e) => e.action === 'item.override').map((e) => e.storeId).sort()).toEqual([storeA, storeB].sort());
  });

  it('keeps the history of a person, a store and an account in words-ready changes, to those allowed to read it', async () => {
    await at(HUB_TEST_START + MINUTE);
    const cashier = await ok<StaffView>(manager, 'POST', R.staff, { name: '小李', role: 'cashier', pin: '4826', storeIds: [storeA] }, 201);
    await ok(manager, 'POST', R.staffPin(cashier.staffId), { pin: '5937' });
    await ok(manager, 'PATCH', R.staffMember(cashier.staffId), { active: false });
    const person = (await history(manager, { of: 'staff', id: cashier.staffId })).body;
    expect(person.map((e) => e.action)).toEqual(['staff.disable', 'staff.pin', 'staff.create']);
    expect(person[0]?.changes).toEqual([{ field: 'active', before: { type: 'flag', on: true }, after: { type: 'flag', on: false } }]);
    expect(person[1]?.changes).toEqual([{ field: 'pin', before: null, after: null }]);
    expect(JSON.stringify(person)).not.toMatch(/4826|5937|scrypt/);
    expect((await history(finance, { of: 'staff', id: cashier.staffId })).status).toBe(403);

    const settings = { name: '一号店', address: '人民路 1 号', receiptFooter: '欢迎再来', maxCashOutFen: 50_000, maxRefundFen: 80_000, wechat: { mchid: null, subMchid: null, appid: null } };
    await ok(owner, 'PUT', R.storeSettings(storeA), settings);
    const store = (await history(manager, { of: 'store', id: storeA })).body;
    expect(store[0]?.changes).toEqual(expect.arrayContaining([
      { field: 'maxRefundFen', before: { type: 'fen', fen: 50_000 }, after: { type: 'fen', fen: 80_000 } },
      { field: 'address', before: { type: 'text', text: '' }, after: { type: 'text', text: '人民路 1 号' } },
    ]));
    expect((await history(manager, { of: 'store', id: storeB })).status).toBe(403);
    expect((await history(finance, { of: 'store', id: storeA })).status).toBe(403);
    expect((await history(manager, { of: 'account', id: 'x' })).status).toBe(403);
    expect((await history(owner, { of: 'nothing' as 'item', id: 'x' })).status).toBe(400);
  });

  it('lets the owner disable, enable, reset and unlock accounts: audit-logged, sessions ended, never the last owner', async () => {
    const accounts = await ok<ManagerView[]>(owner, 'GET', R.users);
    const first = accounts.find((a) => a.role === 'owner')!;
    const target = accounts.find((a) => a.name === '财务')!;
    expect((await owner.request('PATCH', D.account(first.userId), { disabled: true })).status).toBe(403);
    expect((await manager.request('PATCH', D.account(target.userId), { disabled: true })).status).toBe(403);

    expect((await ok<ManagerView>(owner, 'PATCH', D.account(target.userId), { disabled: true })).disabled).toBe(true);
    expect((await finance.request('GET', HUB_ADMIN_PATHS.stores)).status).toBe(401);
    const refused = await new AdminClient(t.hub.url).request<{ error: { code: string } }>('POST', HUB_ADMIN_PATHS.session, { name: '财务', password: PASSWORD });
    expect(refused.body.error.code).toBe('DISABLED');
    await ok(owner, 'PATCH', D.account(target.userId), { disabled: false });

    // Ten wrong passwords lock the account (the clock moves past each backoff), the owner unlocks it.
    for (let i = 0; i < 10; i += 1) {
      t.clock.advance(20 * MINUTE);
      await new AdminClient(t.hub.url).request('POST', HUB_ADMIN_PATHS.session, { name: '财务', password: 'wrong password!' });
    }
    expect((await ok<ManagerView[]>(owner, 'GET', R.users)).find((a) => a.userId === target.userId)?.lockedUntil).toBeGreaterThan(t.clock.now());
    expect((await new AdminClient(t.hub.url).request('POST', HUB_ADMIN_PATHS.session, { name: '财务', password: PASSWORD })).status).toBe(429);
    expect(await ok<ManagerView>(owner, 'POST', D.accountUnlock(target.userId))).toMatchObject({ lockedUntil: null, failedSignIns: 0 });
    finance = await signIn('财务');

    const reset = await owner.request('POST', D.accountPassword(target.userId), { password: 'a brand new password' });
    expect(reset.status).toBe(200);
    expect(JSON.stringify(reset.body)).not.toContain('a brand new password');
    expect((await finance.request('GET', HUB_ADMIN_PATHS.stores)).status).toBe(401);
    finance = await signIn('财务', 'a brand new password');
    expect((await owner.request('POST', D.accountPassword(target.userId), { password: 'short' })).status).toBe(400);

    const second = await ok<ManagerView>(owner, 'POST', R.users, { name: '合伙人', password: PASSWORD, role: 'owner' }, 201);
    expect(second).toMatchObject({ role: 'owner', storeIds: [] });
    await ok(owner, 'PATCH', D.account(second.userId), { disabled: true });

    const actions = (await history(owner, { of: 'account', id: target.userId })).body.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['account.disable', 'account.enable', 'account.unlock', 'account.password', 'account.create']));
    expect(JSON.stringify((await history(owner, { of: 'account', id: target.userId })).body)).not.toContain('a brand new password');
    expect(t.log.lines.map((e) => JSON.stringify(e)).join('\n')).not.toMatch(/a brand new password|4826|5937/);
  });
});
