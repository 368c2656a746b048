import type { Kysely } from 'kysely';

export type Engine = 'sqlite' | 'postgres';

/**
 * Column types that differ by name only: a 64-bit integer is `bigint` in PostgreSQL and `integer` in SQLite (whose
 * STRICT tables accept only INTEGER/REAL/TEXT/BLOB/ANY). Migrations use these so each is written once for both.
 */
export interface ColumnTypes {
  int64: 'bigint' | 'integer';
}

export interface HubMigrationContext {
  engine: Engine;
  types: ColumnTypes;
}

/** A numbered hub migration: `up` runs inside the runner's transaction together with its version row. */
export interface HubMigration {
  version: number;
  name: string;
  /**
   * SQLite only: run with `PRAGMA foreign_keys = OFF` (it cannot change inside a transaction) and check the keys
   * with `PRAGMA foreign_key_check` before committing: SQLite's documented way to rebuild a table others refer to.
   */
  sqliteForeignKeysOff?: true;
  // The schema of an older version is not the current HubTables, so migrations see an untyped database.
  up(db: Kysely<unknown>, context: HubMigrationContext): Promise<void>;
}

export function columnTypes(engine: Engine): ColumnTypes {
  return { int64: engine === 'postgres' ? 'bigint' : 'integer' };
}
