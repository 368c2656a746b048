import type { Migration } from '../migrate';

const GENESIS = '0'.repeat(64);

/**
 * The append-only audit log, chained by SHA-256 (hash = SHA-256(prev_hash + canonical row)), and the risk
 * counters and alerts. Triggers refuse UPDATE and DELETE on the log; a dropped trigger does not hide an edit,
 * because verifyAuditChain recomputes every hash, and a deleted tail shows against audit_head (moved only by the
 * insert trigger, only forwards). No AUTOINCREMENT: its sqlite_sequence table would be a non-STRICT table.
 */
export const migration0005AuditAndRisk: Migration = {
  version: 5,
  name: '0005-audit-and-risk',
  up(db) {
    db.exec(`
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_id TEXT NOT NULL CHECK (length(actor_id) > 0),
        actor_name TEXT NOT NULL,
        action TEXT NOT NULL CHECK (length(action) > 0),
        details TEXT NOT NULL CHECK (json_valid(details)),
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
      CREATE INDEX audit_log_action ON audit_log (action, at);

      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '${GENESIS}');

      CREATE TRIGGER audit_log_append_only_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_append_only_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      -- Rows join the chain in order: the next seq, linked to the current head.
      CREATE TRIGGER audit_log_in_order BEFORE INSERT ON audit_log
      WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head WHERE id = 1)
        OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head WHERE id = 1)
      BEGIN SELECT RAISE(ABORT, 'audit_log row does not extend the chain'); END;
      CREATE TRIGGER audit_log_advance_head AFTER INSERT ON audit_log
      BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;
      CREATE TRIGGER audit_head_forward_only BEFORE UPDATE ON audit_head
      WHEN NEW.seq IS NOT OLD.seq + 1 OR NEW.hash IS NOT (SELECT hash FROM audit_log WHERE seq = NEW.seq)
      BEGIN SELECT RAISE(ABORT, 'audit_head only follows the log'); END;
      CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
      BEGIN SELECT RAISE(ABORT, 'audit_head cannot be deleted'); END;

      CREATE TABLE risk_events (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('failed-scan', 'refund')),
        actor_id TEXT NOT NULL,
        amount_fen INTEGER,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX risk_events_by_actor ON risk_events (kind, actor_id, at);

      CREATE TABLE risk_alerts (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('failed-scans', 'refund-burst')),
        actor_id TEXT NOT NULL,
        count INTEGER NOT NULL CHECK (count > 0),
        window_ms INTEGER NOT NULL CHECK (window_ms > 0),
        at INTEGER NOT NULL,
        acknowledged_at INTEGER,
        acknowledged_by TEXT
      ) STRICT;
      CREATE INDEX risk_alerts_open ON risk_alerts (at) WHERE acknowledged_at IS NULL;
    `);
  },
};
