import type { Migration } from '../migrate';

/**
 * The `wechat-attempt` fact (migration 0011) gains `firstSentAt`: when a request for the order may first have
 * reached WeChat, or null when it never was sent (given up offline, cancelled before sending). The hub's payment
 * funnel (scanned → sent → paid / failed / abandoned, issue 15) needs the "sent" step; the scan time (`createdAt`)
 * and the result time (`resolvedAt`) were already there for the latency. The hub accepts facts with and without
 * the field (shared/hub-facts.ts), so counters on either side of this migration keep pushing.
 *
 * Only the trigger's body changes (dropped and created again with the same name, event and condition); no row
 * moves and facts already written stay as they were (facts are append-only).
 */
export const migration0016AttemptFactSentTime: Migration = {
  version: 16,
  name: '0016-attempt-fact-sent-time',
  up(db) {
    db.exec(`
      DROP TRIGGER fact_attempt_final;
      CREATE TRIGGER fact_attempt_final
      AFTER UPDATE OF state ON wechat_attempts
      WHEN OLD.state IS NOT NEW.state AND NEW.state IN ('paid', 'failed', 'reversed', 'cancelled', 'closed', 'refunded', 'needs-attention')
      BEGIN
        INSERT INTO facts (seq, kind, at, body)
        SELECT seq + 1, 'wechat-attempt', COALESCE(NEW.resolved_at, NEW.updated_at),
          (SELECT json_object(
              'attemptId', a.id, 'saleId', a.sale_id, 'tenderId', a.tender_id, 'terminalId', s.terminal_id,
              'receiptNo', s.receipt_no, 'mode', a.mode, 'outTradeNo', a.out_trade_no, 'amountFen', a.amount_fen,
              'state', a.state, 'authCodeMasked', a.auth_code_masked, 'payerMasked', a.payer_masked,
              'transactionId', a.transaction_id, 'bankType', a.bank_type, 'paidFen', a.paid_fen, 'successTime', a.success_time,
              'failureCode', a.failure_code, 'createdAt', a.created_at, 'resolvedAt', a.resolved_at,
              'firstSentAt', a.first_sent_at)
            FROM wechat_attempts a JOIN sales s ON s.id = a.sale_id WHERE a.id = NEW.id)
        FROM fact_head WHERE id = 1;
      END;
    `);
  },
};
