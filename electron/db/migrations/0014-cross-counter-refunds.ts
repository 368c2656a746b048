import type { Migration } from '../migrate';

/**
 * Refunds of a sale made at another counter of the store (issue 13, found at the hub by `sales/lookup`).
 *
 * Why rebuild `refunds` and not a sibling table: the hub keys refund facts by (terminal, refundId), so every
 * refund of this counter must share one id space; one table also keeps one outbox worker, one `out_refund_no`
 * uniqueness and one set of fact triggers. A row now names either its own sale (`sale_id` + `tender_id`, as
 * before) or another counter's (`origin_terminal_id` + `origin_receipt_no`, with the WeChat order it refunds:
 * `origin_out_trade_no` and `origin_total_fen`, which the WeChat refund call needs), never both, never neither.
 * Another counter's sale is refunded by WeChat only (CHECK): its cash is in the other counter's drawer.
 *
 * The refund fact's `terminalId` is this counter's enrolled terminal (`hub_link`) for such a refund, and the body
 * carries `originTerminalId`/`originReceiptNo` (shared/hub-facts.ts). The two refund triggers are re-created
 * (DROP TABLE dropped them) with the body that handles both kinds of row. Rows and ids are kept.
 */
export const migration0014CrossCounterRefunds: Migration = {
  version: 14,
  name: '0014-cross-counter-refunds',
  up(db) {
    db.exec(`
      CREATE TABLE refunds_new (
        id INTEGER PRIMARY KEY,
        sale_id INTEGER REFERENCES sales (id),
        tender_id INTEGER REFERENCES tenders (id),
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
        updated_at INTEGER NOT NULL,
        origin_terminal_id TEXT CHECK (origin_terminal_id IS NULL OR length(origin_terminal_id) BETWEEN 1 AND 6),
        origin_receipt_no INTEGER CHECK (origin_receipt_no IS NULL OR origin_receipt_no >= 1),
        origin_out_trade_no TEXT CHECK (origin_out_trade_no IS NULL OR length(origin_out_trade_no) BETWEEN 1 AND 32),
        origin_total_fen INTEGER CHECK (origin_total_fen IS NULL OR origin_total_fen > 0),
        CHECK (
          (sale_id IS NOT NULL AND tender_id IS NOT NULL AND origin_terminal_id IS NULL AND origin_receipt_no IS NULL
            AND origin_out_trade_no IS NULL AND origin_total_fen IS NULL)
          OR (sale_id IS NULL AND tender_id IS NULL AND attempt_id IS NULL AND kind = 'wechat'
            AND origin_terminal_id IS NOT NULL AND origin_receipt_no IS NOT NULL AND origin_out_trade_no IS NOT NULL
            AND origin_total_fen IS NOT NULL AND out_refund_no IS NOT NULL AND amount_fen <= origin_total_fen)
        )
      ) STRICT;
      INSERT INTO refunds_new (id, sale_id, tender_id, attempt_id, kind, out_refund_no, amount_fen, state, approved_by,
          reason, requested_at, requested_offline, send_count, refund_id, failure_code, failure_zh, failure_en,
          finished_at, updated_at)
        SELECT id, sale_id, tender_id, attempt_id, kind, out_refund_no, amount_fen, state, approved_by,
          reason, requested_at, requested_offline, send_count, refund_id, failure_code, failure_zh, failure_en,
          finished_at, updated_at FROM refunds;
      DROP TABLE refunds;
      ALTER TABLE refunds_new RENAME TO refunds;
      CREATE INDEX refunds_sale ON refunds (sale_id);
      CREATE INDEX refunds_requested ON refunds (requested_at);
      CREATE INDEX refunds_origin ON refunds (origin_terminal_id, origin_receipt_no) WHERE origin_terminal_id IS NOT NULL;
    `);
    db.exec(refundTriggersSql());
  },
};

function refundBody(id: string): string {
  return `(SELECT json_object(
      'refundId', r.id, 'saleId', r.sale_id, 'terminalId', COALESCE(s.terminal_id, (SELECT terminal_id FROM hub_link WHERE id = 1)),
      'receiptNo', s.receipt_no, 'tenderId', r.tender_id, 'originTerminalId', r.origin_terminal_id,
      'originReceiptNo', r.origin_receipt_no, 'attemptId', r.attempt_id,
      'outTradeNo', COALESCE(a.out_trade_no, r.origin_out_trade_no), 'kind', r.kind,
      'outRefundNo', r.out_refund_no, 'amountFen', r.amount_fen, 'state', r.state, 'approvedBy', r.approved_by,
      'reason', r.reason, 'requestedAt', r.requested_at, 'requestedOffline', json(CASE r.requested_offline WHEN 1 THEN 'true' ELSE 'false' END),
      'wechatRefundId', r.refund_id, 'failureCode', r.failure_code, 'finishedAt', r.finished_at)
    FROM refunds r LEFT JOIN sales s ON s.id = r.sale_id LEFT JOIN wechat_attempts a ON a.id = r.attempt_id
    WHERE r.id = ${id})`;
}

function insertRefundFact(at: string): string {
  return `INSERT INTO facts (seq, kind, at, body) SELECT seq + 1, 'refund', ${at}, ${refundBody('NEW.id')} FROM fact_head WHERE id = 1;`;
}

function refundTriggersSql(): string {
  return `
    CREATE TRIGGER fact_refund_added AFTER INSERT ON refunds
    BEGIN ${insertRefundFact('NEW.requested_at')} END;
    CREATE TRIGGER fact_refund_state AFTER UPDATE OF state ON refunds WHEN OLD.state IS NOT NEW.state
    BEGIN ${insertRefundFact('COALESCE(NEW.finished_at, NEW.updated_at)')} END;
  `;
}
