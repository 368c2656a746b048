import type pg from 'pg';

/**
 * Generates a chain's year into the hub's projection tables in PostgreSQL, server-side (generate_series and
 * INSERT … SELECT: no row crosses the wire), with the indexes the hub's migrations created already in place, then
 * the benchmark builds the rollups with the hub's own code. Full scale (scale 1): 200 stores × 365 days × 274 sales
 * a store-day ≈ 20 million sales, 2 lines and 1 tender each, a WeChat attempt per WeChat tender plus failed
 * attempts, refunds of ~1.5 % of sales, 4 shifts a store-day. `scale` shrinks the sales per store-day only: stores
 * and days stay, so the rollups the dashboards read keep almost their full-scale size.
 */
export const STORES = 200;
export const DAYS = 365;
export const FULL_SALES_PER_STORE_DAY = 274;
/** 2026-01-01 00:00 in China (UTC+8), ms. */
export const YEAR_START = Date.UTC(2026, 0, 1) - 8 * 3_600_000;

export async function generateChainYear(client: pg.Client, scale: number, log: (line: string) => void): Promise<{ sales: number }> {
  const perDay = Math.max(1, Math.round(FULL_SALES_PER_STORE_DAY * scale));
  const sales = STORES * DAYS * perDay;
  const step = async (what: string, text: string): Promise<void> => {
    const started = Date.now();
    await client.query(text);
    log(`  ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };
  await client.query('select setseed(0.42)');
  await step('stores', `insert into stores (store_id, name, created_at)
    select 'S' || lpad(s::text, 3, '0'), '门店' || s, 0 from generate_series(1, ${STORES}) s`);
  // Sale g: store g % STORES, day (g / STORES) % DAYS; opening hours 08–22 with lunch and dinner peaks.
  await step(`hub_sales (${sales})`, `insert into hub_sales (terminal_id, sale_id, store_id, receipt_terminal, receipt_no, state, description, total_fen,
      cashier_id, shift_id, created_at, paid_at, voided_at, void_reason, source_seq)
    select t, g, st, t, g, state, '', total, 'c1', t || '-' || d || '-' || (case when hr < 15 then 1 else 2 end), at,
      case when state = 'paid' then at + 15000 end, case when state = 'voided' then at + 30000 end, null, g
    from (
      select g, 'S' || lpad(((g % ${STORES}) + 1)::text, 3, '0') as st, 'S' || lpad(((g % ${STORES}) + 1)::text, 3, '0') || 'T' || (g / ${STORES} / ${DAYS}) % 2 as t,
        (g / ${STORES}) % ${DAYS} as d, hr, ${YEAR_START}::bigint + ((g / ${STORES}) % ${DAYS}) * 86400000 + hr * 3600000 + (random() * 3599999)::bigint as at,
        300 + (random() ^ 2 * 30000)::bigint as total,
        case when r < 0.95 then 'paid' when r < 0.99 then 'voided' else 'open' end as state
      from (select g, random() as r,
              (array[8,9,10,11,11,11,12,12,12,12,13,13,14,15,16,17,17,18,18,18,19,19,20,21])[1 + floor(random() * 24)::int] as hr
            from generate_series(1::bigint, ${sales}) g) x
    ) y`);
  await step('hub_sale_lines', `insert into hub_sale_lines (terminal_id, sale_id, line_no, name, unit_fen, quantity, amount_fen, source_seq)
    select s.terminal_id, s.sale_id, n, '商品' || n, s.total_fen / 2 + (case when n = 1 then s.total_fen % 2 else 0 end), 1,
      s.total_fen / 2 + (case when n = 1 then s.total_fen % 2 else 0 end), s.source_seq
    from hub_sales s cross join generate_series(1, 2) n`);
  await step('hub_tenders', `insert into hub_tenders (terminal_id, tender_id, sale_id, kind, amount_fen, state, tendered_fen, change_fen, out_trade_no,
      transaction_id, created_at, settled_at, source_seq)
    select terminal_id, sale_id, sale_id, kind, total_fen, case state when 'paid' then 'paid' when 'voided' then 'cancelled' else 'pending' end,
      null, null, case when kind <> 'cash' then terminal_id || 'P' || sale_id end, null, created_at, paid_at, source_seq
    from (select s.*, case when random() < 0.35 then 'cash' when random() < 0.77 then 'wechat-code' else 'wechat-qr' end as kind from hub_sales s) x`);
  await step('hub_wechat_attempts', `insert into hub_wechat_attempts (terminal_id, attempt_id, store_id, sale_id, tender_id, mode, out_trade_no, amount_fen,
      state, auth_code_masked, payer_masked, transaction_id, paid_fen, success_time, failure_code, created_at, resolved_at, source_seq, first_sent_at)
    select t.terminal_id, t.tender_id * 2, s.store_id, t.sale_id, t.tender_id, case t.kind when 'wechat-code' then 'micropay' else 'native' end,
      t.out_trade_no, t.amount_fen, case t.state when 'paid' then 'paid' when 'cancelled' then 'cancelled' else 'needs-attention' end,
      null, null, null, null, null, null, t.created_at, t.created_at + 300 + (random() ^ 4 * 40000)::bigint, t.source_seq, t.created_at + 50
    from hub_tenders t join hub_sales s on s.terminal_id = t.terminal_id and s.sale_id = t.sale_id where t.kind <> 'cash'`);
  await step('failed attempts', `insert into hub_wechat_attempts (terminal_id, attempt_id, store_id, sale_id, tender_id, mode, out_trade_no, amount_fen,
      state, auth_code_masked, payer_masked, transaction_id, paid_fen, success_time, failure_code, created_at, resolved_at, source_seq, first_sent_at)
    select terminal_id, attempt_id - 1, store_id, sale_id, tender_id, mode, out_trade_no || 'F', amount_fen, 'failed', null, null, null, null, null,
      (array['NOTENOUGH', 'AUTHCODEEXPIRE', 'USERPAYING_TIMEOUT', 'OFFLINE_EXPIRED'])[1 + floor(random() * 4)::int],
      created_at - 20000, created_at - 20000 + (random() * 15000)::bigint, source_seq, created_at - 19950
    from hub_wechat_attempts where random() < 0.06`);
  await step('hub_refunds', `insert into hub_refunds (terminal_id, refund_id, store_id, sale_receipt_terminal, sale_receipt_no, local_sale_id, local_tender_id,
      cross_counter, kind, out_trade_no, out_refund_no, amount_fen, state, approved_by, reason, requested_at, wechat_refund_id, finished_at, source_seq)
    select terminal_id, sale_id, store_id, terminal_id, sale_id, sale_id, sale_id, 0, 'cash', null, null, total_fen,
      case when random() < 0.9 then 'succeeded' else 'failed' end, 'm1',
      (array['顾客退货', '商品质量问题', '收银错误', null])[1 + floor(random() * 4)::int], created_at + 3600000, null, created_at + 3700000, source_seq
    from hub_sales where state = 'paid' and random() < 0.015`);
  await step('hub_shifts', `insert into hub_shifts (terminal_id, shift_id, store_id, cashier_id, cashier_name, state, opening_float_fen, opened_at,
      counted_fen, counted_at, expected_cash_fen, difference_fen, countersigned_by, closed_by, closed_at, z_no, source_seq)
    select t, t || '-' || d || '-' || n, st, 'c1', '收银员', 'closed', 50000, o, 50000 + 100000 + diff, o + 6 * 3600000, 50000 + 100000, diff, null, 'c1',
      o + 6 * 3600000, d * 2 + n, 0
    from (select 'S' || lpad(s::text, 3, '0') as st, 'S' || lpad(s::text, 3, '0') || 'T' || k as t, d, n,
            ${YEAR_START}::bigint + d * 86400000 + (case n when 1 then 8 else 15 end) * 3600000 as o,
            (case when random() < 0.1 then (random() * 2000 - 1000)::bigint else 0 end) as diff
          from generate_series(1, ${STORES}) s, generate_series(0, 1) k, generate_series(0::bigint, ${DAYS - 1}) d, generate_series(1, 2) n) x`);
  return { sales };
}
