import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate, MigrationError, type Migration } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations/index';
import { openDatabase } from '../../../electron/db/open';

describe('app migrations', () => {
  it('are numbered 1..n without gaps', () => {
    expect(appMigrations.map((m) => m.version)).toEqual(appMigrations.map((_, i) => i + 1));
  });

  for (const migration of appMigrations) {
    it(`${migration.name} applies on top of the previous ones and creates only STRICT tables`, () => {
      const db = new BetterSqlite3(':memory:');
      db.pragma('foreign_keys = ON');
      migrate(db, appMigrations.slice(0, migration.version - 1));
      const before = tableNames(db);
      migrate(db, appMigrations.slice(0, migration.version));
      expect(db.pragma('user_version', { simple: true })).toBe(migration.version);
      const added = tableNames(db).filter((t) => !before.includes(t));
      for (const table of added) {
        const sql = (db.prepare("SELECT sql FROM sqlite_master WHERE name = ?").get(table) as { sql: string }).sql;
        expect(sql, `${table} should be STRICT`).toMatch(/\)\s*STRICT/i);
      }
      expect(db.pragma('foreign_key_check')).toEqual([]);
      db.close();
    });
  }

  it('opens a file database in WAL mode with full synchronous writes and foreign keys on', () => {
    const db = openDatabase(':memory:', appMigrations);
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});

describe('migrate', () => {
  const create = (version: number, sql: string): Migration => ({ version, name: `m${version}`, up: (db) => db.exec(sql) });

  it('rolls a failing migration back entirely and keeps the previous version', () => {
    const db = new BetterSqlite3(':memory:');
    const migrations = [create(1, 'CREATE TABLE a (x INTEGER) STRICT'), create(2, 'CREATE TABLE b (y INTEGER) STRICT; SELECT * FROM missing')];
    expect(() => migrate(db, migrations)).toThrow();
    expect(db.pragma('user_version', { simple: true })).toBe(1);
    expect(tableNames(db)).toEqual(['a']);
  });

  it('refuses a database written by a newer app instead of damaging it', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('user_version = 7');
    expect(() => migrate(db, [create(1, 'CREATE TABLE a (x INTEGER) STRICT')])).toThrow(MigrationError);
  });

  it('refuses a list with a gap in its numbering', () => {
    const db = new BetterSqlite3(':memory:');
    expect(() => migrate(db, [create(1, 'SELECT 1'), create(3, 'SELECT 1')])).toThrow(/expected 2/);
  });

  it('applies nothing twice', () => {
    const db = new BetterSqlite3(':memory:');
    const migrations = [create(1, 'CREATE TABLE a (x INTEGER) STRICT')];
    migrate(db, migrations);
    expect(() => migrate(db, migrations)).not.toThrow();
  });
});

function tableNames(db: BetterSqlite3.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
}
