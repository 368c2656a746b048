import type { SettlementOrderView, SettlementReportView, StoreSettlementView } from '../../../shared/hub-settlement-api';
import type { HubDb } from '../db/database';
import { dayRows, listSettlementDays, type SettlementOrderRow } from '../db/settlement';

export function orderView(o: SettlementOrderRow, outTradeNo: string | null): SettlementOrderView {
  return {
    transactionId: o.transaction_id, outTradeNo: outTradeNo ?? '', account: o.account, relationType: o.relation_type, outOrderNo: o.out_order_no,
    amountFen: o.amount_fen, returnedFen: o.returned_fen, state: o.state, failCode: o.fail_code, failReason: o.fail_reason,
    resolved: o.resolved_at !== null ? { at: o.resolved_at, by: o.resolved_by ?? '', note: o.note ?? '' } : null,
  };
}

/**
 * A day's settlement per store (payment day, Beijing): orders and their amount; due = what the rules asked for;
 * split = finished parts (less nothing: returns are their own column); returned; failed (open or resolved, each
 * line with WeChat's code and words); pending = sent and not finished. Net with receivers = split − returned.
 */
export async function settlementReport(db: HubDb, date: string, storeIds: readonly string[] | null): Promise<SettlementReportView> {
  const { payments, orders } = await dayRows(db, date, storeIds);
  const tradeOf = new Map(payments.map((p) => [p.transaction_id, p.out_trade_no]));
  const stores = new Map<string | null, StoreSettlementView>();
  const entry = (storeId: string | null): StoreSettlementView => {
    let e = stores.get(storeId);
    if (!e) {
      e = { storeId, orders: 0, orderFen: 0, dueFen: 0, splitFen: 0, returnedFen: 0, failedFen: 0, pendingFen: 0, unfrozenOrders: 0, lines: [] };
      stores.set(storeId, e);
    }
    return e;
  };
  for (const p of payments) {
    const e = entry(p.store_id);
    e.orders += 1;
    e.orderFen += p.order_fen;
    if (p.unfreeze_state === 'done') e.unfrozenOrders += 1;
  }
  for (const o of orders) {
    const e = entry(o.store_id);
    e.dueFen += o.amount_fen;
    if (o.state === 'done' || o.state === 'returned') e.splitFen += o.amount_fen;
    if (o.state === 'failed') e.failedFen += o.amount_fen;
    if (o.state === 'planned' || o.state === 'sent') e.pendingFen += o.amount_fen;
    e.returnedFen += o.returned_fen;
    e.lines.push(orderView(o, tradeOf.get(o.transaction_id) ?? null));
  }
  const days = (await listSettlementDays(db, { billDate: date })).map((d) => ({
    mchid: d.mchid, state: d.state, billState: d.bill_state, billProblems: d.bill_problems === null ? [] : (JSON.parse(d.bill_problems) as string[]),
  }));
  return { date, days, stores: [...stores.values()].sort((a, b) => (a.storeId ?? '').localeCompare(b.storeId ?? '')) };
}

const yuan = (fen: unknown): string => `￥${(Number(fen) / 100).toFixed(2)}`;

/** The alert list's words for the settlement's alerts. */
export function settlementAlertMessage(kind: string, storeId: string | null, d: Record<string, unknown>): string {
  if (kind === 'settlement-split-exceeds-order') {
    return `订单 ${String(d.outTradeNo)} 的分账 ${yuan(d.splitFen)} 大于订单金额 ${yuan(d.orderFen)}，未发送 / The split of order ${String(d.outTradeNo)} (${yuan(d.splitFen)}) is larger than the order (${yuan(d.orderFen)}); not sent`;
  }
  if (kind === 'settlement-receiver-unknown') {
    return `分账接收方 ${String(d.account)} 未在微信登记，${String(d.billDate)} 的分账未发送 / Receiver ${String(d.account)} is not on file at WeChat; its splits of ${String(d.billDate)} were not sent`;
  }
  const where = storeId === null ? '全连锁 / the chain' : `门店 ${storeId} / store ${storeId}`;
  return `${where} ${String(d.billDate)} 的分账 ${yuan(d.splitFen)} 超过当日上限 ${yuan(d.capFen)}，待老板确认 / ${String(d.billDate)}: splits of ${yuan(d.splitFen)} exceed the day's cap of ${yuan(d.capFen)}; waiting for the owner`;
}
