import type { Migration } from '../migrate';

/**
 * Each person's language at the cashier window (issue 18: language is per window, and the cashier window follows
 * whoever signs in). NULL: the person never chose, and the window keeps the language it showed at sign-in.
 *
 * Kept at this counter only: the hub's staff reference (migration 0013) names, roles and PIN hashes and does not
 * carry a language, and the reference apply writes those columns by name, so a hub-managed person's choice
 * survives every pull. A person who works at two counters chooses once at each.
 */
export const migration0017StaffLanguage: Migration = {
  version: 17,
  name: '0017-staff-language',
  up(db) {
    db.exec(`ALTER TABLE users ADD COLUMN language TEXT CHECK (language IS NULL OR language IN ('zh-CN', 'en'));`);
  },
};
