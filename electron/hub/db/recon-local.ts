import type { HubDb } from './database';

/**
 * What the counters told the hub about a merchant's WeChat orders (projections of their facts), for the chain's
 * reconciliation: attempts and refunds by the numbers a bill names, and the ones of a day no bill lists. Always
 * limited to the merchant's stores: another merchant's order with the same number is not this one's.
 */

export interface LocalAttempt {
  terminal_id: string;
  store_id: string;
  sale_id: number;
  out_trade_no: string;
  amount_fen: number;
  state: string;
  success_time: number | null;
  resolved_at: number | null;
}

export interface LocalRefund {
  terminal_id: string;
  store_id: string;
  refund_id: number;
  out_trade_no: string | null;
  out_refund_no: string | null;
  amount_fen: number;
  state: string;
  requested_at: number;
}

export interface SaleOwner {
  terminal_id: string;
  sale_id: number;
  receipt_no: number;
  shift_id: string | null;
  cashier_id: string;
}

const CHUNK = 500;

async function inChunks<T>(values: readonly string[], run: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const out: T[] = [];
  for (let i = 0; i < values.length; i += CHUNK) out.push(...(await run(values.slice(i, i + CHUNK))));
  return out;
}

const ATTEMPT_COLUMNS = ['terminal_id', 'store_id', 'sale_id', 'out_trade_no', 'amount_fen', 'state', 'success_time', 'resolved_at'] as const;
const REFUND_COLUMNS = ['terminal_id', 'store_id', 'refund_id', 'out_trade_no', 'out_refund_no', 'amount_fen', 'state', 'requested_at'] as const;

export async function attemptsByOutTradeNo(db: HubDb, storeIds: readonly string[], outTradeNos: readonly string[]): Promise<LocalAttempt[]> {
  if (storeIds.length === 0) return [];
  return inChunks(outTradeNos, (chunk) =>
    db.selectFrom('hub_wechat_attempts').select(ATTEMPT_COLUMNS).where('store_id', 'in', storeIds).where('out_trade_no', 'in', chunk).execute());
}

export async function refundsByOutRefundNo(db: HubDb, storeIds: readonly string[], outRefundNos: readonly string[]): Promise<LocalRefund[]> {
  if (storeIds.length === 0) return [];
  return inChunks(outRefundNos, (chunk) =>
    db.selectFrom('hub_refunds').select(REFUND_COLUMNS).where('store_id', 'in', storeIds).where('out_refund_no', 'in', chunk).execute());
}

/** Attempts in money-taken states paid in [from, to) (WeChat's payment time, else when the counter resolved it). */
export async function paidAttemptsBetween(db: HubDb, storeIds: readonly string[], states: readonly string[], from: number, to: number): Promise<LocalAttempt[]> {
  if (storeIds.length === 0) return [];
  return db.selectFrom('hub_wechat_attempts').select(ATTEMPT_COLUMNS).where('store_id', 'in', storeIds).where('state', 'in', states)
    .where((eb) => eb.or([
      eb.and([eb('success_time', '>=', from), eb('success_time', '<', to)]),
      eb.and([eb('success_time', 'is', null), eb('resolved_at', '>=', from), eb('resolved_at', '<', to)]),
    ]))
    .orderBy('terminal_id').orderBy('attempt_id').execute();
}

/** WeChat refunds the counters sent to WeChat in [from, to) (queued and failed ones never moved money). */
export async function wechatRefundsBetween(db: HubDb, storeIds: readonly string[], from: number, to: number): Promise<LocalRefund[]> {
  if (storeIds.length === 0) return [];
  return db.selectFrom('hub_refunds').select(REFUND_COLUMNS).where('store_id', 'in', storeIds).where('kind', '=', 'wechat')
    .where('state', 'in', ['processing', 'succeeded', 'abnormal']).where('requested_at', '>=', from).where('requested_at', '<', to)
    .orderBy('terminal_id').orderBy('refund_id').execute();
}

/** Which of these numbers some stored bill of the merchant lists (any day: a payment at 23:59:59 may be billed the next). */
export async function billedNumbers(db: HubDb, mchid: string, column: 'out_trade_no' | 'out_refund_no', numbers: readonly string[]): Promise<Set<string>> {
  const kind = column === 'out_trade_no' ? 'payment' : 'refund';
  const rows = await inChunks(numbers, (chunk) =>
    db.selectFrom('hub_bill_lines').select(column).where('mchid', '=', mchid).where('kind', '=', kind).where(column, 'in', chunk).execute());
  return new Set(rows.map((r) => (r as Record<string, string | null>)[column] ?? ''));
}

export async function saleOwners(db: HubDb, keys: readonly { terminal_id: string; sale_id: number }[]): Promise<Map<string, SaleOwner>> {
  const owners = new Map<string, SaleOwner>();
  const byTerminal = new Map<string, number[]>();
  for (const k of keys) byTerminal.set(k.terminal_id, [...(byTerminal.get(k.terminal_id) ?? []), k.sale_id]);
  for (const [terminal, ids] of byTerminal) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await db.selectFrom('hub_sales').select(['terminal_id', 'sale_id', 'receipt_no', 'shift_id', 'cashier_id'])
        .where('terminal_id', '=', terminal).where('sale_id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const r of rows) owners.set(`${r.terminal_id}/${r.sale_id}`, r);
    }
  }
  return owners;
}

/** The enrolled terminals of these stores (to name the counter of an order the hub never heard of by its number). */
export async function terminalsOfStores(db: HubDb, storeIds: readonly string[]): Promise<{ terminal_id: string; store_id: string }[]> {
  if (storeIds.length === 0) return [];
  return db.selectFrom('terminals').select(['terminal_id', 'store_id']).where('store_id', 'in', storeIds).execute();
}

export interface NotifiedPayment {
  out_trade_no: string;
  amount_fen: number;
  state: string;
}

/**
 * WeChat's payment notifications the hub verified for a merchant, paid in [from, to) (WeChat's payment time, else
 * when the hub received it), one per order (a retried or re-sent notification is the same payment).
 */
export async function notifiedPaymentsBetween(db: HubDb, mchid: string, from: number, to: number): Promise<NotifiedPayment[]> {
  const rows = await db.selectFrom('hub_notifications').select(['out_trade_no', 'amount_fen', 'state']).where('mchid', '=', mchid)
    .where('kind', '=', 'payment').where('outcome', '!=', 'mismatch').where('state', 'in', ['SUCCESS', 'REFUND'])
    .where((eb) => eb.or([
      eb.and([eb('success_time', '>=', from), eb('success_time', '<', to)]),
      eb.and([eb('success_time', 'is', null), eb('received_at', '>=', from), eb('received_at', '<', to)]),
    ]))
    .orderBy('out_trade_no').orderBy('received_at').execute();
  const byOrder = new Map<string, NotifiedPayment>();
  for (const r of rows) if (!byOrder.has(r.out_trade_no)) byOrder.set(r.out_trade_no, r);
  return [...byOrder.values()];
}

/**
 * Did anything the reconciliation of [from, to) depends on arrive after `since`: a sale, WeChat attempt or refund
 * fact of the merchant's stores dated in the day or the day after (a payment resolved after midnight), or a payment
 * notification of the merchant for the day. Uses facts_store_kind (store, kind, at).
 */
export async function arrivedSince(db: HubDb, mchid: string, storeIds: readonly string[], from: number, to: number, since: number): Promise<boolean> {
  if (storeIds.length > 0) {
    const fact = await db.selectFrom('facts').select('seq').where('store_id', 'in', storeIds).where('kind', 'in', ['sale', 'wechat-attempt', 'refund'])
      .where('at', '>=', from).where('at', '<', to + 24 * 3_600_000).where('received_at', '>', since).limit(1).executeTakeFirst();
    if (fact) return true;
  }
  const notification = await db.selectFrom('hub_notifications').select('notification_id').where('mchid', '=', mchid).where('received_at', '>', since)
    .where((eb) => eb.or([
      eb.and([eb('success_time', '>=', from), eb('success_time', '<', to)]),
      eb.and([eb('success_time', 'is', null), eb('received_at', '>=', from), eb('received_at', '<', to)]),
    ])).limit(1).executeTakeFirst();
  return notification !== undefined;
}
