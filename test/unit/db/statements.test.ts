import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { cachedStatement, cachedStatementCount, STATEMENT_CACHE_LIMIT } from '../../../electron/db/statements';
import { takeNextSequence } from '../../../electron/db/sequences';
import { appMigrations } from '../../../electron/db/migrations/index';
import { openDatabase } from '../../../electron/db/open';

function memoryDb(): BetterSqlite3.Database {
  const db = new BetterSqlite3(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT) STRICT');
  return db;
}

describe('cached prepared statements', () => {
  it('prepares one SQL text once per database and hands back the same statement', () => {
    const db = memoryDb();
    const first = cachedStatement(db, 'SELECT v FROM t WHERE id = ?');
    expect(cachedStatement(db, 'SELECT v FROM t WHERE id = ?')).toBe(first);
    expect(cachedStatementCount(db)).toBe(1);
    db.close();
  });

  it('keeps each database’s statements apart', () => {
    const a = memoryDb();
    const b = memoryDb();
    cachedStatement(a, "INSERT INTO t (v) VALUES ('in a')").run();
    expect(cachedStatement(b, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    expect(cachedStatement(a, 'SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 1 });
    expect(cachedStatement(a, 'SELECT COUNT(*) AS n FROM t')).not.toBe(cachedStatement(b, 'SELECT COUNT(*) AS n FROM t'));
    a.close();
    b.close();
  });

  it('still sees the schema after a migration changed the table under a cached statement', () => {
    const db = memoryDb();
    cachedStatement(db, "INSERT INTO t (v) VALUES ('x')").run();
    expect(cachedStatement(db, 'SELECT * FROM t').all()).toEqual([{ id: 1, v: 'x' }]);
    db.exec("ALTER TABLE t ADD COLUMN w TEXT NOT NULL DEFAULT 'new'");
    expect(cachedStatement(db, 'SELECT * FROM t').all()).toEqual([{ id: 1, v: 'x', w: 'new' }]);
    db.close();
  });

  it('rolls back with the transaction it ran in, like an uncached statement', () => {
    const db = memoryDb();
    const insert = (v: string): void => void cachedStatement(db, 'INSERT INTO t (v) VALUES (?)').run(v);
    expect(() =>
      db.transaction(() => {
        insert('kept?');
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    insert('kept');
    expect(cachedStatement(db, 'SELECT v FROM t').all()).toEqual([{ v: 'kept' }]);
    db.close();
  });

  it('stops caching beyond the limit but still answers (SQL built from varying parts cannot grow it forever)', () => {
    const db = memoryDb();
    for (let i = 0; i < STATEMENT_CACHE_LIMIT + 10; i++) {
      expect(cachedStatement(db, `SELECT ${i} AS n`).get()).toEqual({ n: i });
    }
    expect(cachedStatementCount(db)).toBe(STATEMENT_CACHE_LIMIT);
    db.close();
  });

  it('serves the table modules: a receipt counter keeps counting through its cached statement', () => {
    const db = openDatabase(':memory:', appMigrations);
    expect([takeNextSequence(db, 'receipt:T1'), takeNextSequence(db, 'receipt:T1'), takeNextSequence(db, 'receipt:T2')]).toEqual([1, 2, 1]);
    expect(cachedStatementCount(db)).toBe(1);
    db.close();
  });
});
