import { sql, type Kysely } from 'kysely';
import type { HubDb } from '../db/database';
import type { HubTables } from '../db/schema';

export type ProjectionTable =
  | 'hub_sales' | 'hub_sale_lines' | 'hub_tenders' | 'hub_wechat_attempts' | 'hub_refunds' | 'hub_cash_movements'
  | 'hub_shifts' | 'hub_z_reports' | 'hub_counter_alerts';

/** Every projection table, children after parents (the order a rebuild empties them in does not matter). */
export const PROJECTION_TABLES: readonly ProjectionTable[] = [
  'hub_sales', 'hub_sale_lines', 'hub_tenders', 'hub_wechat_attempts', 'hub_refunds', 'hub_cash_movements', 'hub_shifts',
  'hub_z_reports', 'hub_counter_alerts',
];

// One generic upsert for nine tables: Kysely's per-table types cannot be chosen by a variable table name.
type LooseDb = Kysely<Record<string, Record<string, unknown>>>;

/**
 * Bound parameters per statement: SQLite's limit is 32,766 (since 3.32), PostgreSQL's 65,535; below both with room.
 */
const MAX_PARAMETERS = 30_000;

/**
 * Inserts each row, or replaces the one under the same key only when this row comes from a newer fact (`source_seq`
 * greater): a late, older fact never moves a row backwards, and the same fact applied twice changes nothing. One
 * multi-row `INSERT … ON CONFLICT (key) DO UPDATE … WHERE newer` per chunk, the same on SQLite and PostgreSQL, never
 * check-then-write, and never a statement (a round trip) per row: a push of 500 sale facts once wrote about 2,500
 * statements one by one. The rows
 * must have distinct keys (a statement may not touch a row twice: the caller keeps the newest fact per key, which is
 * what row-by-row application in seq order left behind too). Returns the keys of the rows written, as `keyOf` makes
 * them, so a sale's lines follow only a sale row that moved.
 */
export async function upsertNewerMany<T extends ProjectionTable>(
  db: HubDb,
  table: T,
  keys: readonly (keyof HubTables[T] & string)[],
  rows: readonly HubTables[T][],
): Promise<string[][]> {
  if (rows.length === 0) return [];
  const first = rows[0] as unknown as Record<string, unknown>;
  const columns = Object.keys(first);
  const updates = Object.fromEntries(columns.filter((k) => !keys.includes(k as keyof HubTables[T] & string)).map((k) => [k, sql.ref(`excluded.${k}`)]));
  const perChunk = Math.max(1, Math.floor(MAX_PARAMETERS / columns.length));
  const written: string[][] = [];
  for (let at = 0; at < rows.length; at += perChunk) {
    const chunk = rows.slice(at, at + perChunk) as unknown as Record<string, unknown>[];
    const answer = await (db as unknown as LooseDb)
      .insertInto(table as string)
      .values(chunk)
      .onConflict((oc) => oc.columns([...keys]).doUpdateSet(updates).where(sql<boolean>`${sql.ref(`${table}.source_seq`)} < ${sql.ref('excluded.source_seq')}`))
      .returning(keys.map((k) => sql.ref(k).as(k)))
      .execute();
    for (const row of answer as Record<string, unknown>[]) written.push(keys.map((k) => String(row[k])));
  }
  return written;
}
