import { mkdtempSync } from 'node:fs';
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
import type { AuditEntryView } from '../../../shared/security';

let app: App | null = null;
afterEach(async () => {
  await app?.close();
  app = null;
});

const manager: CallContext = { window: 'manager', connectionId: 'recon-manager' };

async function call<T>(pos: App, method: string, request: unknown): Promise<T> {
  const result = (await pos.dispatch(method, request, manager)) as Result<T>;
  if (!result.ok) throw new Error(`${method} failed: ${result.error.code} ${result.error.message}`);
  return result.value;
}

describe('re-downloading a day\'s bill from the manager window', () => {
  it('is approved as its own action (reconciliation-redownload) and audit-logged, not as resolving a difference', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pos-recon-redownload-'));
    app = await startApp({
      dataDir,
      clock: systemClock,
      logger: new MemoryLogger(),
      createSettingsBackend: createConfBackend,
      settingsFile: settingsPath(dataDir),
      overrides: { sandbox: true, printerUri: `file:${join(dataDir, 'printer.bin')}` },
      createCipher: (dir, log) => openKeyFileCipher(join(dir, 'secret.key'), { logger: log }),
      pdfRenderer: chromiumPdfRenderer(),
    });
    await call(app, 'auth.signIn', { pin: '9999' });
    expect(await call(app, 'reconciliation.problems', {})).toEqual([]);
    await call(app, 'reconciliation.redownload', { billDate: '2025-03-14', managerPin: '9999' });
    const audit = await call<AuditEntryView[]>(app, 'audit.list', { limit: 50 });
    const granted = audit.filter((e) => e.action === 'approval.granted').map((e) => e.details);
    expect(granted).toContainEqual(expect.objectContaining({ action: 'reconciliation-redownload', subject: 'bill:2025-03-14' }));
    expect(granted).not.toContainEqual(expect.objectContaining({ action: 'reconciliation-resolve' }));
    expect(audit.filter((e) => e.action === 'reconciliation.redownload').map((e) => e.details)).toEqual([
      expect.objectContaining({ billDate: '2025-03-14', approvedBy: expect.any(String) as unknown }),
    ]);
  });
});
