import type { HubDb } from './database';
import type { HubTables } from './schema';

export type QrCloseRow = HubTables['hub_qr_closes'];

export interface OrphanQrCandidate {
  out_trade_no: string;
  store_id: string;
  terminal_id: string;
  tender_id: number;
  amount_fen: number;
}

/**
 * QR tenders still pending (by the newest sale fact) created before `before`, that no counter reported an
 * outcome for (no wechat-attempt fact with that number) and that the hub has not settled yet.
 */
export async function orphanQrCandidates(db: HubDb, before: number): Promise<OrphanQrCandidate[]> {
  return db
    .selectFrom('hub_tenders as t')
    .innerJoin('hub_sales as s', (j) => j.onRef('s.terminal_id', '=', 't.terminal_id').onRef('s.sale_id', '=', 't.sale_id'))
    .select(['t.out_trade_no', 's.store_id', 't.terminal_id', 't.tender_id', 't.amount_fen'])
    .where('t.kind', '=', 'wechat-qr')
    .where('t.state', '=', 'pending')
    .where('t.out_trade_no', 'is not', null)
    .where('t.created_at', '<', before)
    .where((eb) => eb.not(eb.exists(eb.selectFrom('hub_wechat_attempts as a').select('a.attempt_id').whereRef('a.out_trade_no', '=', 't.out_trade_no'))))
    .where((eb) => eb.not(eb.exists(eb.selectFrom('hub_qr_closes as c').select('c.out_trade_no').whereRef('c.out_trade_no', '=', 't.out_trade_no'))))
    .orderBy('t.created_at')
    .limit(200)
    .execute() as Promise<OrphanQrCandidate[]>;
}

/** Once per order: a second close of the same order (two ticks racing) records nothing. True when recorded. */
export async function recordQrClose(db: HubDb, row: QrCloseRow): Promise<boolean> {
  const result = await db.insertInto('hub_qr_closes').values(row).onConflict((oc) => oc.column('out_trade_no').doNothing()).executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function listQrCloses(db: HubDb): Promise<QrCloseRow[]> {
  return db.selectFrom('hub_qr_closes').selectAll().orderBy('closed_at').orderBy('out_trade_no').execute();
}
