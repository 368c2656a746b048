import type { HubSaleView } from '../../../shared/hub-protocol';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type SaleRow = HubTables['hub_sales'];
export type RefundRow = HubTables['hub_refunds'];

/** Refunds that hold (or may yet hold) money: only a failed one gave nothing back. An abnormal one is counted,
 * because WeChat may still pay it out, and refunding that money again would pay the customer twice. */
const COUNTED_REFUND_STATES = ['queued', 'processing', 'succeeded', 'abnormal'];

export type SaleLookup = { found: 'here'; view: HubSaleView } | { found: 'elsewhere' } | { found: 'nowhere' };

/**
 * A sale as printed on its receipt (terminal id + receipt number), for a counter of `storeId`. A sale of another
 * store is reported as such without its content. Two sales under the same printed terminal (a terminal id used
 * before enrolment, e.g. the default) are told apart by the store, then the newest wins.
 */
export async function lookupSale(db: HubDb, storeId: string, receiptTerminal: string, receiptNo: number): Promise<SaleLookup> {
  const sales = await db.selectFrom('hub_sales').selectAll().where('receipt_terminal', '=', receiptTerminal).where('receipt_no', '=', receiptNo)
    .orderBy('created_at', 'desc').execute();
  const sale = sales.find((s) => s.store_id === storeId);
  if (!sale) return sales.length > 0 ? { found: 'elsewhere' } : { found: 'nowhere' };
  return { found: 'here', view: await saleView(db, sale) };
}

export async function saleView(db: HubDb, sale: SaleRow): Promise<HubSaleView> {
  const [lines, tenders, refunds] = await Promise.all([
    db.selectFrom('hub_sale_lines').selectAll().where('terminal_id', '=', sale.terminal_id).where('sale_id', '=', sale.sale_id).orderBy('line_no').execute(),
    db.selectFrom('hub_tenders').selectAll().where('terminal_id', '=', sale.terminal_id).where('sale_id', '=', sale.sale_id).orderBy('tender_id').execute(),
    refundsOfSale(db, sale),
  ]);
  const firstCash = tenders.find((t) => t.kind === 'cash' && t.state === 'paid');
  const refundedOf = (tender: (typeof tenders)[number]): number =>
    refunds
      .filter((r) => COUNTED_REFUND_STATES.includes(r.state))
      .filter((r) => {
        // The sale's own counter names the tender; another counter names the WeChat order, or cash.
        if (r.cross_counter === 0) return r.terminal_id === sale.terminal_id && r.local_tender_id === tender.tender_id;
        if (r.kind === 'wechat') return tender.out_trade_no !== null && r.out_trade_no === tender.out_trade_no;
        return tender === firstCash;
      })
      .reduce((sum, r) => sum + r.amount_fen, 0);
  return {
    terminalId: sale.receipt_terminal,
    receiptNo: sale.receipt_no,
    state: sale.state as HubSaleView['state'],
    totalFen: sale.total_fen,
    createdAt: sale.created_at,
    paidAt: sale.paid_at,
    lines: lines.map((l) => ({ name: l.name, unitFen: l.unit_fen, quantity: l.quantity, amountFen: l.amount_fen })),
    tenders: tenders.map((t) => ({
      kind: t.kind as HubSaleView['tenders'][number]['kind'], amountFen: t.amount_fen, state: t.state, outTradeNo: t.out_trade_no,
      transactionId: t.transaction_id, refundedFen: refundedOf(t),
    })),
  };
}

/**
 * Every refund of the sale, from every counter of its store: its own counter's (by local sale id) and other
 * counters' (by the receipt they name). Linked when read, so a refund fact that arrives before the sale's is
 * linked as soon as the sale is there.
 */
export async function refundsOfSale(db: HubDb, sale: SaleRow): Promise<RefundRow[]> {
  return db
    .selectFrom('hub_refunds')
    .selectAll()
    .where('store_id', '=', sale.store_id)
    .where((eb) => eb.or([
      eb.and([eb('cross_counter', '=', 0), eb('terminal_id', '=', sale.terminal_id), eb('local_sale_id', '=', sale.sale_id)]),
      eb.and([eb('cross_counter', '=', 1), eb('sale_receipt_terminal', '=', sale.receipt_terminal), eb('sale_receipt_no', '=', sale.receipt_no)]),
    ]))
    .orderBy('requested_at')
    .orderBy('terminal_id')
    .orderBy('refund_id')
    .execute();
}
