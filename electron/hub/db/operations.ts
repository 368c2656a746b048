import type { HubDb } from './database';
import type { HubTables } from './schema';

/**
 * Reads of the projections for the head office's operations pages (today live, a store's day, drill-down). Every
 * read names its store, so a page never sees rows of a store it was not given (access.ts decides which).
 */
export type ShiftRow = HubTables['hub_shifts'];
export type ZReportRow = HubTables['hub_z_reports'];
export type SaleRow = HubTables['hub_sales'];

export async function openShiftsOfStores(db: HubDb, storeIds: readonly string[]): Promise<ShiftRow[]> {
  if (storeIds.length === 0) return [];
  return db.selectFrom('hub_shifts').selectAll().where('store_id', 'in', storeIds).where('state', '=', 'open').orderBy('opened_at').execute();
}

/** Paid tenders of paid sales paid in [from, to), per store and tender kind. */
export async function tenderTotals(db: HubDb, storeIds: readonly string[], from: number, to: number): Promise<{ store_id: string; kind: string; n: number | string; fen: number | string | null }[]> {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('hub_tenders as t')
    .innerJoin('hub_sales as s', (j) => j.onRef('s.terminal_id', '=', 't.terminal_id').onRef('s.sale_id', '=', 't.sale_id'))
    .select(['s.store_id', 't.kind'])
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('t.amount_fen').as('fen')])
    .where('s.store_id', 'in', storeIds)
    .where('s.state', '=', 'paid')
    .where('t.state', '=', 'paid')
    .where('s.paid_at', '>=', from)
    .where('s.paid_at', '<', to)
    .groupBy(['s.store_id', 't.kind'])
    .execute();
}

export async function saleTotals(db: HubDb, storeIds: readonly string[], from: number, to: number): Promise<{ store_id: string; n: number | string; fen: number | string | null }[]> {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('hub_sales')
    .select('store_id')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('total_fen').as('fen')])
    .where('store_id', 'in', storeIds)
    .where('state', '=', 'paid')
    .where('paid_at', '>=', from)
    .where('paid_at', '<', to)
    .groupBy('store_id')
    .execute();
}

/** Refunds requested in [from, to) that did not fail (an abnormal one may still pay out: README, "sales/lookup"). */
export async function refundTotals(db: HubDb, storeIds: readonly string[], from: number, to: number): Promise<{ store_id: string; n: number | string; fen: number | string | null }[]> {
  if (storeIds.length === 0) return [];
  return db
    .selectFrom('hub_refunds')
    .select('store_id')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.sum<number | string | null>('amount_fen').as('fen')])
    .where('store_id', 'in', storeIds)
    .where('state', '!=', 'failed')
    .where('requested_at', '>=', from)
    .where('requested_at', '<', to)
    .groupBy('store_id')
    .execute();
}

/** Z reports of a store made in [from, to) (the day a shift closed is the day its Z report counts for). */
export async function zReportsOfStore(db: HubDb, storeId: string, from: number, to: number): Promise<ZReportRow[]> {
  return db.selectFrom('hub_z_reports').selectAll().where('store_id', '=', storeId).where('created_at', '>=', from).where('created_at', '<', to)
    .orderBy('terminal_id').orderBy('z_no').execute();
}

export async function shiftsOfStoreOpenedBefore(db: HubDb, storeId: string, to: number): Promise<ShiftRow[]> {
  return db.selectFrom('hub_shifts').selectAll().where('store_id', '=', storeId).where('state', '=', 'open').where('opened_at', '<', to).orderBy('opened_at').execute();
}

export async function findShift(db: HubDb, storeId: string, terminalId: string, shiftId: string): Promise<ShiftRow | undefined> {
  return db.selectFrom('hub_shifts').selectAll().where('store_id', '=', storeId).where('terminal_id', '=', terminalId).where('shift_id', '=', shiftId).executeTakeFirst();
}

export async function salesOfShift(db: HubDb, storeId: string, terminalId: string, shiftId: string): Promise<SaleRow[]> {
  return db.selectFrom('hub_sales').selectAll().where('store_id', '=', storeId).where('terminal_id', '=', terminalId).where('shift_id', '=', shiftId)
    .orderBy('sale_id').execute();
}

export async function findSale(db: HubDb, storeId: string, terminalId: string, saleId: number): Promise<SaleRow | undefined> {
  return db.selectFrom('hub_sales').selectAll().where('store_id', '=', storeId).where('terminal_id', '=', terminalId).where('sale_id', '=', saleId).executeTakeFirst();
}

export async function linesOfSale(db: HubDb, terminalId: string, saleId: number): Promise<HubTables['hub_sale_lines'][]> {
  return db.selectFrom('hub_sale_lines').selectAll().where('terminal_id', '=', terminalId).where('sale_id', '=', saleId).orderBy('line_no').execute();
}

export async function tendersOfSales(db: HubDb, terminalId: string, saleIds: readonly number[]): Promise<HubTables['hub_tenders'][]> {
  if (saleIds.length === 0) return [];
  return db.selectFrom('hub_tenders').selectAll().where('terminal_id', '=', terminalId).where('sale_id', 'in', saleIds).orderBy('tender_id').execute();
}

export async function attemptsOfSale(db: HubDb, terminalId: string, saleId: number): Promise<HubTables['hub_wechat_attempts'][]> {
  return db.selectFrom('hub_wechat_attempts').selectAll().where('terminal_id', '=', terminalId).where('sale_id', '=', saleId).orderBy('attempt_id').execute();
}

export async function refundsOfReceipt(db: HubDb, storeId: string, receiptTerminal: string, receiptNo: number): Promise<HubTables['hub_refunds'][]> {
  return db.selectFrom('hub_refunds').selectAll().where('store_id', '=', storeId).where('sale_receipt_terminal', '=', receiptTerminal)
    .where('sale_receipt_no', '=', receiptNo).orderBy('requested_at').execute();
}

/** WeChat attempts, refunds and counter alerts of a store in [from, to) that are not settled. */
export async function unresolvedOfStore(db: HubDb, storeId: string, from: number, to: number): Promise<{
  attempts: HubTables['hub_wechat_attempts'][]; refunds: HubTables['hub_refunds'][]; alerts: HubTables['hub_counter_alerts'][];
}> {
  const attempts = await db.selectFrom('hub_wechat_attempts').selectAll().where('store_id', '=', storeId).where('state', 'in', ['pending'])
    .where('created_at', '>=', from).where('created_at', '<', to).execute();
  const refunds = await db.selectFrom('hub_refunds').selectAll().where('store_id', '=', storeId).where('state', 'in', ['queued', 'processing', 'abnormal'])
    .where('requested_at', '>=', from).where('requested_at', '<', to).execute();
  const alerts = await db.selectFrom('hub_counter_alerts').selectAll().where('store_id', '=', storeId).where('resolved_at', 'is', null)
    .where('raised_at', '<', to).execute();
  return { attempts, refunds, alerts };
}
