import type BetterSqlite3 from 'better-sqlite3';
import type { DialectAdapter } from 'kysely';
import type { HubDb } from './database';

/**
 * The SQLite connection under the hub's Kysely, for the intake's many-row writes (the facts of a push, their
 * projection rows): one cached single-row statement run per row instead of a multi-row INSERT of up to 30,000
 * parameters that Kysely compiles and SQLite prepares anew for every push (~15 % of the hub's time on SQLite in the
 * intake bench's profile). Used only inside a Kysely transaction: Kysely's SQLite driver has one connection behind a
 * mutex, which the transaction holds, so these synchronous statements run in that transaction and nothing else runs
 * between them. Outside a transaction (or on PostgreSQL) the answer is null and callers go through Kysely.
 */
const connections = new WeakMap<DialectAdapter, { sqlite: BetterSqlite3.Database; statements: Map<string, BetterSqlite3.Statement> }>();

/** Called once when the hub's SQLite database is opened (the adapter is shared by the database and its transactions). */
export function registerSqliteConnection(db: HubDb, sqlite: BetterSqlite3.Database): void {
  connections.set(db.getExecutor().adapter, { sqlite, statements: new Map() });
}

export interface SqliteRowWriter {
  /** Runs `text` (cached, prepared once) with each parameter list; returns each run's number of changed rows. */
  runEach(text: string, parameterLists: readonly unknown[][]): number[];
}

export function sqliteRowWriter(db: HubDb): SqliteRowWriter | null {
  if (!db.isTransaction) return null;
  const connection = connections.get(db.getExecutor().adapter);
  if (!connection) return null;
  return {
    runEach(text, parameterLists) {
      let statement = connection.statements.get(text);
      if (!statement) {
        statement = connection.sqlite.prepare(text);
        connection.statements.set(text, statement);
      }
      return parameterLists.map((parameters) => statement.run(parameters).changes);
    },
  };
}

/** A SQLite identifier, quoted (names here come from the code, never from a request). */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;
