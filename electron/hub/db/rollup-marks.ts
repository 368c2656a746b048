import { sql } from 'kysely';
import type { HubDb } from './database';
import type { HubTables } from './schema';

export type RollupMark = Pick<HubTables['hub_rollup_marks'], 'store_id' | 'day' | 'terminal_id'>;
export type HeldMark = Pick<HubTables['hub_rollup_marks'], 'day' | 'terminal_id' | 'generation'>;

const CHUNK = 200;

/**
 * Marks store-days for the rollup job (migration 0010), in the push's transaction: a new mark, or the next
 * generation of one already there (its first `marked_at` stays). One row per terminal, so counters of one store
 * pushing at once never wait on each other here.
 */
export async function markRollupDays(db: HubDb, marks: readonly RollupMark[], now: number): Promise<void> {
  for (let at = 0; at < marks.length; at += CHUNK) {
    await db.insertInto('hub_rollup_marks')
      .values(marks.slice(at, at + CHUNK).map((m) => ({ ...m, generation: 1, marked_at: now })))
      .onConflict((oc) => oc.columns(['store_id', 'day', 'terminal_id']).doUpdateSet({ generation: sql<number>`hub_rollup_marks.generation + 1` }))
      .execute();
  }
}

/** The stores with marked days, in id order (the order their rows are locked in). */
export async function markedStores(db: HubDb): Promise<string[]> {
  const rows = await db.selectFrom('hub_rollup_marks').select('store_id').distinct().orderBy('store_id').execute();
  return rows.map((r) => r.store_id);
}

export async function marksOf(db: HubDb, storeId: string): Promise<HeldMark[]> {
  return db.selectFrom('hub_rollup_marks').select(['day', 'terminal_id', 'generation']).where('store_id', '=', storeId).execute();
}

/**
 * Deletes the marks the rebuild read, each only while it still has the generation read: a push that marked the
 * same store-day again meanwhile (committed, or still holding the row, which this delete then waits for and
 * re-checks on PostgreSQL) keeps its mark for the next pass.
 */
export async function clearMarks(db: HubDb, storeId: string, marks: readonly HeldMark[]): Promise<void> {
  for (let at = 0; at < marks.length; at += CHUNK) {
    const chunk = marks.slice(at, at + CHUNK);
    await db.deleteFrom('hub_rollup_marks').where('store_id', '=', storeId)
      .where((eb) => eb.or(chunk.map((m) => eb.and([eb('day', '=', m.day), eb('terminal_id', '=', m.terminal_id), eb('generation', '=', m.generation)]))))
      .execute();
  }
}

/** Forgets every mark (a full rebuild of the rollups makes them all exact). */
export async function clearAllMarks(db: HubDb): Promise<void> {
  await db.deleteFrom('hub_rollup_marks').execute();
}
