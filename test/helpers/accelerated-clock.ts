import type { Clock } from '../../shared/clock';

/**
 * Real time sped up, identical in every process that shares the parameters: the crash test's child (the POS) and
 * its parent (the sandbox) agree on "now" without talking, and 45 s of WeChat rules pass in a few real seconds.
 */
export interface AcceleratedClockParams {
  baseEpoch: number;
  startReal: number;
  speed: number;
}

export function acceleratedClock(p: AcceleratedClockParams): Clock {
  return { now: () => Math.floor(p.baseEpoch + (Date.now() - p.startReal) * p.speed) };
}
