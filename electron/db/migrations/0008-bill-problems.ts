import type { Migration } from '../migrate';

/**
 * A downloaded bill the app could not read: kept per day with where it failed (line of the file, column name),
 * the reason, the raw file's path (kept for support) and its SHA-1, so the manager sees the problem instead of a
 * silent retry. Risk alerts gain the kind 'bill-unreadable' (SQLite cannot change a CHECK in place: the table is
 * rebuilt with its rows and index).
 */
export const migration0008BillProblems: Migration = {
  version: 8,
  name: '0008-bill-problems',
  up(db) {
    db.exec(`
      CREATE TABLE bill_problems (
        bill_date TEXT PRIMARY KEY CHECK (bill_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        kind TEXT NOT NULL CHECK (kind IN ('unreadable', 'deadline')),
        line INTEGER CHECK (line IS NULL OR line >= 1),
        column_name TEXT,
        message TEXT NOT NULL CHECK (length(message) > 0),
        raw_path TEXT,
        sha1 TEXT,
        detected_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE risk_alerts_rebuilt (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('failed-scans', 'refund-burst', 'bill-unreadable')),
        actor_id TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        window_ms INTEGER NOT NULL CHECK (window_ms > 0),
        at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      ) STRICT;
      INSERT INTO risk_alerts_rebuilt (id, kind, actor_id, count, window_ms, at, acknowledged_at, acknowledged_by)
        SELECT id, kind, actor_id, count, window_ms, at, acknowledged_at, acknowledged_by FROM risk_alerts;
      DROP TABLE risk_alerts;
      ALTER TABLE risk_alerts_rebuilt RENAME TO risk_alerts;
      CREATE INDEX risk_alerts_open ON risk_alerts (at) WHERE acknowledged_at IS NULL;
    `);
  },
};
