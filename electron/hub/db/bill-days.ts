import type { HubDb } from './database';
import type { HubTables } from './schema';

export type BillDayRow = HubTables['hub_bill_days'];
export type BillKind = BillDayRow['bill'];
export type BillLineRow = HubTables['hub_bill_lines'];
export type FundFlowLineRow = HubTables['hub_fund_flow_lines'];

/** Adds a day's bill job once (a repeat does nothing: the key is merchant + day + bill). */
export async function ensureBillDay(db: HubDb, row: Pick<BillDayRow, 'mchid' | 'bill_date' | 'bill' | 'deadline_at' | 'created_at'>): Promise<boolean> {
  const result = await db
    .insertInto('hub_bill_days')
    .values({ ...row, state: 'pending', attempts: 0, next_attempt_at: row.created_at, last_error: null, sha1: null, line_count: 0, summary_json: null, stored_at: null, reconciled_at: null })
    .onConflict((oc) => oc.columns(['mchid', 'bill_date', 'bill']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function dueBillDays(db: HubDb, now: number): Promise<BillDayRow[]> {
  return db.selectFrom('hub_bill_days').selectAll().where('state', '=', 'pending').where('next_attempt_at', '<=', now)
    .orderBy('bill_date').orderBy('mchid').orderBy('bill').execute();
}

export async function findBillDay(db: HubDb, mchid: string, billDate: string, bill: BillKind): Promise<BillDayRow | undefined> {
  return db.selectFrom('hub_bill_days').selectAll().where('mchid', '=', mchid).where('bill_date', '=', billDate).where('bill', '=', bill).executeTakeFirst();
}

export async function listBillDays(db: HubDb, billDate: string): Promise<BillDayRow[]> {
  return db.selectFrom('hub_bill_days').selectAll().where('bill_date', '=', billDate).orderBy('mchid').orderBy('bill').execute();
}

/** A try that did not store the day: when to try again, or the day's final state. Only a pending day moves. */
export async function updateBillDay(db: HubDb, key: Pick<BillDayRow, 'mchid' | 'bill_date' | 'bill'>, change: Partial<Omit<BillDayRow, 'mchid' | 'bill_date' | 'bill'>>): Promise<void> {
  await db.updateTable('hub_bill_days').set(change).where('mchid', '=', key.mchid).where('bill_date', '=', key.bill_date)
    .where('bill', '=', key.bill).where('state', '=', 'pending').execute();
}

/** Trade-bill days of a merchant already reconciled, from `sinceDay` on (to look for facts that came after). */
export async function reconciledTradeDays(db: HubDb, mchid: string, sinceDay: string): Promise<BillDayRow[]> {
  return db.selectFrom('hub_bill_days').selectAll().where('mchid', '=', mchid).where('bill', '=', 'trade')
    .where('bill_date', '>=', sinceDay).where('reconciled_at', 'is not', null).orderBy('bill_date').execute();
}

/** A stored day reconciled again (its state stays). */
export async function markReconciled(db: HubDb, key: Pick<BillDayRow, 'mchid' | 'bill_date' | 'bill'>, at: number): Promise<void> {
  await db.updateTable('hub_bill_days').set({ reconciled_at: at }).where('mchid', '=', key.mchid).where('bill_date', '=', key.bill_date)
    .where('bill', '=', key.bill).execute();
}

const CHUNK = 500;

/**
 * Replaces a day's trade-bill lines (in the caller's transaction): whatever an interrupted earlier try left is
 * deleted first, so the day holds exactly this bill's lines, once.
 */
export async function replaceBillLines(db: HubDb, mchid: string, billDate: string, lines: readonly BillLineRow[]): Promise<void> {
  await db.deleteFrom('hub_bill_lines').where('mchid', '=', mchid).where('bill_date', '=', billDate).execute();
  for (let i = 0; i < lines.length; i += CHUNK) await db.insertInto('hub_bill_lines').values(lines.slice(i, i + CHUNK)).execute();
}

export async function replaceFundFlowLines(db: HubDb, mchid: string, billDate: string, lines: readonly FundFlowLineRow[]): Promise<void> {
  await db.deleteFrom('hub_fund_flow_lines').where('mchid', '=', mchid).where('bill_date', '=', billDate).execute();
  for (let i = 0; i < lines.length; i += CHUNK) await db.insertInto('hub_fund_flow_lines').values(lines.slice(i, i + CHUNK)).execute();
}

export async function billLinesOf(db: HubDb, mchid: string, billDate: string): Promise<BillLineRow[]> {
  return db.selectFrom('hub_bill_lines').selectAll().where('mchid', '=', mchid).where('bill_date', '=', billDate).orderBy('line_no').execute();
}

export async function countLines(db: HubDb, table: 'hub_bill_lines' | 'hub_fund_flow_lines', mchid: string, billDate: string): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('mchid', '=', mchid).where('bill_date', '=', billDate).executeTakeFirst();
  return Number(row?.n ?? 0);
}
