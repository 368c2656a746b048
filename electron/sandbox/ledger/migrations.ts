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

/**
 * Notifications the sandbox owes a merchant (what WeChat Pay POSTs to notify_url), their targets and every
 * delivery attempt with its answer, so tests and the page can see exactly what was sent.
 */
const migration0002Notifications: Migration = {
  version: 2,
  name: 'sandbox-0002-notifications',
  up(db) {
    db.exec(`
      CREATE TABLE sandbox_notify_targets (
        subject TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
        api TEXT NOT NULL CHECK (api IN ('v2', 'v3')),
        ref TEXT NOT NULL,
        url TEXT NOT NULL,
        settled INTEGER NOT NULL DEFAULT 0 CHECK (settled IN (0, 1))
      ) STRICT;

      CREATE TABLE sandbox_notifications (
        id TEXT PRIMARY KEY,
        subject TEXT NOT NULL UNIQUE REFERENCES sandbox_notify_targets (subject),
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
        api TEXT NOT NULL CHECK (api IN ('v2', 'v3')),
        out_trade_no TEXT NOT NULL,
        ref TEXT NOT NULL,
        event_type TEXT NOT NULL,
        url TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('pending', 'held', 'delivered', 'given-up')),
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        duplicate_at INTEGER,
        held_until INTEGER
      ) STRICT;
      CREATE INDEX sandbox_notifications_due ON sandbox_notifications (state, next_attempt_at);

      CREATE TABLE sandbox_notification_attempts (
        id INTEGER PRIMARY KEY,
        notification_id TEXT NOT NULL REFERENCES sandbox_notifications (id),
        attempt INTEGER NOT NULL,
        duplicate INTEGER NOT NULL CHECK (duplicate IN (0, 1)),
        at INTEGER NOT NULL,
        faults TEXT NOT NULL,
        headers_json TEXT NOT NULL,
        body TEXT NOT NULL,
        status INTEGER,
        answer TEXT,
        error TEXT,
        accepted INTEGER NOT NULL CHECK (accepted IN (0, 1))
      ) STRICT;
      CREATE INDEX sandbox_notification_attempts_of ON sandbox_notification_attempts (notification_id);
    `);
  },
};

/**
 * Service-provider mode and profit sharing (分账): which sub-merchant an order belongs to and whether it was created
 * with profit sharing on (a direct merchant's orders have no owner row unless flagged), the receivers each merchant
 * added, split orders with one line per receiver (the unfreeze-to-self line included), returns (分账回退), and the
 * orders whose unsplit remainder was released (finished).
 */
const migration0003ProfitSharing: Migration = {
  version: 3,
  name: 'sandbox-0003-partner-profit-sharing',
  up(db) {
    db.exec(`
      CREATE TABLE sandbox_order_owners (
        out_trade_no TEXT PRIMARY KEY REFERENCES sandbox_orders (out_trade_no),
        sub_mchid TEXT,
        sub_appid TEXT,
        profit_sharing INTEGER NOT NULL CHECK (profit_sharing IN (0, 1))
      ) STRICT;

      CREATE TABLE sandbox_ps_receivers (
        owner_mchid TEXT NOT NULL,
        type TEXT NOT NULL CHECK (type IN ('MERCHANT_ID', 'PERSONAL_OPENID', 'PERSONAL_SUB_OPENID')),
        account TEXT NOT NULL,
        relation_type TEXT NOT NULL,
        custom_relation TEXT,
        added_at INTEGER NOT NULL,
        PRIMARY KEY (owner_mchid, type, account)
      ) STRICT;

      CREATE TABLE sandbox_ps_orders (
        out_order_no TEXT NOT NULL,
        owner_mchid TEXT NOT NULL,
        order_id TEXT NOT NULL UNIQUE,
        transaction_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('split', 'unfreeze')),
        unfreeze_unsplit INTEGER NOT NULL CHECK (unfreeze_unsplit IN (0, 1)),
        created_at INTEGER NOT NULL,
        finishes_at INTEGER NOT NULL,
        PRIMARY KEY (owner_mchid, out_order_no)
      ) STRICT;
      CREATE INDEX sandbox_ps_orders_tx ON sandbox_ps_orders (transaction_id);

      CREATE TABLE sandbox_ps_lines (
        owner_mchid TEXT NOT NULL,
        out_order_no TEXT NOT NULL,
        line INTEGER NOT NULL,
        detail_id TEXT NOT NULL UNIQUE,
        type TEXT NOT NULL,
        account TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        description TEXT NOT NULL,
        to_self INTEGER NOT NULL CHECK (to_self IN (0, 1)),
        PRIMARY KEY (owner_mchid, out_order_no, line),
        FOREIGN KEY (owner_mchid, out_order_no) REFERENCES sandbox_ps_orders (owner_mchid, out_order_no)
      ) STRICT;

      CREATE TABLE sandbox_ps_returns (
        owner_mchid TEXT NOT NULL,
        out_return_no TEXT NOT NULL,
        return_id TEXT NOT NULL UNIQUE,
        out_order_no TEXT NOT NULL,
        return_mchid TEXT NOT NULL,
        amount INTEGER NOT NULL CHECK (amount > 0),
        description TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (owner_mchid, out_return_no),
        FOREIGN KEY (owner_mchid, out_order_no) REFERENCES sandbox_ps_orders (owner_mchid, out_order_no)
      ) STRICT;

      CREATE TABLE sandbox_ps_finished (
        transaction_id TEXT PRIMARY KEY,
        unfrozen INTEGER NOT NULL CHECK (unfrozen >= 0),
        at INTEGER NOT NULL,
        how TEXT NOT NULL CHECK (how IN ('unfreeze', 'split', 'expired'))
      ) STRICT;
    `);
  },
};

export const sandboxMigrations: readonly Migration[] = [migration0001Ledger, migration0002Notifications, migration0003ProfitSharing];
