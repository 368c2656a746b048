import type { Migration } from '../migrate';

/**
 * The sale on each terminal's counter, and payments that landed on a sale the counter was not showing.
 * `counter_sale` is written whenever the counter's active sale changes, so after a crash the counter comes back
 * where it was, and a payment is checked against it in the same transaction that records the payment.
 * A `payment_alerts` row is raised in that transaction; a person resolves it (kept: it was this basket;
 * refunded: the basket was paid another way). Rows are never deleted: the X/Z reports list the open ones.
 */
export const migration0010PaymentAlerts: Migration = {
  version: 10,
  name: '0010-payment-alerts',
  up(db) {
    db.exec(`
      CREATE TABLE counter_sale (
        terminal_id TEXT PRIMARY KEY,
        sale_id INTEGER REFERENCES sales (id),
        updated_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE payment_alerts (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER NOT NULL REFERENCES sales (id),
        attempt_id INTEGER NOT NULL UNIQUE REFERENCES wechat_attempts (id),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        paid_at INTEGER NOT NULL,
        -- The sale the counter was showing when the payment was recorded (NULL: none).
        counter_sale_id INTEGER,
        state TEXT NOT NULL CHECK (state IN ('open', 'kept', 'refunded')),
        resolved_by TEXT,
        resolved_at INTEGER,
        CHECK ((state = 'open') = (resolved_at IS NULL)),
        CHECK ((state = 'open') = (resolved_by IS NULL))
      ) STRICT;
      CREATE INDEX payment_alerts_open ON payment_alerts (paid_at) WHERE state = 'open';
    `);
  },
};
