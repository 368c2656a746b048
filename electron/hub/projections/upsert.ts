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
 * Inserts the row, or replaces the one under the same key only when this row comes from a newer fact
 * (`source_seq` greater): a late, older fact never moves a row backwards, and the same fact applied twice changes
 * nothing. One statement (`ON CONFLICT … DO UPDATE … WHERE`), the same on SQLite and PostgreSQL, never
 * check-then-write. True when the row was written.
 */
export async function upsertNewer<T extends ProjectionTable>(db: HubDb, table: T, keys: readonly (keyof HubTables[T] & string)[], row: HubTables[T]): Promise<boolean> {
  const values = row as unknown as Record<string, unknown>;
  const updates = Object.fromEntries(Object.keys(values).filter((k) => !keys.includes(k as keyof HubTables[T] & string)).map((k) => [k, sql.ref(`excluded.${k}`)]));
  const written = await (db as unknown as LooseDb)
    .insertInto(table as string)
    .values(values)
    .onConflict((oc) => oc.columns([...keys]).doUpdateSet(updates).where(sql<boolean>`${sql.ref(`${table}.source_seq`)} < ${sql.ref('excluded.source_seq')}`))
    .returning(sql<number>`1`.as('written'))
    .executeTakeFirst();
  return written !== undefined;
}
