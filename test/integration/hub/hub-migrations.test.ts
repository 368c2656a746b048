import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openHubDatabase, parseInt8, type DatabaseTarget, type HubDatabase } from '../../../electron/hub/db/database';
import { appliedVersions, migrateHub } from '../../../electron/hub/db/migrate';
import { HUB_MIGRATIONS } from '../../../electron/hub/db/migrations';
import type { HubMigration } from '../../../electron/hub/db/migrations/types';
import { HUB_ENGINES, type HubEngine } from '../../helpers/hub-harness';
import { freshPostgresDatabase } from '../../helpers/postgres-database';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function target(engine: HubEngine): Promise<DatabaseTarget> {
  if (engine === 'postgres') return { engine, url: await freshPostgresDatabase() };
  const dir = mkdtempSync(join(tmpdir(), 'hub-mig-'));
  dirs.push(dir);
  return { engine, file: join(dir, 'hub.sqlite') };
}

const untyped = (database: HubDatabase): Kysely<unknown> => database.db as unknown as Kysely<unknown>;

describe.each(HUB_ENGINES)('hub migrations on %s', (engine) => {
  it('bring an empty database to the newest version once, and a second start changes nothing', async () => {
    const where = await target(engine);
    const first = await openHubDatabase(where);
    expect(await appliedVersions(untyped(first))).toEqual(HUB_MIGRATIONS.map((m) => m.version));
    await first.close();
    const second = await openHubDatabase(where);
    expect(await migrateHub(untyped(second), engine, HUB_MIGRATIONS)).toEqual([]);
    await second.close();
    if (where.engine === 'sqlite') expect(statSync(where.file).mode & 0o777).toBe(0o600);
  });

  it('keep 64-bit integers as numbers and refuse a text in an integer column', async () => {
    const database = await openHubDatabase(await target(engine));
    try {
      const big = 2 ** 52 + 7;
      await database.db.insertInto('stores').values({ store_id: 's1', name: '店', created_at: big }).execute();
      const row = await database.db.selectFrom('stores').select('created_at').executeTakeFirstOrThrow();
      expect(row.created_at).toBe(big);
      await expect(sql`insert into stores (store_id, name, created_at) values ('s2', 'x', 'not a number')`.execute(database.db)).rejects.toThrow();
    } finally {
      await database.close();
    }
  });

  it('refuse a migration list with a hole and a database newer than the code, before changing anything', async () => {
    const database = await openHubDatabase(await target(engine));
    try {
      const holey: HubMigration[] = [...HUB_MIGRATIONS, { version: HUB_MIGRATIONS.length + 2, name: 'x', up: async () => {} }];
      await expect(migrateHub(untyped(database), engine, holey)).rejects.toThrow(/not contiguous/);
      const next: HubMigration = {
        version: HUB_MIGRATIONS.length + 1, name: 'probe',
        up: async (db) => { await db.schema.createTable('probe').addColumn('id', 'text').execute(); },
      };
      expect(await migrateHub(untyped(database), engine, [...HUB_MIGRATIONS, next])).toEqual([next.version]);
      await expect(migrateHub(untyped(database), engine, HUB_MIGRATIONS)).rejects.toThrow(/newer than this hub knows/);
    } finally {
      await database.close();
    }
  });

  it('roll back a failing migration together with its version row', async () => {
    const database = await openHubDatabase(await target(engine));
    try {
      const failing: HubMigration = {
        version: HUB_MIGRATIONS.length + 1, name: 'fails',
        up: async (db) => {
          await db.schema.createTable('half_done').addColumn('id', 'text').execute();
          throw new Error('boom');
        },
      };
      await expect(migrateHub(untyped(database), engine, [...HUB_MIGRATIONS, failing])).rejects.toThrow('boom');
      expect(await appliedVersions(untyped(database))).toEqual(HUB_MIGRATIONS.map((m) => m.version));
      await expect(sql`select * from half_done`.execute(database.db)).rejects.toThrow();
    } finally {
      await database.close();
    }
  });
});

describe('PostgreSQL BIGINT parsing', () => {
  it('turns a safe BIGINT into a number and refuses one that would lose digits', () => {
    expect(parseInt8('9007199254740991')).toBe(Number.MAX_SAFE_INTEGER);
    expect(() => parseInt8('9007199254740993')).toThrow(/not a safe integer/);
  });
});
