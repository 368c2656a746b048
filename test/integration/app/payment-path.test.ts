import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openidFor } from '../../../electron/sandbox/ids';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import type { ApiEvents, EventName } from '../../../shared/api';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';
import { decodeEscPos } from '../../helpers/escpos-decoder';
import { scanPaths, scanText, type KnownSecret } from '../../helpers/leak-scan';

/**
 * The whole main side as the hosts build it (startApp): settings, SQLite, the embedded sandbox over HTTPS, the
 * payment engine and its worker, the print queue writing to a file printer. Calls go through the same
 * dispatcher as the windows' calls.
 */
let app: App | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
});

const cashierWindow: CallContext = { window: 'cashier', connectionId: 'test-cashier' };

async function start(): Promise<{ app: App; printerFile: string; logger: MemoryLogger }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'pos-app-'));
  const printerFile = join(dataDir, 'printer.bin');
  const logger = new MemoryLogger();
  app = await startApp({
    dataDir,
    clock: systemClock,
    logger,
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, printerUri: `file:${printerFile}` },
    createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
    pdfRenderer: chromiumPdfRenderer(),
  });
  return { app, printerFile, logger };
}

async function call<T>(target: App, method: string, request: unknown, context = cashierWindow): Promise<T> {
  const result = (await target.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/** The cashier signs in and opens a shift with a float: every sale belongs to an open shift. */
async function signInWithShift(target: App): Promise<void> {
  await call(target, 'auth.signIn', { pin: '1111' });
  await call(target, 'shift.open', { openingFloatFen: 10_000 });
}

function nextEvent<E extends EventName>(target: App, event: E, predicate: (p: ApiEvents[E]) => boolean, timeoutMs = 20_000): Promise<ApiEvents[E]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    const listener = (name: EventName, payload: unknown): void => {
      if (name === event && predicate(payload as ApiEvents[E])) {
        clearTimeout(timer);
        off();
        resolve(payload as ApiEvents[E]);
      }
    };
    const off = target.events.subscribe(listener);
  });
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the app, end to end on the main side', () => {
  it('refuses a sale before a cashier signs in, and a wrong PIN', async () => {
    const { app: pos } = await start();
    await expect(call(pos, 'sale.checkout', { lines: [], amountFen: 1250 })).rejects.toThrow(/NOT_SIGNED_IN/);
    await expect(call(pos, 'auth.signIn', { pin: '2468' })).rejects.toThrow(/PIN_WRONG/);
  });

  it('takes a WeChat payment code for an amount, prints the receipt and shows paid on the customer display', async () => {
    const { app: pos, printerFile, logger } = await start();
    await signInWithShift(pos);
    await call(pos, 'cart.preview', { lines: [], amountFen: 1250 });
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1250 });
    const paid = nextEvent(pos, 'sale.updated', (s) => s.id === sale.id && s.state === 'paid');
    const displayPaid = nextEvent(pos, 'display.state', (d) => d.kind === 'paid');
    await call(pos, 'payment.submitCode', { saleId: sale.id, code: '130100000000000001' });
    expect((await paid).paidFen).toBe(1250);
    expect(await displayPaid).toMatchObject({ kind: 'paid', amountFen: 1250, sandbox: true });

    await waitFor(() => existsSync(printerFile) && decodeEscPos(readFileSync(printerFile)).cuts.length > 0);
    const receipt = decodeEscPos(readFileSync(printerFile));
    const text = receipt.lines.map((l) => l.text).join('\n');
    expect(text).toContain('沙箱');
    expect(text).toContain('￥12.50');
    expect(text).toContain('演示收银员');
    expect(receipt.qrs[0]?.payload).toBe(`POSR:T01:${sale.receiptNo}`);
    expect(text).not.toContain('130100000000000001');
    expect(logger.text()).not.toContain('130100000000000001');
    expect(pos.sandbox?.listOrders().filter((o) => o.tradeState === 'SUCCESS')).toHaveLength(1);
  });

  it('routes a keyboard-wedge scan of a payment code to the sale on the counter', async () => {
    const { app: pos } = await start();
    await signInWithShift(pos);
    await call(pos, 'cart.preview', { lines: [{ name: '矿泉水', quantity: 2, unitFen: 300 }] });
    const paid = nextEvent(pos, 'sale.updated', (s) => s.state === 'paid');
    await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000011' });
    const sale = await paid;
    expect(sale.totalFen).toBe(600);
    expect(sale.lines.map((l) => l.name)).toEqual(['矿泉水']);
  });

  it('tells the cashier that an Alipay code is not supported, and sends nothing to WeChat', async () => {
    const { app: pos } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'cart.preview', { lines: [], amountFen: 500 });
    const notice = nextEvent(pos, 'counter.state', (c) => c.notice !== null);
    await call(pos, 'scanner.submitWedgeScan', { code: '281234567890123456' });
    expect((await notice).notice?.message.zh).toContain('支付宝');
    expect(pos.sandbox?.listOrders()).toEqual([]);
  });

  it('takes cash with change, opens the drawer and refunds part of it with the manager PIN only', async () => {
    const { app: pos, printerFile } = await start();
    await signInWithShift(pos);
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 1880 });
    const cash = await call<{ sale: SaleView; changeFen: number }>(pos, 'payment.cash', { saleId: sale.id, tenderedFen: 2000 });
    expect(cash.changeFen).toBe(120);
    expect(cash.sale.state).toBe('paid');
    await waitFor(() => existsSync(printerFile) && decodeEscPos(readFileSync(printerFile)).pulses.length > 0);
    await expect(call(pos, 'refund.request', { saleId: sale.id, amountFen: 500, managerPin: '1111' })).rejects.toThrow();
    await expect(call(pos, 'refund.request', { saleId: sale.id, amountFen: 5000, managerPin: '9999' })).rejects.toThrow();
    const refund = await call<{ refunds: { amountFen: number }[] }>(pos, 'refund.request', { saleId: sale.id, amountFen: 500, managerPin: '9999' });
    expect(refund.refunds.reduce((s, r) => s + r.amountFen, 0)).toBe(500);
  });

  it('never lets a secret, a payment code or a full openid into a window, a log or a receipt', async () => {
    const { app: pos, printerFile } = await start();
    const seen: string[] = [];
    pos.events.subscribe((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`));
    const record = async (method: string, request: unknown) => {
      const result = await pos.dispatch(method, request, cashierWindow);
      seen.push(`${method} ${JSON.stringify(result)}`);
      return result;
    };
    await record('auth.signIn', { pin: '1111' });
    await record('shift.open', { openingFloatFen: 10_000 });
    const codes = ['130100000000000021', '130700000000000022'];
    for (const code of codes) {
      const checkout = (await record('sale.checkout', { lines: [], amountFen: 990 })) as Result<SaleView>;
      if (!checkout.ok) throw new Error(checkout.error.message);
      const paid = nextEvent(pos, 'sale.updated', (s) => s.id === checkout.value.id && s.state === 'paid');
      await record('payment.submitCode', { saleId: checkout.value.id, code });
      await paid;
      await record('sale.get', { saleId: checkout.value.id });
      await record('sale.finish', { saleId: checkout.value.id });
    }
    await record('attempts.listForReview', {});
    await record('sale.listRecent', {});
    await waitFor(() => existsSync(printerFile) && decodeEscPos(readFileSync(printerFile)).cuts.length >= 2);

    const credentials = pos.sandbox!.credentials;
    const secrets: KnownSecret[] = [
      { name: 'apiKeyV2', value: credentials.apiKeyV2 },
      { name: 'apiV3Key', value: credentials.apiV3Key },
      { name: 'merchantPrivateKeyPem', value: credentials.merchantPrivateKeyPem },
      { name: 'clientKeyPem', value: credentials.clientKeyPem },
      ...codes.map((value, i) => ({ name: `authCode #${i + 1}`, value })),
      // The sandbox's payer behind a payment code has a stable openid derived from the code.
      ...codes.map((code, i) => ({ name: `openid #${i + 1}`, value: openidFor(code) })),
    ];
    expect(scanText(seen.join('\n'), 'api results and events', secrets)).toEqual([]);
    const dataDir = join(printerFile, '..');
    expect(scanPaths([join(dataDir, 'logs'), printerFile], secrets)).toEqual([]);
    // The scan is live: the sandbox's own files (its keys, its ledger of payers) do hold these values.
    const sandboxHits = scanPaths([join(dataDir, 'sandbox')], secrets).map((h) => h.secret);
    expect(sandboxHits).toEqual(expect.arrayContaining(['apiV3Key', 'openid #1']));
  });

  it('refuses a sale above the largest-sale limit unless a manager overrides it with the PIN', async () => {
    const { app: pos } = await start();
    await signInWithShift(pos);
    await expect(call(pos, 'sale.checkout', { lines: [], amountFen: 600_000 })).rejects.toThrow(/LIMIT_EXCEEDED/);
    await expect(call(pos, 'sale.checkout', { lines: [], amountFen: 600_000, overridePin: '1111' })).rejects.toThrow();
    const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 600_000, overridePin: '9999' });
    expect(sale.totalFen).toBe(600_000);
    const overrides = pos.db.prepare("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE '%override%'").get() as { n: number };
    expect(overrides.n).toBeGreaterThan(0);
  });

  it('raises an alert on the manager screen after repeated failed scans', async () => {
    const { app: pos } = await start();
    await signInWithShift(pos);
    const alert = nextEvent(pos, 'risk.alert', () => true, 30_000);
    for (const code of ['130400000000000031', '130400000000000032', '130400000000000033']) {
      const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 700 });
      const failed = nextEvent(pos, 'attempt.updated', (a) => a.saleId === sale.id && a.state === 'failed');
      await call(pos, 'payment.submitCode', { saleId: sale.id, code });
      await failed;
    }
    expect((await alert).kind).toBe('failed-scans');
  });

  it('counts a manager-approved drawer opening as a no-sale on the open shift', async () => {
    const { app: pos, printerFile } = await start();
    await call(pos, 'auth.signIn', { pin: '1111' });
    const shift = await call<{ id: string }>(pos, 'shift.open', { openingFloatFen: 20_000 });
    await expect(call(pos, 'drawer.open', { managerPin: '1111' })).rejects.toThrow();
    await call(pos, 'drawer.open', { managerPin: '9999' });
    const report = await call<{ noSales: number }>(pos, 'shift.xReport', { shiftId: shift.id });
    expect(report.noSales).toBe(1);
    await waitFor(() => existsSync(printerFile) && decodeEscPos(readFileSync(printerFile)).pulses.length === 1);
  });

  it('prints a test page and shows the last scan, masked, for the settings screen', async () => {
    const { app: pos, printerFile } = await start();
    const manager: CallContext = { window: 'manager', connectionId: 'test-manager' };
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    await expect(call(pos, 'devices.testPrint', {})).rejects.toThrow(/FORBIDDEN/);
    expect(await call(pos, 'devices.testPrint', {}, manager)).toMatchObject({ queued: true });
    await waitFor(() => existsSync(printerFile) && decodeEscPos(readFileSync(printerFile)).cuts.length > 0);
    expect(decodeEscPos(readFileSync(printerFile)).lines.map((l) => l.text).join('\n')).toContain('打印测试');

    await call(pos, 'scanner.submitWedgeScan', { code: '130100000000000041' });
    const { scan } = await call<{ scan: { kind: string; shown: string; source: string } | null }>(pos, 'devices.lastScan', {}, manager);
    expect(scan).toMatchObject({ kind: 'wechat-pay-code', shown: '1301**********0041', source: 'wedge' });
  });
});
