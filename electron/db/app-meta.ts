import type { Database } from 'better-sqlite3';
import { cachedStatement } from './statements';

export function getMeta(db: Database, key: string): string | undefined {
  const row = cachedStatement(db, 'SELECT value FROM app_meta WHERE key = ?').get(key) as { value: string } | undefined;
  return row?.value;
}

export function setMeta(db: Database, key: string, value: string): void {
  cachedStatement(db, 'INSERT INTO app_meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(
    key,
    value,
  );
}

/** Returns the stored value, or stores and returns `create()` the first time (atomically). */
export function getOrCreateMeta(db: Database, key: string, create: () => string): string {
  return db.transaction(() => {
    const existing = getMeta(db, key);
    if (existing !== undefined) return existing;
    const value = create();
    setMeta(db, key, value);
    return value;
  })();
}
