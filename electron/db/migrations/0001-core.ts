import type { Migration } from '../migrate';

/** Installation facts: the install id that keeps out_trade_no unique across reinstalls, first-run time... */
export const migration0001Core: Migration = {
  version: 1,
  name: '0001-core',
  up(db) {
    db.exec(`
      CREATE TABLE app_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;
    `);
  },
};
