import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { getUser, insertUser } from '../../../electron/db/users';
import { SecurityError } from '../../../electron/security/errors';
import { hashPin, verifyPin } from '../../../electron/security/pin';
import { makeHarness, tempDir, TEST_SCRYPT, withStaff } from './fixture';

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'OK';
  } catch (error) {
    if (error instanceof SecurityError) return error.code;
    throw error;
  }
}

/** Issue 17, finding 11 (the PIN part): a copied database alone does not give up PINs. */
describe('PIN hashes peppered with a secret the database does not hold', () => {
  it('cannot be checked from the database alone: scrypt over the PIN does not match what is stored', () => {
    const h = makeHarness();
    const { cashierId } = withStaff(h);
    const stored = getUser(h.db, cashierId)?.pin_hash ?? '';
    expect(stored).toMatch(/^scrypt\$256\$8\$1\$[^$]+\$[^$]+\$k1$/);
    // What an attacker with a copy of pos.sqlite (or a backup) would try: every 4-digit PIN against the hash.
    const sixFields = stored.split('$').slice(0, 6).join('$');
    expect(verifyPin('4826', stored)).toBe(false);
    expect(verifyPin('4826', sixFields)).toBe(false);
    expect(h.security.auth.signIn('ws-1', cashierId, '4826').id).toBe(cashierId);
  });

  it('keeps PINs hashed before the pepper working, and peppers them at the next right PIN', () => {
    const h = makeHarness();
    withStaff(h);
    insertUser(h.db, { id: 'u-old', name: '老员工', role: 'cashier', pinHash: hashPin('5937', TEST_SCRYPT), demo: false, sandbox: false, mustChangePin: false, createdAt: 0 });
    expect(getUser(h.db, 'u-old')?.pin_hash.split('$')).toHaveLength(6);
    expect(h.security.auth.signInWithPin('ws-1', '5937').id).toBe('u-old');
    expect(getUser(h.db, 'u-old')?.pin_hash).toMatch(/\$k1$/);
    h.security.auth.signOut('ws-1');
    expect(h.security.auth.signInWithPin('ws-1', '5937').id).toBe('u-old');
  });

  it('does not verify on another install (another key): PINs must be set again, and the store says so', () => {
    const dataDir = tempDir('pepper-');
    const dbFile = join(dataDir, 'pos.sqlite');
    const home = makeHarness({ dbFile, dataDir });
    const { cashierId } = withStaff(home);
    expect(home.security.secrets.pinPepperState()).toBe('ready');
    home.db.close();
    // The same database file opened with another machine's key (a backup restored elsewhere).
    const elsewhere = makeHarness({ dbFile, dataDir: tempDir('pepper-other-') });
    expect(elsewhere.security.secrets.pinPepperState()).toBe('unreadable');
    expect(codeOf(() => elsewhere.security.auth.signIn('ws-1', cashierId, '4826'))).toBe('PIN_WRONG');
    // The unreadable pepper is never replaced silently (that would hide what happened)...
    expect(elsewhere.security.secrets.pinPepperState()).toBe('unreadable');
    expect(elsewhere.security.people.setupState()).toMatchObject({ needsOwner: true, pinsUnreadable: true });
  });

  it('lets the owner be created again after such a restore, with a new pepper, and the owner resets the others’ PINs', () => {
    const dataDir = tempDir('pepper-');
    const dbFile = join(dataDir, 'pos.sqlite');
    const home = makeHarness({ dbFile, dataDir });
    const { cashierId } = withStaff(home);
    home.db.close();
    const elsewhere = makeHarness({ dbFile, dataDir: tempDir('pepper-other-') });
    const owner = elsewhere.security.people.createOwner('新老板', '318526');
    expect(elsewhere.security.secrets.pinPepperState()).toBe('ready');
    expect(elsewhere.security.people.setupState()).toMatchObject({ needsOwner: false, pinsUnreadable: false });
    expect(elsewhere.security.audit.list(null, 1)[0]).toMatchObject({ action: 'setup.owner-created', details: { pinsReset: true } });
    expect(codeOf(() => elsewhere.security.people.createOwner('又一个', '951357'))).toBe('SETUP_DONE');
    expect(codeOf(() => elsewhere.security.auth.signIn('ws-1', cashierId, '4826'))).toBe('PIN_WRONG');
    const token = elsewhere.security.approvals.approve({ action: 'user-manage', pin: '318526', subject: `user:${cashierId}` }).token;
    elsewhere.security.people.resetPin(cashierId, '7294', token, { id: owner.id, name: owner.name });
    expect(elsewhere.security.auth.signIn('ws-1', cashierId, '7294').id).toBe(cashierId);
  });
});
