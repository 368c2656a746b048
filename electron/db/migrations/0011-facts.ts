import type { Migration } from '../migrate';

/**
 * Facts for the hub (issue 13, shared/hub-protocol.ts): every money- or audit-related change becomes an append-only
 * fact, numbered gapless from 1, written **by SQLite triggers** in the same transaction as the domain row.
 *
 * Why triggers and not calls in the per-table modules: the domain tables are written from many code paths
 * (payments, refunds, recovery, shifts, security, alerts); a trigger cannot be forgotten by a new path, sees the
 * row exactly as committed, and rolls back with it. The bodies are built with json_object/json_group_array from
 * the rows themselves (camelCase keys, integer fen), checked by shared/hub-facts.ts at the hub. Triggers fire only
 * on meaningful changes (`UPDATE OF state ... WHEN OLD.state IS NOT NEW.state` and the like), never on
 * bookkeeping columns (send_count, updated_at, paid_event_delivered, last_answer...).
 *
 * Numbering: `fact_head.seq` is the last number given; each fact takes head + 1 and a trigger moves the head, all
 * inside the writing transaction, so a rollback leaves neither a fact nor a hole. Not the rowid (it would restart
 * after acknowledged facts are deleted) and not AUTOINCREMENT (its sqlite_sequence table is not STRICT, and
 * nothing would check the order). `fact_head.acked` is the hub's acknowledged high-water: it only moves forward,
 * never past the last fact, and a fact at or below it may be deleted; nothing else may be deleted or changed.
 *
 * Never in a body: the payment code (auth_code), the full openid (only payer_masked), the QR's code_url.
 * Z reports and audit entries carry their JSON as the exact stored text, so the hub can recompute the SHA-256 and
 * the chain.
 *
 * `hub_link` is the counter's one enrolment (terminal id, store, hub id and URL); the private key is in `secrets`
 * (field 'hubPrivateKey', sealed like the other secrets), whose CHECK is widened for it (table rebuilt, rows kept).
 *
 * Backfill: rows that exist already become one fact each (their current state), oldest first by time, so a store
 * that enrols later sends its history.
 */
export const migration0011Facts: Migration = {
  version: 11,
  name: '0011-facts',
  up(db) {
    db.exec(`
      CREATE TABLE facts (
        seq INTEGER PRIMARY KEY CHECK (seq >= 1),
        kind TEXT NOT NULL CHECK (kind IN (${FACT_KINDS_SQL})),
        at INTEGER NOT NULL,
        body TEXT NOT NULL CHECK (json_valid(body) AND json_type(body) = 'object')
      ) STRICT;

      CREATE TABLE fact_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL CHECK (seq >= 0),
        acked INTEGER NOT NULL CHECK (acked >= 0 AND acked <= seq)
      ) STRICT;
      INSERT INTO fact_head (id, seq, acked) VALUES (1, 0, 0);

      CREATE TRIGGER facts_in_order BEFORE INSERT ON facts
      WHEN NEW.seq IS NOT (SELECT seq + 1 FROM fact_head WHERE id = 1)
      BEGIN SELECT RAISE(ABORT, 'facts are numbered gapless'); END;
      CREATE TRIGGER facts_advance_head AFTER INSERT ON facts
      BEGIN UPDATE fact_head SET seq = NEW.seq WHERE id = 1; END;
      CREATE TRIGGER facts_no_update BEFORE UPDATE ON facts
      BEGIN SELECT RAISE(ABORT, 'facts are append-only'); END;
      CREATE TRIGGER facts_delete_only_acknowledged BEFORE DELETE ON facts
      WHEN OLD.seq > (SELECT acked FROM fact_head WHERE id = 1)
      BEGIN SELECT RAISE(ABORT, 'a fact the hub has not acknowledged cannot be deleted'); END;
      CREATE TRIGGER fact_head_forward_only BEFORE UPDATE ON fact_head
      WHEN NEW.seq < OLD.seq OR NEW.acked < OLD.acked
      BEGIN SELECT RAISE(ABORT, 'fact_head only moves forward'); END;
      CREATE TRIGGER fact_head_no_delete BEFORE DELETE ON fact_head
      BEGIN SELECT RAISE(ABORT, 'fact_head cannot be deleted'); END;

      CREATE TABLE hub_link (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        hub_url TEXT NOT NULL CHECK (length(hub_url) BETWEEN 8 AND 300),
        hub_id TEXT NOT NULL CHECK (length(hub_id) BETWEEN 1 AND 100),
        terminal_id TEXT NOT NULL CHECK (length(terminal_id) BETWEEN 2 AND 6),
        store_id TEXT NOT NULL CHECK (length(store_id) BETWEEN 1 AND 100),
        store_name TEXT NOT NULL,
        counter_name TEXT NOT NULL,
        public_key TEXT NOT NULL,
        enrolled_at INTEGER NOT NULL,
        enrolled_by TEXT NOT NULL,
        -- Set when the hub answered REVOKED/UNAUTHENTICATED: the link stops until someone enrols again.
        stopped_at INTEGER,
        stopped_reason TEXT
      ) STRICT;

      CREATE TABLE secrets_new (
        field TEXT PRIMARY KEY CHECK (field IN ('apiKeyV2', 'apiV3Key', 'merchantPrivateKeyPem', 'merchantCertSerial',
          'wechatPayPublicKeyPem', 'wechatPayPublicKeyId', 'platformCertificates', 'clientCertPem', 'clientKeyPem',
          'hubPrivateKey')),
        ciphertext BLOB NOT NULL,
        cipher TEXT NOT NULL,
        summary_zh TEXT NOT NULL,
        summary_en TEXT NOT NULL,
        facts TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(facts)),
        updated_at INTEGER NOT NULL,
        updated_by TEXT NOT NULL
      ) STRICT;
      INSERT INTO secrets_new SELECT field, ciphertext, cipher, summary_zh, summary_en, facts, updated_at, updated_by FROM secrets;
      DROP TABLE secrets;
      ALTER TABLE secrets_new RENAME TO secrets;
    `);
    db.exec(backfillSql());
    db.exec(triggersSql());
  },
};

const FACT_KINDS_SQL = [
  'sale',
  'wechat-attempt',
  'refund',
  'cash-movement',
  'shift',
  'z-report',
  'audit',
  'risk-alert',
  'payment-alert',
]
  .map((k) => `'${k}'`)
  .join(', ');

const FINAL_ATTEMPT_STATES_SQL = "'paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded', 'needs-attention'";

// ---- Bodies: each a scalar subquery selecting one row by its key ---------------------------------------------------

function saleBody(id: string): string {
  return `(SELECT json_object(
      'saleId', s.id, 'terminalId', s.terminal_id, 'receiptNo', s.receipt_no, 'cashierId', s.cashier_id,
      'shiftId', s.shift_id, 'state', s.state, 'description', s.description, 'totalFen', s.total_fen,
      'createdAt', s.created_at, 'paidAt', s.paid_at, 'voidedAt', s.voided_at, 'voidReason', s.void_reason,
      'lines', json((SELECT json_group_array(json_object('lineNo', l.line_no, 'name', l.name, 'unitFen', l.unit_fen,
          'quantity', l.quantity, 'amountFen', l.amount_fen))
        FROM (SELECT * FROM sale_lines WHERE sale_id = s.id ORDER BY line_no) l)),
      'tenders', json((SELECT json_group_array(json_object('tenderId', t.id, 'kind', t.kind, 'amountFen', t.amount_fen,
          'state', t.state, 'tenderedFen', t.tendered_fen, 'changeFen', t.change_fen, 'createdAt', t.created_at,
          'settledAt', t.settled_at, 'outTradeNo', t.out_trade_no, 'transactionId', t.transaction_id))
        FROM (SELECT tt.*, a.out_trade_no, a.transaction_id FROM tenders tt LEFT JOIN wechat_attempts a ON a.tender_id = tt.id
              WHERE tt.sale_id = s.id ORDER BY tt.id) t)))
    FROM sales s WHERE s.id = ${id})`;
}

function attemptBody(id: string): string {
  return `(SELECT json_object(
      'attemptId', a.id, 'saleId', a.sale_id, 'tenderId', a.tender_id, 'terminalId', s.terminal_id,
      'receiptNo', s.receipt_no, 'mode', a.mode, 'outTradeNo', a.out_trade_no, 'amountFen', a.amount_fen,
      'state', a.state, 'authCodeMasked', a.auth_code_masked, 'payerMasked', a.payer_masked,
      'transactionId', a.transaction_id, 'bankType', a.bank_type, 'paidFen', a.paid_fen, 'successTime', a.success_time,
      'failureCode', a.failure_code, 'createdAt', a.created_at, 'resolvedAt', a.resolved_at)
    FROM wechat_attempts a JOIN sales s ON s.id = a.sale_id WHERE a.id = ${id})`;
}

function refundBody(id: string): string {
  return `(SELECT json_object(
      'refundId', r.id, 'saleId', r.sale_id, 'terminalId', s.terminal_id, 'receiptNo', s.receipt_no,
      'tenderId', r.tender_id, 'attemptId', r.attempt_id, 'outTradeNo', a.out_trade_no, 'kind', r.kind,
      'outRefundNo', r.out_refund_no, 'amountFen', r.amount_fen, 'state', r.state, 'approvedBy', r.approved_by,
      'reason', r.reason, 'requestedAt', r.requested_at, 'requestedOffline', json(CASE r.requested_offline WHEN 1 THEN 'true' ELSE 'false' END),
      'wechatRefundId', r.refund_id, 'failureCode', r.failure_code, 'finishedAt', r.finished_at)
    FROM refunds r JOIN sales s ON s.id = r.sale_id LEFT JOIN wechat_attempts a ON a.id = r.attempt_id WHERE r.id = ${id})`;
}

function cashMovementBody(id: string): string {
  return `(SELECT json_object('movementId', m.id, 'shiftId', m.shift_id, 'kind', m.kind, 'amountFen', m.amount_fen,
      'reason', m.reason, 'actorId', m.actor_id, 'actorName', m.actor_name, 'approvedBy', m.approved_by, 'at', m.at)
    FROM cash_movements m WHERE m.id = ${id})`;
}

function shiftBody(id: string, event: string): string {
  return `(SELECT json_object('event', ${event}, 'shiftId', sh.id, 'terminalId', sh.terminal_id,
      'cashierId', sh.cashier_id, 'cashierName', sh.cashier_name, 'state', sh.state,
      'openingFloatFen', sh.opening_float_fen, 'openedAt', sh.opened_at, 'count', json(sh.count_json),
      'countedFen', sh.counted_fen, 'countedAt', sh.counted_at, 'expectedCashFen', sh.expected_cash_fen,
      'differenceFen', sh.difference_fen, 'countersignedBy', sh.countersigned_by,
      'closedWithPending', json(CASE sh.closed_with_pending WHEN 1 THEN 'true' ELSE 'false' END),
      'closedBy', sh.closed_by, 'closedAt', sh.closed_at, 'zNo', sh.z_no)
    FROM shifts sh WHERE sh.id = ${id})`;
}

function zReportBody(id: string): string {
  return `(SELECT json_object('shiftId', z.shift_id, 'terminalId', z.terminal_id, 'zNo', z.z_no,
      'reportJson', z.report_json, 'sha256', z.sha256, 'createdAt', z.created_at)
    FROM z_reports z WHERE z.id = ${id})`;
}

function auditBody(seq: string): string {
  return `(SELECT json_object('auditSeq', l.seq, 'at', l.at, 'actorId', l.actor_id, 'actorName', l.actor_name,
      'action', l.action, 'details', l.details, 'prevHash', l.prev_hash, 'hash', l.hash)
    FROM audit_log l WHERE l.seq = ${seq})`;
}

function riskAlertBody(id: string, event: string): string {
  return `(SELECT json_object('event', ${event}, 'alertId', r.id, 'kind', r.kind, 'actorId', r.actor_id,
      'count', r.count, 'windowMs', r.window_ms, 'at', r.at, 'acknowledgedAt', r.acknowledged_at,
      'acknowledgedBy', r.acknowledged_by)
    FROM risk_alerts r WHERE r.id = ${id})`;
}

function paymentAlertBody(id: string): string {
  return `(SELECT json_object('alertId', p.id, 'saleId', p.sale_id, 'terminalId', s.terminal_id,
      'receiptNo', s.receipt_no, 'attemptId', p.attempt_id, 'outTradeNo', a.out_trade_no, 'amountFen', p.amount_fen,
      'paidAt', p.paid_at, 'counterSaleId', p.counter_sale_id, 'state', p.state, 'resolvedBy', p.resolved_by,
      'resolvedAt', p.resolved_at)
    FROM payment_alerts p JOIN sales s ON s.id = p.sale_id JOIN wechat_attempts a ON a.id = p.attempt_id WHERE p.id = ${id})`;
}

// ---- Triggers ------------------------------------------------------------------------------------------------------

function insertFact(kind: string, at: string, body: string): string {
  return `INSERT INTO facts (seq, kind, at, body) SELECT seq + 1, '${kind}', ${at}, ${body} FROM fact_head WHERE id = 1;`;
}

function trigger(name: string, when: string, action: string): string {
  return `CREATE TRIGGER ${name} ${when}\nBEGIN ${action} END;\n`;
}

function triggersSql(): string {
  return [
    trigger(
      'fact_sale_state',
      'AFTER UPDATE OF state ON sales WHEN OLD.state IS NOT NEW.state',
      insertFact('sale', 'COALESCE(NEW.paid_at, NEW.voided_at, NEW.created_at)', saleBody('NEW.id')),
    ),
    trigger('fact_tender_added', 'AFTER INSERT ON tenders', insertFact('sale', 'NEW.created_at', saleBody('NEW.sale_id'))),
    trigger(
      'fact_tender_state',
      'AFTER UPDATE OF state ON tenders WHEN OLD.state IS NOT NEW.state',
      insertFact('sale', 'COALESCE(NEW.settled_at, NEW.created_at)', saleBody('NEW.sale_id')),
    ),
    trigger(
      'fact_attempt_final',
      `AFTER UPDATE OF state ON wechat_attempts WHEN OLD.state IS NOT NEW.state AND NEW.state IN (${FINAL_ATTEMPT_STATES_SQL})`,
      insertFact('wechat-attempt', 'COALESCE(NEW.resolved_at, NEW.updated_at)', attemptBody('NEW.id')),
    ),
    trigger('fact_refund_added', 'AFTER INSERT ON refunds', insertFact('refund', 'NEW.requested_at', refundBody('NEW.id'))),
    trigger(
      'fact_refund_state',
      'AFTER UPDATE OF state ON refunds WHEN OLD.state IS NOT NEW.state',
      insertFact('refund', 'COALESCE(NEW.finished_at, NEW.updated_at)', refundBody('NEW.id')),
    ),
    trigger('fact_cash_movement', 'AFTER INSERT ON cash_movements', insertFact('cash-movement', 'NEW.at', cashMovementBody('NEW.id'))),
    trigger('fact_shift_opened', 'AFTER INSERT ON shifts', insertFact('shift', 'NEW.opened_at', shiftBody('NEW.id', "'opened'"))),
    trigger(
      'fact_shift_counted',
      'AFTER UPDATE OF counted_at ON shifts WHEN NEW.counted_at IS NOT NULL AND NEW.counted_at IS NOT OLD.counted_at',
      insertFact('shift', 'NEW.counted_at', shiftBody('NEW.id', "'counted'")),
    ),
    trigger(
      'fact_shift_closed',
      "AFTER UPDATE OF state ON shifts WHEN OLD.state IS NOT NEW.state AND NEW.state = 'closed'",
      insertFact('shift', 'COALESCE(NEW.closed_at, NEW.opened_at)', shiftBody('NEW.id', "'closed'")),
    ),
    trigger('fact_z_report', 'AFTER INSERT ON z_reports', insertFact('z-report', 'NEW.created_at', zReportBody('NEW.id'))),
    trigger('fact_audit', 'AFTER INSERT ON audit_log', insertFact('audit', 'NEW.at', auditBody('NEW.seq'))),
    trigger('fact_risk_alert_raised', 'AFTER INSERT ON risk_alerts', insertFact('risk-alert', 'NEW.at', riskAlertBody('NEW.id', "'raised'"))),
    trigger(
      'fact_risk_alert_acknowledged',
      'AFTER UPDATE OF acknowledged_at ON risk_alerts WHEN OLD.acknowledged_at IS NULL AND NEW.acknowledged_at IS NOT NULL',
      insertFact('risk-alert', 'NEW.acknowledged_at', riskAlertBody('NEW.id', "'acknowledged'")),
    ),
    trigger('fact_payment_alert_raised', 'AFTER INSERT ON payment_alerts', insertFact('payment-alert', 'NEW.paid_at', paymentAlertBody('NEW.id'))),
    trigger(
      'fact_payment_alert_resolved',
      'AFTER UPDATE OF state ON payment_alerts WHEN OLD.state IS NOT NEW.state',
      insertFact('payment-alert', 'COALESCE(NEW.resolved_at, NEW.paid_at)', paymentAlertBody('NEW.id')),
    ),
  ].join('');
}

// ---- Backfill: one fact per existing row, in time order --------------------------------------------------------------

function backfillSql(): string {
  const shiftEvent = "CASE WHEN sh.state = 'closed' THEN 'closed' WHEN sh.counted_at IS NOT NULL THEN 'counted' ELSE 'opened' END";
  // `ord` breaks ties at the same millisecond in the order things happen within a day (a shift opens before its
  // sales, a Z report follows its shift's close, an audit entry follows what it records).
  const rows = [
    `SELECT sh.opened_at AS at, 0 AS ord, sh.rowid AS id, 'shift' AS kind, ${shiftBody('sh.id', shiftEvent)} AS body FROM shifts sh WHERE sh.state = 'open' AND sh.counted_at IS NULL`,
    `SELECT s.created_at, 1, s.id, 'sale', ${saleBody('s.id')} FROM sales s`,
    `SELECT COALESCE(a.resolved_at, a.updated_at), 2, a.id, 'wechat-attempt', ${attemptBody('a.id')} FROM wechat_attempts a WHERE a.state IN (${FINAL_ATTEMPT_STATES_SQL})`,
    `SELECT p.paid_at, 3, p.id, 'payment-alert', ${paymentAlertBody('p.id')} FROM payment_alerts p`,
    `SELECT r.requested_at, 4, r.id, 'refund', ${refundBody('r.id')} FROM refunds r`,
    `SELECT m.at, 5, m.id, 'cash-movement', ${cashMovementBody('m.id')} FROM cash_movements m`,
    `SELECT r.at, 6, r.id, 'risk-alert', ${riskAlertBody('r.id', "CASE WHEN r.acknowledged_at IS NULL THEN 'raised' ELSE 'acknowledged' END")} FROM risk_alerts r`,
    `SELECT COALESCE(sh.closed_at, sh.counted_at), 7, sh.rowid, 'shift', ${shiftBody('sh.id', shiftEvent)} FROM shifts sh WHERE sh.state = 'closed' OR sh.counted_at IS NOT NULL`,
    `SELECT z.created_at, 8, z.id, 'z-report', ${zReportBody('z.id')} FROM z_reports z`,
    `SELECT l.at, 9, l.seq, 'audit', ${auditBody('l.seq')} FROM audit_log l`,
  ];
  // The triggers are created after this, so the head is moved here, once.
  return `
    INSERT INTO facts (seq, kind, at, body)
      SELECT row_number() OVER (ORDER BY at, ord, id), kind, at, body FROM (${rows.join('\nUNION ALL\n')})
      ORDER BY 1;
    UPDATE fact_head SET seq = (SELECT COALESCE(MAX(seq), 0) FROM facts) WHERE id = 1;
  `;
}
