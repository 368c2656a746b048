import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export interface ItemRow {
  id: number;
  name: string;
  barcode: string | null;
  price_fen: number;
  quick: number;
  position: number;
  active: number;
  /** The quick key it holds (0 = A … 11 = L), null when it has none. */
  quick_key: number | null;
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
  /** The quick key the item holds (only an active quick item holds one); none when absent. */
  quickKey?: number | null;
}

const bit = (flag: boolean): number => (flag ? 1 : 0);

/** Inserts an item and returns its id. A barcode another item has throws SQLITE_CONSTRAINT_UNIQUE. */
export function insertItem(db: Database, fields: ItemRowFields, now: number): number {
  const result = db
    .prepare(
      `INSERT INTO items (name, barcode, price_fen, quick, position, active, quick_key, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(fields.name, fields.barcode, fields.priceFen, bit(fields.quick), fields.position, bit(fields.active), fields.quickKey ?? null, now, now);
  return Number(result.lastInsertRowid);
}

/** Replaces an item's fields; returns false when there is no such item. */
export function updateItem(db: Database, id: number, fields: ItemRowFields, now: number): boolean {
  const result = db
    .prepare('UPDATE items SET name = ?, barcode = ?, price_fen = ?, quick = ?, position = ?, active = ?, quick_key = ?, updated_at = ? WHERE id = ?')
    .run(fields.name, fields.barcode, fields.priceFen, bit(fields.quick), fields.position, bit(fields.active), fields.quickKey ?? null, now, id);
  return result.changes > 0;
}

/** Moves an item to another quick key (or none): the other half of a swap, when a manager moves an item onto it. */
export function setQuickKey(db: Database, id: number, quickKey: number | null, now: number): void {
  cachedStatement(db, 'UPDATE items SET quick_key = ?, updated_at = ? WHERE id = ?').run(quickKey, now, id);
}

/** The item holding a quick key, if any. */
export function getItemByQuickKey(db: Database, quickKey: number): ItemRow | undefined {
  return cachedStatement(db, 'SELECT * FROM items WHERE quick_key = ?').get(quickKey) as ItemRow | undefined;
}

/** The quick keys items hold now. */
export function heldQuickKeys(db: Database): Set<number> {
  const rows = cachedStatement(db, 'SELECT quick_key AS key FROM items WHERE quick_key IS NOT NULL').all() as { key: number }[];
  return new Set(rows.map((row) => row.key));
}

export function getItem(db: Database, id: number): ItemRow | undefined {
  return cachedStatement(db, 'SELECT * FROM items WHERE id = ?').get(id) as ItemRow | undefined;
}

/** The item with this barcode, active or not (a barcode belongs to one item at most). */
export function getItemByBarcode(db: Database, barcode: string): ItemRow | undefined {
  return cachedStatement(db, 'SELECT * FROM items WHERE barcode = ?').get(barcode) as ItemRow | undefined;
}

/** Every item (or only the active ones), quick items first by their key, then by position and name. */
export function listItems(db: Database, options: { includeInactive: boolean }): ItemRow[] {
  return db
    .prepare(
      `SELECT * FROM items WHERE (? = 1 OR active = 1)
       ORDER BY active DESC, quick DESC, quick_key IS NULL, quick_key, position, name, id`,
    )
    .all(bit(options.includeInactive)) as ItemRow[];
}

export function countItems(db: Database): number {
  return (cachedStatement(db, 'SELECT count(*) AS n FROM items').get() as { n: number }).n;
}
