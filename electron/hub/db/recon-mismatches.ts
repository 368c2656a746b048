import { randomUUID } from 'node:crypto';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type ReconMismatchRow = HubTables['hub_recon_mismatches'];
export type NewReconMismatch = Omit<ReconMismatchRow, 'mismatch_id' | 'resolved_at' | 'resolved_by' | 'note'>;

/**
 * Replaces a merchant's day of open mismatches with a new reconciliation's (in the caller's transaction). A
 * resolved one stays as it was resolved: the same disagreement found again is not reopened.
 */
export async function replaceOpenMismatches(db: HubDb, mchid: string, billDate: string, found: readonly NewReconMismatch[]): Promise<number> {
  await db.deleteFrom('hub_recon_mismatches').where('mchid', '=', mchid).where('bill_date', '=', billDate).where('resolved_at', 'is', null).execute();
  let added = 0;
  for (const m of found) {
    const result = await db.insertInto('hub_recon_mismatches').values({ ...m, mismatch_id: randomUUID(), resolved_at: null, resolved_by: null, note: null })
      .onConflict((oc) => oc.columns(['mchid', 'bill_date', 'class', 'out_trade_no', 'out_refund_no']).doNothing()).executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return added;
}

/** A day's mismatches, of some stores (null: every store, and the ones no store could be named for). */
export async function listMismatches(db: HubDb, billDate: string, storeIds: readonly string[] | null): Promise<ReconMismatchRow[]> {
  let query = db.selectFrom('hub_recon_mismatches').selectAll().where('bill_date', '=', billDate);
  if (storeIds !== null) {
    if (storeIds.length === 0) return [];
    query = query.where('store_id', 'in', storeIds);
  }
  return query.orderBy('store_id').orderBy('terminal_id').orderBy('class').orderBy('out_trade_no').orderBy('out_refund_no').execute();
}

export async function findMismatch(db: HubDb, mismatchId: string): Promise<ReconMismatchRow | undefined> {
  return db.selectFrom('hub_recon_mismatches').selectAll().where('mismatch_id', '=', mismatchId).executeTakeFirst();
}

/** Guarded: only an open mismatch is resolved (two people resolving at once: one wins). True when this one did. */
export async function resolveMismatch(db: HubDb, mismatchId: string, by: string, note: string, at: number): Promise<boolean> {
  const result = await db.updateTable('hub_recon_mismatches').set({ resolved_at: at, resolved_by: by, note })
    .where('mismatch_id', '=', mismatchId).where('resolved_at', 'is', null).executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
