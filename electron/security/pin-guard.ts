import type { Database } from 'better-sqlite3';
import type { Clock } from '../../shared/clock';
import type { TerminalPinLockView } from '../../shared/security';
import { clearPinGuard, getPinGuard, savePinGuard, type PinGuardRow } from '../db/pin-guard';
import { AUDIT_ACTIONS, SYSTEM_ACTOR, type AuditLog } from './audit-log';
import { SecurityError } from './errors';
import { lockMs, type SecuritySettings } from './security-settings';

/** The one scope today: every PIN typed at this install (sign-in, approvals, PIN changes, any window). */
export const TERMINAL_SCOPE = 'terminal';

export interface PinGuardDeps {
  db: Database;
  clock: Clock;
  audit: AuditLog;
  settings: () => SecuritySettings;
  /** Told when the terminal lock engages (the composition root raises a manager alert). */
  onTerminalLocked?: (failures: number) => void;
}

export function formatTerminalLocked(until: number, now: number): { zh: string; en: string } {
  const minutesLeft = Math.max(1, Math.ceil((until - now) / 60_000));
  return {
    zh: `PIN 错误次数过多，本终端已锁定，${minutesLeft} 分钟内仅接受店长 PIN；店长可在“员工”页解除`,
    en: `Too many wrong PINs: this terminal is locked and takes only a manager’s PIN for ${minutesLeft} min; a manager can clear it on the Staff tab`,
  };
}

/**
 * The terminal's PIN budget, kept in SQLite so neither a restart nor anyone's right PIN resets it (issue 17).
 * Every wrong PIN typed here counts, whatever it was for and whether or not a name was given: a PIN typed
 * alone names nobody, so the terminal is the only thing it can be counted against. A right PIN resets only its
 * owner's own count (users.failed_attempts), never this one. The count ends after a quiet time as long as the
 * lock (no wrong PIN for 15 min), or when a manager clears it.
 *
 * From `backoffAfter` wrong PINs on, the next PIN is not even checked before a wait that doubles with each
 * further wrong PIN (1 s, 2 s, 4 s …, at most `maxBackoffSeconds`). At `maxAttempts` the terminal lock engages
 * for the lock time: PIN entry then accepts only managers' and owners' PINs (each still under their own
 * per-person lock); a guesser who keeps going keeps it locked at one guess per maximum wait. Why this shape,
 * and not a plain lock: electron/security/README.md (“Lockout”).
 */
export class PinGuard {
  constructor(private readonly deps: PinGuardDeps) {}

  /**
   * Before any PIN is checked here: refuses during the backoff wait (the PIN is not looked at, and nothing is
   * counted), and says whether the terminal lock is on.
   */
  admit(): { terminalLocked: boolean } {
    const now = this.deps.clock.now();
    const row = this.current(now);
    if (row.next_attempt_at !== null && row.next_attempt_at > now) {
      const seconds = Math.max(1, Math.ceil((row.next_attempt_at - now) / 1000));
      throw new SecurityError('PIN_WAIT', {
        zh: `PIN 错误次数过多，请 ${seconds} 秒后再试`,
        en: `Too many wrong PINs: wait ${seconds} s before the next try`,
      });
    }
    return { terminalLocked: row.locked_until !== null && row.locked_until > now };
  }

  /** Throws the terminal-lock refusal (for a PIN typed alone that matched no manager while the lock is on). */
  refuseLocked(): never {
    const now = this.deps.clock.now();
    throw new SecurityError('SIGN_IN_LOCKED', formatTerminalLocked(this.current(now).locked_until ?? now, now));
  }

  /**
   * One wrong PIN at this terminal: counts, sets the next wait, and engages the lock at the limit (audit-logged,
   * and the manager alert raised). Call inside the transaction that records the refusal.
   */
  fail(): { failures: number; lockedUntil: number | null } {
    const { db, clock, audit } = this.deps;
    const settings = this.deps.settings();
    const now = clock.now();
    const row = this.current(now);
    const failures = row.failures + 1;
    const wasLocked = row.locked_until !== null && row.locked_until > now;
    const lockedUntil = wasLocked ? row.locked_until : failures >= settings.lockout.maxAttempts ? now + lockMs(settings) : null;
    const { backoffAfter, maxBackoffSeconds } = settings.lockout;
    const waitMs = failures >= backoffAfter ? Math.min(1000 * 2 ** Math.min(failures - backoffAfter, 30), maxBackoffSeconds * 1000) : 0;
    savePinGuard(db, {
      scope: TERMINAL_SCOPE,
      failures,
      last_failure_at: now,
      next_attempt_at: waitMs > 0 ? now + waitMs : null,
      locked_until: lockedUntil,
      updated_at: now,
    });
    if (!wasLocked && lockedUntil !== null) {
      audit.append(SYSTEM_ACTOR, AUDIT_ACTIONS.locked, { scope: TERMINAL_SCOPE, until: lockedUntil, failures });
      this.deps.onTerminalLocked?.(failures);
    }
    return { failures, lockedUntil };
  }

  view(): TerminalPinLockView {
    const now = this.deps.clock.now();
    const row = this.current(now);
    return {
      failures: row.failures,
      lockedUntil: row.locked_until !== null && row.locked_until > now ? row.locked_until : null,
      waitUntil: row.next_attempt_at !== null && row.next_attempt_at > now ? row.next_attempt_at : null,
    };
  }

  /** A manager cleared the terminal's count, wait and lock (the caller checked the approval and audit-logs). */
  clear(): boolean {
    return clearPinGuard(this.deps.db, TERMINAL_SCOPE, this.deps.clock.now());
  }

  /** The stored state as it stands now: an ended lock is off; after a quiet lock-time the count starts again. */
  private current(now: number): PinGuardRow {
    const row = getPinGuard(this.deps.db, TERMINAL_SCOPE) ?? {
      scope: TERMINAL_SCOPE,
      failures: 0,
      last_failure_at: null,
      next_attempt_at: null,
      locked_until: null,
      updated_at: now,
    };
    const lockedUntil = row.locked_until !== null && row.locked_until > now ? row.locked_until : null;
    const quiet = row.last_failure_at === null || now - row.last_failure_at >= lockMs(this.deps.settings());
    return { ...row, locked_until: lockedUntil, failures: quiet && lockedUntil === null ? 0 : row.failures };
  }
}
