import BetterSqlite3 from 'better-sqlite3';
import type { Database } from 'better-sqlite3';
import { migrate, type Migration } from './migrate';
import { preparePrivateDatabaseFile } from './private-files';

export type { Database } from 'better-sqlite3';

/**
 * Opens a database with payment-grade durability: WAL so readers never block the writer, synchronous=FULL so a
 * committed payment state survives power loss, foreign keys enforced. `file` may be ':memory:' in tests. The file
 * (and so its -wal and -shm) is readable by this user only (0600).
 */
export function openDatabase(file: string, migrations: readonly Migration[]): Database {
  preparePrivateDatabaseFile(file);
  const db = new BetterSqlite3(file);
  try {
    if (file !== ':memory:') db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, migrations);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
