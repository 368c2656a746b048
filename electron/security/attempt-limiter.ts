import type { Clock } from '../../shared/clock';
import { SecurityError } from './errors';
import { formatLockedUntil } from './pin-check';
import { lockMs, type SecuritySettings } from './security-settings';

/**
 * Wrong PINs typed without naming a person (PIN-only sign-in, PIN-only approval): there is nobody to lock, so
 * this terminal's PIN-only entry is locked instead, for the same count and time as a person. Kept in memory:
 * a restart clears it, which needs access to the computer, not just the keypad.
 */
export class AttemptLimiter {
  private failures = 0;
  private lockedUntil = 0;

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => SecuritySettings,
    private readonly code: string,
  ) {}

  /** Throws while locked. */
  check(): void {
    const now = this.clock.now();
    if (this.lockedUntil > now) throw new SecurityError(this.code, formatLockedUntil(this.lockedUntil, now));
  }

  /** Counts a wrong PIN; returns the lock's end when this one locked, else null. */
  fail(): number | null {
    const settings = this.settings();
    this.failures += 1;
    if (this.failures < settings.lockout.maxAttempts) return null;
    this.failures = 0;
    this.lockedUntil = this.clock.now() + lockMs(settings);
    return this.lockedUntil;
  }

  succeed(): void {
    this.failures = 0;
  }

  remaining(): number {
    return this.settings().lockout.maxAttempts - this.failures;
  }
}
