import type { Database, Statement } from 'better-sqlite3';

/**
 * Prepared statements kept per database, keyed by their SQL text. Preparing is most of the CPU cost of a short
 * statement (more than half of a cash sale was `prepare`), and the table modules run the same few SQL texts all day.
 * SQLite re-prepares a statement by itself after a schema change, so a cached one stays correct after a migration.
 *
 * Only for statements run with `run`, `get` or `all`: a statement being iterated is busy until the iteration ends,
 * and `pluck`/`raw`/`expand` would change it for every later caller, so those keep using `db.prepare`.
 */
const caches = new WeakMap<Database, Map<string, Statement>>();

/** Beyond this many texts on one database (SQL built from varying parts), statements are prepared uncached. */
export const STATEMENT_CACHE_LIMIT = 256;

export function cachedStatement(db: Database, sql: string): Statement {
  let cache = caches.get(db);
  if (!cache) {
    cache = new Map();
    caches.set(db, cache);
  }
  const known = cache.get(sql);
  if (known) return known;
  const statement = db.prepare(sql);
  if (cache.size < STATEMENT_CACHE_LIMIT) cache.set(sql, statement);
  return statement;
}

/** How many statements are cached for `db` (for tests). */
export function cachedStatementCount(db: Database): number {
  return caches.get(db)?.size ?? 0;
}
