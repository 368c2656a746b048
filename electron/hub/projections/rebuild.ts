import type { HubDb } from '../db/database';
import { clearAllMarks } from '../db/rollup-marks';
import { applyFacts, type ApplyOutcome } from './apply';
import { rebuildAllRollups } from './rollups';
import { PROJECTION_TABLES } from './upsert';

const PAGE = 1000;

/**
 * Empties every projection table and builds it again from the raw facts, oldest first per terminal, in one
 * transaction (readers see the old projection until it commits). Used after a projection's shape changes, and by the
 * tests that prove the projection built push by push equals a replay of the facts.
 */
export async function rebuildProjections(db: HubDb, now: number): Promise<Pick<ApplyOutcome, 'zMismatches' | 'skipped'>> {
  return db.transaction().execute(async (trx) => {
    for (const table of PROJECTION_TABLES) await trx.deleteFrom(table).execute();
    const total: Pick<ApplyOutcome, 'zMismatches' | 'skipped'> = { zMismatches: [], skipped: 0 };
    let after = { terminal: '', seq: 0 };
    for (;;) {
      const page = await trx
        .selectFrom('facts')
        .select(['terminal_id', 'store_id', 'seq', 'kind', 'body'])
        .where((eb) => eb.or([eb('terminal_id', '>', after.terminal), eb.and([eb('terminal_id', '=', after.terminal), eb('seq', '>', after.seq)])]))
        .orderBy('terminal_id')
        .orderBy('seq')
        .limit(PAGE)
        .execute();
      const outcome = await applyFacts(trx, page, now);
      total.skipped += outcome.skipped;
      total.zMismatches.push(...outcome.zMismatches);
      const last = page.at(-1);
      if (!last || page.length < PAGE) {
        // The dashboards' rollups, days and months, all from the rebuilt projections; nothing is left for the rollup job.
        await rebuildAllRollups(trx);
        await clearAllMarks(trx);
        return total;
      }
      after = { terminal: last.terminal_id, seq: last.seq };
    }
  });
}
