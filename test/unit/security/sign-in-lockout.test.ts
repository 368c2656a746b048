import { describe, expect, it } from 'vitest';
import { SecurityError } from '../../../electron/security/errors';
import { makeHarness, waitOutBackoff, withStaff, type Harness } from './fixture';

/** The outcome's code, after the terminal's backoff wait (tested on its own in pin-guessing.test.ts). */
function codeOf(fn: () => unknown, h?: Harness): string {
  if (h) waitOutBackoff(h);
  try {
    fn();
  } catch (error) {
    if (error instanceof SecurityError) return error.code;
    throw error;
  }
  return 'OK';
}

describe('signing in with a PIN', () => {
  it('signs the person in at that window and records it in the audit log', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const user = h.security.auth.signIn('ws-1', cashierId, '4826');
    expect(user).toMatchObject({ id: cashierId, name: '李收银', role: 'cashier', lastSignInAt: h.clock.now() });
    expect(h.security.auth.current('ws-1')).toEqual({ id: cashierId, name: '李收银', role: 'cashier' });
    expect(h.security.auth.current('ws-2')).toBeNull();
    expect(h.security.audit.list(null, 1)[0]).toMatchObject({ action: 'user.sign-in', actorId: cashierId });
  });

  it('locks a user after five wrong PINs, refuses even the right PIN while locked, and lets them in after 15 minutes', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const codes = Array.from({ length: 5 }, () => codeOf(() => h.security.auth.signIn('ws-1', cashierId, '9999'), h));
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'USER_LOCKED']);
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'))).toBe('USER_LOCKED');
    h.clock.advance(14 * 60_000 + 59_000);
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'))).toBe('USER_LOCKED');
    h.clock.advance(1_000);
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('OK');
  });

  it('tells how many tries are left and how long the lock lasts, in both languages', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const errors: SecurityError[] = [];
    for (let i = 0; i < 5; i += 1) {
      waitOutBackoff(h);
      try {
        h.security.auth.signIn('ws-1', cashierId, '0000');
      } catch (error) {
        errors.push(error as SecurityError);
      }
    }
    expect(errors[0]?.reason).toEqual({ zh: 'PIN 错误，还可再试 4 次', en: 'Wrong PIN: 4 more tries before the lock' });
    expect(errors[4]?.reason.zh).toMatch(/已锁定，请 15 分钟后再试/);
  });

  it('counts wrong PINs in a row only: a right PIN starts the count again', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    for (let i = 0; i < 4; i += 1) codeOf(() => h.security.auth.signIn('ws-1', cashierId, '0000'), h);
    h.security.pinGuard.clear();
    h.security.auth.signIn('ws-1', cashierId, '4826');
    for (let i = 0; i < 4; i += 1) expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '0000'), h)).toBe('PIN_WRONG');
  });

  it('uses the configured attempts and lock time', () => {
    const h = makeHarness();
    h.settings.lockout.maxAttempts = 3;
    h.settings.lockout.lockMinutes = 60;
    const { cashierId } = withStaff(h);
    for (let i = 0; i < 3; i += 1) codeOf(() => h.security.auth.signIn('ws-1', cashierId, '0000'), h);
    h.clock.advance(59 * 60_000);
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('USER_LOCKED');
    h.clock.advance(60_000);
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('OK');
  });

  it('writes sign-in failures and the lock to the audit log, without the PINs', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) codeOf(() => h.security.auth.signIn('ws-1', cashierId, '7391'), h);
    const entries = h.security.audit.list(null, 10);
    expect(entries.filter((e) => e.action === 'user.sign-in-failed')).toHaveLength(5);
    expect(entries.find((e) => e.action === 'user.locked' && e.details.userId === cashierId)).toMatchObject({ details: { userId: cashierId, failures: 5 } });
    expect(JSON.stringify(entries)).not.toContain('7391');
  });

  it('lets a manager unlock a locked user with an approval', () => {
    const h = makeHarness();
    const { cashierId, managerId, approve } = withStaff(h);
    for (let i = 0; i < 5; i += 1) codeOf(() => h.security.auth.signIn('ws-1', cashierId, '0000'), h);
    waitOutBackoff(h);
    h.security.people.unlock(cashierId, approve('user-manage', '135792'), { id: managerId, name: '王店长' });
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('OK');
  });

  it('ends the session of someone who was switched off', () => {
    const h = makeHarness();
    const { cashierId, ownerId, approve } = withStaff(h);
    h.security.auth.signIn('ws-1', cashierId, '4826');
    h.security.people.setActive(cashierId, false, approve('user-manage'), { id: ownerId, name: '老板' });
    expect(h.security.auth.current('ws-1')).toBeNull();
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('USER_INACTIVE');
  });

  it('refuses a cashier where a manager must be signed in', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    h.security.auth.signIn('ws-1', cashierId, '4826');
    expect(codeOf(() => h.security.auth.requireSignedIn('ws-1', 'manager'), h)).toBe('FORBIDDEN');
    expect(codeOf(() => h.security.auth.requireSignedIn('ws-9'), h)).toBe('NOT_SIGNED_IN');
  });
});

describe('signing in with the PIN alone', () => {
  it('finds the person by their PIN', () => {
    const h = makeHarness();
    const { managerId } = withStaff(h);
    expect(h.security.auth.signInWithPin('ws-1', '135792')).toMatchObject({ id: managerId, role: 'manager' });
    expect(h.security.auth.current('ws-1')?.id).toBe(managerId);
  });

  it('locks PIN-only sign-in on this terminal after five wrong PINs, while signing in by name still works', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const codes = Array.from({ length: 5 }, () => codeOf(() => h.security.auth.signInWithPin('ws-1', '5050'), h));
    expect(codes).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'SIGN_IN_LOCKED']);
    expect(codeOf(() => h.security.auth.signInWithPin('ws-1', '4826'), h)).toBe('SIGN_IN_LOCKED');
    expect(codeOf(() => h.security.auth.signIn('ws-1', cashierId, '4826'), h)).toBe('OK');
    h.clock.advance(15 * 60_000);
    expect(codeOf(() => h.security.auth.signInWithPin('ws-1', '4826'), h)).toBe('OK');
    expect(h.security.audit.list(null, 20).some((e) => e.action === 'user.locked' && e.details.scope === 'terminal')).toBe(true);
  });

  it('does not let a person locked by name in through the PIN-only door', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) codeOf(() => h.security.auth.signIn('ws-1', cashierId, '0000'), h);
    // Five wrong PINs by name also spent the terminal's budget: PIN-only entry takes managers only now.
    expect(codeOf(() => h.security.auth.signInWithPin('ws-1', '4826'), h)).toBe('SIGN_IN_LOCKED');
  });
});
