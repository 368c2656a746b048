import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { preparePrivateDatabaseFile } from '../../db/private-files';
import { migrateHub } from './migrate';
import { registerSqliteConnection } from './sqlite-rows';
import { HUB_MIGRATIONS } from './migrations';
import type { Engine } from './migrations/types';
import type { HubTables } from './schema';

export type HubDb = Kysely<HubTables>;

export interface HubDatabase {
  db: HubDb;
  engine: Engine;
  close(): Promise<void>;
}

export type DatabaseTarget = { engine: 'sqlite'; file: string } | { engine: 'postgres'; url: string };

const PG_INT8_OID = 20;

/**
 * BIGINT comes back from `pg` as a string by default (it may not fit a JS number). Every hub bigint is a count,
 * a fact number, fen or ms since the epoch, all far below 2^53, so it is parsed to a number; one that is not a safe
 * integer is an error rather than a silently rounded amount. Set per pool, not globally, so nothing else that loads
 * `pg` in the same process is affected.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new Error(`a BIGINT from PostgreSQL is not a safe integer: ${text}`);
  return value;
}

const hubPgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary'): unknown =>
    oid === PG_INT8_OID ? parseInt8 : (pg.types.getTypeParser(oid, format) as unknown)) as typeof pg.types.getTypeParser,
};

/**
 * Opens the hub's database and migrates it. SQLite: WAL so readers never block the writer, synchronous=FULL so an
 * acknowledged fact survives power loss, foreign keys on, the file 0600 (its folder is made 0700 by the caller).
 * Kysely's SQLite driver holds one connection behind a mutex, so transactions are serialized: the awaits inside a
 * Kysely transaction never interleave with another writer. PostgreSQL: a pool; callers lock per-terminal rows
 * where order matters (see facts.ts).
 */
export async function openHubDatabase(target: DatabaseTarget): Promise<HubDatabase> {
  if (target.engine === 'sqlite') {
    preparePrivateDatabaseFile(target.file);
    const sqlite = new BetterSqlite3(target.file);
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma('busy_timeout = 5000');
    const db = new Kysely<HubTables>({ dialect: new SqliteDialect({ database: sqlite }) });
    registerSqliteConnection(db, sqlite);
    return migrated({ db, engine: 'sqlite', close: () => db.destroy() });
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10, types: hubPgTypes });
  // An idle client losing its server (a restarted PostgreSQL) must not crash the hub: the pool drops it.
  pool.on('error', () => {});
  const db = new Kysely<HubTables>({ dialect: new PostgresDialect({ pool }) });
  return migrated({ db, engine: 'postgres', close: () => db.destroy() });
}

async function migrated(database: HubDatabase): Promise<HubDatabase> {
  try {
    await migrateHub(database.db as unknown as Kysely<unknown>, database.engine, HUB_MIGRATIONS);
    return database;
  } catch (error) {
    await database.close();
    throw error;
  }
}
