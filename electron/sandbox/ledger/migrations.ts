import type { Migration } from '../../db/migrate';

/**
 * The sandbox ledger's schema: what "WeChat Pay" itself knows about the test merchant. Separate from the app
 * database on purpose; it plays the other side of the wire. Payment codes are stored only as hashes.
 */
const migration0001Ledger: Migration = {
  version: 1,
  name: 'sandbox-0001-ledger',
  up(db) {
    db.exec(`
      CREATE TABLE sandbox_orders (
        out_trade_no TEXT PRIMARY KEY,
        transaction_id TEXT NOT NULL UNIQUE,
        trade_type TEXT NOT NULL CHECK (trade_type IN ('MICROPAY', 'NATIVE')),
        state TEXT NOT NULL CHECK (state IN ('NOTPAY', 'USERPAYING', 'SUCCESS', 'REFUND', 'CLOSED', 'REVOKED', 'PAYERROR')),
        total_fee INTEGER NOT NULL CHECK (total_fee > 0),
        body TEXT NOT NULL,
        attach TEXT,
        device_info TEXT,
        fingerprint TEXT NOT NULL,
        wallet TEXT,
        openid TEXT,
        bank_type TEXT,
        code_url TEXT UNIQUE,
        prepay_id TEXT,
        created_at INTEGER NOT NULL,
        time_expire INTEGER,
        pays_at INTEGER,
        fails_at INTEGER,
        paid_at INTEGER,
        closed_at INTEGER,
        origin TEXT NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'planted'))
      ) STRICT;
      CREATE INDEX sandbox_orders_paid_at ON sandbox_orders (paid_at);

      CREATE TABLE sandbox_auth_codes (
        code_hash TEXT PRIMARY KEY,
        out_trade_no TEXT NOT NULL REFERENCES sandbox_orders (out_trade_no),
        used_at INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE sandbox_refunds (
        out_refund_no TEXT PRIMARY KEY,
        refund_id TEXT NOT NULL UNIQUE,
        out_trade_no TEXT NOT NULL REFERENCES sandbox_orders (out_trade_no),
        refund_fee INTEGER NOT NULL CHECK (refund_fee > 0),
        total_fee INTEGER NOT NULL,
        reason TEXT,
        status TEXT NOT NULL CHECK (status IN ('PROCESSING', 'SUCCESS', 'CLOSED', 'ABNORMAL')),
        created_at INTEGER NOT NULL,
        succeeds_at INTEGER NOT NULL,
        success_at INTEGER,
        origin TEXT NOT NULL DEFAULT 'api' CHECK (origin IN ('api', 'planted'))
      ) STRICT;
      CREATE INDEX sandbox_refunds_order ON sandbox_refunds (out_trade_no);
      CREATE INDEX sandbox_refunds_created_at ON sandbox_refunds (created_at);

      CREATE TABLE sandbox_reports (
        id INTEGER PRIMARY KEY,
        received_at INTEGER NOT NULL,
        interface_url TEXT NOT NULL,
        fields_json TEXT NOT NULL,
        trades_json TEXT
      ) STRICT;
    `);
  },
};

export const sandboxMigrations: readonly Migration[] = [migration0001Ledger];
