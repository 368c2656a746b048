import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import type { CounterState, EventName } from '../../../shared/api';
import type { ItemView, ScanFeedback } from '../../../shared/items';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { ApprovalGrant } from '../../../shared/security';
import type { Result } from '../../../shared/result';
import { describeHits, scanText } from '../../helpers/leak-scan';

/**
 * Scans and the item list through the whole main side (startApp on the sandbox, the dispatcher the windows call):
 * every scan is announced to the cashier window as 'scanner.scanned', a product barcode with its item from the
 * list, and a payment code never with the code.
 */
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'items-cashier' };
const manager: CallContext = { window: 'manager', connectionId: 'items-manager' };
const WATER_BARCODE = '6901234560011';
const PAY_CODE = '134567890123456789';

async function start(): Promise<{ pos: App; events: { name: EventName; payload: unknown }[] }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-items-'));
  app = await startApp({
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
  const events: { name: EventName; payload: unknown }[] = [];
  app.events.subscribe((name, payload) => events.push({ name, payload }));
  return { pos: app, events };
}

async function call<T>(pos: App, method: string, request: unknown, context = cashier): Promise<T> {
  const result = (await pos.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

const scanned = (events: { name: EventName; payload: unknown }[]): ScanFeedback[] =>
  events.filter((e) => e.name === 'scanner.scanned').map((e) => e.payload as ScanFeedback);

describe('scans announced to the cashier window', () => {
  it('sends a known product barcode with its item, and adds nothing on the main side', async () => {
    const { pos, events } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'scanner.submitWedgeScan', { code: WATER_BARCODE });
    const [feedback] = scanned(events);
    expect(feedback).toMatchObject({ source: 'wedge', kind: 'product', barcode: WATER_BARCODE, item: { name: '矿泉水', priceFen: 200, active: true } });
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice).toBeNull();
    expect(state.activeSale).toBeNull();
  });

  it('sends an unknown barcode without an item and tells the cashier it is not in the list', async () => {
    const { pos, events } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'scanner.submitWedgeScan', { code: '4006381333931' });
    expect(scanned(events)).toEqual([{ source: 'wedge', kind: 'product', barcode: '4006381333931', item: null, at: expect.any(Number) as number }]);
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice?.message.zh).toBe('商品条码 4006381333931 未登记，请用数字键盘输入金额');
  });

  it('never carries a payment code: kind only, no barcode, no item, nowhere in any event', async () => {
    const { pos, events } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'scanner.submitWedgeScan', { code: PAY_CODE });
    await call(pos, 'scanner.submitWedgeScan', { code: '281234567890123456' });
    expect(scanned(events).map(({ kind, barcode, item }) => ({ kind, barcode, item }))).toEqual([
      { kind: 'wechat-pay-code', barcode: null, item: null },
      { kind: 'alipay-code', barcode: null, item: null },
    ]);
    const everything = JSON.stringify(events);
    const hits = scanText(everything, 'events', [
      { name: 'wechat code', value: PAY_CODE },
      { name: 'alipay code', value: '281234567890123456' },
    ]);
    expect(hits, describeHits(hits)).toEqual([]);
  });

  it('follows the manager’s changes: a new item is found by its barcode at once, a deactivated one is refused in words', async () => {
    const { pos, events } = await start();
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    await call(pos, 'auth.signIn', { pin: '1111' });
    const grant = await call<ApprovalGrant>(pos, 'approval.request', { action: 'items-change', pin: '9999' }, manager);
    const item = { name: '酸奶', barcode: '6909999000017', priceFen: 650, quick: true, position: 5, active: true };
    const saved = await call<ItemView>(pos, 'items.save', { item, approvalToken: grant.token }, manager);
    const pushed = events.filter((e) => e.name === 'items.updated').map((e) => e.payload as ItemView[]);
    expect(pushed.at(-1)).toContainEqual(saved);
    // It takes the first free quick key (I, after the eight demo items); the items before it keep theirs.
    const listed = await call<ItemView[]>(pos, 'items.list', {});
    expect(listed.map((i) => i.name)[0]).toBe('矿泉水');
    expect(listed.find((i) => i.name === '酸奶')?.quickKey).toBe(8);

    await call(pos, 'scanner.submitWedgeScan', { code: '6909999000017' });
    expect(scanned(events).at(-1)?.item).toEqual(saved);

    const again = await call<ApprovalGrant>(pos, 'approval.request', { action: 'items-change', pin: '9999' }, manager);
    await call(pos, 'items.save', { id: saved.id, item: { ...item, active: false }, approvalToken: again.token }, manager);
    await call(pos, 'scanner.submitWedgeScan', { code: '6909999000017' });
    expect(scanned(events).at(-1)?.item).toBeNull();
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice?.message.zh).toBe('商品「酸奶」已停售（条码 6909999000017）');
  });

  it('lets only a manager window change items', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const result = await pos.dispatch('items.save', { item: { name: 'x', barcode: null, priceFen: 1, quick: false, position: 0, active: true }, approvalToken: 'x'.repeat(16) }, cashier);
    expect(result.ok ? null : result.error.code).toBe('FORBIDDEN');
  });
});

describe('a payment code scanned right after the amount was typed', () => {
  it('waits for the cart previews still on their way and charges the amount the screen settled on', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'shift.open', { openingFloatFen: 0 });
    // The serial scan overtakes the window's last keystrokes: the main side hears the code before the cart.
    const scan = pos.dispatch('scanner.submitWedgeScan', { code: '130100000000000201' }, cashier);
    await call(pos, 'cart.preview', { lines: [], amountFen: 800 });
    await call(pos, 'cart.preview', { lines: [], amountFen: 880 });
    await scan;
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice).toBeNull();
    expect(state.activeSale).toMatchObject({ totalFen: 880 });
  });

  it('still asks for the amount when nothing was typed', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'shift.open', { openingFloatFen: 0 });
    await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000202' });
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.activeSale).toBeNull();
    expect(state.notice?.message.zh).toContain('请先输入收款金额');
  });
});
