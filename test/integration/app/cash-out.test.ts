import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startApp, type App } from '../../../electron/app';
import type { CallContext } from '../../../electron/host/dispatch';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createConfBackend, settingsPath } from '../../../electron/settings/conf-backend';
import { chromiumPdfRenderer } from '../../../electron/shifts/pdf';
import { systemClock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { Result } from '../../../shared/result';
import type { CashMovementView, ShiftReport, ShiftView } from '../../../shared/shifts';
import { decodeEscPos } from '../../helpers/escpos-decoder';

/**
 * Issue 17, finding 8: a cashier took ￥5,000 (and ￥100,000) out of a drawer holding ￥493 with no one's approval,
 * the drawer opened each time and the Z report's expected cash went negative. Through the dispatcher, as the
 * cashier window calls it.
 */
let app: App | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const cashier: CallContext = { window: 'cashier', connectionId: 'cash-out-cashier' };

async function dispatch<T>(pos: App, method: string, request: unknown): Promise<Result<T>> {
  return (await pos.dispatch(method, request, cashier)) as Result<T>;
}

async function waitFor(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('cash out at the counter', () => {
  it('needs the manager PIN above what the drawer holds, opens the drawer only for the approved movement, and never goes negative unapproved', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-cash-out-'));
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
    const pos = app;
    const pulses = (): number => (existsSync(printerFile) ? decodeEscPos(readFileSync(printerFile)).pulses.length : 0);
    expect((await dispatch(pos, 'auth.signIn', { pin: '1111' })).ok).toBe(true);
    const opened = await dispatch<ShiftView>(pos, 'shift.open', { openingFloatFen: 49_300 });
    if (!opened.ok) throw new Error(opened.error.message);
    const shiftId = opened.value.id;

    for (const amountFen of [500_000, 10_000_000]) {
      const refused = await dispatch(pos, 'shift.cashMove', { shiftId, kind: 'out', amountFen, reason: '取现' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'CASH_OUT_APPROVAL' } });
    }
    const ownPin = await dispatch(pos, 'shift.cashMove', { shiftId, kind: 'out', amountFen: 500_000, reason: '取现', managerPin: '1111' });
    expect(ownPin.ok).toBe(false);
    await new Promise((r) => setTimeout(r, 300));
    expect(pulses()).toBe(0);
    const before = await dispatch<ShiftReport>(pos, 'shift.xReport', { shiftId });
    expect(before.ok && before.value.cash.expectedFen).toBe(49_300);

    const approved = await dispatch<CashMovementView>(pos, 'shift.cashMove', { shiftId, kind: 'out', amountFen: 500_000, reason: '取现', managerPin: '9999' });
    expect(approved).toMatchObject({ ok: true, value: { amountFen: 500_000, approvedBy: '演示店长' } });
    await waitFor(() => pulses() === 1);
    // Cash in never asks for a PIN.
    const small = await dispatch<CashMovementView>(pos, 'shift.cashMove', { shiftId, kind: 'in', amountFen: 100, reason: '补零钱' });
    expect(small.ok).toBe(true);
  });
});
