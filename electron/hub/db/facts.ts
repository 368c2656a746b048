import { sql } from 'kysely';
import type { HubDb } from './database';
import { jsonRows } from './json-rows';
import { sqliteRowWriter } from './sqlite-rows';
import type { Engine } from './migrations/types';
import type { HubTables } from './schema';

export type FactRow = HubTables['facts'];

/**
 * Inserts what is new and ignores numbers already held (never check-then-insert); returns the numbers inserted.
 * On PostgreSQL the rows travel as one JSON text (`json_to_recordset`, see json-rows.ts): one parameter instead of
 * 3,500 that Kysely would compile and `pg` serialize one by one on the hub's single thread. On SQLite, inside the
 * push's transaction, one cached single-row statement per fact (db/sqlite-rows.ts).
 */
export async function insertFacts(db: HubDb, engine: Engine, rows: readonly FactRow[]): Promise<Set<number>> {
  if (rows.length === 0) return new Set();
  if (engine === 'postgres') {
    const inserted = await sql<{ seq: number }>`
      INSERT INTO facts (terminal_id, seq, store_id, kind, "at", body, received_at)
      SELECT terminal_id, seq, store_id, kind, "at", body, received_at FROM json_to_recordset(${jsonRows(rows)}::json)
        AS x(terminal_id text, seq bigint, store_id text, kind text, "at" bigint, body text, received_at bigint)
      ON CONFLICT (terminal_id, seq) DO NOTHING
      RETURNING seq`.execute(db);
    return new Set(inserted.rows.map((r) => Number(r.seq)));
  }
  const writer = sqliteRowWriter(db);
  if (writer) {
    const changes = writer.runEach(
      'INSERT INTO facts (terminal_id, seq, store_id, kind, "at", body, received_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (terminal_id, seq) DO NOTHING',
      rows.map((r) => [r.terminal_id, r.seq, r.store_id, r.kind, r.at, r.body, r.received_at]),
    );
    return new Set(rows.filter((_, i) => changes[i] === 1).map((r) => r.seq));
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
