import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import type { CounterState } from '../../../shared/api';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { Result } from '../../../shared/result';
import { startSocatPair } from '../../helpers/socat';
import { closeDeviceEnd, openDeviceEnd, writeBytes } from '../devices/scanner/recorder';

/**
 * Issue 17, finding 7: a burst of payment codes on the serial port (a stuck scanner, or someone flooding the port)
 * used to turn every code into a tender and freeze the counter. The whole main side runs with its serial scanner
 * on a real socat pty; the test writes 1,000 valid codes in one go.
 */
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  cleanups.length = 0;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'burst-cashier' };

async function call<T>(target: App, method: string, request: unknown): Promise<T> {
  const result = (await target.dispatch(method, request, cashier)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('a burst of payment codes on the serial scanner', () => {
  it('takes one code per sale, drops the flood with one counted notice, and keeps answering calls', { timeout: 120_000 }, async () => {
    const pair = await startSocatPair();
    cleanups.push(() => pair.stop());
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-burst-'));
    const logger = new MemoryLogger();
    const app = await startApp({
      dataDir,
      clock: systemClock,
      logger,
      createSettingsBackend: createConfBackend,
      settingsFile: settingsPath(dataDir),
      overrides: { sandbox: true, scannerPath: pair.pathA, printerUri: `file:${join(dataDir, 'printer.bin')}` },
      createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
      pdfRenderer: chromiumPdfRenderer(),
    });
    cleanups.push(() => app.close());
    let handled = 0;
    app.events.subscribe((event) => {
      if (event === 'scanner.scanned') handled += 1;
    });
    await call(app, 'auth.signIn', { pin: '1111' });
    await call(app, 'shift.open', { openingFloatFen: 10_000 });
    await call(app, 'cart.preview', { lines: [], amountFen: 1500 });

    // Wallet 02 asks for the password and pays 12 s later: the first code stays in flight for the whole burst.
    const codes = Array.from({ length: 1000 }, (_, i) => `1302120000${String(i).padStart(8, '0')}`);
    const device = await openDeviceEnd(pair.pathB);
    cleanups.push(() => closeDeviceEnd(device));
    const manager: CallContext = { window: 'manager', connectionId: 'burst-manager' };
    await app.dispatch('auth.signIn', { pin: '9999' }, manager);
    const scannerStatus = async (): Promise<string> => {
      const result = (await app.dispatch('devices.lastScan', {}, manager)) as Result<{ scanner: { status: string } }>;
      return result.ok ? result.value.scanner.status : 'unknown';
    };
    for (let i = 0; i < 100 && (await scannerStatus()) !== 'connected'; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await scannerStatus()).toBe('connected');
    await writeBytes(device, `${codes.join('\r')}\r`);

    const droppedSoFar = (): number =>
      logger.lines.filter((l) => l.message === 'scan: scans came too fast, dropped').reduce((sum, l) => sum + Number(l.fields.count), 0);
    await waitFor(() => handled + droppedSoFar() === codes.length, 60_000);

    // The queue is bounded: most of the flood was dropped unread, and reported in a few lines, not one per scan.
    expect(handled).toBeLessThan(codes.length / 4);
    const reports = logger.lines.filter((l) => l.message === 'scan: scans came too fast, dropped');
    expect(reports.length).toBeLessThan(10);
    // A call is answered, and the counter holds one sale with one tender: the first code.
    const state = await call<CounterState>(app, 'counter.getState', {});
    expect(state.activeSale?.tenders).toHaveLength(1);
    expect(state.notice?.message.zh).toMatch(/扫码过快|正在处理/);
    const tenders = app.db.prepare('SELECT COUNT(*) AS n FROM tenders').get() as { n: number };
    expect(tenders.n).toBe(1);
    expect(app.sandbox?.listOrders()).toHaveLength(1);
    // Every code after the first that was handled was refused in words, none superseded the first.
    expect(logger.lines.filter((l) => l.message === 'scan: refused' && l.fields.code === 'PAYMENT_IN_PROGRESS').length).toBe(handled - 1);
  });
});
