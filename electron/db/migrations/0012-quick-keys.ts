import type { Migration } from '../migrate';

/**
 * Quick keys that stay put (issue 18): each quick item holds its key (0 = A … 11 = L) until a manager moves it, so
 * adding or reordering items never re-letters the keys under a cashier's fingers. Before this the key was the
 * item's rank by `position`, so the items keep the letters they had: the active quick items in that order take
 * A, B, C… (the first twelve; the rest wait for a free key).
 */
export const migration0012QuickKeys: Migration = {
  version: 12,
  name: '0012-quick-keys',
  up(db) {
    db.exec(`
      ALTER TABLE items ADD COLUMN quick_key INTEGER CHECK (quick_key IS NULL OR (quick_key BETWEEN 0 AND 11 AND quick = 1 AND active = 1));
      UPDATE items SET quick_key = (
        SELECT rank FROM (
          SELECT id, row_number() OVER (ORDER BY position, id) - 1 AS rank FROM items WHERE quick = 1 AND active = 1
        ) AS ranked WHERE ranked.id = items.id AND ranked.rank < 12
      );
      CREATE UNIQUE INDEX items_quick_key ON items (quick_key) WHERE quick_key IS NOT NULL;
    `);
  },
};
