import type { Database } from 'better-sqlite3';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock';
import type { Logger } from '../../shared/log';
import type { RiskAlertView } from '../../shared/security';
import { ApprovalService } from './approvals';
import { AuditLog } from './audit-log';
import { AuthService } from './auth';
import { BackupService } from './backup';
import type { CipherUnavailableError, SecretCipher } from './cipher';
import { liveModeSetAt } from './live-mode';
import { PeopleService } from './people';
import { DEFAULT_SCRYPT_COST, PinHasher, type ScryptCost } from './pin';
import type { PinCheckDeps } from './pin-check';
import { PinGuard, TERMINAL_SCOPE } from './pin-guard';
import { RiskService } from './risk';
import { SecretStore } from './secret-store';
import { SetupCode } from './setup-code';
import type { SecuritySettings } from './security-settings';

export interface SecurityDeps {
  db: Database;
  dataDir: string;
  clock: Clock;
  logger: Logger;
  settings: () => SecuritySettings;
  /** True while the app runs against the embedded sandbox (demo users allowed, unless the install was ever live). */
  demoAllowed: () => boolean;
  /** createSafeStorageCipher in Electron, openKeyFileCipher under the web host; or why neither works. */
  cipher: SecretCipher | CipherUnavailableError;
  onAlert?: (alert: RiskAlertView) => void;
  /** Shows the one-time setup code where the app runs (the host's console or a dialog of Electron's main process). */
  showSetupCode?: (code: string) => void;
  /** Tests lower the PIN hashing cost; production keeps the default. */
  scryptCost?: ScryptCost;
}

export interface Security {
  audit: AuditLog;
  approvals: ApprovalService;
  people: PeopleService;
  auth: AuthService;
  secrets: SecretStore;
  risk: RiskService;
  backups: BackupService;
  /** The terminal's wrong-PIN budget (backoff, terminal lock). */
  pinGuard: PinGuard;
  setupCode: SetupCode;
  /** PIN hashing with this install's pepper; wraps PIN hashes made at the hub (electron/hub-link/reference.ts). */
  pins: PinHasher;
}

/** Builds the security services for the composition root (electron/app.ts). */
export function createSecurity(deps: SecurityDeps): Security {
  const { db, clock, logger } = deps;
  const audit = new AuditLog(db, clock);
  // Built after the PIN services it alerts for; a lock can only happen once everything below exists.
  let risk: RiskService | null = null;
  let secrets: SecretStore | null = null;
  const pinGuard = new PinGuard({ db, clock, audit, settings: deps.settings, onTerminalLocked: (failures) => risk?.recordPinLock(TERMINAL_SCOPE, failures) });
  const pinDeps: PinCheckDeps = {
    db,
    clock,
    audit,
    settings: deps.settings,
    // Once an install was live, demo accounts never work again, whatever settings say later (a broken file).
    demoAllowed: () => deps.demoAllowed() && liveModeSetAt(db) === null,
    pins: new PinHasher(deps.scryptCost ?? DEFAULT_SCRYPT_COST, () => secrets?.pinPepper() ?? null),
    guard: pinGuard,
    onUserLocked: (user, failures) => risk?.recordPinLock(user.id, failures),
  };
  const approvals = new ApprovalService(pinDeps);
  secrets = new SecretStore({ db, clock, audit, approvals, cipher: deps.cipher, logger });
  risk = new RiskService({ db, clock, audit, approvals, settings: deps.settings, onAlert: deps.onAlert });
  const people = new PeopleService({
    ...pinDeps,
    approvals,
    pinPepper: { state: () => secrets?.pinPepperState() ?? 'no-cipher', renew: () => secrets?.renewPinPepper() },
  });
  return {
    audit,
    approvals,
    people,
    // A host that cannot show the code leaves first-run setup impossible rather than open: both hosts pass one.
    setupCode: new SetupCode({ needed: () => people.setupState().needsOwner, show: deps.showSetupCode ?? (() => {}), audit, logger }),
    auth: new AuthService(pinDeps),
    pins: pinDeps.pins,
    secrets,
    risk,
    pinGuard,
    backups: new BackupService({
      db,
      clock,
      logger,
      audit,
      folder: () => deps.settings().backup.folder || join(deps.dataDir, 'backups'),
      keep: () => deps.settings().backup.keep,
      workFolder: deps.dataDir,
      cipher: deps.cipher,
    }),
  };
}
