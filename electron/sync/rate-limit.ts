import type { Clock } from '../../shared/clock';

export interface EndpointLimit {
  /** Requests allowed in a burst. */
  burst: number;
  /** Sustained requests per second. */
  perSecond: number;
}

interface Bucket {
  tokens: number;
  refilledAt: number;
  pausedUntil: number;
}

/**
 * A token bucket per WeChat endpoint, plus a pause after WeChat says we are too fast. A job whose endpoint has
 * no token stays pending and is tried on a later pass.
 */
export class EndpointLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: (endpoint: string) => EndpointLimit,
  ) {}

  /** Takes a token if one is available. */
  tryTake(endpoint: string): boolean {
    const bucket = this.refill(endpoint);
    if (bucket.pausedUntil > this.clock.now() || bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  pause(endpoint: string, ms: number): void {
    const bucket = this.refill(endpoint);
    bucket.pausedUntil = Math.max(bucket.pausedUntil, this.clock.now() + ms);
  }

  pausedUntil(endpoint: string): number {
    return this.refill(endpoint).pausedUntil;
  }

  private refill(endpoint: string): Bucket {
    const now = this.clock.now();
    const limit = this.limits(endpoint);
    let bucket = this.buckets.get(endpoint);
    if (!bucket) {
      bucket = { tokens: limit.burst, refilledAt: now, pausedUntil: 0 };
      this.buckets.set(endpoint, bucket);
    }
    const elapsed = Math.max(0, now - bucket.refilledAt);
    bucket.tokens = Math.min(limit.burst, bucket.tokens + (elapsed / 1000) * limit.perSecond);
    bucket.refilledAt = now;
    return bucket;
  }
}

/** WeChat documents 150 qps per merchant (6 qps for invalid requests); one counter stays far below both. */
export const DEFAULT_ENDPOINT_LIMIT: EndpointLimit = { burst: 10, perSecond: 5 };
