import type { Migration } from '../migrate';

/**
 * PIN guessing, counted where a restart or someone else's right PIN cannot reset it (issue 17):
 * - `pin_guard`: wrong PINs per scope (today one scope, this terminal), the backoff before the next PIN may be
 *   checked, and the terminal lock. Per-person counts stay on `users`.
 * - `users.sandbox`: staff created while settings said sandbox; they do not carry into live mode.
 * - `risk_alerts` learns the kind 'pin-guessing' (a CHECK cannot be altered in place: the table is rebuilt, rows
 *   and index kept).
 */
export const migration0009PinGuard: Migration = {
  version: 9,
  name: '0009-pin-guard',
  up(db) {
    db.exec(`
      CREATE TABLE pin_guard (
        scope TEXT PRIMARY KEY CHECK (length(scope) BETWEEN 1 AND 64),
        failures INTEGER NOT NULL DEFAULT 0 CHECK (failures >= 0),
        last_failure_at INTEGER,
        -- No PIN is checked at this scope before this time (the backoff after repeated wrong PINs).
        next_attempt_at INTEGER,
        locked_until INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;

      ALTER TABLE users ADD COLUMN sandbox INTEGER NOT NULL DEFAULT 0 CHECK (sandbox IN (0, 1));
      UPDATE users SET sandbox = 1 WHERE demo = 1;

      CREATE TABLE risk_alerts_new (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('failed-scans', 'refund-burst', 'bill-unreadable', 'pin-guessing')),
        actor_id TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        window_ms INTEGER NOT NULL CHECK (window_ms > 0),
        at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      ) STRICT;
      INSERT INTO risk_alerts_new (id, kind, actor_id, count, window_ms, at, acknowledged_at, acknowledged_by)
        SELECT id, kind, actor_id, count, window_ms, at, acknowledged_at, acknowledged_by FROM risk_alerts;
      DROP TABLE risk_alerts;
      ALTER TABLE risk_alerts_new RENAME TO risk_alerts;
      CREATE INDEX risk_alerts_open ON risk_alerts (at) WHERE acknowledged_at IS NULL;
    `);
  },
};
