import type { Migration } from '../migrate';

/**
 * The kind of WeChat tender (payment code or QR) a refund of another counter's sale goes back to, as the hub showed
 * it when the refund was made. The refunding counter's shift figures and Z report list refunds by tender kind like
 * any refund; without it such a refund could only be guessed into one of the two WeChat lines. Null for the
 * counter's own refunds (their tender row says it) and for refunds of another counter's sale made before this
 * column (counted as payment-code refunds: both are WeChat money, and the total stays right).
 */
export const migration0015OtherCounterRefundTender: Migration = {
  version: 15,
  name: '0015-other-counter-refund-tender',
  up(db) {
    db.exec(`
      ALTER TABLE refunds ADD COLUMN origin_tender_kind TEXT
        CHECK (origin_tender_kind IS NULL OR (origin_terminal_id IS NOT NULL AND origin_tender_kind IN ('wechat-code', 'wechat-qr')));
    `);
  },
};
