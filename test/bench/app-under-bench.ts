import { join } from 'node:path';
import { startApp, type App } from '../../electron/app';
import type { CallContext } from '../../electron/host/dispatch';
import { openKeyFileCipher } from '../../electron/security/key-file-cipher';
import { chromiumPdfRenderer } from '../../electron/shifts/pdf';
import { createConfBackend, settingsPath } from '../../electron/settings/conf-backend';
import type { MethodName } from '../../shared/api';
import { silentLogger, systemClock } from './bench-env';

/** The whole app in this process (what serve.ts builds), with the embedded sandbox, as the benchmarks drive it. */
export function startBenchApp(dataDir: string, scannerPath?: string, printerUri?: string): Promise<App> {
  return startApp({
    dataDir,
    clock: systemClock,
    logger: silentLogger,
    createSettingsBackend: createConfBackend,
    settingsFile: settingsPath(dataDir),
    overrides: { sandbox: true, scannerPath, printerUri },
    createCipher: (dir, logger) => openKeyFileCipher(join(dir, 'secret.key'), { logger }),
    // As the web host wires it (serve.ts); no benchmark renders a PDF.
    pdfRenderer: chromiumPdfRenderer(),
  });
}

export const CASHIER: CallContext = { window: 'cashier', connectionId: 'bench' };

/** One call through the app's dispatcher, as a window makes it; throws on a refused call. */
export async function call<T>(app: App, method: MethodName, request: unknown, context: CallContext = CASHIER): Promise<T> {
  const result = (await app.dispatch(method, request, context)) as { ok: true; value: T } | { ok: false; error: { code: string; message: string } };
  if (!result.ok) throw new Error(`${method} refused: ${result.error.code} ${result.error.message}`);
  return result.value;
}

/**
 * Signs the demo cashier in on this connection and opens a shift for them if none is open: a sale belongs to an
 * open shift (the counter refuses checkout without one).
 */
export async function signInWithShift(app: App, context: CallContext = CASHIER): Promise<void> {
  await call(app, 'auth.signIn', { pin: '1111' }, context);
  const current = await call<unknown>(app, 'shift.current', {}, context);
  if (current === null) await call(app, 'shift.open', { openingFloatFen: 0 }, context);
}

/** Wallet 01 (pays at once) codes, unique per run: `13 01 00 0000 xxxxxxxx` (see electron/sandbox/README.md). */
export function instantWalletCode(serial: number): string {
  return `1301000000${String(serial % 1e8).padStart(8, '0')}`;
}
