import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import type { Settings } from '../../../electron/settings/schema';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { HUB_ADMIN_REFERENCE_PATHS as R, type StoreSettingsView } from '../../../shared/hub-admin-api';
import type { ItemView } from '../../../shared/items';
import { MemoryLogger } from '../../../shared/log';
import type { Result } from '../../../shared/result';
import { startTestHub, type HubUnderTest } from '../../helpers/hub-harness';

let app: App | null = null;
let hub: HubUnderTest | null = null;
afterEach(async () => {
  await app?.close();
  await hub?.close();
  app = hub = null;
});

const manager: CallContext = { window: 'manager', connectionId: 'ref-manager' };

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('an enrolled counter takes its lists from the hub, through the app', () => {
  it('pulls after enrolment, signs in the hub\'s manager by PIN, and refuses local edits of items and store settings', async () => {
    hub = await startTestHub('sqlite');
    // The app signs with the real time; the hub's hand-moved clock is set to it (within the allowed skew).
    hub.clock.set(Date.now());
    const store = await hub.admin.setUp(hub.hub.adminUrl);
    await hub.admin.request('POST', R.items, { name: '总部可乐', priceFen: 350, barcode: '6901234567892', quick: true });
    await hub.admin.request('POST', R.staff, { name: '赵店长', role: 'manager', pin: '482615', storeIds: [store.storeId] });
    const current = (await hub.admin.request<StoreSettingsView>('GET', R.storeSettings(store.storeId))).body;
    await hub.admin.request('PUT', R.storeSettings(store.storeId), { name: '南京路店', address: '南京路 1 号', receiptFooter: '谢谢', maxCashOutFen: 30_000, maxRefundFen: 80_000, wechat: current.wechat });

    const dataDir = mkdtempSync(join(tmpdir(), 'pos-hub-ref-'));
    const pos = (app = await startApp({
      dataDir, clock: systemClock, logger: new MemoryLogger(), createSettingsBackend: createConfBackend, settingsFile: settingsPath(dataDir),
      overrides: { sandbox: true }, createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }), pdfRenderer: chromiumPdfRenderer(),
      hubEnrolment: { hubUrl: hub.hub.url, pairingCode: await hub.admin.pairingCode(store.storeId) },
    }));
    const signIn = async (pin: string): Promise<boolean> => ((await pos.dispatch('auth.signIn', { pin }, manager))).ok;
    const demo: CallContext = { window: 'manager', connectionId: 'ref-demo' };
    const listItems = async (context: CallContext): Promise<Result<ItemView[]>> =>
      (await pos.dispatch('items.list', { includeInactive: false }, context)) as Result<ItemView[]>;
    // The sandbox's demo manager was made at this counter: the first pull (right after the enrolment at start)
    // brings the hub's staff, which replace it, and its session ends at its next call.
    if (((await pos.dispatch('auth.signIn', { pin: '9999' }, demo))).ok) await waitFor(async () => !(await listItems(demo)).ok);
    expect(await signIn('482615')).toBe(true);
    const items = await listItems(manager);
    expect(items.ok && items.value.map((i) => i.name)).toEqual(['总部可乐']);
    expect(await signIn('9999')).toBe(false);

    const save = (await pos.dispatch('items.save', { item: { name: '私货', barcode: null, priceFen: 1, quick: false, position: 0, active: true }, approvalToken: 'x'.repeat(32) }, manager)) as Result<ItemView>;
    expect(save.ok ? 'saved' : save.error.code).toBe('HUB_MANAGED');
    const settings = (await pos.dispatch('settings.get', {}, manager)) as Result<Settings>;
    if (!settings.ok) throw new Error('settings.get refused');
    expect(settings.value).toMatchObject({ storeName: '南京路店', storeAddress: '南京路 1 号', receiptFooter: '谢谢' });
    const renamed = (await pos.dispatch('settings.update', { settings: { ...settings.value, storeName: '别的店' }, approvalToken: 'x'.repeat(32) }, manager)) as Result<Settings>;
    expect(renamed.ok ? 'changed' : renamed.error.code).toBe('HUB_MANAGED');
  });
});
