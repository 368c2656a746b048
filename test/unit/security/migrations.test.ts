import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { securityMigrations } from './fixture';

describe('security migrations 0004 and 0005', () => {
  for (const version of [4, 5]) {
    it(`version ${version} applies on top of the previous ones and creates only STRICT tables`, () => {
      const db = new BetterSqlite3(':memory:');
      db.pragma('foreign_keys = ON');
      const all = securityMigrations();
      migrate(db, all.slice(0, version - 1));
      const before = tables(db);
      migrate(db, all.slice(0, version));
      expect(db.pragma('user_version', { simple: true })).toBe(version);
      const added = tables(db).filter((t) => !before.includes(t));
      expect(added.length).toBeGreaterThan(0);
      for (const table of added) {
        const sql = (db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(table) as { sql: string }).sql;
        expect(sql, table).toMatch(/\)\s*STRICT/i);
      }
      db.close();
    });
  }

  it('refuse a PIN stored any way but as a scrypt hash, and an unknown secret field', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, securityMigrations());
    expect(() =>
      db.prepare("INSERT INTO users (id, name, role, pin_hash, created_at, updated_at) VALUES ('u', 'n', 'cashier', '1234', 0, 0)").run(),
    ).toThrow(/CHECK/);
    expect(() =>
      db.prepare("INSERT INTO secrets (field, ciphertext, cipher, summary_zh, summary_en, updated_at, updated_by) VALUES ('mchPassword', x'00', 'c', '', '', 0, 'u')").run(),
    ).toThrow(/CHECK/);
  });
});

function tables(db: BetterSqlite3.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}
