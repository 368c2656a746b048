import type { Logger } from '../../../shared/log';
import type { HubDatabase } from '../db/database';
import { clearMarks, markedStores, marksOf } from '../db/rollup-marks';
import { recomputeStoreDays } from './rollups';

/** How long after a push marks store-days the job rebuilds them (later pushes in that time share the pass). */
export const ROLLUP_DEBOUNCE_MS = 1_000;
/**
 * A pass waits at least this many times the previous pass's duration after it: a store-day of a busy drain grows
 * with every push, and back-to-back passes over it took a whole database connection from the intake (the 1,000-
 * terminal bench). So the job spends at most about a fifth of the time rebuilding.
 */
const SPACING_PER_PASS = 4;

/**
 * Rebuilds the dashboards' rollups of the store-days pushes marked (db/rollup-marks.ts), off the push path: a push
 * only marks, and a pass runs `debounceMs` after the first mark since the last pass (later marks do not push it
 * back). Marks made while a pass runs get the next pass, again `debounceMs` later, or 4× the last pass's duration if
 * that is longer, so a long drain rebuilds a busy store-day now and then instead of after every push, and under a
 * steady stream of pushes the rollups are at most one such wait plus one pass behind.
 *
 * A pass takes the marked stores one at a time, each in its own transaction: read the store's marks, recompute
 * their days (recomputeStoreDays, which on PostgreSQL first locks the store row FOR NO KEY UPDATE, so two passes —
 * a second hub process, a settle racing the timer — rebuild one store one after the other and never clash on the
 * rollup keys), then delete the marks read, generation by generation. Readers see a store's days before or after
 * its rebuild, never half of it.
 *
 * Dashboards and exports call settle() before reading: the marks made before the request are rebuilt first, so a
 * manager (and a test) reads figures that include every push acknowledged before the request.
 */
export class RollupJob {
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private markedDuringPass = false;
  private closed = false;
  private lastPassMs = 0;

  constructor(private readonly deps: { database: HubDatabase; log: Logger; debounceMs?: number }) {}

  /** A push committed marks: a pass is due within the debounce. */
  marked(): void {
    if (this.running) this.markedDuringPass = true;
    else this.schedule();
  }

  /** One pass now, or joining the one in flight (the hub's periodic job timer, a start after a crash). */
  tick(): Promise<void> {
    const started = performance.now();
    this.running ??= this.pass().finally(() => {
      this.running = null;
      this.lastPassMs = performance.now() - started;
      if (this.markedDuringPass) {
        this.markedDuringPass = false;
        this.schedule();
      }
    });
    return this.running;
  }

  /**
   * Resolves once every mark made before the call is rebuilt: a pass in flight may have read the marks before
   * them, so after it a pass that starts now. Rejects if a store's rebuild failed (its marks stay).
   */
  async settle(): Promise<void> {
    await this.running?.catch(() => undefined);
    await this.tick();
  }

  /** Stops the timer; a pass in flight finishes (its transactions commit or roll back whole). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.tick().catch(() => undefined);
    }, Math.max(this.deps.debounceMs ?? ROLLUP_DEBOUNCE_MS, SPACING_PER_PASS * this.lastPassMs));
    this.timer.unref();
  }

  private async pass(): Promise<void> {
    const { database, log } = this.deps;
    const failed: string[] = [];
    for (const storeId of await markedStores(database.db)) {
      if (this.closed) return;
      try {
        await database.db.transaction().execute(async (trx) => {
          const marks = await marksOf(trx, storeId);
          if (marks.length === 0) return;
          await recomputeStoreDays(trx, new Map([[storeId, new Set(marks.map((m) => m.day))]]), database.engine === 'postgres');
          await clearMarks(trx, storeId, marks);
        });
      } catch (error) {
        // The store's marks stay: the next pass (or the periodic tick) tries again; the other stores go on.
        failed.push(storeId);
        log.error('hub: could not rebuild a store\'s dashboard rollups', { store: storeId, error: error instanceof Error ? error.message : String(error) });
      }
    }
    if (failed.length > 0) throw new Error(`the dashboard rollups of ${failed.length} store(s) could not be rebuilt`);
  }
}
