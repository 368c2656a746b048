import { systemClock, type Clock } from '../../shared/clock';
import { ArgsError } from './cli-args';

/**
 * The web host's clock: the system clock, shifted by POS_CLOCK_OFFSET_MS (whole milliseconds, may be negative)
 * when that is set. For end-to-end tests and demos of what happens across time (a restart after a QR's expiry);
 * a store's counter never sets it. The embedded sandbox runs on the same clock, so WeChat's side agrees.
 */
export function hostClock(env: NodeJS.ProcessEnv = process.env): Clock {
  const raw = env.POS_CLOCK_OFFSET_MS;
  if (raw === undefined || raw === '') return systemClock;
  if (!/^-?\d{1,12}$/.test(raw)) throw new ArgsError(`POS_CLOCK_OFFSET_MS must be a whole number of milliseconds, got ${raw.slice(0, 20)}`);
  const offset = Number(raw);
  return { now: () => Date.now() + offset };
}
