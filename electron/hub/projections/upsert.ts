import { PostgresAdapter, sql, type Kysely } from 'kysely';
import type { HubDb } from '../db/database';
import { jsonRows } from '../db/json-rows';
import { quoteIdentifier, sqliteRowWriter, type SqliteRowWriter } from '../db/sqlite-rows';
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
  if (db.getExecutor().adapter instanceof PostgresAdapter) return upsertNewerPostgres(db, table, keys, columns, rows);
  const writer = sqliteRowWriter(db);
  if (writer) return upsertNewerSqliteRows(writer, table, keys, columns, rows);
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

/**
 * SQLite inside a transaction: the same upsert as one cached single-row statement run per row (db/sqlite-rows.ts);
 * a row was written when the statement changed it (an older fact's row is left alone: no change).
 */
function upsertNewerSqliteRows(writer: SqliteRowWriter, table: string, keys: readonly string[], columns: readonly string[], rows: readonly Record<string, unknown>[]): string[][] {
  const q = quoteIdentifier;
  const text = `insert into ${q(table)} (${columns.map(q).join(', ')}) values (${columns.map(() => '?').join(', ')})
    on conflict (${keys.map(q).join(', ')}) do update set ${columns.filter((c) => !keys.includes(c)).map((c) => `${q(c)} = excluded.${q(c)}`).join(', ')}
    where ${q(table)}.source_seq < excluded.source_seq`;
  const changes = writer.runEach(text, rows.map((r) => columns.map((c) => r[c] ?? null)));
  const written: string[][] = [];
  rows.forEach((r, i) => {
    if (changes[i] === 1) written.push(keys.map((k) => String(r[k])));
  });
  return written;
}

/** Each projection table's column types on PostgreSQL, read once from the catalog (the migrations make them). */
const postgresTypes = new Map<string, Map<string, string>>();

async function columnTypesOf(db: HubDb, table: string): Promise<Map<string, string>> {
  const known = postgresTypes.get(table);
  if (known) return known;
  const result = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`.execute(db);
  const types = new Map(result.rows.map((r) => [r.name, r.type]));
  postgresTypes.set(table, types);
  return types;
}

/**
 * PostgreSQL: the same upsert with the rows as one JSON text (`json_to_recordset`, db/json-rows.ts), as db/facts.ts
 * inserts the facts: a push of 500 sales is one parameter instead of ~22,000 that Kysely would compile and `pg`
 * serialize one by one on the hub's single thread (arrays per column, `unnest`, still had `pg` escape every element).
 */
async function upsertNewerPostgres(db: HubDb, table: string, keys: readonly string[], columns: readonly string[], rows: readonly Record<string, unknown>[]): Promise<string[][]> {
  const types = await columnTypesOf(db, table);
  const definitions = columns.map((column) => {
    const type = types.get(column);
    if (type === undefined) throw new Error(`${table} has no column ${column}`);
    return sql`${sql.ref(column)} ${sql.raw(type)}`;
  });
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => sql`${sql.ref(c)} = ${sql.ref(`excluded.${c}`)}`);
  const answer = await sql<Record<string, unknown>>`
    insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
    select ${sql.join(columns.map((c) => sql.ref(`x.${c}`)))} from json_to_recordset(${jsonRows(rows)}::json) as x(${sql.join(definitions)})
    on conflict (${sql.join(keys.map((k) => sql.ref(k)))}) do update set ${sql.join(updates)}
    where ${sql.ref(`${table}.source_seq`)} < ${sql.ref('excluded.source_seq')}
    returning ${sql.join(keys.map((k) => sql.ref(k)))}`.execute(db);
  return answer.rows.map((row) => keys.map((k) => String(row[k])));
}
