import type { Migration } from '../migrate';

/**
 * Sales, tenders, WeChat attempts, refunds, the outbox and the transaction-report queue. Every money state
 * change happens in one synchronous transaction together with the outbox row that carries it to WeChat.
 */
export const migration0003Payments: Migration = {
  version: 3,
  name: '0003-payments',
  up(db) {
    db.exec(`
      CREATE TABLE sequences (
        name TEXT PRIMARY KEY,
        next_value INTEGER NOT NULL CHECK (next_value >= 1)
      ) STRICT;

      CREATE TABLE sales (
        id INTEGER PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        receipt_no INTEGER NOT NULL CHECK (receipt_no >= 1),
        cashier_id TEXT NOT NULL CHECK (length(cashier_id) > 0),
        shift_id TEXT,
        state TEXT NOT NULL CHECK (state IN ('open', 'paid', 'voided')),
        description TEXT NOT NULL,
        total_fen INTEGER NOT NULL CHECK (total_fen > 0),
        created_at INTEGER NOT NULL,
        paid_at INTEGER,
        voided_at INTEGER,
        void_reason TEXT,
        -- 'sale.paid' is delivered at least once: re-sent on start until a listener has taken it.
        paid_event_delivered INTEGER NOT NULL DEFAULT 0 CHECK (paid_event_delivered IN (0, 1)),
        UNIQUE (terminal_id, receipt_no)
      ) STRICT;
      CREATE INDEX sales_created ON sales (created_at);

      CREATE TABLE sale_lines (
        sale_id INTEGER NOT NULL REFERENCES sales (id),
        line_no INTEGER NOT NULL,
        name TEXT NOT NULL,
        unit_fen INTEGER NOT NULL CHECK (unit_fen >= 0),
        quantity INTEGER NOT NULL CHECK (quantity >= 1),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        PRIMARY KEY (sale_id, line_no)
      ) STRICT;

      CREATE TABLE tenders (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER NOT NULL REFERENCES sales (id),
        kind TEXT NOT NULL CHECK (kind IN ('wechat-code', 'wechat-qr', 'cash')),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        state TEXT NOT NULL CHECK (state IN ('pending', 'paid', 'failed', 'cancelled', 'superseded')),
        tendered_fen INTEGER,
        change_fen INTEGER CHECK (change_fen IS NULL OR change_fen >= 0),
        created_at INTEGER NOT NULL,
        settled_at INTEGER
      ) STRICT;
      CREATE INDEX tenders_sale ON tenders (sale_id);

      CREATE TABLE wechat_attempts (
        id INTEGER PRIMARY KEY,
        tender_id INTEGER NOT NULL UNIQUE REFERENCES tenders (id),
        sale_id INTEGER NOT NULL REFERENCES sales (id),
        mode TEXT NOT NULL CHECK (mode IN ('micropay', 'native')),
        out_trade_no TEXT NOT NULL UNIQUE CHECK (length(out_trade_no) <= 32),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        description TEXT NOT NULL,
        state TEXT NOT NULL,
        -- The payer's code: kept only while it may still be sent, then set to NULL.
        auth_code TEXT,
        auth_code_masked TEXT,
        superseded_at INTEGER,
        cancel_requested_at INTEGER,
        created_at INTEGER NOT NULL,
        send_deadline_at INTEGER,
        -- When a request for this order may first have reached WeChat: the 15 s / 45 s rules count from here.
        first_sent_at INTEGER,
        send_count INTEGER NOT NULL DEFAULT 0,
        last_answer TEXT,
        network_trouble INTEGER NOT NULL DEFAULT 0 CHECK (network_trouble IN (0, 1)),
        failure_code TEXT,
        failure_zh TEXT,
        failure_en TEXT,
        transaction_id TEXT,
        payer_masked TEXT,
        bank_type TEXT,
        paid_fen INTEGER,
        success_time INTEGER,
        code_url TEXT,
        expires_at INTEGER,
        reverse_count INTEGER NOT NULL DEFAULT 0,
        reverse_rejections INTEGER NOT NULL DEFAULT 0,
        resolved_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX wechat_attempts_sale ON wechat_attempts (sale_id);
      CREATE INDEX wechat_attempts_state ON wechat_attempts (state);

      CREATE TABLE refunds (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER NOT NULL REFERENCES sales (id),
        tender_id INTEGER NOT NULL REFERENCES tenders (id),
        attempt_id INTEGER REFERENCES wechat_attempts (id),
        kind TEXT NOT NULL CHECK (kind IN ('wechat', 'cash')),
        out_refund_no TEXT UNIQUE CHECK (out_refund_no IS NULL OR length(out_refund_no) <= 32),
        amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
        state TEXT NOT NULL CHECK (state IN ('queued', 'processing', 'succeeded', 'failed', 'abnormal')),
        approved_by TEXT NOT NULL CHECK (length(approved_by) > 0),
        reason TEXT,
        requested_at INTEGER NOT NULL,
        requested_offline INTEGER NOT NULL CHECK (requested_offline IN (0, 1)),
        send_count INTEGER NOT NULL DEFAULT 0,
        refund_id TEXT,
        failure_code TEXT,
        failure_zh TEXT,
        failure_en TEXT,
        finished_at INTEGER,
        updated_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX refunds_sale ON refunds (sale_id);

      CREATE TABLE outbox (
        id INTEGER PRIMARY KEY,
        operation TEXT NOT NULL,
        payload TEXT NOT NULL CHECK (json_valid(payload)),
        idempotency_key TEXT NOT NULL UNIQUE,
        -- Jobs with the same key run strictly one after another, oldest first (one WeChat order's calls).
        order_key TEXT NOT NULL,
        sale_id INTEGER REFERENCES sales (id),
        state TEXT NOT NULL CHECK (state IN ('pending', 'inflight', 'done', 'failed')),
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER NOT NULL,
        deadline_at INTEGER,
        last_error TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
      CREATE INDEX outbox_order ON outbox (order_key, state);

      CREATE TABLE wechat_report_trades (
        id INTEGER PRIMARY KEY,
        out_trade_no TEXT NOT NULL UNIQUE,
        begin_time INTEGER NOT NULL,
        end_time INTEGER NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('OK', 'FAIL', 'CANCLE')),
        err_msg TEXT,
        outbox_id INTEGER REFERENCES outbox (id),
        reported_at INTEGER
      ) STRICT;
      CREATE INDEX wechat_report_trades_unsent ON wechat_report_trades (reported_at, outbox_id);
    `);
  },
};
