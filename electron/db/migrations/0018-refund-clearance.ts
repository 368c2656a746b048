import type { Migration } from '../migrate';

/**
 * Refunds of profit-sharing orders ask the hub first (issue 16): WeChat refunds only money still with the merchant,
 * so money already split to receivers is returned (分账回退) at the hub before the refund is sent.
 *
 * `clearance`: NULL for a refund that needs no clearance (not enrolled, or the store's payments are not made with
 * profit sharing); 'waiting' until the hub answered `clear: true`; then 'cleared' (with `cleared_at`). The refund's
 * outbox job runs `refund.clear` while waiting and is sent to WeChat only once cleared — the send step checks the
 * column again, so no path (recovery, a query finding nothing at WeChat) can send a refund that was not cleared.
 * `clearance_problem` / `clearance_detail`: why it is still waiting, for the manager's words (the hub could not be
 * reached, returns still in flight, a return WeChat refused with its reason, the order is being split right now).
 *
 * Columns on `refunds` rather than a table of their own: every refund view and the recovery read the refund row,
 * and the refund's facts fire only on its `state`, so these changes send nothing to the hub.
 */
export const migration0018RefundClearance: Migration = {
  version: 18,
  name: '0018-refund-clearance',
  up(db) {
    db.exec(`
      ALTER TABLE refunds ADD COLUMN clearance TEXT CHECK (clearance IS NULL OR clearance IN ('waiting', 'cleared'));
      ALTER TABLE refunds ADD COLUMN clearance_problem TEXT
        CHECK (clearance_problem IS NULL OR clearance_problem IN ('hub-unreachable', 'hub-stopped', 'hub-busy', 'returns-pending', 'return-failed'));
      ALTER TABLE refunds ADD COLUMN clearance_detail TEXT CHECK (clearance_detail IS NULL OR length(clearance_detail) <= 600);
      ALTER TABLE refunds ADD COLUMN cleared_at INTEGER;
    `);
  },
};
