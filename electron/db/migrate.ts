import type { Database } from 'better-sqlite3';

/** One numbered schema change. `version` is the PRAGMA user_version the database has after it. */
export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

export class MigrationError extends Error {}

/**
 * Applies every migration newer than the database's user_version, each in its own transaction together with
 * the user_version bump, so a crash mid-migration leaves the previous version intact.
 */
export function migrate(db: Database, migrations: readonly Migration[]): number {
  checkOrder(migrations);
  const current = db.pragma('user_version', { simple: true }) as number;
  const newest = migrations.at(-1)?.version ?? 0;
  if (current > newest) {
    throw new MigrationError(
      `database schema version ${current} is newer than this app knows (${newest}); refusing to open it with an older app`,
    );
  }
  for (const migration of migrations) {
    if (migration.version <= current) continue;
    db.transaction(() => {
      migration.up(db);
      db.pragma(`user_version = ${migration.version}`);
    })();
  }
  return db.pragma('user_version', { simple: true }) as number;
}

function checkOrder(migrations: readonly Migration[]): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new MigrationError(`migration ${m.name} has version ${m.version}, expected ${i + 1}`);
  });
}
