import { sql, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Issue 15: the finance role (reports, reconciliation, exports; no staff, settings or counters).
 *
 * `users.role` gains 'finance'. PostgreSQL swaps the column's check constraint; SQLite cannot alter a check, so the
 * table is rebuilt the way SQLite documents it (create the new table, copy, drop the old, rename), which this
 * migration asks the runner to do with foreign keys off (`sqliteForeignKeysOff`; the runner runs
 * `PRAGMA foreign_key_check` before committing, so nothing dangles).
 */
export const migration0006: HubMigration = {
  version: 6,
  name: 'finance-role',
  sqliteForeignKeysOff: true,
  async up(db: Kysely<unknown>, { engine }: HubMigrationContext): Promise<void> {
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
  },
};
