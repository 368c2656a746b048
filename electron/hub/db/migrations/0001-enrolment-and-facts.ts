import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * The hub's first schema: people who sign in at the hub, stores, pairing codes, terminals and the facts they push,
 * replay protection for signed requests, heartbeats and alerts. Ids are text (made by the hub, never by a
 * database sequence, so both engines behave the same); times are integer ms UTC.
 */
export const migration0001: HubMigration = {
  version: 1,
  name: 'enrolment-and-facts',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    // SQLite tables are STRICT like the counter's (a text in an integer column is refused, not stored).
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema.createTable('hub_meta').addColumn('key', 'text', (c) => c.primaryKey()).addColumn('value', 'text', (c) => c.notNull())
      .$call(strict).execute();

    await db.schema
      .createTable('users')
      .addColumn('user_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('owner', 'manager')`))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('failed_sign_ins', int64, (c) => c.notNull().defaultTo(0))
      .addColumn('last_failed_at', int64)
      .addColumn('locked_until', int64)
      .addColumn('created_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('sessions')
      .addColumn('token_hash', 'text', (c) => c.primaryKey())
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id'))
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('expires_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('stores')
      .addColumn('store_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('pairing_codes')
      .addColumn('code_hash', 'text', (c) => c.primaryKey())
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      .addColumn('created_by', 'text', (c) => c.notNull().references('users.user_id'))
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('expires_at', int64, (c) => c.notNull())
      .addColumn('used_at', int64)
      .addColumn('used_by_terminal', 'text')
      .$call(strict)
      .execute();

    await db.schema
      .createTable('terminals')
      .addColumn('terminal_id', 'text', (c) => c.primaryKey())
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      .addColumn('counter_name', 'text', (c) => c.notNull())
      .addColumn('public_key', 'text', (c) => c.notNull().unique())
      .addColumn('app_version', 'text', (c) => c.notNull())
      .addColumn('enrolled_at', int64, (c) => c.notNull())
      .addColumn('revoked_at', int64)
      .addColumn('high_water', int64, (c) => c.notNull().defaultTo(0))
      .addColumn('last_seen_at', int64)
      .$call(strict)
      .execute();

    await db.schema
      .createTable('request_nonces')
      .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.terminal_id'))
      .addColumn('nonce', 'text', (c) => c.notNull())
      .addColumn('seen_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('request_nonces_pk', ['terminal_id', 'nonce'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('request_nonces_seen_at').on('request_nonces').column('seen_at').execute();

    await db.schema
      .createTable('facts')
      .addColumn('terminal_id', 'text', (c) => c.notNull().references('terminals.terminal_id'))
      .addColumn('seq', int64, (c) => c.notNull().check(sql`seq >= 1`))
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('at', int64, (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('received_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('facts_pk', ['terminal_id', 'seq'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('facts_store_kind').on('facts').columns(['store_id', 'kind', 'at']).execute();

    await db.schema
      .createTable('heartbeats')
      .addColumn('terminal_id', 'text', (c) => c.primaryKey().references('terminals.terminal_id'))
      .addColumn('received_at', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('alerts')
      .addColumn('alert_id', 'text', (c) => c.primaryKey())
      .addColumn('dedupe_key', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('store_id', 'text')
      .addColumn('terminal_id', 'text')
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('raised_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
    await db.schema.createIndex('alerts_raised_at').on('alerts').column('raised_at').execute();
  },
};
