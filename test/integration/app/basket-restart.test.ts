import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import type { CounterState } from '../../../shared/api';
import type { Clock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { AttemptView, PaymentAlertView, SaleView } from '../../../shared/payments';
import type { CustomerDisplayState } from '../../../shared/display';
import type { Result } from '../../../shared/result';
import type { ShiftReport } from '../../../shared/shifts';

/**
 * Issue 21: a restart in the middle of a WeChat payment must never leave the basket to be paid twice. The whole
 * main side (startApp) on one data directory, stopped and started again as a crash would (the database is what
 * survives; the embedded sandbox keeps its ledger in the same directory and runs on the same clock).
 */
const cashierWindow: CallContext = { window: 'cashier', connectionId: 'test-cashier' };
const managerWindow: CallContext = { window: 'manager', connectionId: 'test-manager' };

/** The real clock plus an offset the test moves forward while "the counter is off". */
class OffsetClock implements Clock {
  offsetMs = 0;
  now(): number {
    return Date.now() + this.offsetMs;
  }
}

let app: App | null = null;
let dataDir = '';
const clock = new OffsetClock();
const logger = new MemoryLogger();

afterEach(async () => {
  await app?.close();
  app = null;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  dataDir = '';
  clock.offsetMs = 0;
});

async function start(): Promise<App> {
  await app?.close();
  if (!dataDir) dataDir = mkdtempSync(join(tmpdir(), 'pos-basket-'));
  app = await startApp({
    dataDir,
    clock,
    logger,
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, printerUri: `file:${join(dataDir, 'printer.bin')}` },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
  return app;
}

async function call<T>(target: App, method: string, request: unknown, context = cashierWindow): Promise<T> {
  const result = (await target.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message} ${JSON.stringify(logger.lines.filter((l) => l.level === 'error').slice(-2))}`);
  return result.value;
}

async function refusal(target: App, method: string, request: unknown, context = cashierWindow): Promise<string> {
  const result = await target.dispatch(method, request, context);
  if (result.ok) throw new Error(`${method} was expected to be refused`);
  return result.error.code;
}

async function waitFor<T>(read: () => T | Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (check(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`condition not met in time; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const counterState = (target: App): Promise<CounterState> => call<CounterState>(target, 'counter.getState', {});
const attemptOf = (sale: SaleView | null): AttemptView | null => sale?.tenders.map((t) => t.attempt).filter((a) => a !== null).at(-1) ?? null;

/** Signs in (the shift stays open across restarts) and starts a QR for `amountFen` on a new sale. */
async function qrSale(target: App, amountFen: number, openShift: boolean): Promise<{ sale: SaleView; attempt: AttemptView }> {
  await call(target, 'auth.signIn', { pin: '1111' });
  if (openShift) await call(target, 'shift.open', { openingFloatFen: 10_000 });
  const sale = await call<SaleView>(target, 'sale.checkout', { lines: [], amountFen });
  const started = await call<AttemptView>(target, 'payment.startQr', { saleId: sale.id });
  const attempt = await waitFor(() => target.payments.getAttempt(started.id), (a) => a.state === 'awaiting-scan');
  return { sale, attempt };
}

/** What a customer display connecting now starts from (the host replays the last state of each event). */
function lastDisplay(target: App): CustomerDisplayState | undefined {
  return target.events.snapshot().find((e) => e.event === 'display.state')?.payload as CustomerDisplayState | undefined;
}

describe('a restart during a QR payment (issue 21)', () => {
  it('comes back with the QR sale on the counter and its QR on the customer display; no new sale can start; cancel closes it', async () => {
    let pos = await start();
    const { sale, attempt } = await qrSale(pos, 2345, true);
    pos = await start();

    await call(pos, 'auth.signIn', { pin: '1111' });
    const state = await counterState(pos);
    expect(state.activeSale?.id).toBe(sale.id);
    expect(attemptOf(state.activeSale)).toMatchObject({ id: attempt.id, state: 'awaiting-scan', codeUrl: attempt.codeUrl });
    expect(lastDisplay(pos)).toMatchObject({ kind: 'qr', amountFen: 2345, codeUrl: attempt.codeUrl });
    // The cashier cannot ring the basket again while the QR is still payable.
    expect(await refusal(pos, 'sale.checkout', { lines: [], amountFen: 2345 })).toBe('SALE_IN_PROGRESS');

    await call(pos, 'payment.cancelQr', { attemptId: attempt.id });
    const closed = await waitFor(() => pos.payments.getAttempt(attempt.id), (a) => a.final);
    expect(closed.state).toBe('closed');
    expect(pos.sandbox?.listOrders().find((o) => o.outTradeNo === attempt.outTradeNo)?.tradeState).toBe('CLOSED');
    expect(pos.payments.listPaymentAlerts(true)).toEqual([]);
  });

  it('a database from before the counter stored its sale: the newest sale with a QR in progress comes back', async () => {
    let pos = await start();
    const { sale } = await qrSale(pos, 1234, true);
    pos.db.prepare('DELETE FROM counter_sale').run();
    pos = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    expect((await counterState(pos)).activeSale?.id).toBe(sale.id);
  });

  it('a QR the customer paid while the counter was off comes back as the active sale, paid, with no alert', async () => {
    let pos = await start();
    const { sale, attempt } = await qrSale(pos, 2345, true);
    await pos.close();
    app = null;
    // The customer's phone finishes while the counter is down: the sandbox (same directory) records it.
    pos = await start();
    pos.sandbox!.customerPay(attempt.codeUrl!);
    await call(pos, 'auth.signIn', { pin: '1111' });
    const paid = await waitFor(() => counterState(pos), (s) => s.activeSale?.state === 'paid');
    expect(paid.activeSale?.id).toBe(sale.id);
    expect(paid.paymentAlerts).toEqual([]);
    expect(lastDisplay(pos)).toMatchObject({ kind: 'paid', amountFen: 2345 });
  });

  it('restarting after the QR expired: the order is closed and the sale ends voided with the reason, not left open', async () => {
    let pos = await start();
    const { sale, attempt } = await qrSale(pos, 2345, true);
    await pos.close();
    app = null;
    clock.offsetMs = 6 * 60_000;
    pos = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const after = await waitFor(() => counterState(pos), (s) => s.activeSale === null && s.notice !== null);
    expect(after.notice?.message.zh).toContain('已作废');
    const voided = pos.payments.getSale(sale.id);
    expect(voided.state).toBe('voided');
    expect(voided.paidFen).toBe(0);
    expect(pos.payments.getAttempt(attempt.id).state).toBe('closed');
    const row = pos.db.prepare('SELECT void_reason FROM sales WHERE id = ?').get(sale.id) as { void_reason: string };
    expect(row.void_reason).toMatch(/expired while the counter was stopped/);
    // The counter is free for the basket again.
    await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 2345 });
  });
});

describe('a restart during a micropay (issue 21)', () => {
  /** A code whose payer types the password and pays `seconds` after the order was created (sandbox wallet 02/03). */
  const code = (wallet: '02' | '03', seconds: number): string => `13${wallet}${String(seconds).padStart(2, '0')}0000${String(Date.now() % 100_000_000).padStart(8, '0')}`;

  async function scanAndStop(wallet: '02' | '03', seconds: number): Promise<{ sale: SaleView; attempt: AttemptView }> {
    const pos = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'shift.open', { openingFloatFen: 10_000 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1888 });
    const scanned = await call<AttemptView>(pos, 'payment.submitCode', { saleId: sale.id, code: code(wallet, seconds) });
    const attempt = await waitFor(() => pos.payments.getAttempt(scanned.id), (a) => a.lastAnswer === 'USERPAYING');
    await pos.close();
    app = null;
    return { sale, attempt };
  }

  it('a code the customer paid while the counter was down comes back as the active sale, paid', async () => {
    const { sale, attempt } = await scanAndStop('02', 20);
    clock.offsetMs = 25_000;
    const pos = await start();
    const restored = await counterState(pos);
    expect(restored.activeSale?.id).toBe(sale.id);
    expect(await refusal(pos, 'sale.checkout', { lines: [], amountFen: 1888 })).toBe('NOT_SIGNED_IN');
    await call(pos, 'auth.signIn', { pin: '1111' });
    expect(await refusal(pos, 'sale.checkout', { lines: [], amountFen: 1888 })).toBe('SALE_IN_PROGRESS');
    const paid = await waitFor(() => counterState(pos), (s) => s.activeSale?.state === 'paid');
    expect(paid.activeSale?.id).toBe(sale.id);
    expect(pos.payments.getAttempt(attempt.id).state).toBe('paid');
    expect(paid.paymentAlerts).toEqual([]);
  });

  it('restarting after the code\'s time ran out unpaid: the sale ends voided with the reason', async () => {
    const { sale } = await scanAndStop('03', 0);
    clock.offsetMs = 2 * 60_000;
    const pos = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const after = await waitFor(() => counterState(pos), (s) => s.activeSale === null && s.notice !== null, 60_000);
    expect(after.notice?.message.en).toMatch(/voided/);
    expect(pos.payments.getSale(sale.id)).toMatchObject({ state: 'voided', paidFen: 0 });
  }, 90_000);
});

describe('a payment on a sale the counter is not showing (issue 21)', () => {
  /** A QR sale the counter moved away from, as an old counter did after a restart: it is no longer shown. */
  async function paidOffCounter(): Promise<{ pos: App; sale: SaleView; alert: PaymentAlertView }> {
    const pos = await start();
    const { sale, attempt } = await qrSale(pos, 2345, true);
    // The counter forgets the sale (what a counter without this fix did at restart); the QR is still payable.
    pos.payments.setCounterSale(null);
    pos.sandbox!.customerPay(attempt.codeUrl!);
    const state = await waitFor(() => counterState(pos), (s) => s.paymentAlerts.length > 0);
    const alert = state.paymentAlerts[0]!;
    expect(alert).toMatchObject({ saleId: sale.id, receiptNo: sale.receiptNo, amountFen: 2345, state: 'open', mode: 'native', counterReceiptNo: null });
    expect(alert.paidAt).toBeGreaterThan(0);
    return { pos, sale, alert };
  }

  it('raises an alert at the counter and on the manager screen; "keep" resolves it', async () => {
    const { pos, alert } = await paidOffCounter();
    await call(pos, 'auth.signIn', { pin: '9999' }, managerWindow);
    expect((await call<PaymentAlertView[]>(pos, 'paymentAlert.list', { openOnly: true }, managerWindow)).map((a) => a.id)).toEqual([alert.id]);
    // Listed on the X report (and its CSV) until someone resolves it.
    const shift = await call<{ id: string }>(pos, 'shift.current', {});
    const before = await call<ShiftReport>(pos, 'shift.xReport', { shiftId: shift.id });
    expect(before.paymentAlerts).toEqual([{ saleId: alert.saleId, receiptNo: alert.receiptNo, amountFen: 2345, paidAt: alert.paidAt }]);
    const csv = await call<{ text: string }>(pos, 'shift.exportCsv', { shiftId: shift.id, kind: 'X' }, managerWindow);
    expect(csv.text).toContain('待处理收款提醒');
    const kept = await call<PaymentAlertView>(pos, 'paymentAlert.keep', { alertId: alert.id });
    expect(kept.state).toBe('kept');
    expect(kept.resolvedBy).toBeTruthy();
    expect((await counterState(pos)).paymentAlerts).toEqual([]);
    expect((await call<ShiftReport>(pos, 'shift.xReport', { shiftId: shift.id })).paymentAlerts).toEqual([]);
    expect(await refusal(pos, 'paymentAlert.keep', { alertId: alert.id })).toBe('ALERT_RESOLVED');
  });

  it('"refund" needs a manager PIN and gives the whole payment back at WeChat', async () => {
    const { pos, sale, alert } = await paidOffCounter();
    expect(await refusal(pos, 'paymentAlert.refund', { alertId: alert.id, managerPin: '1111' })).not.toBe('OK');
    expect(pos.payments.listPaymentAlerts(true)).toHaveLength(1);
    const refunded = await call<PaymentAlertView>(pos, 'paymentAlert.refund', { alertId: alert.id, managerPin: '9999' });
    expect(refunded.state).toBe('refunded');
    expect(pos.payments.getSale(sale.id).refundedFen).toBe(2345);
    await waitFor(() => pos.sandbox!.listRefunds().filter((r) => r.refundFen === 2345).length, (n) => n === 1);
  });
});
