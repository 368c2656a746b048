import { fen } from '../../../shared/money';
import type { SplitRule, StoreSplitRules } from '../../../shared/split-rules';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type SettlementMerchantRow = HubTables['hub_settlement_merchants'];
export type ReceiverRow = HubTables['hub_settlement_receivers'];
export type RuleSetRow = HubTables['hub_settlement_rule_sets'];
export type RuleRow = HubTables['hub_settlement_rules'];
export type SettlementDayRow = HubTables['hub_settlement_days'];
export type SettlementPaymentRow = HubTables['hub_settlement_payments'];
export type SettlementOrderRow = HubTables['hub_settlement_orders'];
export type SettlementRefundRow = HubTables['hub_settlement_refunds'];
export type SettlementReturnRow = HubTables['hub_settlement_returns'];

/** The split request of a paid order: made from its transaction id (a rerun sends the same number, never a second split). */
export const splitOrderNo = (transactionId: string, retry = 0): string => (retry === 0 ? `PS${transactionId}` : `PS${transactionId}R${retry}`);
/** The unfreeze of what an order has left: also one number per order. */
export const unfreezeOrderNo = (transactionId: string): string => `UF${transactionId}`;
/** The return (回退) a refund needs from one receiver. */
export const returnOrderNo = (outRefundNo: string, account: string): string => `RT${outRefundNo}A${account}`;

export async function upsertSettlementMerchant(db: HubDb, row: SettlementMerchantRow): Promise<void> {
  await db.insertInto('hub_settlement_merchants').values(row)
    .onConflict((oc) => oc.column('mchid').doUpdateSet({ since_day: row.since_day, max_share_bp: row.max_share_bp, updated_by: row.updated_by, updated_at: row.updated_at }))
    .execute();
}

export async function listSettlementMerchants(db: HubDb): Promise<SettlementMerchantRow[]> {
  return db.selectFrom('hub_settlement_merchants').selectAll().orderBy('mchid').execute();
}

export async function upsertReceiver(db: HubDb, row: ReceiverRow): Promise<void> {
  const { mchid: _m, account: _a, ...change } = row;
  await db.insertInto('hub_settlement_receivers').values(row).onConflict((oc) => oc.columns(['mchid', 'account']).doUpdateSet(change)).execute();
}

export async function listReceivers(db: HubDb): Promise<ReceiverRow[]> {
  return db.selectFrom('hub_settlement_receivers').selectAll().orderBy('mchid').orderBy('account').execute();
}

export async function insertRuleSet(db: HubDb, set: RuleSetRow, rules: readonly RuleRow[]): Promise<void> {
  await db.insertInto('hub_settlement_rule_sets').values(set).execute();
  if (rules.length > 0) await db.insertInto('hub_settlement_rules').values([...rules]).execute();
}

export async function findRuleSet(db: HubDb, ruleSetId: string): Promise<RuleSetRow | undefined> {
  return db.selectFrom('hub_settlement_rule_sets').selectAll().where('rule_set_id', '=', ruleSetId).executeTakeFirst();
}

/** Only a set still waiting is decided (a second decision changes nothing): true when this call decided it. */
export async function decideRuleSet(db: HubDb, ruleSetId: string, change: Pick<RuleSetRow, 'state' | 'decided_by' | 'decided_at' | 'decision_note'>): Promise<boolean> {
  const result = await db.updateTable('hub_settlement_rule_sets').set(change).where('rule_set_id', '=', ruleSetId)
    .where('state', '=', 'pending-approval').executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function listRuleSets(db: HubDb, storeIds: readonly string[] | null): Promise<RuleSetRow[]> {
  let q = db.selectFrom('hub_settlement_rule_sets').selectAll();
  if (storeIds !== null) q = q.where('store_id', 'in', storeIds.length > 0 ? [...storeIds] : ['']);
  return q.orderBy('store_id').orderBy('effective_from').orderBy('proposed_at').execute();
}

export async function rulesOf(db: HubDb, ruleSetIds: readonly string[]): Promise<Map<string, RuleRow[]>> {
  const byId = new Map<string, RuleRow[]>();
  if (ruleSetIds.length === 0) return byId;
  const rows = await db.selectFrom('hub_settlement_rules').selectAll().where('rule_set_id', 'in', [...ruleSetIds]).orderBy('rule_set_id').orderBy('position').execute();
  for (const r of rows) byId.set(r.rule_set_id, [...(byId.get(r.rule_set_id) ?? []), r]);
  return byId;
}

export function splitRuleOf(r: RuleRow): SplitRule {
  return {
    account: r.account, type: 'MERCHANT_ID', relationType: r.relation_type, description: r.description,
    share: r.share_kind === 'percent' ? { kind: 'percent', basisPoints: r.basis_points ?? 0 } : { kind: 'fixed', fen: fen(r.fixed_fen ?? 0) },
  };
}

/** The approved rule sets of some stores, as split-rules.ts takes them (with their ids). */
export async function approvedRuleSets(db: HubDb, storeIds: readonly string[]): Promise<(StoreSplitRules & { ruleSetId: string })[]> {
  if (storeIds.length === 0) return [];
  const sets = await db.selectFrom('hub_settlement_rule_sets').selectAll().where('store_id', 'in', [...storeIds]).where('state', '=', 'approved').execute();
  const rules = await rulesOf(db, sets.map((s) => s.rule_set_id));
  // Two approved sets from the same day: the one proposed last wins (it was approved knowing the other).
  sets.sort((a, b) => a.proposed_at - b.proposed_at);
  const byKey = new Map<string, StoreSplitRules & { ruleSetId: string }>();
  for (const s of sets) {
    byKey.set(`${s.store_id}|${s.effective_from}`, { ruleSetId: s.rule_set_id, storeId: s.store_id, effectiveFrom: s.effective_from, rules: (rules.get(s.rule_set_id) ?? []).map(splitRuleOf) });
  }
  return [...byKey.values()];
}

export async function setCap(db: HubDb, scope: string, maxDayFen: number | null, by: string, at: number): Promise<void> {
  if (maxDayFen === null) {
    await db.deleteFrom('hub_settlement_caps').where('scope', '=', scope).execute();
    return;
  }
  await db.insertInto('hub_settlement_caps').values({ scope, max_day_fen: maxDayFen, updated_by: by, updated_at: at })
    .onConflict((oc) => oc.column('scope').doUpdateSet({ max_day_fen: maxDayFen, updated_by: by, updated_at: at })).execute();
}

export async function listCaps(db: HubDb): Promise<HubTables['hub_settlement_caps'][]> {
  return db.selectFrom('hub_settlement_caps').selectAll().orderBy('scope').execute();
}

/** Claims a merchant's day for planning: false when it was planned before (its rows are then left as they are). */
export async function claimSettlementDay(db: HubDb, mchid: string, billDate: string, now: number): Promise<boolean> {
  const result = await db.insertInto('hub_settlement_days')
    .values({ mchid, bill_date: billDate, state: 'running', payments: 0, planned_at: now, finished_at: null, bill_state: 'pending', bill_checked_at: null, bill_problems: null })
    .onConflict((oc) => oc.columns(['mchid', 'bill_date']).doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listSettlementDays(db: HubDb, filter: { billDate?: string; state?: SettlementDayRow['state'] }): Promise<SettlementDayRow[]> {
  let q = db.selectFrom('hub_settlement_days').selectAll();
  if (filter.billDate !== undefined) q = q.where('bill_date', '=', filter.billDate);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  return q.orderBy('bill_date').orderBy('mchid').execute();
}

export async function updateSettlementDay(db: HubDb, mchid: string, billDate: string, change: Partial<Omit<SettlementDayRow, 'mchid' | 'bill_date'>>): Promise<void> {
  await db.updateTable('hub_settlement_days').set(change).where('mchid', '=', mchid).where('bill_date', '=', billDate).execute();
}

const CHUNK = 200;
export async function insertPlannedRows(db: HubDb, payments: readonly SettlementPaymentRow[], orders: readonly SettlementOrderRow[]): Promise<void> {
  for (let i = 0; i < payments.length; i += CHUNK) await db.insertInto('hub_settlement_payments').values(payments.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < orders.length; i += CHUNK) await db.insertInto('hub_settlement_orders').values(orders.slice(i, i + CHUNK)).execute();
}

/** Split requests to send or to ask about: the orders' rows in `state`, at most `limit` transactions. */
export async function ordersInState(db: HubDb, state: 'planned' | 'sent', limit: number): Promise<SettlementOrderRow[]> {
  const txs = await db.selectFrom('hub_settlement_orders').select('transaction_id').distinct().where('state', '=', state).orderBy('transaction_id').limit(limit).execute();
  if (txs.length === 0) return [];
  return db.selectFrom('hub_settlement_orders').selectAll().where('state', '=', state).where('transaction_id', 'in', txs.map((t) => t.transaction_id))
    .orderBy('transaction_id').orderBy('account').execute();
}

export async function ordersOfTransaction(db: HubDb, transactionId: string): Promise<SettlementOrderRow[]> {
  return db.selectFrom('hub_settlement_orders').selectAll().where('transaction_id', '=', transactionId).orderBy('account').execute();
}

/** Moves the rows of one split request from one state to another (only those still in `from`): how many moved. */
export async function moveOrders(db: HubDb, transactionId: string, outOrderNo: string, from: SettlementOrderRow['state'], change: Partial<SettlementOrderRow>): Promise<number> {
  const result = await db.updateTable('hub_settlement_orders').set(change).where('transaction_id', '=', transactionId)
    .where('out_order_no', '=', outOrderNo).where('state', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows);
}

export async function updateOrder(db: HubDb, transactionId: string, account: string, change: Partial<SettlementOrderRow>): Promise<void> {
  await db.updateTable('hub_settlement_orders').set(change).where('transaction_id', '=', transactionId).where('account', '=', account).execute();
}

export async function findOrder(db: HubDb, transactionId: string, account: string): Promise<SettlementOrderRow | undefined> {
  return db.selectFrom('hub_settlement_orders').selectAll().where('transaction_id', '=', transactionId).where('account', '=', account).executeTakeFirst();
}

/** Orders whose splits are all finished (done, returned, or a failure resolved by hand) and that still hold money frozen. */
export async function paymentsReadyToUnfreeze(db: HubDb, limit: number): Promise<SettlementPaymentRow[]> {
  return db.selectFrom('hub_settlement_payments as p').selectAll('p').where('p.unfreeze_state', '=', 'waiting')
    .where((eb) => eb.not(eb.exists(
      eb.selectFrom('hub_settlement_orders as o').select('o.account').whereRef('o.transaction_id', '=', 'p.transaction_id')
        .where((eb) => eb.or([eb('o.state', 'in', ['planned', 'sent']), eb.and([eb('o.state', '=', 'failed'), eb('o.resolved_at', 'is', null)])])),
    )))
    .orderBy('p.transaction_id').limit(limit).execute();
}

export async function updatePayment(db: HubDb, transactionId: string, change: Partial<SettlementPaymentRow>): Promise<void> {
  await db.updateTable('hub_settlement_payments').set(change).where('transaction_id', '=', transactionId).execute();
}

export async function paymentByOutTradeNo(db: HubDb, outTradeNo: string): Promise<SettlementPaymentRow | undefined> {
  return db.selectFrom('hub_settlement_payments').selectAll().where('out_trade_no', '=', outTradeNo).executeTakeFirst();
}

export async function dayRows(db: HubDb, billDate: string, storeIds: readonly string[] | null): Promise<{ payments: SettlementPaymentRow[]; orders: SettlementOrderRow[] }> {
  let p = db.selectFrom('hub_settlement_payments').selectAll().where('bill_date', '=', billDate);
  let o = db.selectFrom('hub_settlement_orders').selectAll().where('bill_date', '=', billDate);
  if (storeIds !== null) {
    const ids = storeIds.length > 0 ? [...storeIds] : [''];
    p = p.where('store_id', 'in', ids);
    o = o.where('store_id', 'in', ids);
  }
  return { payments: await p.orderBy('transaction_id').execute(), orders: await o.orderBy('transaction_id').orderBy('account').execute() };
}

/** Days not finished: every row planned or sent is gone, and every order unfrozen (or not needing it). */
export async function dayIsFinished(db: HubDb, mchid: string, billDate: string): Promise<boolean> {
  const open = await db.selectFrom('hub_settlement_orders').select('account').where('mchid', '=', mchid).where('bill_date', '=', billDate)
    .where('state', 'in', ['planned', 'sent']).limit(1).execute();
  if (open.length > 0) return false;
  const waiting = await db.selectFrom('hub_settlement_payments').select('transaction_id').where('mchid', '=', mchid).where('bill_date', '=', billDate)
    .where('unfreeze_state', '=', 'waiting').limit(1).execute();
  return waiting.length === 0;
}

export async function insertRefund(db: HubDb, row: SettlementRefundRow): Promise<SettlementRefundRow> {
  await db.insertInto('hub_settlement_refunds').values(row).onConflict((oc) => oc.column('out_refund_no').doNothing()).execute();
  return db.selectFrom('hub_settlement_refunds').selectAll().where('out_refund_no', '=', row.out_refund_no).executeTakeFirstOrThrow();
}

export async function refundsOfTrade(db: HubDb, outTradeNo: string): Promise<SettlementRefundRow[]> {
  return db.selectFrom('hub_settlement_refunds').selectAll().where('out_trade_no', '=', outTradeNo).execute();
}

export async function insertReturn(db: HubDb, row: SettlementReturnRow): Promise<void> {
  await db.insertInto('hub_settlement_returns').values(row).onConflict((oc) => oc.column('out_return_no').doNothing()).execute();
}

export async function returnsOf(db: HubDb, filter: { outRefundNo?: string; transactionId?: string; state?: SettlementReturnRow['state'] }): Promise<SettlementReturnRow[]> {
  let q = db.selectFrom('hub_settlement_returns').selectAll();
  if (filter.outRefundNo !== undefined) q = q.where('out_refund_no', '=', filter.outRefundNo);
  if (filter.transactionId !== undefined) q = q.where('transaction_id', '=', filter.transactionId);
  if (filter.state !== undefined) q = q.where('state', '=', filter.state);
  return q.orderBy('out_return_no').execute();
}

export async function updateReturn(db: HubDb, outReturnNo: string, from: SettlementReturnRow['state'], change: Partial<SettlementReturnRow>): Promise<boolean> {
  const result = await db.updateTable('hub_settlement_returns').set(change).where('out_return_no', '=', outReturnNo).where('state', '=', from).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
