import type { HubDb } from './database';
import type { HubTables } from './schema';

export type ReferenceList = HubTables['reference_list_revisions']['list'];
/** The chain-wide item list's scope; every other scope is a store id. */
export const CHAIN_SCOPE = '*';

/**
 * Takes the next chain-wide revision. Call it FIRST inside a change's transaction: the UPDATE row-locks the revision
 * on PostgreSQL until commit (SQLite runs one write transaction at a time anyway), so reference changes are
 * serialized, commit in revision order, and the checks a change makes before writing (a free quick-key place, a
 * barcode or name not taken) cannot race another change.
 */
export async function nextRevision(trx: HubDb): Promise<number> {
  const row = await trx
    .updateTable('reference_revision')
    .set((eb) => ({ revision: eb('revision', '+', 1) }))
    .where('id', '=', 1)
    .returning('revision')
    .executeTakeFirstOrThrow();
  return row.revision;
}

/** Marks lists as changed at `revision` (taken by nextRevision in the same transaction). */
export async function markChanged(trx: HubDb, revision: number, changed: readonly { scope: string; list: ReferenceList }[]): Promise<void> {
  for (const { scope, list } of changed) {
    await trx
      .insertInto('reference_list_revisions')
      .values({ scope, list, revision })
      .onConflict((oc) => oc.columns(['scope', 'list']).doUpdateSet({ revision }))
      .execute();
  }
}

export async function currentRevision(db: HubDb): Promise<number> {
  const row = await db.selectFrom('reference_revision').select('revision').where('id', '=', 1).executeTakeFirstOrThrow();
  return row.revision;
}

/** The revision of the last change of each list as one store sees it (its own scope and the chain's). */
export async function listRevisionsFor(db: HubDb, storeId: string): Promise<Record<ReferenceList, number>> {
  const rows = await db.selectFrom('reference_list_revisions').selectAll().where('scope', 'in', [CHAIN_SCOPE, storeId]).execute();
  const result: Record<ReferenceList, number> = { items: 0, staff: 0, store: 0 };
  for (const row of rows) result[row.list] = Math.max(result[row.list], row.revision);
  return result;
}
