import { sql, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Issue 15: the finance role (reports, reconciliation, exports; no staff, settings or counters) and price changes
 * scheduled for a date and time.
 *
 * `users.role` gains 'finance'. PostgreSQL swaps the column's check constraint; SQLite cannot alter a check, so the
 * table is rebuilt the way SQLite documents it (create the new table, copy, drop the old, rename), which this
 * migration asks the runner to do with foreign keys off (`sqliteForeignKeysOff`; the runner runs
 * `PRAGMA foreign_key_check` before committing, so nothing dangles).
 *
 * `hub_price_schedules`: one price change waiting for its time: an item's chain price (store_id NULL) or one
 * store's price, applied by the hub's price job (electron/hub/reference/price-schedules.ts) as an ordinary reference
 * change (revision, audit, synced down). A schedule is pending, applied or cancelled, never deleted (history).
 */
export const migration0004: HubMigration = {
  version: 4,
  name: 'finance-role-and-price-schedules',
  sqliteForeignKeysOff: true,
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    if (engine === 'postgres') {
      await sql`alter table users drop constraint if exists users_role_check`.execute(db);
      await sql`alter table users add constraint users_role_check check (role in ('owner', 'manager', 'finance'))`.execute(db);
    } else {
      await sql`create table users_new (
        user_id text primary key, name text not null unique,
        role text not null check (role in ('owner', 'manager', 'finance')), password_hash text not null,
        failed_sign_ins integer not null default 0, last_failed_at integer, locked_until integer, created_at integer not null
      ) strict`.execute(db);
      await sql`insert into users_new select user_id, name, role, password_hash, failed_sign_ins, last_failed_at, locked_until, created_at from users`.execute(db);
      await sql`drop table users`.execute(db);
      await sql`alter table users_new rename to users`.execute(db);
    }

    await db.schema
      .createTable('hub_price_schedules')
      .addColumn('schedule_id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('hub_items.item_id'))
      // NULL: the chain price; else that store's price.
      .addColumn('store_id', 'text', (c) => c.references('stores.store_id'))
      .addColumn('price_fen', int64, (c) => c.notNull().check(sql`price_fen >= 0`))
      .addColumn('effective_at', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'applied', 'cancelled')`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('settled_at', int64)
      // The reference revision the applied change made.
      .addColumn('revision', int64)
      .$call((b) => (engine === 'sqlite' ? b.modifyEnd(sql`strict`) : b))
      .execute();
    await db.schema.createIndex('hub_price_schedules_due').on('hub_price_schedules').columns(['state', 'effective_at']).execute();
  },
};
