import type { Migration } from '../migrate';

/**
 * Reference data from the hub (issue 13, electron/hub-link/reference.ts): items and staff made at the hub are
 * rows of the counter's own `items` and `users` tables (old sales and shifts keep naming them), marked with the
 * hub's id so each later revision finds them again; `hub_reference` keeps the revision this counter holds and the
 * last store settings the hub sent (JSON), so a counter offline keeps working on its last copy and a crash
 * between the database and the settings file is repaired from it at the next start.
 */
export const migration0013HubReference: Migration = {
  version: 13,
  name: '0013-hub-reference',
  up(db) {
    db.exec(`
      ALTER TABLE items ADD COLUMN hub_item_id TEXT CHECK (hub_item_id IS NULL OR length(hub_item_id) BETWEEN 1 AND 64);
      CREATE UNIQUE INDEX items_hub_item_id ON items (hub_item_id) WHERE hub_item_id IS NOT NULL;
      ALTER TABLE users ADD COLUMN hub_staff_id TEXT CHECK (hub_staff_id IS NULL OR length(hub_staff_id) BETWEEN 1 AND 64);
      CREATE UNIQUE INDEX users_hub_staff_id ON users (hub_staff_id) WHERE hub_staff_id IS NOT NULL;

      CREATE TABLE hub_reference (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        revision INTEGER NOT NULL CHECK (revision >= 0),
        store TEXT CHECK (store IS NULL OR json_valid(store)),
        -- Which pepper wrapped the hub's PIN hashes here (PinHasher.wrapTag): another one (a restore onto a new
        -- install) makes the next pull ask for everything again, so the PINs verify with the pepper now here.
        pins_wrapped_with TEXT NOT NULL,
        -- Set once the first staff list with a manager or owner replaced the people made at this counter.
        local_staff_retired_at INTEGER,
        pulled_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};
