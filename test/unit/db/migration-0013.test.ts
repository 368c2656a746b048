import { describe, expect, it } from 'vitest';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0013HubReference } from '../../../electron/db/migrations/0013-hub-reference';
import { openDatabase } from '../../../electron/db/open';

describe('migration 0013-hub-reference', () => {
  it('keeps existing items and people (made here: no hub id) and adds the hub copy table', () => {
    expect(appMigrations[12]).toBe(migration0013HubReference);
    const db = openDatabase(':memory:', appMigrations.slice(0, 12));
    db.exec(`
      INSERT INTO items (name, barcode, price_fen, quick, position, active, created_at, updated_at) VALUES ('可乐', '6901234567892', 350, 1, 10, 1, 0, 0);
      INSERT INTO users (id, name, role, pin_hash, created_at, updated_at) VALUES ('u1', '老板', 'owner', 'scrypt$x', 0, 0);
    `);
    db.exec('PRAGMA user_version = 12');
    migration0013HubReference.up(db);
    expect(db.prepare('SELECT name, hub_item_id FROM items').all()).toEqual([{ name: '可乐', hub_item_id: null }]);
    expect(db.prepare('SELECT id, hub_staff_id FROM users').all()).toEqual([{ id: 'u1', hub_staff_id: null }]);
    const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'hub_reference'").get() as { sql: string };
    expect(table.sql).toMatch(/STRICT/);
  });

  it('allows one row per hub id and one copy row', () => {
    const db = openDatabase(':memory:', appMigrations);
    const item = db.prepare("INSERT INTO items (name, price_fen, quick, position, created_at, updated_at, hub_item_id) VALUES (?, 1, 0, 0, 0, 0, 'h1')");
    item.run('a');
    expect(() => item.run('b')).toThrow(/UNIQUE/);
    const copy = db.prepare("INSERT INTO hub_reference (id, revision, store, pins_wrapped_with, pulled_at) VALUES (?, 1, ?, 'none', 0)");
    expect(() => copy.run(1, 'not json')).toThrow(/CHECK/);
    copy.run(1, null);
    expect(() => copy.run(2, null)).toThrow(/CHECK/);
  });
});
