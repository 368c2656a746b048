import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import { roleAtLeast } from '../../shared/security';
import { clearExpiredLock, listUsers, recordCorrectPin, recordFailedPin, setUserPin, type UserRow } from '../db/users';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditLog } from './audit-log';
import { SecurityError, securityError } from './errors';
import type { PinHasher } from './pin';
import type { PinGuard } from './pin-guard';
import { lockMs, type SecuritySettings } from './security-settings';

/** What checking a person's PIN needs: shared by sign-in, approvals and PIN changes. */
export interface PinCheckDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  settings: () => SecuritySettings;
  /** Demo users (PIN 1111 / 9999) work only while the app runs against the sandbox and was never set live. */
  demoAllowed: () => boolean;
  /** Hashes and checks PINs (scrypt, peppered with the secret store's pepper when there is one). */
  pins: PinHasher;
  /** The terminal's budget of wrong PINs: every PIN typed here, by name or alone, for any purpose, spends it. */
  guard: PinGuard;
  /** Told when a person gets locked (the composition root raises a manager alert). */
  onUserLocked?: (user: UserRow, failures: number) => void;
}

export type PinPurpose = 'sign-in' | 'approval' | 'pin-change';

export function formatLockedUntil(until: number, now: number): { zh: string; en: string } {
  const minutesLeft = Math.max(1, Math.ceil((until - now) / 60_000));
  return {
    zh: `PIN 错误次数过多，已锁定，请 ${minutesLeft} 分钟后再试或请店长解锁`,
    en: `Too many wrong PINs: locked, try again in ${minutesLeft} min or ask a manager to unlock`,
  };
}

function wrongPin(left: number): SecurityError {
  return securityError('PIN_WRONG', `PIN 错误，还可再试 ${left} 次`, `Wrong PIN: ${left} more ${left === 1 ? 'try' : 'tries'} before the lock`);
}

/** Whether this person may enter a PIN at all right now: active, not a demo account outside the sandbox, not locked. */
function usable(deps: PinCheckDeps, user: UserRow, now: number): boolean {
  return user.active === 1 && (user.demo === 0 || deps.demoAllowed()) && (user.locked_until === null || user.locked_until <= now);
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

/** A right PIN: that person's count starts again (never the terminal's), and an older hash is quietly renewed. */
export function acceptCorrectPin(deps: PinCheckDeps, user: UserRow, pin: string): void {
  const { db, clock } = deps;
  const now = clock.now();
  db.transaction(() => {
    recordCorrectPin(db, user.id, now);
    if (deps.pins.needsRehash(user.pin_hash)) setUserPin(db, user.id, deps.pins.hash(pin), user.must_change_pin === 1, now);
  })();
}

/**
 * Checks one named person's PIN and keeps both counts: a wrong PIN is audit-logged, counts towards that
 * person's lock and towards the terminal's budget (backoff, terminal lock). The last allowed wrong PIN locks the
 * person for the configured time (audit-logged, manager alert). A correct PIN resets that person's count only.
 * A named entry is not refused by the terminal lock (the person's own lock guards it), but waits out the backoff.
 * Throws SecurityError on any refusal.
 */
export function checkUserPin(deps: PinCheckDeps, user: UserRow | undefined, pin: string, purpose: PinPurpose): UserRow {
  // Who cannot enter a PIN at all is told so without the PIN being looked at; everyone else waits out the backoff.
  refuseUnusableUser(deps, user);
  deps.guard.admit();
  const { db, clock, audit } = deps;
  const now = clock.now();
  if (user.locked_until !== null) clearExpiredLock(db, user.id, now);
  if (deps.pins.verify(pin, user.pin_hash)) {
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
    deps.guard.fail();
    return count;
  })();
  if (failures >= settings.lockout.maxAttempts) {
    if (failures === settings.lockout.maxAttempts) deps.onUserLocked?.(user, failures);
    throw new SecurityError('USER_LOCKED', formatLockedUntil(lockUntil, now));
  }
  throw wrongPin(settings.lockout.maxAttempts - failures);
}

/**
 * A PIN typed without a name (PIN-only sign-in or approval): PINs are unique among active staff, so it names at
 * most one person of `pool`. While the terminal lock is on only managers and owners are tried, so a manager can
 * still sign in and clear it; every other PIN (a cashier's too) is refused exactly like a wrong one, so the lock
 * tells a guesser nothing. A wrong PIN spends the terminal's budget; `onWrong` writes the refusal's audit row in
 * the same transaction. Throws SecurityError on any refusal.
 */
export function identifyByPin(
  deps: PinCheckDeps,
  pin: string,
  pool: (user: UserRow) => boolean,
  onWrong: () => void,
  refusal: (left: number) => SecurityError = wrongPin,
): UserRow {
  const { terminalLocked } = deps.guard.admit();
  const { db, clock } = deps;
  const now = clock.now();
  const candidates = listUsers(db).filter((u) => usable(deps, u, now) && pool(u) && (!terminalLocked || roleAtLeast(u.role, 'manager')));
  const match = candidates.find((u) => deps.pins.verify(pin, u.pin_hash));
  if (match) {
    acceptCorrectPin(deps, match, pin);
    return match;
  }
  if (candidates.length === 0) deps.pins.burn(pin);
  const { failures, lockedUntil } = db.transaction(() => {
    onWrong();
    return deps.guard.fail();
  })();
  if (lockedUntil !== null) deps.guard.refuseLocked();
  throw refusal(Math.max(1, deps.settings().lockout.maxAttempts - failures));
}
