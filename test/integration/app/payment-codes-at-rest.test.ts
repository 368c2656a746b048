import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { createFileLogger } from '../../../electron/log/file-logger';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import type { CounterState, LastScan } from '../../../shared/api';
import { systemClock } from '../../../shared/clock';
import type { SaleView } from '../../../shared/payments';
import type { Result } from '../../../shared/result';
import { describeHits, scanPaths, scanText, type KnownSecret } from '../../helpers/leak-scan';

/**
 * Issue 17, finding 6: payment codes on disk. The whole main side (startApp, the sandbox over HTTPS, a real file
 * logger) takes payments while the test reads the raw bytes of the data folder: the database file, its WAL (which
 * keeps old page versions until a checkpoint, so an erased code used to stay there), and the log.
 */
let app: App | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'rest-cashier' };
const manager: CallContext = { window: 'manager', connectionId: 'rest-manager' };

async function call<T>(target: App, method: string, request: unknown, context = cashier): Promise<T> {
  const result = (await target.dispatch(method, request, context)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every file of the data folder except the sandbox's own (it stands in for WeChat, which does know the codes). */
function posFiles(dataDir: string): string[] {
  return readdirSync(dataDir)
    .filter((name) => name !== 'sandbox')
    .map((name) => join(dataDir, name));
}

describe('payment codes at rest', () => {
  it('never writes a payment code in clear to the database, its WAL or the log, and masks a code glued to a stray character', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-codes-'));
    const logger = createFileLogger(dataDir, systemClock);
    app = await startApp({
      dataDir,
      clock: systemClock,
      logger,
      createSettingsBackend: createConfBackend,
      settingsFile: settingsPath(dataDir),
      overrides: { sandbox: true, printerUri: `file:${join(dataDir, 'printer.bin')}` },
      createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
      pdfRenderer: chromiumPdfRenderer(),
    });
    const pos = app;
    const seen: string[] = [];
    pos.events.subscribe((event, payload) => seen.push(`${event} ${JSON.stringify(payload)}`));
    await call(pos, 'auth.signIn', { pin: '1111' });
    await call(pos, 'auth.signIn', { pin: '9999' }, manager);
    await call(pos, 'shift.open', { openingFloatFen: 10_000 });

    const codes = ['130100000000000061', '130100000000000062', '130100000000000063', '130700000000000064'];
    for (const code of codes) {
      const sale = await call<SaleView>(pos, 'sale.checkout', { lines: [], amountFen: 880 });
      seen.push(JSON.stringify(await pos.dispatch('payment.submitCode', { saleId: sale.id, code }, cashier)));
      await waitFor(() => pos.payments.getSale(sale.id).state === 'paid');
      await call(pos, 'sale.finish', { saleId: sale.id });
    }

    // A code glued to a stray character is not a payment code: it is looked up as a product, and told masked.
    const glued = '130100000000000777';
    await call(pos, 'scanner.submitWedgeScan', { code: `${glued}X` });
    const state = await call<CounterState>(pos, 'counter.getState', {});
    expect(state.notice?.message.zh).toContain('付款码');
    expect(state.notice?.message.en).toMatch(/payment code/);
    const { scan } = await call<{ scan: LastScan | null }>(pos, 'devices.lastScan', {}, manager);
    expect(scan).toMatchObject({ kind: 'product', shown: '1301**********0777X' });
    seen.push(JSON.stringify(state), JSON.stringify(scan));

    const secrets: KnownSecret[] = [...codes, glued].map((value, i) => ({ name: `payment code #${i + 1}`, value }));
    // Read while the app runs: the WAL has not been checkpointed away yet.
    expect(existsSync(join(dataDir, 'pos.sqlite-wal'))).toBe(true);
    logger.flush(); // every line logged so far is in the file (the logger writes off the caller's path)
    const hits = scanPaths(posFiles(dataDir), secrets);
    expect(describeHits(hits)).toBe('');
    expect(describeHits(scanText(seen.join('\n'), 'events and answers', secrets))).toBe('');
  });
});
