import { rulesInEffect, splitOrderAmount, SplitRuleError, type SplitResult } from '../../../shared/split-rules';
import type { SettlementAlertKind } from '../../../shared/hub-settlement-api';
import { raiseAlert } from '../db/alerts';
import { billLinesOf } from '../db/bill-days';
import type { HubDb } from '../db/database';
import { attemptsByOutTradeNo } from '../db/recon-local';
import {
  approvedRuleSets, claimSettlementDay, insertPlannedRows, listCaps, listReceivers, splitOrderNo, updateSettlementDay,
  type SettlementMerchantRow, type SettlementOrderRow, type SettlementPaymentRow,
} from '../db/settlement';
import type { HubMerchant } from '../merchants/directory';

/** Refund states that take money from an order (as the hub's refund lookups count them). */
const COUNTED_REFUND_STATES = ['queued', 'processing', 'succeeded', 'abnormal'];
export const CHAIN_CAP_SCOPE = '*';

export interface PlanCounts {
  payments: number;
  parts: number;
  alerts: number;
}

/**
 * Plans a merchant's settlement day in ONE transaction (the caller's): the day is claimed first (a second plan of
 * the same day does nothing, so a restart never plans twice), then every payment of the day's stored trade bill
 * (WeChat's own list of what was paid, with the transaction ids) gets a row, and each of its parts by its store's
 * rules in effect that day (shared/split-rules.ts) a row in `planned`, to be sent by the run. The base of a split
 * is the order less the refunds the hub knows of by then (counters' facts, the bill's refund lines, refund
 * clearances): money refunded before the split is not the receivers'. Checked here, each with an alert: a split
 * larger than its order (all its parts fail), a receiver not on file at WeChat (its part fails), a store's or the
 * chain's day over its cap (the store's, or every, part of the day fails with OVER_DAILY_CAP until the owner retries
 * it, which sends regardless of the cap, or resolves it with a note).
 */
export async function planSettlementDay(trx: HubDb, merchant: HubMerchant, mode: SettlementMerchantRow, billDate: string, now: number): Promise<PlanCounts | null> {
  if (!(await claimSettlementDay(trx, merchant.mchid, billDate, now))) return null;
  const lines = await billLinesOf(trx, merchant.mchid, billDate);
  const paid = lines.filter((l) => l.kind === 'payment' && l.trade_state === 'SUCCESS');
  const storeOf = new Map((await attemptsByOutTradeNo(trx, merchant.storeIds, paid.map((l) => l.out_trade_no))).map((a) => [a.out_trade_no, a.store_id]));
  const refunded = await refundedByOrder(trx, paid.map((l) => l.out_trade_no), lines);
  const sets = await approvedRuleSets(trx, merchant.storeIds);
  const onFile = new Set((await listReceivers(trx)).filter((r) => r.mchid === merchant.mchid && r.state === 'added').map((r) => r.account));
  const payments: SettlementPaymentRow[] = [];
  const orders: SettlementOrderRow[] = [];
  const alerts: { kind: SettlementAlertKind; key: string; store: string | null; detail: Record<string, unknown> }[] = [];

  for (const line of paid) {
    const storeId = storeOf.get(line.out_trade_no) ?? (merchant.storeIds.length === 1 ? (merchant.storeIds[0] ?? null) : null);
    const base = Math.max(0, line.order_fen - (refunded.get(line.out_trade_no) ?? 0));
    const set = storeId === null ? null : rulesInEffect(sets, storeId, billDate);
    const payment: SettlementPaymentRow = {
      transaction_id: line.transaction_id, mchid: merchant.mchid, bill_date: billDate, store_id: storeId, out_trade_no: line.out_trade_no,
      order_fen: line.order_fen, base_fen: base, rule_set_id: set && 'ruleSetId' in set ? String(set.ruleSetId) : null, split_fen: 0,
      unfreeze_state: base === 0 ? 'not-needed' : 'waiting', unfreeze_error: null, updated_at: now,
    };
    payments.push(payment);
    if (set === null || base === 0) continue;
    let split: SplitResult;
    try {
      split = splitOrderAmount(base as SplitResult['storeKeepsFen'], set.rules, mode.max_share_bp);
    } catch (error) {
      if (!(error instanceof SplitRuleError)) throw error;
      // Rules that cannot be used (e.g. percentages above a lowered maximum share): nothing moves until fixed by hand.
      payment.unfreeze_state = 'failed';
      payment.unfreeze_error = `RULES_UNUSABLE: ${error.message}`;
      continue;
    }
    const total = split.parts.reduce((s, p) => s + p.amountFen, 0);
    const exceeds = total > base;
    if (exceeds) alerts.push({ kind: 'settlement-split-exceeds-order', key: `split-exceeds:${line.transaction_id}`, store: storeId, detail: { outTradeNo: line.out_trade_no, orderFen: base, splitFen: total } });
    payment.split_fen = total;
    for (const part of split.parts) {
      const rule = set.rules.find((r) => r.account === part.account);
      const known = onFile.has(part.account);
      if (!known) alerts.push({ kind: 'settlement-receiver-unknown', key: `receiver-unknown:${merchant.mchid}:${part.account}:${billDate}`, store: storeId, detail: { account: part.account, billDate } });
      const failCode = exceeds ? 'SPLIT_EXCEEDS_ORDER' : known ? null : 'RECEIVER_NOT_ON_FILE';
      orders.push({
        transaction_id: line.transaction_id, account: part.account, mchid: merchant.mchid, bill_date: billDate, store_id: storeId,
        out_order_no: splitOrderNo(line.transaction_id), receiver_type: part.type, relation_type: rule?.relationType ?? 'CUSTOM',
        description: part.description, amount_fen: part.amountFen, returned_fen: 0, state: failCode === null ? 'planned' : 'failed',
        fail_code: failCode, fail_reason: failCode === null ? null : failCode === 'SPLIT_EXCEEDS_ORDER' ? '分账金额大于订单金额 / The split is larger than the order' : '分账接收方未在微信登记 / The receiver is not on file at WeChat',
        retries: 0, cap_override: 0, sent_at: null, done_at: null, resolved_by: null, resolved_at: null, note: null, updated_at: now,
      });
    }
  }

  // Caps: a store's day, then the chain's day (this plan and what other merchants planned for the same day).
  const caps = new Map((await listCaps(trx)).map((c) => [c.scope, c.max_day_fen]));
  const live = (o: SettlementOrderRow): boolean => o.state === 'planned';
  const blockOverCap = (match: (o: SettlementOrderRow) => boolean): void => {
    for (const o of orders) {
      if (!match(o) || !live(o)) continue;
      o.state = 'failed';
      o.fail_code = 'OVER_DAILY_CAP';
      o.fail_reason = '超出当日分账上限，待老板确认 / Over the day\'s cap: waiting for the owner';
    }
  };
  for (const storeId of new Set(orders.map((o) => o.store_id))) {
    const cap = storeId === null ? undefined : caps.get(storeId);
    const sum = orders.filter((o) => o.store_id === storeId && live(o)).reduce((s, o) => s + o.amount_fen, 0);
    if (cap !== undefined && sum > cap) {
      blockOverCap((o) => o.store_id === storeId);
      alerts.push({ kind: 'settlement-over-cap', key: `over-cap:${storeId ?? ''}:${billDate}`, store: storeId, detail: { billDate, capFen: cap, splitFen: sum } });
    }
  }
  const chainCap = caps.get(CHAIN_CAP_SCOPE);
  if (chainCap !== undefined) {
    const others = await trx.selectFrom('hub_settlement_orders').select((eb) => eb.fn.coalesce(eb.fn.sum<number>('amount_fen'), eb.lit(0)).as('fen'))
      .where('bill_date', '=', billDate).where('mchid', '!=', merchant.mchid).where('state', 'in', ['planned', 'sent', 'done']).executeTakeFirst();
    const sum = Number(others?.fen ?? 0) + orders.filter(live).reduce((s, o) => s + o.amount_fen, 0);
    if (sum > chainCap) {
      blockOverCap(() => true);
      alerts.push({ kind: 'settlement-over-cap', key: `over-cap:${CHAIN_CAP_SCOPE}:${billDate}`, store: null, detail: { billDate, capFen: chainCap, splitFen: sum } });
    }
  }

  await insertPlannedRows(trx, payments, orders);
  await trx.updateTable('hub_settlement_refunds').set({ in_base: 1 }).where('out_trade_no', 'in', payments.length > 0 ? payments.map((p) => p.out_trade_no) : ['']).execute();
  await updateSettlementDay(trx, merchant.mchid, billDate, { payments: payments.length });
  for (const a of alerts) {
    await raiseAlert(trx, { dedupe_key: a.key, kind: a.kind, store_id: a.store, terminal_id: null, detail: JSON.stringify(a.detail), raised_at: now });
  }
  return { payments: payments.length, parts: orders.length, alerts: alerts.length };
}

/** Per order, the refunds known so far: counters' facts, the bill's refund lines and refund clearances, each refund once. */
async function refundedByOrder(trx: HubDb, outTradeNos: readonly string[], lines: readonly { kind: string; out_trade_no: string; out_refund_no: string | null; refund_fen: number }[]): Promise<Map<string, number>> {
  const byRefund = new Map<string, { trade: string; fen: number }>();
  for (const l of lines) if (l.kind === 'refund' && l.out_refund_no) byRefund.set(l.out_refund_no, { trade: l.out_trade_no, fen: l.refund_fen });
  const chunks: string[][] = [];
  for (let i = 0; i < outTradeNos.length; i += 500) chunks.push(outTradeNos.slice(i, i + 500));
  for (const chunk of chunks) {
    const facts = await trx.selectFrom('hub_refunds').select(['out_trade_no', 'out_refund_no', 'amount_fen']).where('out_trade_no', 'in', chunk)
      .where('state', 'in', COUNTED_REFUND_STATES).execute();
    for (const r of facts) if (r.out_refund_no && r.out_trade_no) byRefund.set(r.out_refund_no, { trade: r.out_trade_no, fen: r.amount_fen });
    const cleared = await trx.selectFrom('hub_settlement_refunds').selectAll().where('out_trade_no', 'in', chunk).execute();
    for (const r of cleared) byRefund.set(r.out_refund_no, { trade: r.out_trade_no, fen: r.refund_fen });
  }
  const byOrder = new Map<string, number>();
  for (const { trade, fen } of byRefund.values()) byOrder.set(trade, (byOrder.get(trade) ?? 0) + fen);
  return byOrder;
}
