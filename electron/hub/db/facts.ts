import { sql } from 'kysely';
import type { HubDb } from './database';
import type { Engine } from './migrations/types';
import type { HubTables } from './schema';

export type FactRow = HubTables['facts'];

/**
 * Inserts what is new and ignores numbers already held (never check-then-insert); returns the numbers inserted.
 * On PostgreSQL the rows travel as seven arrays (`unnest`): a push of 500 facts is 7 parameters instead of 3,500,
 * which Kysely would compile and `pg` serialize one by one on the hub's single thread — the largest cost of a push
 * in the intake bench's profile. SQLite has no arrays; its statement is local, so its parameters cost little.
 */
export async function insertFacts(db: HubDb, engine: Engine, rows: readonly FactRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  if (engine === 'postgres') {
    const column = <K extends keyof FactRow>(key: K): FactRow[K][] => rows.map((r) => r[key]);
    const inserted = await sql<{ seq: number }>`
      INSERT INTO facts (terminal_id, seq, store_id, kind, "at", body, received_at)
      SELECT * FROM unnest(${column('terminal_id')}::text[], ${column('seq')}::bigint[], ${column('store_id')}::text[],
        ${column('kind')}::text[], ${column('at')}::bigint[], ${column('body')}::text[], ${column('received_at')}::bigint[])
      ON CONFLICT (terminal_id, seq) DO NOTHING
      RETURNING seq`.execute(db);
    return new Set(inserted.rows.map((r) => Number(r.seq)));
  }
  const inserted = await db
    .insertInto('facts')
    .values([...rows])
    .onConflict((oc) => oc.columns(['terminal_id', 'seq']).doNothing())
    .returning('seq')
    .execute();
  return new Set(inserted.map((r) => r.seq));
}

export async function factBodies(db: HubDb, terminalId: string, seqs: readonly number[]): Promise<Map<number, string>> {
  if (seqs.length === 0) return new Map();
  const rows = await db.selectFrom('facts').select(['seq', 'body']).where('terminal_id', '=', terminalId).where('seq', 'in', [...seqs]).execute();
  return new Map(rows.map((r) => [r.seq, r.body]));
}

/** The numbers held above `after`, ascending, at most `limit`: enough to walk the gapless prefix forward. */
export async function seqsAbove(db: HubDb, terminalId: string, after: number, limit: number): Promise<number[]> {
  const rows = await db.selectFrom('facts').select('seq').where('terminal_id', '=', terminalId).where('seq', '>', after).orderBy('seq').limit(limit).execute();
  return rows.map((r) => r.seq);
}

export async function countFacts(db: HubDb, terminalId?: string): Promise<number> {
  let query = db.selectFrom('facts').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (terminalId !== undefined) query = query.where('terminal_id', '=', terminalId);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}
