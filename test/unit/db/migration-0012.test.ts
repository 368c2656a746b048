import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../electron/db/migrate';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0012QuickKeys } from '../../../electron/db/migrations/0012-quick-keys';

describe('migration 0012-quick-keys', () => {
  it('migrates an existing list to the letters the counter showed: active quick items by position, twelve at most', () => {
    const db = new BetterSqlite3(':memory:');
    migrate(db, appMigrations.slice(0, appMigrations.indexOf(migration0012QuickKeys)));
    const insert = db.prepare('INSERT INTO items (name, barcode, price_fen, quick, position, active, created_at, updated_at) VALUES (?, NULL, 100, ?, ?, ?, 0, 0)');
    insert.run('可乐', 1, 20, 1);
    insert.run('矿泉水', 1, 10, 1);
    insert.run('旧货', 1, 5, 0);
    insert.run('散装', 0, 1, 1);
    for (let i = 0; i < 12; i += 1) insert.run(`商品${i}`, 1, 100 + i, 1);
    migrate(db, appMigrations);
    const keys = db.prepare('SELECT name, quick_key AS key FROM items WHERE quick_key IS NOT NULL ORDER BY quick_key').all() as { name: string; key: number }[];
    expect(keys.map((k) => k.name).slice(0, 3)).toEqual(['矿泉水', '可乐', '商品0']);
    expect(keys).toHaveLength(12);
    // The database itself refuses a key on an item off sale, and a second holder of a key.
    expect(() => db.prepare("UPDATE items SET quick_key = 11 WHERE name = '旧货'").run()).toThrow(/CHECK/);
    expect(() => db.prepare("UPDATE items SET quick_key = 0 WHERE name = '可乐'").run()).toThrow(/UNIQUE/);
    db.close();
  });
});
