import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HUB_ADMIN_PATHS, HUB_ADMIN_REFERENCE_PATHS, type AuditView, type ItemView, type ManagerView, type StaffView, type StoreSettingsView,
  type StoreView,
} from '../../../shared/hub-admin-api';
import { HUB_PATHS, type HubErrorBody, type ReferenceAnswer } from '../../../shared/hub-protocol';
import { verifyPin } from '../../../electron/security/pin';
import { AdminClient, HUB_ENGINES, TestCounter, startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

const R = HUB_ADMIN_REFERENCE_PATHS;

describe.each(HUB_ENGINES)('reference data from the hub on %s', (engine) => {
  let t: HubUnderTest;
  let storeA = '';
  let storeB = '';
  let counterA: TestCounter;
  let counterB: TestCounter;

  const pull = async (counter: TestCounter, since: number): Promise<ReferenceAnswer> => {
    const answer = await counter.signed<ReferenceAnswer>('GET', `${HUB_PATHS.reference}?since=${since}`);
    expect(answer.status).toBe(200);
    return answer.body;
  };
  const revisionNow = async (): Promise<number> => (await pull(counterA, 0)).revision;
  const newItem = async (name: string, priceFen: number, extra: Record<string, unknown> = {}): Promise<ItemView> => {
    const answer = await t.admin.request<ItemView>('POST', R.items, { name, priceFen, ...extra });
    expect(answer.status, JSON.stringify(answer.body)).toBe(201);
    return answer.body;
  };
  const enrolled = async (storeId: string): Promise<TestCounter> => {
    const counter = new TestCounter(t.hub.url, t.clock);
    expect((await counter.enrol(await t.admin.pairingCode(storeId))).status).toBe(200);
    return counter;
  };

  beforeAll(async () => {
    t = await startTestHub(engine);
    storeA = (await t.admin.setUp(t.hub.adminUrl)).storeId;
    storeB = (await t.admin.request<StoreView>('POST', HUB_ADMIN_PATHS.stores, { name: '二号店' })).body.storeId;
    counterA = await enrolled(storeA);
    counterB = await enrolled(storeB);
  });
  afterAll(async () => t?.close());

  it('brings every list at since=0, then only the lists that changed for the store, each complete', async () => {
    const first = await pull(counterA, 0);
    expect(first.items).toEqual(expect.any(Array));
    expect(first.staff).toEqual(expect.any(Array));
    expect(first.store).toMatchObject({ storeId: storeA, name: '一号店', maxCashOutFen: 50_000, maxRefundFen: 50_000 });
    expect(await pull(counterA, first.revision)).toEqual({ revision: first.revision });

    const cola = await newItem('可乐', 300, { barcode: '6901234567892' });
    const afterItem = await pull(counterA, first.revision);
    expect(afterItem.revision).toBe(first.revision + 1);
    expect(afterItem.staff).toBeUndefined();
    expect(afterItem.store).toBeUndefined();
    expect(afterItem.items?.find((i) => i.hubItemId === cola.itemId)).toEqual({
      hubItemId: cola.itemId, name: '可乐', barcode: '6901234567892', priceFen: 300, quick: false, position: 0, active: true,
    });

    await newItem('雪碧', 300);
    const again = await pull(counterA, afterItem.revision);
    // Complete, not a delta: the item that did not change is there too.
    expect(again.items?.map((i) => i.name)).toEqual(expect.arrayContaining(['可乐', '雪碧']));
  });

  it('tells a store nothing of another store\'s staff, price or settings changes', async () => {
    const since = await revisionNow();
    const item = await newItem('矿泉水', 200);
    const fromB = await pull(counterB, since + 1);
    const staff = await t.admin.request<StaffView>('POST', R.staff, { name: '李收银', role: 'cashier', pin: '4826', storeIds: [storeA] });
    expect(staff.status).toBe(201);
    expect((await t.admin.request('PUT', R.itemOverride(item.itemId, storeA), { priceFen: 250, available: true })).status).toBe(200);
    const settings = await t.admin.request<StoreSettingsView>('GET', R.storeSettings(storeA));
    expect((await t.admin.request('PUT', R.storeSettings(storeA), { ...settingsRequest(settings.body), receiptFooter: '谢谢惠顾' })).status).toBe(200);

    const b = await pull(counterB, fromB.revision);
    expect(b).toEqual({ revision: fromB.revision + 3 });
    const a = await pull(counterA, fromB.revision);
    expect(a.staff?.map((s) => s.name)).toContain('李收银');
    expect(a.store?.receiptFooter).toBe('谢谢惠顾');
    expect(a.items?.find((i) => i.hubItemId === item.itemId)?.priceFen).toBe(250);
  });

  it('resolves each store\'s price and availability over the chain price', async () => {
    const item = await newItem('薯片', 650);
    expect((await t.admin.request('PUT', R.itemOverride(item.itemId, storeA), { priceFen: 700, available: true })).status).toBe(200);
    expect((await t.admin.request('PUT', R.itemOverride(item.itemId, storeB), { priceFen: null, available: false })).status).toBe(200);
    const inA = (await pull(counterA, 0)).items?.find((i) => i.hubItemId === item.itemId);
    const inB = (await pull(counterB, 0)).items?.find((i) => i.hubItemId === item.itemId);
    expect(inA).toMatchObject({ priceFen: 700, active: true });
    expect(inB).toMatchObject({ priceFen: 650, active: false });
    // Clearing the override brings the chain price back; changing the chain price reaches stores without one.
    await t.admin.request('PUT', R.itemOverride(item.itemId, storeA), { priceFen: null, available: true });
    await t.admin.request('PATCH', R.item(item.itemId), { priceFen: 680 });
    expect((await pull(counterA, 0)).items?.find((i) => i.hubItemId === item.itemId)?.priceFen).toBe(680);
    const view = (await t.admin.request<ItemView[]>('GET', R.items)).body.find((i) => i.itemId === item.itemId);
    expect(view?.overrides).toEqual([{ storeId: storeB, priceFen: null, available: false }]);
  });

  it('keeps quick keys where they are: a new one takes the lowest free place, a move swaps with the key there', async () => {
    const keys = [await newItem('快1', 100, { quick: true }), await newItem('快2', 100, { quick: true }), await newItem('快3', 100, { quick: true })];
    const places = async (): Promise<Map<string, number | null>> =>
      new Map((await t.admin.request<ItemView[]>('GET', R.items)).body.map((i) => [i.itemId, i.position]));
    const before = await places();
    const [p1, p2, p3] = keys.map((k) => before.get(k.itemId) ?? -1);
    expect(new Set([p1, p2, p3]).size).toBe(3);
    // Taking one key off frees its place for the next new key; the others do not move.
    await t.admin.request('PATCH', R.item(keys[1]?.itemId ?? ''), { quick: false });
    const fourth = await newItem('快4', 100, { quick: true });
    const after = await places();
    expect(after.get(fourth.itemId)).toBe(p2);
    expect(after.get(keys[0]?.itemId ?? '')).toBe(p1);
    expect(after.get(keys[2]?.itemId ?? '')).toBe(p3);
    expect((await t.admin.request('PATCH', R.item(keys[0]?.itemId ?? ''), { position: p3 })).status).toBe(200);
    const moved = await places();
    expect([moved.get(keys[0]?.itemId ?? ''), moved.get(keys[2]?.itemId ?? ''), moved.get(fourth.itemId)]).toEqual([p3, p1, p2]);
    const atCounter = (await pull(counterA, 0)).items ?? [];
    expect(atCounter.find((i) => i.hubItemId === keys[0]?.itemId)).toMatchObject({ quick: true, position: p3 });
  });

  it('sends PIN hashes the counter can verify, never the PIN; a disabled or moved person reaches the counters so', async () => {
    const created = await t.admin.request<StaffView>('POST', R.staff, { name: '赵店长', role: 'manager', pin: '482615', storeIds: [storeA, storeB] });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toMatch(/482615|scrypt/);
    const staffId = created.body.staffId;
    const since = await revisionNow();
    expect((await t.admin.request('POST', R.staffPin(staffId), { pin: '759301' })).status).toBe(200);
    const a = await pull(counterA, since);
    const member = a.staff?.find((s) => s.staffId === staffId);
    expect(member).toMatchObject({ name: '赵店长', role: 'manager', active: true });
    expect(verifyPin('759301', member?.pinHash ?? '')).toBe(true);
    expect(verifyPin('482615', member?.pinHash ?? '')).toBe(false);
    // A weak PIN is refused at the hub with the counter's own rules.
    expect((await t.admin.request<HubErrorBody>('POST', R.staffPin(staffId), { pin: '123456' })).status).toBe(400);
    // No two active people of a store share a PIN (a PIN typed alone must name one person); the answer says no more.
    const clash = await t.admin.request<HubErrorBody>('POST', R.staff, { name: '吴收银', role: 'cashier', pin: '759301', storeIds: [storeB] });
    expect(clash.status).toBe(400);
    expect(clash.body.error.message).not.toMatch(/赵/);

    await t.admin.request('PATCH', R.staffMember(staffId), { storeIds: [storeA] });
    expect((await pull(counterB, a.revision)).staff?.some((s) => s.staffId === staffId)).toBe(false);
    await t.admin.request('PATCH', R.staffMember(staffId), { active: false });
    expect((await pull(counterA, a.revision)).staff?.find((s) => s.staffId === staffId)?.active).toBe(false);
    const listed = await t.admin.request<StaffView[]>('GET', R.staff);
    expect(JSON.stringify(listed.body)).not.toMatch(/scrypt|pin/i);
  });

  it('refuses a second active person of the same name and a barcode taken by another item, changing nothing', async () => {
    await newItem('酸奶', 500, { barcode: '6901234500001' });
    const since = await revisionNow();
    expect((await t.admin.request<HubErrorBody>('POST', R.items, { name: '别的', priceFen: 1, barcode: '6901234500001' })).body.error.code).toBe('CONFLICT');
    await t.admin.request('POST', R.staff, { name: '周收银', role: 'cashier', pin: '5827', storeIds: [storeA] });
    const after = await revisionNow();
    expect((await t.admin.request<HubErrorBody>('POST', R.staff, { name: '周收银', role: 'cashier', pin: '5827', storeIds: [storeB] })).body.error.code).toBe('CONFLICT');
    expect(after).toBe(since + 1);
    expect(await revisionNow()).toBe(after);
  });

  it('logs every change with who and from where, without PINs', async () => {
    const audit = await t.admin.request<AuditView[]>('GET', R.audit);
    expect(audit.status).toBe(200);
    expect(audit.body.length).toBeGreaterThan(5);
    // Sign-ins and pairing codes are audited too (without a revision); every entry names who and from where.
    expect(audit.body.every((a) => a.userName === '王老板' && /127\.0\.0\.1/.test(a.address ?? ''))).toBe(true);
    const change = audit.body.find((a) => a.action === 'item.create');
    expect(typeof change?.revision).toBe('number');
    expect([...new Set(audit.body.map((a) => a.action))]).toEqual(expect.arrayContaining(['item.create', 'item.override', 'staff.create', 'staff.pin', 'staff.disable', 'store.settings']));
    expect(JSON.stringify(audit.body)).not.toMatch(/482615|759301|scrypt\$/);
  });

  it('lets a manager account manage its own store only', async () => {
    const made = await t.admin.request<ManagerView>('POST', R.users, { name: '孙经理', password: 'manager password 1', storeIds: [storeB] });
    expect(made.status).toBe(201);
    const manager = new AdminClient(t.hub.url);
    expect((await manager.request('POST', HUB_ADMIN_PATHS.session, { name: '孙经理', password: 'manager password 1' })).status).toBe(200);
    const item = (await t.admin.request<ItemView[]>('GET', R.items)).body[0];
    expect((await manager.request('PUT', R.itemOverride(item?.itemId ?? '', storeB), { priceFen: 99, available: true })).status).toBe(200);
    expect((await manager.request('PUT', R.itemOverride(item?.itemId ?? '', storeA), { priceFen: 99, available: true })).status).toBe(403);
    expect((await manager.request('POST', R.items, { name: '私货', priceFen: 1 })).status).toBe(403);
    expect((await manager.request('POST', R.staff, { name: '钱收银', role: 'cashier', pin: '6183', storeIds: [storeB] })).status).toBe(201);
    expect((await manager.request('POST', R.staff, { name: '钱店长', role: 'manager', pin: '618349', storeIds: [storeB] })).status).toBe(403);
    expect((await manager.request('POST', HUB_ADMIN_PATHS.pairingCodes(storeA), {})).status).toBe(403);
    const settings = (await manager.request<StoreSettingsView>('GET', R.storeSettings(storeB))).body;
    expect((await manager.request('PUT', R.storeSettings(storeB), { ...settingsRequest(settings), maxRefundFen: 9_000_000 })).status).toBe(403);
    expect((await manager.request('PUT', R.storeSettings(storeB), { ...settingsRequest(settings), address: '二号路 2 号' })).status).toBe(200);
    expect((await manager.request('GET', R.storeSettings(storeA))).status).toBe(403);
  });

  it('refuses a revoked terminal\'s pull and a malformed since', async () => {
    const counter = await enrolled(storeA);
    expect((await counter.signed<HubErrorBody>('GET', `${HUB_PATHS.reference}?since=abc`)).status).toBe(400);
    expect((await counter.signed<HubErrorBody>('GET', `${HUB_PATHS.reference}?since=0&store=${storeB}`)).status).toBe(400);
    expect((await t.admin.request('POST', HUB_ADMIN_PATHS.revokeTerminal(counter.terminalId), {})).status).toBe(200);
    const refused = await counter.signed<HubErrorBody>('GET', `${HUB_PATHS.reference}?since=0`);
    expect(refused.status).toBe(401);
    expect(refused.body.error.code).toBe('REVOKED');
    expect(JSON.stringify(refused.body)).not.toMatch(/scrypt/);
  });
});

function settingsRequest(view: StoreSettingsView): Record<string, unknown> {
  const { storeId: _storeId, updatedAt: _updatedAt, ...request } = view;
  return request;
}
