import { describe, expect, it } from 'vitest';
import { insertItem, getItem, getItemByBarcode, listItems, updateItem } from '../../../electron/db/items';
import { appMigrations } from '../../../electron/db/migrations';
import { migration0007Items } from '../../../electron/db/migrations/0007-items';
import { openDatabase } from '../../../electron/db/open';

const water = { name: '矿泉水', barcode: '6901234560011', priceFen: 200, quick: true, position: 10, active: true };

describe('migration 0007-items', () => {
  it('is version 7 in the app list and creates a strict items table', () => {
    expect(appMigrations[6]).toBe(migration0007Items);
    const db = openDatabase(':memory:', appMigrations);
    const table = db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'items'").get() as { sql: string } | undefined;
    expect(table?.sql).toMatch(/\) STRICT$/);
    db.close();
  });

  it('refuses a second item with the same barcode, but any number of items without one', () => {
    const db = openDatabase(':memory:', appMigrations);
    insertItem(db, water, 0);
    expect(() => insertItem(db, { ...water, name: '另一个水' }, 0)).toThrow(/UNIQUE/);
    insertItem(db, { ...water, name: '散装糖果', barcode: null }, 0);
    insertItem(db, { ...water, name: '手工饼', barcode: null }, 0);
    expect(listItems(db, { includeInactive: true }).map((i) => i.name).sort()).toEqual(['手工饼', '散装糖果', '矿泉水'].sort());
    db.close();
  });

  it('refuses impossible rows: a negative price, an empty name, a quick flag that is not 0/1, a float price', () => {
    const db = openDatabase(':memory:', appMigrations);
    expect(() => insertItem(db, { ...water, priceFen: -1 }, 0)).toThrow(/CHECK/);
    expect(() => insertItem(db, { ...water, name: '  ' }, 0)).toThrow(/CHECK/);
    const raw = db.prepare('INSERT INTO items (name, barcode, price_fen, quick, position, active, created_at, updated_at) VALUES (?, NULL, ?, ?, 0, 1, 0, 0)');
    expect(() => raw.run('x', 100, 2)).toThrow(/CHECK/);
    expect(() => raw.run('x', 1.5, 0)).toThrow(/datatype|INTEGER/i);
    db.close();
  });

  it('reads items back by id and barcode, updates them in place and lists only active ones unless asked', () => {
    const db = openDatabase(':memory:', appMigrations);
    const id = insertItem(db, water, 1000);
    expect(getItemByBarcode(db, '6901234560011')?.id).toBe(id);
    expect(updateItem(db, id, { ...water, priceFen: 250, active: false }, 2000)).toBe(true);
    expect(getItem(db, id)).toMatchObject({ price_fen: 250, active: 0, created_at: 1000, updated_at: 2000 });
    expect(updateItem(db, id + 1, water, 2000)).toBe(false);
    expect(listItems(db, { includeInactive: false })).toEqual([]);
    expect(listItems(db, { includeInactive: true })).toHaveLength(1);
    db.close();
  });
});
