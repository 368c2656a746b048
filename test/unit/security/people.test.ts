import { describe, expect, it } from 'vitest';
import { getUser } from '../../../electron/db/users';
import { SecurityError } from '../../../electron/security/errors';
import { DEMO_USERS } from '../../../electron/security/people';
import { makeHarness, waitOutBackoff, withStaff } from './fixture';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof SecurityError) return error.code;
    throw error;
  }
  return 'OK';
}

describe('first run', () => {
  it('needs an owner on a new live install, and allows creating one exactly once', () => {
    const h = makeHarness();
    expect(h.security.people.setupState()).toEqual({ needsOwner: true, demoUsersActive: false, pinsUnreadable: false });
    expect(codeOf(() => h.security.people.createOwner('老板', '1234'))).toBe('PIN_WEAK');
    const owner = h.security.people.createOwner('老板', '246813');
    expect(owner).toMatchObject({ role: 'owner', active: true, demo: false, mustChangePin: false });
    expect(h.security.people.setupState().needsOwner).toBe(false);
    expect(codeOf(() => h.security.people.createOwner('另一个老板', '592716'))).toBe('SETUP_DONE');
    expect(h.security.audit.list(null, 1)[0]).toMatchObject({ action: 'setup.owner-created', actorId: owner.id });
  });

  it('seeds the demo cashier 1111 and demo manager 9999 in sandbox mode only, flagged demo', () => {
    const live = makeHarness({ demo: false });
    expect(live.security.people.seedDemoUsers()).toBe(false);
    const sandbox = makeHarness({ demo: true });
    expect(sandbox.security.people.seedDemoUsers()).toBe(true);
    expect(sandbox.security.people.seedDemoUsers()).toBe(false);
    expect(sandbox.security.people.list().map((u) => [u.id, u.role, u.demo])).toEqual([
      ['demo-manager', 'manager', true],
      ['demo-cashier', 'cashier', true],
    ]);
    expect(sandbox.security.auth.signIn('ws-1', 'demo-cashier', '1111').role).toBe('cashier');
    expect(sandbox.security.approvals.approve({ action: 'refund', pin: '9999' }).managerId).toBe('demo-manager');
    expect(sandbox.security.people.setupState()).toEqual({ needsOwner: true, demoUsersActive: true, pinsUnreadable: false });
  });

  it('refuses the demo accounts once the app is no longer in sandbox mode, and switches them off when going live', () => {
    const h = makeHarness({ demo: true });
    h.security.people.seedDemoUsers();
    h.security.auth.signIn('ws-1', 'demo-cashier', '1111');
    h.demo.allowed = false;
    expect(h.security.auth.current('ws-1')).toBeNull();
    expect(codeOf(() => h.security.auth.signIn('ws-1', 'demo-cashier', '1111'))).toBe('DEMO_USER');
    expect(codeOf(() => h.security.approvals.approve({ action: 'refund', pin: '9999' }))).toBe('PIN_WRONG');
    expect(h.security.people.goneLive()).toBe(DEMO_USERS.length);
    expect(h.security.people.list().every((u) => !u.active)).toBe(true);
  });
});

describe('staff accounts', () => {
  it('keeps only a salted hash of the PIN', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const row = getUser(h.db, cashierId);
    expect(row?.pin_hash).toMatch(/^scrypt\$256\$8\$1\$/);
    expect(JSON.stringify(row)).not.toContain('4826');
    expect(JSON.stringify(h.security.people.list())).not.toMatch(/scrypt|pin_hash|4826/);
  });

  it('gives no two people the same PIN, without saying whose it is', () => {
    const h = makeHarness();
    const { ownerId, approve } = withStaff(h);
    const error = (() => {
      try {
        h.security.people.createUser({ name: '赵店长', role: 'manager', pin: '135792' }, approve('user-manage'), { id: ownerId, name: '老板' });
      } catch (e) {
        return e as SecurityError;
      }
      return null;
    })();
    expect(error?.code).toBe('PIN_UNAVAILABLE');
    expect(error?.message).not.toMatch(/王店长|135792/);
  });

  it('gives no two cashiers the same PIN either (a PIN alone signs a person in)', () => {
    const h = makeHarness();
    const { ownerId, approve } = withStaff(h);
    expect(codeOf(() => h.security.people.createUser({ name: '小张', role: 'cashier', pin: '4826' }, approve('user-manage'), { id: ownerId, name: '老板' }))).toBe(
      'PIN_UNAVAILABLE',
    );
  });

  it('refuses a second active person of the same name', () => {
    const h = makeHarness();
    const { ownerId, approve } = withStaff(h);
    expect(codeOf(() => h.security.people.createUser({ name: '李收银', role: 'cashier', pin: '5937' }, approve('user-manage'), { id: ownerId, name: '老板' }))).toBe(
      'NAME_TAKEN',
    );
  });

  it('makes a reset PIN temporary: the person must choose a new one', () => {
    const h = makeHarness();
    const { cashierId, managerId, approve } = withStaff(h);
    const reset = h.security.people.resetPin(cashierId, '5937', approve('user-manage', '135792'), { id: managerId, name: '王店长' });
    expect(reset.mustChangePin).toBe(true);
    expect(h.security.auth.signIn('ws-1', cashierId, '5937').mustChangePin).toBe(true);
    expect(codeOf(() => h.security.people.changeOwnPin(cashierId, '5937', '5937'))).toBe('PIN_UNCHANGED');
    expect(h.security.people.changeOwnPin(cashierId, '5937', '6048').mustChangePin).toBe(false);
    expect(h.security.auth.signIn('ws-1', cashierId, '6048').id).toBe(cashierId);
  });

  it('counts a wrong old PIN when changing one’s PIN towards the lock', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    for (let i = 0; i < 4; i += 1) {
      waitOutBackoff(h);
      expect(codeOf(() => h.security.people.changeOwnPin(cashierId, '0000', '6048'))).toBe('PIN_WRONG');
    }
    waitOutBackoff(h);
    expect(codeOf(() => h.security.people.changeOwnPin(cashierId, '0000', '6048'))).toBe('USER_LOCKED');
  });

  it('keeps at least one active owner', () => {
    const h = makeHarness();
    const { ownerId, approve } = withStaff(h);
    expect(codeOf(() => h.security.people.setActive(ownerId, false, approve('user-manage'), { id: ownerId, name: '老板' }))).toBe('LAST_OWNER');
  });
});
