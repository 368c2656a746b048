import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { getHubReference } from '../../electron/db/hub-reference';
import { HubClient } from '../../electron/hub-link/client';
import { fetchHubHttp } from '../../electron/hub-link/http';
import { HubLink } from '../../electron/hub-link/link';
import { ReferencePuller, applyReference, hubNotifyUrl } from '../../electron/hub-link/reference';
import { ItemService } from '../../electron/items/item-service';
import { defaultSettings, type Settings } from '../../electron/settings/schema';
import { MemoryLogger } from '../../shared/log';
import { HUB_ADMIN_REFERENCE_PATHS as R, type ItemView, type StaffView, type StoreSettingsView } from '../../shared/hub-admin-api';
import type { ReferenceAnswer } from '../../shared/hub-protocol';
import { HUB_ENGINES, startTestHub, type HubUnderTest } from '../helpers/hub-harness';
import { enterSandboxMerchant } from '../helpers/hub-wechat';
import { HUB_WECHAT_ADMIN_PATHS } from '../../shared/hub-wechat-admin-api';
import { fen } from '../../shared/money';
import { startSandbox } from '../../electron/sandbox/server';
import { createWechatPayClient } from '../../electron/wechat/factory';
import { makeHarness, tempDir, type Harness } from '../unit/security/fixture';

/**
 * Reference data from the real hub (in-process, real HTTP, both engines) into a real counter database: items,
 * staff and store settings changed at the hub reach the counter in one transaction and stay usable offline.
 */
interface Counter {
  h: Harness;
  settings: { value: Settings; get(): Settings; update(change: (s: Settings) => Settings): Settings };
  link: HubLink;
  puller: ReferencePuller;
  items: ItemService;
}

let hub: HubUnderTest | null = null;
afterEach(async () => {
  await hub?.close();
  hub = null;
});

async function enrolledCounter(t: HubUnderTest, storeId: string): Promise<Counter> {
  const dataDir = tempDir('hub-ref-counter-');
  const h = makeHarness({ dataDir, dbFile: join(dataDir, 'pos.db') });
  h.clock.set(t.clock.now());
  h.security.people.createOwner('本店老板', '246813');
  const settings = {
    value: defaultSettings(),
    get() { return this.value; },
    update(change: (s: Settings) => Settings) { this.value = change(this.value); return this.value; },
  };
  const client = new HubClient({ http: fetchHubHttp, now: () => t.clock.now(), timeoutMs: 5_000 });
  const vault = { save: (pem: string, by: string) => h.security.secrets.saveHubPrivateKey(pem, by), load: () => h.security.secrets.hubPrivateKey() };
  const logger = new MemoryLogger();
  const link = new HubLink({
    db: h.db, clock: h.clock, logger, audit: h.security.audit, client, vault, appVersion: '1.0.0-test', paymentsBusy: () => false,
    heartbeatState: () => ({ wechatReachable: true, printer: 'ok', scanner: 'none', openShift: null }),
  });
  await link.enrol({ hubUrl: t.hub.url, pairingCode: await t.admin.pairingCode(storeId), counterName: '1号收银台' }, { id: 'm1', name: '本店老板' });
  const puller = new ReferencePuller({
    db: h.db, clock: h.clock, logger, audit: h.security.audit, pins: h.security.pins, settings, client, vault, paymentsBusy: () => false,
  });
  const items = new ItemService({ db: h.db, clock: h.clock, audit: h.security.audit, approvals: h.security.approvals });
  return { h, settings, link, puller, items };
}

async function made<T>(answer: Promise<{ status: number; body: T }>): Promise<T> {
  const { status, body } = await answer;
  expect(status, JSON.stringify(body)).toBeLessThan(300);
  return body;
}

const userIdOf = (c: Counter, name: string): string => c.h.security.people.list().find((u) => u.name === name && u.active)?.id ?? '';

describe.each(HUB_ENGINES)('reference data from the hub at a counter (%s)', (engine) => {
  it('brings items with the store\'s price, staff with working PINs and the store settings; a PIN changed at the hub works offline', async () => {
    const t = (hub = await startTestHub(engine));
    const store = await t.admin.setUp(t.hub.adminUrl);
    const cola = await made(t.admin.request<ItemView>('POST', R.items, { name: '可乐', priceFen: 350, barcode: '6901234567892', quick: true }));
    await made(t.admin.request('PUT', R.itemOverride(cola.itemId, store.storeId), { priceFen: 400, available: true }));
    const manager = await made(t.admin.request<StaffView>('POST', R.staff, { name: '赵店长', role: 'manager', pin: '482615', storeIds: [store.storeId] }));
    const settings = await made(t.admin.request<StoreSettingsView>('GET', R.storeSettings(store.storeId)));
    await made(t.admin.request('PUT', R.storeSettings(store.storeId), {
      name: '南京路店', address: '南京路 1 号', receiptFooter: '谢谢惠顾', maxCashOutFen: 30_000, maxRefundFen: 80_000, wechat: settings.wechat,
    }));
    const c = await enrolledCounter(t, store.storeId);

    expect(await c.puller.pullOnce()).toBe('applied');
    const items = c.items.list({ includeInactive: true });
    expect(items.find((i) => i.name === '可乐')).toMatchObject({ priceFen: 400, barcode: '6901234567892', quick: true, active: true });
    expect(c.items.findByBarcode('6901234567892')?.priceFen).toBe(400);
    expect(c.settings.value).toMatchObject({ storeName: '南京路店', storeAddress: '南京路 1 号', receiptFooter: '谢谢惠顾' });
    expect(c.settings.value.security.limits).toMatchObject({ maxCashOutFen: 30_000, maxRefundFen: 80_000 });
    // The hub's manager replaces the people made at this counter; their PIN hash is kept wrapped with the pepper.
    expect(c.h.security.people.list().filter((u) => u.active).map((u) => u.name)).toEqual(['赵店长']);
    const row = c.h.db.prepare('SELECT pin_hash FROM users WHERE hub_staff_id = ?').get(manager.staffId) as { pin_hash: string };
    expect(row.pin_hash).toMatch(/\$h1$/);
    expect(c.h.security.auth.signIn('w1', userIdOf(c, '赵店长'), '482615').name).toBe('赵店长');
    expect(await c.puller.pullOnce()).toBe('unchanged');

    await made(t.admin.request('POST', R.staffPin(manager.staffId), { pin: '759301' }));
    await made(t.admin.request('PATCH', R.item(cola.itemId), { name: '可口可乐' }));
    expect(await c.puller.pullOnce()).toBe('applied');
    expect(c.items.findByBarcode('6901234567892')).toMatchObject({ name: '可口可乐', priceFen: 400 });
    expect(c.items.list({ includeInactive: true }).filter((i) => i.barcode === '6901234567892')).toHaveLength(1);

    await t.close();
    hub = null;
    expect(await c.puller.pullOnce()).toBe('failed');
    // Offline: the new PIN works, the old one does not, and the last copy stands.
    expect(() => c.h.security.auth.signIn('w2', userIdOf(c, '赵店长'), '482615')).toThrow(/PIN/);
    expect(c.h.security.auth.signIn('w3', userIdOf(c, '赵店长'), '759301').name).toBe('赵店长');
    expect(c.items.findByBarcode('6901234567892')?.name).toBe('可口可乐');
    c.h.db.close();
  });

  it('stops a person disabled at the hub from signing in after the next pull, and refuses local edits while enrolled', async () => {
    const t = (hub = await startTestHub(engine));
    const store = await t.admin.setUp(t.hub.adminUrl);
    await made(t.admin.request('POST', R.staff, { name: '赵店长', role: 'manager', pin: '482615', storeIds: [store.storeId] }));
    const cashier = await made(t.admin.request<StaffView>('POST', R.staff, { name: '李收银', role: 'cashier', pin: '5827', storeIds: [store.storeId] }));
    const c = await enrolledCounter(t, store.storeId);
    expect(await c.puller.pullOnce()).toBe('applied');
    const cashierId = userIdOf(c, '李收银');
    expect(c.h.security.auth.signIn('w1', cashierId, '5827').name).toBe('李收银');

    await made(t.admin.request('PATCH', R.staffMember(cashier.staffId), { active: false }));
    expect(() => c.h.security.auth.signIn('w2', cashierId, '5827')).not.toThrow();
    expect(await c.puller.pullOnce()).toBe('applied');
    expect(() => c.h.security.auth.signIn('w3', cashierId, '5827')).toThrow(/停用|inactive/i);
    expect(() => c.h.security.auth.signInWithPin('w4', '5827')).toThrow();

    // Local edits of hub-managed lists are refused by the services themselves, before any approval is asked for.
    const actor = { id: 'x', name: '赵店长' };
    expect(() => c.items.save({ item: { name: '私货', barcode: null, priceFen: 100, quick: false, position: 0, active: true }, approvalToken: undefined, actor }))
      .toThrow(/总部|hub/);
    expect(() => c.h.security.people.createUser({ name: '新人', role: 'cashier', pin: '6183' }, undefined, actor)).toThrow(/总部/);
    expect(() => c.h.security.people.resetPin(userIdOf(c, '赵店长'), '618349', undefined, actor)).toThrow(/总部/);
    expect(() => c.h.security.people.setActive(userIdOf(c, '赵店长'), false, undefined, actor)).toThrow(/总部/);
    expect(() => c.h.security.people.changeOwnPin(userIdOf(c, '赵店长'), '482615', '618349')).toThrow(/总部/);
    c.h.db.close();
  });

  it('applies an answer in one transaction: a PIN hash the counter cannot keep leaves the old copy whole', async () => {
    const t = (hub = await startTestHub(engine));
    const store = await t.admin.setUp(t.hub.adminUrl);
    const item = await made(t.admin.request<ItemView>('POST', R.items, { name: '矿泉水', priceFen: 200, barcode: '6901234500001' }));
    await made(t.admin.request('POST', R.staff, { name: '赵店长', role: 'manager', pin: '482615', storeIds: [store.storeId] }));
    const c = await enrolledCounter(t, store.storeId);
    expect(await c.puller.pullOnce()).toBe('applied');
    const before = getHubReference(c.h.db)?.revision;
    const good = (await c.h.db.prepare('SELECT pin_hash FROM users WHERE hub_staff_id IS NOT NULL').get()) as { pin_hash: string };
    const answer: ReferenceAnswer = {
      revision: (before ?? 0) + 5,
      items: [{ hubItemId: item.itemId, name: '矿泉水（大）', barcode: '6901234500001', priceFen: 300, quick: false, position: 0, active: true }],
      staff: [
        { staffId: 'new-1', name: '新店长', role: 'manager', pinHash: 'scrypt$16384$8$1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g', active: true },
        { staffId: 'new-2', name: '坏哈希', role: 'cashier', pinHash: 'scrypt$2097152$8$1$c2FsdA$aGFzaA', active: true },
      ],
    };
    expect(() => applyReference({ db: c.h.db, clock: c.h.clock, logger: new MemoryLogger(), audit: c.h.security.audit, pins: c.h.security.pins, settings: c.settings }, answer))
      .toThrow(/PIN/);
    expect(c.items.findByBarcode('6901234500001')).toMatchObject({ name: '矿泉水', priceFen: 200 });
    expect(c.h.security.people.list().filter((u) => u.active).map((u) => u.name)).toEqual(['赵店长']);
    expect(getHubReference(c.h.db)?.revision).toBe(before);
    expect((c.h.db.prepare('SELECT pin_hash FROM users WHERE hub_staff_id IS NOT NULL').get() as { pin_hash: string }).pin_hash).toBe(good.pin_hash);
    c.h.db.close();
  });

  it('puts the hub\'s notify_url on the counter\'s native orders once the owner sets the hub\'s public address, with the client built before, and WeChat\'s notice reaches the hub', async () => {
    const t = (hub = await startTestHub(engine));
    const store = await t.admin.setUp(t.hub.adminUrl);
    const sandbox = await startSandbox({ clock: t.clock });
    try {
      await enterSandboxMerchant(t.admin, store.storeId, sandbox);
      const c = await enrolledCounter(t, store.storeId);
      // Built before the hub's address is known, as the app builds its client at start: asked at each order.
      const client = createWechatPayClient({
        apiVersion: 'v3', credentials: { ...sandbox.credentials, platformCertificates: [sandbox.platformCertificate] }, baseUrl: sandbox.url,
        timeouts: { connectMs: 3000, totalMs: 8000 }, clock: t.clock, logger: new MemoryLogger(), spbillCreateIp: '127.0.0.1',
        notifyUrl: () => hubNotifyUrl(c.h.db, 'v3'),
      });
      expect(await c.puller.pullOnce()).toBe('applied');
      expect(hubNotifyUrl(c.h.db, 'v3')).toBeUndefined();
      await made(t.admin.request('PUT', HUB_WECHAT_ADMIN_PATHS.settings, { publicBaseUrl: `${t.hub.url}/` }));
      expect(await c.puller.pullOnce()).toBe('applied');
      expect(hubNotifyUrl(c.h.db, 'v3')).toBe(`${t.hub.url}/wechatpay/v3/notify`);
      expect(hubNotifyUrl(c.h.db, 'v2')).toBe(`${t.hub.url}/wechatpay/v2/notify`);

      const no = `${c.link.status().terminalId ?? 'T1'}abcdefgh261207P000001`;
      const created = await client.createNativeOrder({ outTradeNo: no, totalFen: fen(880), description: '扫码', productId: no, timeExpire: t.clock.now() + 600_000 });
      if (created.kind !== 'success') throw new Error(JSON.stringify(created));
      sandbox.customerPay(created.value.codeUrl);
      await sandbox.notifications.pump();
      const [sent] = sandbox.notifications.list().filter((n) => n.outTradeNo === no);
      expect(sent).toMatchObject({ url: `${t.hub.url}/wechatpay/v3/notify`, state: 'delivered' });
      const recorded = await t.hub.database.db.selectFrom('hub_notifications').selectAll().where('out_trade_no', '=', no).execute();
      expect(recorded).toMatchObject([{ kind: 'payment', amount_fen: 880 }]);
    } finally {
      await sandbox.close();
    }
  });
});
