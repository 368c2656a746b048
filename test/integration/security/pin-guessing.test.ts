import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecurityError } from '../../../electron/security/errors';
import { makeHarness, tempDir, withStaff, type Harness } from '../../unit/security/fixture';

/**
 * Issue 17, findings 3 and 4, against a real SQLite file: wrong PINs are counted per terminal (PIN typed alone)
 * and per person (PIN with a name), someone's right PIN does not give a guesser new tries, the count survives a
 * restart, waits grow, a manager is alerted and can still sign in and clear the lock.
 */
function outcome(h: Harness, attempt: () => unknown): string {
  // A patient guesser: whenever the terminal says wait, wait (the clock is moved on) and type again.
  for (let waited = 0; waited < 3600; waited += 1) {
    try {
      attempt();
      return 'OK';
    } catch (error) {
      if (!(error instanceof SecurityError)) throw error;
      if (error.code !== 'PIN_WAIT') return error.code;
      h.clock.advance(1_000);
    }
  }
  throw new Error('still waiting after an hour');
}

function onDisk(): { dbFile: string; dataDir: string } {
  const dataDir = tempDir('pin-guessing-');
  return { dbFile: join(dataDir, 'pos.sqlite'), dataDir };
}

describe('guessing PINs at the PIN screen', () => {
  it('gives a guesser no new tries when they sign in with their own PIN between guesses: the terminal locks at five wrong PINs', () => {
    const h = makeHarness(onDisk());
    withStaff(h);
    const codes: string[] = [];
    // The attack from the issue: four guesses at the manager's PIN, sign in with one's own, sign out, repeat.
    for (let round = 0; round < 3; round += 1) {
      for (let guess = 0; guess < 4; guess += 1) codes.push(outcome(h, () => h.security.auth.signInWithPin('ws-1', `10000${round}${guess}`)));
      codes.push(outcome(h, () => h.security.auth.signInWithPin('ws-1', '4826')));
      h.security.auth.signOut('ws-1');
    }
    expect(codes.slice(0, 5)).toEqual(['PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'PIN_WRONG', 'OK']);
    expect(codes[5]).toBe('SIGN_IN_LOCKED');
    // While locked, the cashier's own PIN is refused exactly like a wrong one: the guesser learns nothing.
    expect(codes.slice(6)).not.toContain('OK');
    expect(codes.slice(6)).not.toContain('PIN_WRONG');
  });

  it('keeps the count and the lock over a restart', () => {
    const disk = onDisk();
    const first = makeHarness(disk);
    withStaff(first);
    for (let i = 0; i < 3; i += 1) outcome(first, () => first.security.auth.signInWithPin('ws-1', '500001'));
    first.db.close();
    const second = makeHarness(disk);
    second.clock.set(first.clock.now());
    expect(outcome(second, () => second.security.auth.signInWithPin('ws-1', '500002'))).toBe('PIN_WRONG');
    expect(outcome(second, () => second.security.auth.signInWithPin('ws-1', '500003'))).toBe('SIGN_IN_LOCKED');
    second.db.close();
    const third = makeHarness(disk);
    third.clock.set(second.clock.now() + 60_000);
    expect(outcome(third, () => third.security.auth.signInWithPin('ws-1', '4826'))).toBe('SIGN_IN_LOCKED');
  });

  it('makes each wrong PIN after the third wait longer before the next is even checked (1 s, 2 s, 4 s …, at most a minute)', () => {
    const h = makeHarness(onDisk());
    withStaff(h);
    const waits: number[] = [];
    for (let i = 0; i < 10; i += 1) {
      const before = h.clock.now();
      outcome(h, () => h.security.auth.signInWithPin('ws-1', '700000'));
      waits.push(Math.round((h.clock.now() - before) / 1000));
    }
    expect(waits).toEqual([0, 0, 0, 1, 2, 4, 8, 16, 32, 60]);
    // During the wait even the right PIN is not looked at.
    try {
      h.security.auth.signIn('ws-1', withStaffIds(h).cashierId, '4826');
      throw new Error('signed in during the wait');
    } catch (error) {
      expect((error as SecurityError).code).toBe('PIN_WAIT');
      expect((error as SecurityError).reason.zh).toMatch(/请 60 秒后再试/);
    }
  });

  it('spends one budget on sign-in and approvals: three wrong sign-ins and two wrong approval PINs lock the terminal', () => {
    const h = makeHarness(onDisk());
    withStaff(h);
    for (let i = 0; i < 3; i += 1) expect(outcome(h, () => h.security.auth.signInWithPin('ws-1', '800000'))).toBe('PIN_WRONG');
    expect(outcome(h, () => h.security.approvals.approve({ action: 'refund', pin: '800001' }))).toBe('PIN_WRONG');
    expect(outcome(h, () => h.security.approvals.approve({ action: 'refund', pin: '800002' }))).toBe('SIGN_IN_LOCKED');
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-1', '4826'))).toBe('SIGN_IN_LOCKED');
  });

  it('counts wrong PINs given with a name against that person and the terminal, and raises a manager alert for each lock', () => {
    const alerts: string[] = [];
    const h = makeHarness({ ...onDisk(), onAlert: (alert) => alerts.push(`${alert.kind}:${alert.actorId}`) });
    const { managerId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) outcome(h, () => h.security.auth.signIn('ws-1', managerId, '900000'));
    expect(outcome(h, () => h.security.auth.signIn('ws-1', managerId, '135792'))).toBe('USER_LOCKED');
    expect(alerts).toEqual(['pin-guessing:terminal', `pin-guessing:${managerId}`]);
    expect(h.security.risk.listAlerts(true).map((a) => a.kind)).toEqual(['pin-guessing', 'pin-guessing']);
    expect(h.security.risk.listAlerts(true)[1]?.message.zh).toMatch(/本终端 PIN 错误 5 次/);
  });
});

describe('the terminal lock does not shut the counter', () => {
  it('still takes a manager’s PIN during the lock, at the PIN screen and for approvals', () => {
    const h = makeHarness(onDisk());
    const { managerId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) outcome(h, () => h.security.auth.signInWithPin('ws-1', '300000'));
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-1', '4826'))).toBe('SIGN_IN_LOCKED');
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-2', '135792'))).toBe('OK');
    expect(h.security.auth.current('ws-2')?.id).toBe(managerId);
    expect(outcome(h, () => h.security.approvals.approve({ action: 'refund', pin: '135792' }))).toBe('OK');
  });

  it('keeps a manager under their own lock during the terminal lock', () => {
    const h = makeHarness(onDisk());
    const { managerId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) outcome(h, () => h.security.auth.signIn('ws-1', managerId, '300000'));
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-2', '135792'))).toBe('SIGN_IN_LOCKED');
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-2', '246813'))).toBe('OK');
  });

  it('lets a manager clear the terminal lock with an approval, audit-logged; cashiers sign in again', () => {
    const h = makeHarness(onDisk());
    const { ownerId } = withStaff(h);
    for (let i = 0; i < 5; i += 1) outcome(h, () => h.security.auth.signInWithPin('ws-1', '300000'));
    expect(h.security.people.terminalLock()).toMatchObject({ failures: 5 });
    expect(h.security.people.terminalLock().lockedUntil).toBeGreaterThan(h.clock.now());
    let token = '';
    expect(outcome(h, () => (token = h.security.approvals.approve({ action: 'user-manage', pin: '246813', subject: 'pin-lock:terminal' }).token))).toBe('OK');
    expect(h.security.people.clearTerminalLock(token, { id: ownerId, name: '老板' })).toEqual({ failures: 0, lockedUntil: null, waitUntil: null });
    expect(h.security.audit.list(null, 5).find((e) => e.action === 'pin.terminal-unlocked')).toMatchObject({ actorId: ownerId, details: { failures: 5 } });
    expect(outcome(h, () => h.security.auth.signInWithPin('ws-1', '4826'))).toBe('OK');
  });
});

function withStaffIds(h: Harness): { cashierId: string } {
  const cashier = h.security.people.list().find((u) => u.role === 'cashier');
  if (!cashier) throw new Error('no cashier');
  return { cashierId: cashier.id };
}
