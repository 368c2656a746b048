import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import { insertShift } from '../../../electron/db/shifts';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import type { CounterState } from '../../../shared/api';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';
import { DENOMINATIONS_FEN, type CountResult, type ShiftReport, type ShiftView } from '../../../shared/shifts';
import { decodeEscPos } from '../../helpers/escpos-decoder';

/**
 * The shift rules around the counter, through the app's dispatcher as the windows call it: no sale without an
 * open shift (and none once its cash is counted), refunds of old sales still allowed, the manager closing a shift
 * left open, the terminal filter of the shift list, and 'shift.updated' reaching the windows.
 */
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'gate-cashier' };
const manager: CallContext = { window: 'manager', connectionId: 'gate-manager' };

async function start(): Promise<{ pos: App; printerFile: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-shift-gate-'));
  const printerFile = join(dataDir, 'printer.bin');
  app = await startApp({
    dataDir,
    clock: systemClock,
    logger: new MemoryLogger(),
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, printerUri: `file:${printerFile}` },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
  return { pos: app, printerFile };
}

async function attempt<T>(pos: App, method: string, request: unknown, context = cashier): Promise<Result<T>> {
  return (await pos.dispatch(method, request, context)) as Result<T>;
}

async function call<T>(pos: App, method: string, request: unknown, context = cashier): Promise<T> {
  const result = await attempt<T>(pos, method, request, context);
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** A count of the drawer by denomination (fen → pieces); every denomination not given is zero. */
function countOf(byDenomination: Partial<Record<number, number>>): { denominationFen: number; count: number }[] {
  return DENOMINATIONS_FEN.map((d) => ({ denominationFen: d, count: byDenomination[d] ?? 0 }));
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

const printedText = (file: string): string => {
  try {
    return decodeEscPos(readFileSync(file)).lines.map((l) => l.text).join('\n');
  } catch {
    return ''; // a job still arriving does not decode yet
  }
};

describe('a sale belongs to an open shift', () => {
  it('refuses a checkout with no open shift, in both languages, and files the sale under the shift once one is open', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const refused = await attempt(pos, 'sale.checkout', { lines: [], amountFen: 1250 });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'NO_OPEN_SHIFT', message: '请先开班 / Open a shift first', localized: { zh: '请先开班', en: 'Open a shift first' } },
    });
    expect(pos.db.prepare('SELECT COUNT(*) AS n FROM sales').get()).toEqual({ n: 0 });

    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 20_000 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1250 });
    expect(sale.shiftId).toBe(shift.id);
  });

  it('tells the cashier to open a shift when a scanned payment code would start a sale, and sends nothing to WeChat', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'cart.preview', { lines: [], amountFen: 880 });
    await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000101' });
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice?.message).toEqual({ zh: '请先开班', en: 'Open a shift first' });
    expect(state.activeSale).toBeNull();
    expect(pos.sandbox?.listOrders()).toEqual([]);
  });

  it('stops selling once the drawer is counted for closing, and still refunds a sale after its shift is closed', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 10_000 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1500 });
    await call(pos, 'payment.cash', { saleId: sale.id, tenderedFen: 1500 });
    await call(pos, 'sale.finish', { saleId: sale.id });

    // ￥100 float + ￥15 sale = ￥115 in the drawer, counted exactly.
    const count = await call<CountResult>(pos, 'shift.count', { shiftId: shift.id, counts: countOf({ 10000: 1, 1000: 1, 500: 1 }) });
    expect(count).toMatchObject({ expectedFen: 11_500, countedFen: 11_500, differenceFen: 0, needsCountersign: false });
    const afterCount = await attempt(pos, 'sale.checkout', { lines: [], amountFen: 100 });
    expect(afterCount.ok ? null : afterCount.error.code).toBe('SHIFT_COUNTED');

    const closed = await call<{ report: ShiftReport }>(pos, 'shift.close', { shiftId: shift.id });
    expect(closed.report.zNo).toBe(1);
    const refund = await call<{ refunds: { amountFen: number }[] }>(pos, 'refund.request', { saleId: sale.id, amountFen: 500, managerPin: '9999' });
    expect(refund.refunds.map((r) => r.amountFen)).toEqual([500]);
  });
});

describe('closing a shift through the windows', () => {
  it('asks for a manager PIN for a difference over the threshold: refused without it and with a cashier PIN', async () => {
    const { pos, printerFile } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 10_000 });
    await call(pos, 'shift.cashMove', { shiftId: shift.id, kind: 'out', amountFen: 2_000, reason: '投库' });
    // Expected ￥80; counted ￥50: ￥30 short, over the ￥10 default threshold.
    const count = await call<CountResult>(pos, 'shift.count', { shiftId: shift.id, counts: countOf({ 5000: 1 }) });
    expect(count).toMatchObject({ expectedFen: 8_000, countedFen: 5_000, differenceFen: -3_000, needsCountersign: true });

    const noPin = await attempt(pos, 'shift.close', { shiftId: shift.id });
    expect(noPin.ok ? null : noPin.error.code).toBe('APPROVAL_REQUIRED');
    expect((await attempt(pos, 'shift.close', { shiftId: shift.id, managerPin: '1111' })).ok).toBe(false);
    const closed = await call<{ report: ShiftReport }>(pos, 'shift.close', { shiftId: shift.id, managerPin: '9999' });
    expect(closed.report.countersignedBy).not.toBeNull();
    expect(closed.report.cash).toMatchObject({ expectedFen: 8_000, countedFen: 5_000, differenceFen: -3_000 });

    expect(await call(pos, 'shift.print', { shiftId: shift.id, kind: 'Z' })).toMatchObject({ copy: false });
    await waitFor(() => printedText(printerFile).includes('差额'));
    const printed = printedText(printerFile);
    expect(printed).toContain('交班报表 (Z)');
    expect(printed).toMatch(/实点现金.*50\.00/);
    expect(printed).toMatch(/应有现金.*80\.00/);
    expect(printed).toMatch(/差额.*-￥?30\.00/);
  });

  it('lets the manager window count and close a shift the cashier left open, with an unresolved payment listed as pending', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 5_000 });
    // Wallet 03: the customer never enters the password, so the payment stays unresolved for a while.
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 990 });
    await call(pos, 'payment.submitCode', { saleId: sale.id, code: '130300000000000102' });
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);

    const counted = await call<CountResult>(pos, 'shift.count', { shiftId: shift.id, counts: countOf({ 5000: 1 }) }, manager);
    expect(counted).toMatchObject({ countedFen: 5_000, expectedFen: 5_000, differenceFen: 0 });
    expect(counted.pending.map((p) => p.saleId)).toEqual([sale.id]);

    const withoutPin = await attempt(pos, 'shift.close', { shiftId: shift.id }, manager);
    expect(withoutPin.ok ? null : withoutPin.error.code).toBe('APPROVAL_REQUIRED');
    const closed = await call<{ report: ShiftReport }>(pos, 'shift.close', { shiftId: shift.id, managerPin: '9999' }, manager);
    expect(closed.report.pending.map((p) => p.saleId)).toEqual([sale.id]);
    expect(await call<ShiftView>(pos, 'shift.get', { shiftId: shift.id }, manager)).toMatchObject({ state: 'closed', closedWithPending: true });
    expect(await call(pos, 'shift.current', {})).toBeNull();
  });

  it('takes no money for a sale left on the counter after a manager closed its shift; the sale can be voided', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 5_000 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1_200 });
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    await call(pos, 'shift.count', { shiftId: shift.id, counts: countOf({ 5000: 1 }) }, manager);

    // Counted: the drawer must not change any more, whichever tender the cashier picks.
    for (const [method, request] of [
      ['payment.cash', { saleId: sale.id, tenderedFen: 2_000 }],
      ['payment.startQr', { saleId: sale.id }],
      ['payment.submitCode', { saleId: sale.id, code: '130100000000000103' }],
    ] as const) {
      const refused = await attempt(pos, method, request);
      expect(refused.ok ? null : refused.error.code).toBe('SHIFT_COUNTED');
    }
    await call(pos, 'shift.close', { shiftId: shift.id, managerPin: '9999' }, manager);

    // Closed, and a new shift opened: the old sale still cannot take money on it.
    await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 5_000 });
    const late = await attempt(pos, 'payment.cash', { saleId: sale.id, tenderedFen: 2_000 });
    expect(late).toMatchObject({ ok: false, error: { code: 'SALE_SHIFT_CLOSED', localized: { en: expect.stringContaining('void the sale') as unknown } } });
    expect(pos.sandbox?.listOrders()).toEqual([]);
    expect(await call<SaleView>(pos, 'sale.void', { saleId: sale.id })).toMatchObject({ state: 'voided', paidFen: 0 });
  });

  it('pushes shift.updated when a shift is opened, counted and closed', async () => {
    const { pos } = await start();
    const updates: ShiftView[] = [];
    pos.events.subscribe((event, payload) => {
      if (event === 'shift.updated') updates.push(payload as ShiftView);
    });
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 0 });
    await call(pos, 'shift.count', { shiftId: shift.id, counts: countOf({}) });
    await call(pos, 'shift.close', { shiftId: shift.id });
    expect(updates.map((u) => [u.id, u.state, u.countedFen])).toEqual([
      [shift.id, 'open', null],
      [shift.id, 'open', 0],
      [shift.id, 'closed', 0],
    ]);
  });

  it('opens the drawer for a no-sale with the manager PIN given with the call', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 0 });
    expect((await attempt(pos, 'shift.noSale', { shiftId: shift.id, managerPin: '1111' })).ok).toBe(false);
    const opened = await call<{ kind: string; approvedBy: string | null }>(pos, 'shift.noSale', { shiftId: shift.id, managerPin: '9999', reason: '换零钱' });
    expect(opened.kind).toBe('no-sale');
    expect(opened.approvedBy).not.toBeNull();
  });
});

describe('the shift list', () => {
  it('filters by terminal', async () => {
    const { pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    const ours = await call<ShiftView>(pos, 'shift.open', { openingFloatFen: 0 });
    // Another counter's shift in the same store database.
    insertShift(pos.db, { id: 'other-terminal-shift', terminalId: 'T02', cashierId: 'cashier-2', cashierName: '二号', openingFloatFen: 0, openedAt: Date.now() });
    const range = { from: Date.now() - 60_000, to: Date.now() + 60_000 };
    const ids = async (filter: object) => (await call<ShiftView[]>(pos, 'shift.list', { ...range, ...filter }, manager)).map((s) => s.id).sort();
    expect(await ids({})).toEqual([ours.id, 'other-terminal-shift'].sort());
    expect(await ids({ terminalId: 'T02' })).toEqual(['other-terminal-shift']);
    expect(await ids({ terminalId: ours.terminalId })).toEqual([ours.id]);
    expect(await ids({ terminalId: 'T99' })).toEqual([]);
  });
});
