/** Randomness where it matters is injected, so tests can pin jitter. Returns [0, 1). */
export type Random = () => number;

export interface BackoffPolicy {
  baseMs: number;
  capMs: number;
}

/**
 * Exponential backoff with "equal jitter": half the exponential delay fixed, half random, so retries from many
 * jobs spread out but none comes back immediately. `attempt` counts from 1.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: Random): number {
  const exponent = Math.min(Math.max(attempt - 1, 0), 30);
  const ceiling = Math.min(policy.capMs, policy.baseMs * 2 ** exponent);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** A delay uniformly between min and max (polling cadence with a little jitter). */
export function jitterBetween(minMs: number, maxMs: number, random: Random): number {
  return Math.round(minMs + random() * (maxMs - minMs));
}
