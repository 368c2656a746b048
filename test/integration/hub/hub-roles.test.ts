import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUB_ADMIN_OPERATIONS_PATHS, HUB_ADMIN_PATHS, HUB_ADMIN_REFDATA_PATHS, HUB_ADMIN_REFERENCE_PATHS, type ItemView, type ManagerView, type PriceScheduleView,
  type StaffView, type StoreView,
} from '../../../shared/hub-admin-api';
import { AdminClient, HUB_ENGINES, HUB_TEST_START, TestCounter, saleFact, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';
import { ADMIN_ROUTE_CASES, ROUTE_ROLES, type RoleWorld, type RouteRole } from './hub-admin-route-table';

const R = HUB_ADMIN_REFERENCE_PATHS;
const PASSWORD = 'a long enough password';

describe.each(HUB_ENGINES)('who may call which admin route on %s', (engine) => {
  let t: HubUnderTest;
  let world: RoleWorld;
  const clients = {} as Record<RouteRole, AdminClient>;

  const ok = async <T>(client: AdminClient, method: string, path: string, body?: unknown): Promise<T> => {
    const answer = await client.request<T>(method, path, body);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    return answer.body;
  };

  beforeAll(async () => {
    t = await startTestHub(engine);
    const storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    const storeB = (await ok<StoreView>(t.admin, 'POST', HUB_ADMIN_PATHS.stores, { name: '二号店机密' })).storeId;
    const counterA = new TestCounter(t.hub.url, t.clock);
    await counterA.enrol(await t.admin.pairingCode(storeA), 'A店1号台');
    const counterB = new TestCounter(t.hub.url, t.clock);
    await counterB.enrol(await t.admin.pairingCode(storeB), 'B店秘密台');
    await counterA.pushFacts([saleFact(1, 1000)]);
    await counterB.pushFacts([saleFact(1, 2000)]);
    const staffA = await ok<StaffView>(t.admin, 'POST', R.staff, { name: '甲收银', role: 'cashier', pin: '3141', storeIds: [storeA] });
    const staffB = await ok<StaffView>(t.admin, 'POST', R.staff, { name: '乙收银秘', role: 'cashier', pin: '2718', storeIds: [storeB] });
    const item = await ok<ItemView>(t.admin, 'POST', R.items, { name: '可乐', priceFen: 300 });
    await ok(t.admin, 'PUT', R.itemOverride(item.itemId, storeB), { priceFen: 299, available: true });
    const managerA = await ok<ManagerView>(t.admin, 'POST', R.users, { name: '甲店长', password: PASSWORD, storeIds: [storeA] });
    const finance = await ok<ManagerView>(t.admin, 'POST', R.users, { name: '财务', password: PASSWORD, role: 'finance' });
    const spare = await ok<ManagerView>(t.admin, 'POST', R.users, { name: '备用店长', password: PASSWORD, storeIds: [storeA] });
    const schedule = (storeId: string) => ok<PriceScheduleView>(t.admin, 'POST', HUB_ADMIN_REFDATA_PATHS.priceSchedules, { itemId: item.itemId, storeId, priceFen: 305, applyAt: '2027-01-01T08:00' });
    const scheduleA = await schedule(storeA);
    const scheduleB = await schedule(storeB);
    clients.owner = t.admin;
    clients.signedOut = new AdminClient(t.hub.url);
    clients.managerA = new AdminClient(t.hub.url);
    await ok(clients.managerA, 'POST', HUB_ADMIN_PATHS.session, { name: '甲店长', password: PASSWORD });
    clients.finance = new AdminClient(t.hub.url);
    await ok(clients.finance, 'POST', HUB_ADMIN_PATHS.session, { name: '财务', password: PASSWORD });
    world = {
      storeA, storeB, terminalA: counterA.terminalId, terminalB: counterB.terminalId, staffA: staffA.staffId, staffB: staffB.staffId,
      itemId: item.itemId, managerAId: managerA.userId, financeId: finance.userId, spareId: spare.userId,
      scheduleA: scheduleA.scheduleId, scheduleB: scheduleB.scheduleId, storeBSecrets: ['二号店机密', 'B店秘密台', '乙收银秘', '￥2.99', '"priceFen":299', '"fen":299', scheduleB.scheduleId],
      day: new Date(HUB_TEST_START + 8 * 3_600_000).toISOString().slice(0, 10),
    };
  });
  afterAll(async () => t?.close());

  it('signs in a finance account, which names no store', async () => {
    const who = await ok<{ user: { role: string } }>(clients.finance, 'GET', HUB_ADMIN_PATHS.session);
    expect(who.user.role).toBe('finance');
    const refused = await t.admin.request('POST', R.users, { name: '财务二', password: PASSWORD, role: 'finance', storeIds: [world.storeA] });
    expect(refused.status).toBe(400);
  });

  for (const route of ADMIN_ROUTE_CASES) {
    it(`${route.method} ${route.name}: ${ROUTE_ROLES.map((r) => `${r} ${route.expect[r]}`).join(', ')}`, async () => {
      for (const role of ROUTE_ROLES) {
        const answer = await clients[role].request(route.method, route.path(world), route.body?.(world, role));
        expect(answer.status, `${role}: ${JSON.stringify(answer.body)}`).toBe(route.expect[role]);
        if (role === 'managerA') {
          const text = JSON.stringify(answer.body);
          for (const secret of [world.storeB, world.terminalB, world.staffB, ...world.storeBSecrets]) {
            expect(text, `store A's manager got "${secret}" of store B`).not.toContain(secret);
          }
        }
      }
    });
  }

  it("streams to store A's manager a live view of store A only, and refuses the stream signed out", async () => {
    const cookie = (clients.managerA as unknown as { cookie: string }).cookie;
    const abort = new AbortController();
    const response = await fetch(`${t.hub.url}${HUB_ADMIN_OPERATIONS_PATHS.liveEvents}`, { headers: { cookie }, signal: abort.signal });
    const reader = response.body!.getReader();
    let text = '';
    while (!text.includes('\n\n')) text += new TextDecoder().decode((await reader.read()).value);
    abort.abort();
    expect(text).toContain(world.storeA);
    for (const secret of [world.storeB, world.terminalB, ...world.storeBSecrets]) expect(text).not.toContain(secret);
    expect((await fetch(`${t.hub.url}${HUB_ADMIN_OPERATIONS_PATHS.liveEvents}`)).status).toBe(401);
  });

  it('audit-logs who changed what from where, for stores, pairing codes, revocations and sign-ins too', async () => {
    const audit = await ok<{ action: string; userName: string; address: string }[]>(t.admin, 'GET', R.audit);
    const actions = new Set(audit.map((a) => a.action));
    for (const action of ['store.create', 'pairing-code.create', 'terminal.revoke', 'session.sign-in', 'account.create']) expect(actions).toContain(action);
    expect(audit.find((a) => a.action === 'session.sign-in' && a.userName === '财务')?.address).toMatch(/127\.0\.0\.1/);
  });
});
