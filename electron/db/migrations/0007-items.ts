import type { Migration } from '../migrate';

/**
 * The store's item list: quick items on the cashier screen and products sold by barcode. Items are never deleted
 * (old sales name them): a manager deactivates one instead. A barcode belongs to at most one item, active or not,
 * so a scan never has two answers.
 */
export const migration0007Items: Migration = {
  version: 7,
  name: '0007-items',
  up(db) {
    db.exec(`
      CREATE TABLE items (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL CHECK (length(trim(name)) BETWEEN 1 AND 64),
        barcode TEXT CHECK (barcode IS NULL OR length(barcode) BETWEEN 3 AND 32),
        price_fen INTEGER NOT NULL CHECK (price_fen >= 0),
        quick INTEGER NOT NULL CHECK (quick IN (0, 1)),
        position INTEGER NOT NULL CHECK (position >= 0),
        active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE UNIQUE INDEX items_barcode ON items (barcode) WHERE barcode IS NOT NULL;
      CREATE INDEX items_quick ON items (position, id) WHERE quick = 1 AND active = 1;
    `);
  },
};
