import type { SettlementAlertKind } from '../../../shared/hub-settlement-api';
import type { ReconMismatchClass as MismatchClass } from '../../../shared/hub-admin-api';

/**
 * The hub's tables as Kysely sees them. Every integer is a JS number on both engines: SQLite returns integers as
 * numbers, and the PostgreSQL pool parses BIGINT (int8) to a number after checking it is a safe integer (see
 * database.ts). Money is integer fen, times are integer ms since the epoch (UTC).
 */
export interface HubTables {
  hub_migrations: { version: number; name: string; applied_at: number };
  hub_meta: { key: string; value: string };
  users: {
    user_id: string;
    name: string;
    role: 'owner' | 'manager' | 'finance';
    password_hash: string;
    failed_sign_ins: number;
    last_failed_at: number | null;
    locked_until: number | null;
    created_at: number;
    /** Set when the owner disabled the account (migration 0009). */
    disabled_at: number | null;
  };
  sessions: { token_hash: string; user_id: string; created_at: number; expires_at: number };
  stores: { store_id: string; name: string; created_at: number };
  pairing_codes: {
    code_hash: string;
    store_id: string;
    created_by: string;
    created_at: number;
    expires_at: number;
    used_at: number | null;
    used_by_terminal: string | null;
  };
  terminals: {
    terminal_id: string;
    store_id: string;
    counter_name: string;
    public_key: string;
    app_version: string;
    enrolled_at: number;
    revoked_at: number | null;
    high_water: number;
    last_seen_at: number | null;
  };
  request_nonces: { terminal_id: string; nonce: string; seen_at: number };
  facts: {
    terminal_id: string;
    seq: number;
    store_id: string;
    kind: string;
    at: number;
    body: string;
    received_at: number;
  };
  heartbeats: { terminal_id: string; received_at: number; state: string };
  alerts: {
    alert_id: string;
    dedupe_key: string;
    kind: 'fact-gap' | 'fact-conflict' | 'z-report-mismatch' | 'orphan-qr-paid' | 'notification-mismatch' | SettlementAlertKind;
    store_id: string | null;
    terminal_id: string | null;
    detail: string;
    raised_at: number;
  };
  // Projections (migration 0002, electron/hub/projections/): each row keeps the fact number it was built from.
  hub_sales: {
    terminal_id: string; sale_id: number; store_id: string; receipt_terminal: string; receipt_no: number; state: string;
    description: string; total_fen: number; cashier_id: string; shift_id: string | null; created_at: number;
    paid_at: number | null; voided_at: number | null; void_reason: string | null; source_seq: number;
  };
  hub_sale_lines: {
    terminal_id: string; sale_id: number; line_no: number; name: string; unit_fen: number; quantity: number; amount_fen: number;
    source_seq: number;
  };
  hub_tenders: {
    terminal_id: string; tender_id: number; sale_id: number; kind: string; amount_fen: number; state: string;
    tendered_fen: number | null; change_fen: number | null; out_trade_no: string | null; transaction_id: string | null;
    created_at: number; settled_at: number | null; source_seq: number;
  };
  hub_wechat_attempts: {
    terminal_id: string; attempt_id: number; store_id: string; sale_id: number; tender_id: number; mode: string;
    out_trade_no: string; amount_fen: number; state: string; auth_code_masked: string | null; payer_masked: string | null;
    transaction_id: string | null; paid_fen: number | null; success_time: number | null; failure_code: string | null;
    created_at: number; resolved_at: number | null; source_seq: number;
    /** Migration 0005: from the fact's `firstSentAt` (NULL from older counters). */
    first_sent_at: number | null;
  };
  hub_refunds: {
    terminal_id: string; refund_id: number; store_id: string; sale_receipt_terminal: string; sale_receipt_no: number;
    local_sale_id: number | null; local_tender_id: number | null; cross_counter: number; kind: string;
    out_trade_no: string | null; out_refund_no: string | null; amount_fen: number; state: string; approved_by: string;
    reason: string | null; requested_at: number; wechat_refund_id: string | null; finished_at: number | null; source_seq: number;
  };
  hub_cash_movements: {
    terminal_id: string; movement_id: number; store_id: string; shift_id: string; kind: string; amount_fen: number;
    reason: string; actor_id: string; actor_name: string; approved_by: string | null; at: number; source_seq: number;
  };
  hub_shifts: {
    terminal_id: string; shift_id: string; store_id: string; cashier_id: string; cashier_name: string; state: string;
    opening_float_fen: number; opened_at: number; counted_fen: number | null; counted_at: number | null;
    expected_cash_fen: number | null; difference_fen: number | null; countersigned_by: string | null;
    closed_by: string | null; closed_at: number | null; z_no: number | null; source_seq: number;
  };
  hub_z_reports: {
    terminal_id: string; z_no: number; store_id: string; shift_id: string; report_json: string; sha256: string;
    sha256_verified: number; created_at: number; source_seq: number;
  };
  hub_counter_alerts: {
    terminal_id: string; source: 'risk' | 'payment'; alert_id: number; store_id: string; kind: string; state: string;
    amount_fen: number | null; detail: string; raised_at: number; resolved_at: number | null; resolved_by: string | null;
    source_seq: number;
  };
  // Dashboard rollups (migration 0005): see electron/hub/projections/rollups.ts.
  hub_rollup_hours: {
    store_id: string; day: number; hour: number; sales_count: number; sales_fen: number; micropay_count: number; micropay_slow: number;
  };
  hub_rollup_days: { store_id: string; day: number; metric: string; key: string; count: number; amount_fen: number };
  // Store-days whose rollups a push changed and the rollup job has not rebuilt yet (migration 0010).
  hub_rollup_marks: { store_id: string; day: number; terminal_id: string; generation: number; marked_at: number };
  // Per-month rollups (migration 0011): sums of the store-day rollups above, see electron/hub/projections/rollups.ts.
  hub_rollup_month_hours: {
    store_id: string; month: number; hour: number; sales_count: number; sales_fen: number; micropay_count: number; micropay_slow: number;
  };
  hub_rollup_month_weekdays: { store_id: string; month: number; weekday: number; sales_count: number; sales_fen: number };
  hub_rollup_months: { store_id: string; month: number; metric: string; key: string; count: number; amount_fen: number };
  // Reference data (migration 0003): see electron/hub/reference/.
  reference_revision: { id: number; revision: number };
  reference_list_revisions: { scope: string; list: 'items' | 'staff' | 'store'; revision: number };
  hub_items: {
    item_id: string;
    name: string;
    barcode: string | null;
    price_fen: number;
    quick: number;
    position: number | null;
    active: number;
    created_at: number;
    updated_at: number;
  };
  hub_item_overrides: { item_id: string; store_id: string; price_fen: number | null; available: number; updated_at: number };
  hub_staff: {
    staff_id: string;
    name: string;
    role: 'cashier' | 'manager' | 'owner';
    pin_hash: string;
    active: number;
    created_at: number;
    updated_at: number;
  };
  hub_staff_stores: { staff_id: string; store_id: string };
  hub_user_stores: { user_id: string; store_id: string };
  store_settings: {
    store_id: string;
    address: string;
    receipt_footer: string;
    max_cash_out_fen: number;
    max_refund_fen: number;
    wechat_mchid: string | null;
    wechat_sub_mchid: string | null;
    wechat_appid: string | null;
    updated_at: number;
  };
  hub_audit: {
    audit_id: string;
    at: number;
    user_id: string;
    user_name: string;
    address: string;
    action: string;
    target: string;
    detail: string;
    revision: number | null;
  };
  // Scheduled price changes (migration 0009): see electron/hub/reference/price-schedule.ts.
  hub_price_schedules: {
    schedule_id: string; item_id: string; store_id: string | null; price_fen: number; apply_at: number;
    state: 'pending' | 'applied' | 'cancelled'; created_by: string; created_by_name: string; created_from: string;
    created_at: number; settled_at: number | null; settled_by_name: string | null; applied_revision: number | null;
  };
  // Bills and the chain's reconciliation (migration 0004): see electron/hub/reconciliation/.
  hub_bill_days: {
    mchid: string; bill_date: string; bill: 'trade' | 'fund-flow'; state: 'pending' | 'stored' | 'no-bill' | 'unreadable' | 'gave-up';
    attempts: number; next_attempt_at: number | null; deadline_at: number; last_error: string | null; sha1: string | null;
    line_count: number; summary_json: string | null; created_at: number; stored_at: number | null; reconciled_at: number | null;
  };
  hub_bill_lines: {
    mchid: string; bill_date: string; line_no: number; kind: 'payment' | 'refund'; trade_time: number; transaction_id: string;
    out_trade_no: string; trade_type: string; trade_state: string; settle_fen: number; order_fen: number;
    out_refund_no: string | null; refund_id: string | null; refund_fen: number; refund_status: string | null; fee_fen: number;
  };
  hub_fund_flow_lines: {
    mchid: string; bill_date: string; line_no: number; booked_at: number; business_id: string; flow_id: string;
    business_name: string; business_type: string; direction: 'income' | 'expense'; amount_fen: number; balance_fen: number;
    voucher_no: string;
  };
  hub_recon_mismatches: {
    mismatch_id: string; mchid: string; bill_date: string; class: MismatchClass; out_trade_no: string; out_refund_no: string;
    store_id: string | null; terminal_id: string | null; sale_id: number | null; receipt_no: number | null; shift_id: string | null;
    cashier_id: string | null; local_fen: number | null; wechat_fen: number | null; local_state: string | null;
    wechat_state: string | null; detected_at: number; resolved_at: number | null; resolved_by: string | null; note: string | null;
  };
  hub_qr_closes: {
    out_trade_no: string; mchid: string; store_id: string; terminal_id: string; tender_id: number; amount_fen: number;
    state: 'closed' | 'paid' | 'failed'; detail: string | null; closed_at: number;
  };
  // WeChat Pay at the hub (migration 0004): merchants, notifications and the state they told.
  hub_merchants: {
    mchid: string; api_version: 'v2' | 'v3'; base_url: string; sealed: string; updated_at: number; updated_by: string;
    /** Service-provider mode (0012): the provider signing for this sub-merchant, and the sub-merchant's appid if any. */
    sp_mchid: string | null; sub_appid: string | null;
  };
  hub_notifications: {
    mchid: string; notification_id: string; api: 'v2' | 'v3'; kind: 'payment' | 'refund'; event_type: string; out_trade_no: string;
    out_refund_no: string | null; transaction_id: string; refund_id: string | null; order_total_fen: number | null; amount_fen: number; state: string; success_time: number | null;
    outcome: 'applied' | 'ignored-final' | 'awaiting-order' | 'mismatch'; detail: string; store_id: string | null;
    terminal_id: string | null; received_at: number; settled_at: number | null;
  };
  hub_wechat_orders: {
    mchid: string; out_trade_no: string; state: 'SUCCESS' | 'REFUND'; total_fen: number; transaction_id: string;
    success_time: number | null; store_id: string | null; terminal_id: string | null; notification_id: string; updated_at: number;
  };
  hub_wechat_refunds: {
    mchid: string; out_refund_no: string; out_trade_no: string; status: 'SUCCESS' | 'CLOSED' | 'ABNORMAL'; refund_fen: number;
    refund_id: string; success_time: number | null; store_id: string | null; terminal_id: string | null; notification_id: string;
    updated_at: number;
  };
  // Settlement runs for the profit-sharing mode (migration 0008): see electron/hub/settlement/.
  hub_settlement_merchants: { mchid: string; since_day: string; max_share_bp: number; updated_by: string; updated_at: number };
  hub_settlement_receivers: {
    mchid: string; account: string; type: string; relation_type: string; custom_relation: string | null; name: string | null;
    state: 'added' | 'failed'; last_error: string | null; created_by: string; updated_at: number;
  };
  hub_settlement_rule_sets: {
    rule_set_id: string; store_id: string; effective_from: string; state: 'pending-approval' | 'approved' | 'rejected';
    proposed_by: string; proposed_at: number; proposed_from: string; decided_by: string | null; decided_at: number | null;
    decision_note: string | null;
  };
  hub_settlement_rules: {
    rule_set_id: string; position: number; account: string; type: string; relation_type: string; share_kind: 'percent' | 'fixed';
    basis_points: number | null; fixed_fen: number | null; description: string;
  };
  hub_settlement_caps: { scope: string; max_day_fen: number; updated_by: string; updated_at: number };
  hub_settlement_days: {
    mchid: string; bill_date: string; state: 'running' | 'done'; payments: number; planned_at: number; finished_at: number | null;
    bill_state: 'pending' | 'matched' | 'differs' | 'no-bill'; bill_checked_at: number | null; bill_problems: string | null;
  };
  hub_settlement_payments: {
    transaction_id: string; mchid: string; bill_date: string; store_id: string | null; out_trade_no: string; order_fen: number;
    base_fen: number; rule_set_id: string | null; split_fen: number; unfreeze_state: 'waiting' | 'done' | 'failed' | 'not-needed';
    unfreeze_error: string | null; updated_at: number;
  };
  hub_settlement_orders: {
    transaction_id: string; account: string; mchid: string; bill_date: string; store_id: string | null; out_order_no: string;
    receiver_type: string; relation_type: string; description: string; amount_fen: number; returned_fen: number;
    state: 'planned' | 'sent' | 'done' | 'failed' | 'returned'; fail_code: string | null; fail_reason: string | null; retries: number;
    cap_override: number; sent_at: number | null; done_at: number | null; resolved_by: string | null; resolved_at: number | null;
    note: string | null; updated_at: number;
  };
  hub_settlement_refunds: { out_refund_no: string; out_trade_no: string; refund_fen: number; in_base: number; requested_by: string; created_at: number };
  hub_settlement_returns: {
    out_return_no: string; out_refund_no: string; transaction_id: string; account: string; out_order_no: string; amount_fen: number;
    state: 'sent' | 'done' | 'failed'; fail_reason: string | null; created_at: number; updated_at: number;
  };
}
