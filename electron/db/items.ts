import type { Database } from 'better-sqlite3';

export interface ItemRow {
  id: number;
  name: string;
  barcode: string | null;
  price_fen: number;
  quick: number;
  position: number;
  active: number;
  created_at: number;
  updated_at: number;
}

/** The fields a manager sets; the row's id and times are the table's. */
export interface ItemRowFields {
  name: string;
  barcode: string | null;
  priceFen: number;
  quick: boolean;
  position: number;
  active: boolean;
}

const bit = (flag: boolean): number => (flag ? 1 : 0);

/** Inserts an item and returns its id. A barcode another item has throws SQLITE_CONSTRAINT_UNIQUE. */
export function insertItem(db: Database, fields: ItemRowFields, now: number): number {
  const result = db
    .prepare(
      `INSERT INTO items (name, barcode, price_fen, quick, position, active, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(fields.name, fields.barcode, fields.priceFen, bit(fields.quick), fields.position, bit(fields.active), now, now);
  return Number(result.lastInsertRowid);
}

/** Replaces an item's fields; returns false when there is no such item. */
export function updateItem(db: Database, id: number, fields: ItemRowFields, now: number): boolean {
  const result = db
    .prepare('UPDATE items SET name = ?, barcode = ?, price_fen = ?, quick = ?, position = ?, active = ?, updated_at = ? WHERE id = ?')
    .run(fields.name, fields.barcode, fields.priceFen, bit(fields.quick), fields.position, bit(fields.active), now, id);
  return result.changes > 0;
}

export function getItem(db: Database, id: number): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
}

/** The item with this barcode, active or not (a barcode belongs to one item at most). */
export function getItemByBarcode(db: Database, barcode: string): ItemRow | undefined {
  return db.prepare('SELECT * FROM items WHERE barcode = ?').get(barcode) as ItemRow | undefined;
}

/** Every item (or only the active ones), quick items first in their order, then by name. */
export function listItems(db: Database, options: { includeInactive: boolean }): ItemRow[] {
  return db
    .prepare(
      `SELECT * FROM items WHERE (? = 1 OR active = 1)
       ORDER BY active DESC, quick DESC, position, name, id`,
    )
    .all(bit(options.includeInactive)) as ItemRow[];
}

export function countItems(db: Database): number {
  return (db.prepare('SELECT count(*) AS n FROM items').get() as { n: number }).n;
}
