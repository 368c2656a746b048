import { sql, type CreateTableBuilder, type Kysely } from 'kysely';
import type { HubMigration, HubMigrationContext } from './types';

/**
 * The dashboards' rollups leave the push path (issue 13, the intake bench): a push no longer rebuilds the store-days
 * it touched in its own transaction, it marks them here, and the hub's rollup job (projections/rollup-job.ts)
 * rebuilds the marked store-days shortly after, one store at a time.
 *
 * One row per (store, local day, terminal): each terminal's pushes are already one at a time (its terminal row is
 * locked), so pushes of different counters of one store never wait on each other's mark. `generation` grows with
 * every push that marks the row again: the job deletes a mark only if it still has the generation it read before
 * rebuilding, so a push that commits during a rebuild leaves its mark (and is rebuilt on the next pass).
 * `marked_at` is when the row was first marked since the last rebuild (how stale the rollups may be).
 *
 * No foreign key to `stores`: the job locks the store row FOR NO KEY UPDATE while it rebuilds, and a key here would
 * add nothing a push's facts do not already hold. The existing rollups are exact: nothing is marked.
 */
export const migration0010: HubMigration = {
  version: 10,
  name: 'rollup-marks',
  async up(db: Kysely<unknown>, { engine, types }: HubMigrationContext): Promise<void> {
    const strict = <T extends string, C extends string>(builder: CreateTableBuilder<T, C>): CreateTableBuilder<T, C> =>
      engine === 'sqlite' ? builder.modifyEnd(sql`strict`) : builder;
    await db.schema
      .createTable('hub_rollup_marks')
      .addColumn('store_id', 'text', (c) => c.notNull())
      .addColumn('day', types.int64, (c) => c.notNull())
      .addColumn('terminal_id', 'text', (c) => c.notNull())
      .addColumn('generation', types.int64, (c) => c.notNull())
      .addColumn('marked_at', types.int64, (c) => c.notNull())
      .addPrimaryKeyConstraint('hub_rollup_marks_pk', ['store_id', 'day', 'terminal_id'])
      .$call(strict)
      .execute();
  },
};
