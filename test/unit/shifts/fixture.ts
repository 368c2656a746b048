/** Shared set-up for the shifts tests: the app's migrations with the security ones renumbered 4/5 and ours as 6. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Migration } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations/index';
import { migration0006Shifts } from '../../../electron/db/migrations/0006-shifts';
import { openDatabase, type Database } from '../../../electron/db/open';
import { UNKNOWN_STATUS, type PrinterStatus } from '../../../electron/devices/escpos/status';
import type { PrinterSink } from '../../../electron/devices/printer/sink';
import { openKeyFileCipher } from '../../../electron/security/key-file-cipher';
import { createSecurity, type Security } from '../../../electron/security/security';
import { defaultSecuritySettings } from '../../../electron/security/security-settings';
import type { Clock } from '../../../shared/clock';
import { MemoryLogger } from '../../../shared/log';
import type { GatedAction } from '../../../shared/security';

/** The app's migrations 1–5, then ours as 6 (until electron/db/migrations/index.ts lists it). */
export function shiftsTestMigrations(): Migration[] {
  const listed = appMigrations.filter((m) => m.version <= 5);
  return appMigrations.some((m) => m.version === 6) ? [...appMigrations] : [...listed, migration0006Shifts];
}

export function openShiftsDb(file = ':memory:'): Database {
  return openDatabase(file, shiftsTestMigrations());
}

export interface Staff {
  security: Security;
  managerId: string;
  managerName: string;
  cashierId: string;
  /** A manager approval token for one action (PIN 135792). */
  approve(action: GatedAction, subject?: string): string;
}

export function withSecurity(db: Database, clock: Clock): Staff {
  const dataDir = mkdtempSync(join(tmpdir(), 'shifts-sec-'));
  const security = createSecurity({
    db,
    dataDir,
    clock,
    logger: new MemoryLogger(),
    settings: () => defaultSecuritySettings(),
    demoAllowed: () => false,
    cipher: openKeyFileCipher(join(dataDir, 'secret.key'), { logger: new MemoryLogger() }),
    scryptCost: { N: 256, r: 8, p: 1 },
  });
  const owner = security.people.createOwner('老板', '246813');
  const ownerToken = (action: GatedAction): string => security.approvals.approve({ action, pin: '246813' }).token;
  const ownerActor = { id: owner.id, name: owner.name };
  const manager = security.people.createUser({ name: '王店长', role: 'manager', pin: '135792' }, ownerToken('user-manage'), ownerActor);
  const cashier = security.people.createUser({ name: '李收银', role: 'cashier', pin: '4826' }, ownerToken('user-manage'), ownerActor);
  return {
    security,
    managerId: manager.id,
    managerName: manager.name,
    cashierId: cashier.id,
    approve: (action, subject) => security.approvals.approve({ action, pin: '135792', managerId: manager.id, subject }).token,
  };
}

/** An in-memory ESC/POS printer. */
export class MemorySink implements PrinterSink {
  readonly format = 'escpos';
  readonly description = 'memory';
  readonly jobs: Uint8Array[] = [];
  write(bytes: Uint8Array): Promise<void> {
    this.jobs.push(bytes);
    return Promise.resolve();
  }
  readStatus(): Promise<PrinterStatus> {
    return Promise.resolve({ ...UNKNOWN_STATUS, known: true, coverOpen: false, paperOut: false, paperNearEnd: false, error: false });
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}
