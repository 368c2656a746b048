import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import { clearExpiredLock, recordCorrectPin, recordFailedPin, setUserPin, type UserRow } from '../db/users';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditLog } from './audit-log';
import { SecurityError, securityError } from './errors';
import { DEFAULT_SCRYPT_COST, hashPin, needsRehash, verifyPin, type ScryptCost } from './pin';
import { lockMs, type SecuritySettings } from './security-settings';

/** What checking a person's PIN needs: shared by sign-in, approvals and PIN changes. */
export interface PinCheckDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  settings: () => SecuritySettings;
  /** Demo users (PIN 1111 / 9999) work only while the app runs against the sandbox. */
  demoAllowed: () => boolean;
  cost?: ScryptCost;
}

export type PinPurpose = 'sign-in' | 'approval' | 'pin-change';

export function formatLockedUntil(until: number, now: number): { zh: string; en: string } {
  const minutesLeft = Math.max(1, Math.ceil((until - now) / 60_000));
  return {
    zh: `PIN 错误次数过多，已锁定，请 ${minutesLeft} 分钟后再试或请店长解锁`,
    en: `Too many wrong PINs: locked, try again in ${minutesLeft} min or ask a manager to unlock`,
  };
}

/** Refuses users who cannot enter a PIN at all right now: inactive, demo outside the sandbox, or locked. */
export function refuseUnusableUser(deps: PinCheckDeps, user: UserRow | undefined): asserts user is UserRow {
  if (!user || user.active !== 1) throw securityError('USER_INACTIVE', '该员工不存在或已停用', 'No such active staff member');
  if (user.demo === 1 && !deps.demoAllowed()) {
    throw securityError('DEMO_USER', '演示账号只能在沙箱模式下使用', 'Demo accounts work only in sandbox mode');
  }
  const now = deps.clock.now();
  if (user.locked_until !== null && user.locked_until > now) {
    throw new SecurityError('USER_LOCKED', formatLockedUntil(user.locked_until, now));
  }
}

/** A right PIN: the count starts again, and a PIN stored at an older, lower cost is quietly re-hashed. */
export function acceptCorrectPin(deps: PinCheckDeps, user: UserRow, pin: string): void {
  const { db, clock } = deps;
  const now = clock.now();
  const cost = deps.cost ?? DEFAULT_SCRYPT_COST;
  db.transaction(() => {
    recordCorrectPin(db, user.id, now);
    if (needsRehash(user.pin_hash, cost)) setUserPin(db, user.id, hashPin(pin, cost), user.must_change_pin === 1, now);
  })();
}

/**
 * Checks one person's PIN and keeps the count: a wrong PIN is audit-logged and counts towards the lock; the
 * last allowed wrong PIN locks the user for the configured time (audit-logged too). A correct PIN resets the
 * count (and quietly re-hashes a PIN stored at an older, lower cost). Throws SecurityError on any refusal.
 */
export function checkUserPin(deps: PinCheckDeps, user: UserRow | undefined, pin: string, purpose: PinPurpose): UserRow {
  refuseUnusableUser(deps, user);
  const { db, clock, audit } = deps;
  const now = clock.now();
  if (user.locked_until !== null) clearExpiredLock(db, user.id, now);
  if (verifyPin(pin, user.pin_hash)) {
    acceptCorrectPin(deps, user, pin);
    return user;
  }
  const settings = deps.settings();
  const lockUntil = now + lockMs(settings);
  const failures = db.transaction(() => {
    const count = recordFailedPin(db, user.id, settings.lockout.maxAttempts, lockUntil, now);
    const action = purpose === 'sign-in' ? AUDIT_ACTIONS.signInFailed : AUDIT_ACTIONS.pinWrong;
    audit.append({ id: user.id, name: user.name }, action, { purpose, failures: count });
    if (count >= settings.lockout.maxAttempts) {
      audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.locked, { userId: user.id, userName: user.name, until: lockUntil, failures: count });
    }
    return count;
  })();
  if (failures >= settings.lockout.maxAttempts) throw new SecurityError('USER_LOCKED', formatLockedUntil(lockUntil, now));
  const left = settings.lockout.maxAttempts - failures;
  throw securityError('PIN_WRONG', `PIN 错误，还可再试 ${left} 次`, `Wrong PIN: ${left} more ${left === 1 ? 'try' : 'tries'} before the lock`);
}
