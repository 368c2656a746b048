import type { Migration } from '../migrate';

/**
 * Shifts, cash movements, Z reports (immutable: triggers refuse UPDATE and DELETE), the pre-close WeChat check,
 * downloaded bills and their lines, and reconciliation mismatches. Also the indexes the shift report and the
 * day's reconciliation need on the payment tables (sales by shift, attempts by payment time, refunds by time).
 */
export const migration0006Shifts: Migration = {
  version: 6,
  name: '0006-shifts',
  up(db) {
    db.exec(`
      CREATE TABLE shifts (
        id TEXT PRIMARY KEY,
        terminal_id TEXT NOT NULL,
        cashier_id TEXT NOT NULL CHECK (length(cashier_id) > 0),
        cashier_name TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('open', 'closed')),
        opening_float_fen INTEGER NOT NULL CHECK (opening_float_fen >= 0),
        opened_at INTEGER NOT NULL,
        -- The blind count: recorded once, before the cashier sees what was expected.
        count_json TEXT CHECK (count_json IS NULL OR json_valid(count_json)),
        counted_fen INTEGER,
        counted_at INTEGER,
        expected_cash_fen INTEGER,
        difference_fen INTEGER,
        countersigned_by TEXT,
        closed_with_pending INTEGER NOT NULL DEFAULT 0 CHECK (closed_with_pending IN (0, 1)),
        closed_by TEXT,
        closed_at INTEGER,
        z_no INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX shifts_one_open_per_terminal ON shifts (terminal_id) WHERE state = 'open';
      CREATE INDEX shifts_opened ON shifts (opened_at);
      CREATE INDEX shifts_cashier ON shifts (cashier_id, opened_at);

      CREATE TABLE cash_movements (
        id INTEGER PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shifts (id),
        kind TEXT NOT NULL CHECK (kind IN ('in', 'out', 'no-sale')),
        amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
        reason TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        actor_name TEXT NOT NULL,
        approved_by TEXT,
        at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX cash_movements_shift ON cash_movements (shift_id, at);

      CREATE TABLE z_reports (
        id INTEGER PRIMARY KEY,
        shift_id TEXT NOT NULL UNIQUE REFERENCES shifts (id),
        terminal_id TEXT NOT NULL,
        z_no INTEGER NOT NULL CHECK (z_no >= 1),
        report_json TEXT NOT NULL CHECK (json_valid(report_json)),
        sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
        created_at INTEGER NOT NULL,
        UNIQUE (terminal_id, z_no)
      ) STRICT;
      CREATE TRIGGER z_reports_no_update BEFORE UPDATE ON z_reports
        BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END;
      CREATE TRIGGER z_reports_no_delete BEFORE DELETE ON z_reports
        BEGIN SELECT RAISE(ABORT, 'z reports are immutable'); END;

      CREATE TABLE shift_checks (
        id INTEGER PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shifts (id),
        run_id TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
        ref TEXT NOT NULL,
        local_fen INTEGER NOT NULL,
        local_state TEXT NOT NULL,
        wechat_fen INTEGER,
        wechat_state TEXT,
        result TEXT NOT NULL CHECK (result IN ('matched', 'mismatch', 'unchecked')),
        checked_at INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX shift_checks_shift ON shift_checks (shift_id, run_id);

      CREATE TABLE shift_check_runs (
        run_id TEXT PRIMARY KEY,
        shift_id TEXT NOT NULL REFERENCES shifts (id),
        state TEXT NOT NULL CHECK (state IN ('queued', 'done')),
        requested_at INTEGER NOT NULL,
        finished_at INTEGER
      ) STRICT;
      CREATE INDEX shift_check_runs_shift ON shift_check_runs (shift_id, requested_at);

      CREATE TABLE bills (
        bill_date TEXT PRIMARY KEY CHECK (bill_date GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]'),
        state TEXT NOT NULL CHECK (state IN ('bill', 'no-bill')),
        sha1 TEXT,
        line_count INTEGER NOT NULL,
        summary_json TEXT CHECK (summary_json IS NULL OR json_valid(summary_json)),
        downloaded_at INTEGER NOT NULL,
        reconciled_at INTEGER
      ) STRICT;

      CREATE TABLE bill_lines (
        bill_date TEXT NOT NULL REFERENCES bills (bill_date),
        line_no INTEGER NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('payment', 'refund')),
        trade_time INTEGER NOT NULL,
        transaction_id TEXT NOT NULL,
        out_trade_no TEXT NOT NULL,
        trade_type TEXT NOT NULL,
        trade_state TEXT NOT NULL,
        settle_fen INTEGER NOT NULL,
        order_fen INTEGER NOT NULL,
        out_refund_no TEXT,
        refund_id TEXT,
        refund_fen INTEGER NOT NULL,
        refund_status TEXT,
        fee_fen INTEGER NOT NULL,
        PRIMARY KEY (bill_date, line_no)
      ) STRICT;
      CREATE INDEX bill_lines_trade ON bill_lines (out_trade_no);
      CREATE INDEX bill_lines_refund ON bill_lines (out_refund_no) WHERE out_refund_no IS NOT NULL;

      CREATE TABLE reconciliation_mismatches (
        id INTEGER PRIMARY KEY,
        bill_date TEXT NOT NULL,
        class TEXT NOT NULL CHECK (class IN ('only-in-wechat', 'only-local', 'amount-differs', 'state-differs')),
        out_trade_no TEXT NOT NULL,
        -- '' when the mismatch is about the payment itself (part of the unique key, so not NULL).
        out_refund_no TEXT NOT NULL DEFAULT '',
        local_fen INTEGER,
        wechat_fen INTEGER,
        local_state TEXT,
        wechat_state TEXT,
        sale_id INTEGER,
        receipt_no INTEGER,
        shift_id TEXT,
        cashier_id TEXT,
        detected_at INTEGER NOT NULL,
        resolved_at INTEGER,
        resolved_by TEXT,
        note TEXT,
        UNIQUE (bill_date, class, out_trade_no, out_refund_no)
      ) STRICT;
      CREATE INDEX reconciliation_open ON reconciliation_mismatches (resolved_at, bill_date);

      CREATE INDEX sales_shift ON sales (shift_id, state);
      CREATE INDEX wechat_attempts_success ON wechat_attempts (success_time);
      CREATE INDEX wechat_attempts_resolved_no_time ON wechat_attempts (resolved_at) WHERE success_time IS NULL;
      CREATE INDEX refunds_requested ON refunds (requested_at);
    `);
  },
};
