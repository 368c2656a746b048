import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0017StaffLanguage } from '../../../electron/db/migrations/0017-staff-language';
import { openDatabase } from '../../../electron/db/open';
import { getUser, insertUser, setUserLanguage } from '../../../electron/db/users';

describe('migration 0017-staff-language', () => {
  it('is version 17 in the app list', () => {
    expect(appMigrations[16]).toBe(migration0017StaffLanguage);
  });

  it('gives every person a cashier-window language, unset for people who existed before, and refuses unknown languages', () => {
    const db = openDatabase(':memory:', appMigrations.slice(0, 16));
    insertUser(db, { id: 'u1', name: '李收银', role: 'cashier', pinHash: 'scrypt$x', demo: false, mustChangePin: false, createdAt: 1, sandbox: false });
    migrate(db, appMigrations);
    expect(getUser(db, 'u1')?.language).toBeNull();
    setUserLanguage(db, 'u1', 'en');
    expect(getUser(db, 'u1')?.language).toBe('en');
    expect(() => db.prepare("UPDATE users SET language = 'fr' WHERE id = 'u1'").run()).toThrow(/CHECK/);
    db.close();
  });
});
