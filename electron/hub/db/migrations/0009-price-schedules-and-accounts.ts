import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * Issue 15, the head office's reference pages:
 *
 * - `hub_price_schedules`: a price change for a given time, for the chain price (`store_id` NULL) or one store's
 *   price, applied by the hub's price job (reference/price-job.ts) as an ordinary reference change once its time
 *   has come, so counters get it at their next pull. `pending` → `applied` (with the revision it made) or
 *   `cancelled` (before it applied). Rows are kept: they are part of the item's history.
 * - `users.disabled_at`: an account the owner disabled signs in no more (its sessions end); never deleted, since
 *   the audit log and resolved mismatches name it.
 * - `hub_audit (target, at)`: the history of one item, person, store or account is read by its target; the
 *   existing audit log serves as the change history (who, from where, old → new in `detail`), no second table.
 */
export const migration0009: HubMigration = {
  version: 9,
  name: 'price-schedules-and-accounts',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const int64 = types.int64;
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;

    await db.schema
      .createTable('hub_price_schedules')
      .addColumn('schedule_id', 'text', (c) => c.primaryKey())
      .addColumn('item_id', 'text', (c) => c.notNull().references('hub_items.item_id'))
      // NULL: the chain price; else that store's price.
      .addColumn('store_id', 'text', (c) => c.references('stores.store_id'))
      .addColumn('price_fen', int64, (c) => c.notNull().check(sql`price_fen >= 0`))
      .addColumn('apply_at', int64, (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull().check(sql`state in ('pending', 'applied', 'cancelled')`))
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_by_name', 'text', (c) => c.notNull())
      .addColumn('created_from', 'text', (c) => c.notNull())
      .addColumn('created_at', int64, (c) => c.notNull())
      .addColumn('settled_at', int64)
      .addColumn('settled_by_name', 'text')
      .addColumn('applied_revision', int64)
      .$call(strict)
      .execute();
    // The job asks "what is due?": pending rows by time.
    await db.schema.createIndex('hub_price_schedules_due').on('hub_price_schedules').columns(['state', 'apply_at']).execute();
    await db.schema.createIndex('hub_price_schedules_item').on('hub_price_schedules').columns(['item_id', 'apply_at']).execute();

    await db.schema.alterTable('users').addColumn('disabled_at', int64).execute();
    await db.schema.createIndex('hub_audit_target_at').on('hub_audit').columns(['target', 'at']).execute();
  },
};
