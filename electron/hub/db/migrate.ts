import { sql, type Kysely } from 'kysely';
import { columnTypes, type Engine, type HubMigration } from './migrations/types';

/**
 * Brings the hub's database to the newest schema. Each migration runs in its own transaction together with its row
 * in `hub_migrations` (both engines have transactional DDL), so a crash leaves either the old or the new version.
 * Refuses, before touching anything, a list with holes or a database that has versions this code does not know
 * (a newer hub ran on it: an older one must not write there).
 */
export async function migrateHub(db: Kysely<unknown>, engine: Engine, migrations: readonly HubMigration[]): Promise<number[]> {
  assertContiguous(migrations.map((m) => m.version), 'the hub migrations in the code');
  const types = columnTypes(engine);
  await db.schema
    .createTable('hub_migrations')
    .ifNotExists()
    .addColumn('version', types.int64, (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('applied_at', types.int64, (c) => c.notNull())
    .execute();
  const applied = await appliedVersions(db);
  assertContiguous(applied, 'the versions recorded in hub_migrations');
  const newest = migrations.at(-1)?.version ?? 0;
  const recorded = applied.at(-1) ?? 0;
  if (recorded > newest) {
    throw new Error(`the hub database is at version ${recorded}, newer than this hub knows (${newest}): start the newer hub`);
  }
  const ran: number[] = [];
  for (const migration of migrations.filter((m) => m.version > recorded)) {
    const keysOff = engine === 'sqlite' && migration.sqliteForeignKeysOff === true;
    if (keysOff) await sql`pragma foreign_keys = off`.execute(db);
    try {
      await db.transaction().execute(async (trx) => {
        await migration.up(trx, { engine, types });
        if (keysOff) {
          const dangling = await sql`pragma foreign_key_check`.execute(trx);
          if (dangling.rows.length > 0) throw new Error(`hub migration ${migration.version} left ${dangling.rows.length} rows without their parent`);
        }
        await sql`insert into hub_migrations (version, name, applied_at) values (${migration.version}, ${migration.name}, ${Date.now()})`.execute(trx);
      });
    } finally {
      if (keysOff) await sql`pragma foreign_keys = on`.execute(db);
    }
    ran.push(migration.version);
  }
  return ran;
}

export async function appliedVersions(db: Kysely<unknown>): Promise<number[]> {
  const result = await sql<{ version: number | string }>`select version from hub_migrations order by version`.execute(db);
  return result.rows.map((r) => Number(r.version));
}

export function assertContiguous(versions: readonly number[], what: string): void {
  versions.forEach((version, index) => {
    if (version !== index + 1) throw new Error(`${what} are not contiguous from 1: expected ${index + 1}, found ${version}`);
  });
}
