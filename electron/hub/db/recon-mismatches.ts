import { randomUUID } from 'node:crypto';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type ReconMismatchRow = HubTables['hub_recon_mismatches'];
export type NewReconMismatch = Omit<ReconMismatchRow, 'mismatch_id' | 'resolved_at' | 'resolved_by' | 'note'>;

/** Who resolves a mismatch the hub itself found explained (hub_recon_mismatches.resolved_by, hub_audit.user_id). */
export const HUB_ITSELF = 'hub';

/**
 * Applies a new reconciliation of a merchant's day (in the caller's transaction). An open mismatch found again keeps
 * its id (a link to it stays valid) with the new figures; one no longer found is resolved by the hub with `goneNote`
 * (returned, for the audit log) instead of vanishing; a resolved one stays as it was resolved (the same
 * disagreement found again is not reopened). Keyed by class, out_trade_no and out_refund_no.
 */
export async function applyMismatches(
  db: HubDb, mchid: string, billDate: string, found: readonly NewReconMismatch[], now: number, goneNote: string,
): Promise<{ added: number; gone: ReconMismatchRow[] }> {
  const key = (m: Pick<ReconMismatchRow, 'class' | 'out_trade_no' | 'out_refund_no'>): string => `${m.class}\u0000${m.out_trade_no}\u0000${m.out_refund_no}`;
  const open = await db.selectFrom('hub_recon_mismatches').selectAll().where('mchid', '=', mchid).where('bill_date', '=', billDate)
    .where('resolved_at', 'is', null).execute();
  const openByKey = new Map(open.map((row) => [key(row), row]));
  const foundKeys = new Set(found.map(key));
  const gone: ReconMismatchRow[] = [];
  for (const row of open) {
    if (foundKeys.has(key(row))) continue;
    const result = await db.updateTable('hub_recon_mismatches').set({ resolved_at: now, resolved_by: HUB_ITSELF, note: goneNote })
      .where('mismatch_id', '=', row.mismatch_id).where('resolved_at', 'is', null).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 1) gone.push({ ...row, resolved_at: now, resolved_by: HUB_ITSELF, note: goneNote });
  }
  let added = 0;
  for (const m of found) {
    const existing = openByKey.get(key(m));
    if (existing) {
      const { detected_at: _firstSeen, ...figures } = m;
      await db.updateTable('hub_recon_mismatches').set(figures).where('mismatch_id', '=', existing.mismatch_id).execute();
      continue;
    }
    const result = await db.insertInto('hub_recon_mismatches').values({ ...m, mismatch_id: randomUUID(), resolved_at: null, resolved_by: null, note: null })
      .onConflict((oc) => oc.columns(['mchid', 'bill_date', 'class', 'out_trade_no', 'out_refund_no']).doNothing()).executeTakeFirst();
    added += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return { added, gone };
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
