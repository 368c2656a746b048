import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Reference data, the hub's to decide (issue 13): the chain's items with per-store price and availability
 * overrides, staff and the stores they work at (PIN hashes made at the hub), each store's settings, which stores a
 * hub manager account may manage, the chain-wide revision every change bumps, and the hub's audit log.
 *
 * Revisions: `reference_revision` is one row; every change updates it (+1) in the change's own transaction, which
 * also row-locks it on PostgreSQL, so reference changes commit in revision order and a reader that reads the
 * revision first sees every change up to it. `reference_list_revisions` keeps, per scope ('*' for the chain-wide
 * item list, else a store id) and list, the revision of the last change, so `GET reference?since=` can tell which
 * lists changed for one store without scanning them.
 *
 * Booleans are integers 0/1 on both engines (SQLite STRICT has no boolean).
 */
export const migration0003: HubMigration = {
  version: 3,
  name: 'reference-data',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('reference_revision')
      .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
      .addColumn('revision', int64, (c) => c.notNull().check(sql`revision >= 0`))
      .$call(strict)
      .execute();
    // Starts at 1: a counter that holds nothing asks with since=0 and so always gets everything once.
    await sql`insert into reference_revision (id, revision) values (1, 1)`.execute(db);

    await db.schema
      .createTable('reference_list_revisions')
      .addColumn('scope', 'text', (c) => c.notNull())
      .addColumn('list', 'text', (c) => c.notNull().check(sql`list in ('items', 'staff', 'store')`))
      .addColumn('revision', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('reference_list_revisions_pk', ['scope', 'list'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_items')
      .addColumn('item_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      // Unique where set (both engines treat NULLs as distinct): a scan never has two answers.
      .addColumn('barcode', 'text', (c) => c.unique())
      .addColumn('price_fen', int64, (c) => c.notNull().check(sql`price_fen >= 0`))
      .addColumn('quick', 'integer', (c) => c.notNull().check(sql`quick in (0, 1)`))
      // Set exactly for quick items; one quick key per place, so a place is never shared.
      .addColumn('position', 'integer', (c) => c.unique())
      .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addCheckConstraint('hub_items_quick_position', sql`(quick = 1) = (position is not null)`)
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_item_overrides')
      .addColumn('item_id', 'text', (c) => c.notNull().references('hub_items.item_id'))
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      // NULL: the chain price.
      .addColumn('price_fen', int64, (c) => c.check(sql`price_fen is null or price_fen >= 0`))
      .addColumn('available', 'integer', (c) => c.notNull().check(sql`available in (0, 1)`))
      .addColumn('updated_at', int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_item_overrides_pk', ['item_id', 'store_id'])
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_staff')
      .addColumn('staff_id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull().check(sql`role in ('cashier', 'manager', 'owner')`))
      // scrypt$N$r$p$salt$hash, unpeppered (the counters verify it); never a PIN.
      .addColumn('pin_hash', 'text', (c) => c.notNull().check(sql`pin_hash like 'scrypt$%'`))
      .addColumn('active', 'integer', (c) => c.notNull().check(sql`active in (0, 1)`))
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();
    // The counters keep one active person per name (their users table): the hub keeps it chain-wide.
    await sql`create unique index hub_staff_active_name on hub_staff (name) where active = 1`.execute(db);

    await db.schema
      .createTable('hub_staff_stores')
      .addColumn('staff_id', 'text', (c) => c.notNull().references('hub_staff.staff_id'))
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      .addPrimaryKeyConstraint('hub_staff_stores_pk', ['staff_id', 'store_id'])
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_staff_stores_store').on('hub_staff_stores').column('store_id').execute();

    // Hub manager accounts (users.role = 'manager') manage only the stores listed here; the owner manages all.
    await db.schema
      .createTable('hub_user_stores')
      .addColumn('user_id', 'text', (c) => c.notNull().references('users.user_id'))
      .addColumn('store_id', 'text', (c) => c.notNull().references('stores.store_id'))
      .addPrimaryKeyConstraint('hub_user_stores_pk', ['user_id', 'store_id'])
      .$call(strict)
      .execute();

    // One row per store once its settings were first changed; before that the defaults apply (store-settings.ts).
    await db.schema
      .createTable('store_settings')
      .addColumn('store_id', 'text', (c) => c.primaryKey().references('stores.store_id'))
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('receipt_footer', 'text', (c) => c.notNull())
      .addColumn('max_cash_out_fen', int64, (c) => c.notNull().check(sql`max_cash_out_fen >= 0`))
      .addColumn('max_refund_fen', int64, (c) => c.notNull().check(sql`max_refund_fen >= 0`))
      .addColumn('wechat_mchid', 'text')
      .addColumn('wechat_sub_mchid', 'text')
      .addColumn('wechat_appid', 'text')
      .addColumn('updated_at', int64, (c) => c.notNull())
      .$call(strict)
      .execute();

    await db.schema
      .createTable('hub_audit')
      .addColumn('audit_id', 'text', (c) => c.primaryKey())
      .addColumn('at', int64, (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('user_name', 'text', (c) => c.notNull())
      // The caller's address as the hub saw it (behind a proxy: the proxy's, see electron/hub/README.md).
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      // JSON text of what changed (never a PIN nor a PIN hash).
      .addColumn('detail', 'text', (c) => c.notNull())
      .addColumn('revision', int64)
      .$call(strict)
      .execute();
    await db.schema.createIndex('hub_audit_at').on('hub_audit').column('at').execute();
  },
};
