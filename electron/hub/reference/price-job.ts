import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { HubDb } from '../db/database';
import { applyDuePriceChanges } from './price-schedule';
import { SingleFlight } from '../../../shared/single-flight';

/** How often the hub looks for scheduled price changes that are due (a query on an index when none are). */
export const PRICE_JOB_INTERVAL_MS = 15_000;

/**
 * Applies scheduled price changes when their time has come (price-schedule.ts), on the hub's clock: the
 * composition root runs `tick()` every PRICE_JOB_INTERVAL_MS and once at start (a hub that was down at 09:00
 * applies the 09:00 change when it is back); tests call `tick()` after moving their ManualClock. One run at a time.
 */
export class HubPriceScheduleJob {
  private readonly flight = new SingleFlight<number>(() => applyDuePriceChanges(this.deps.db, this.deps.clock, this.deps.log));

  constructor(private readonly deps: { db: HubDb; clock: Clock; log: Logger }) {}

  /** Applies what is due now; returns how many changes were applied. */
  tick(): Promise<number> {
    return this.flight.start();
  }

  /** Resolves when no run is in flight (the hub waits for it before closing the database). */
  async idle(): Promise<void> {
    await this.flight.idle();
  }
}
