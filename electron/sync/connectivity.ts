import type { Clock } from '../../shared/clock';
import type { Connectivity } from '../../shared/payments';
import type { WechatOutcome } from '../wechat/types';
import { backoffDelay, type Random } from './backoff';
import { callSafely, reachOf, type Reach } from './outcome';

export interface ConnectivityPolicy {
  /** Consecutive unreachable answers before the app says offline. */
  failuresToOffline: number;
  /** Probe backoff while offline. */
  probeBaseMs: number;
  probeCapMs: number;
  /** While online and idle, probe this often so the status (and the QR button) stays honest. */
  idleProbeMs: number;
}

export const DEFAULT_CONNECTIVITY_POLICY: ConnectivityPolicy = {
  failuresToOffline: 1,
  probeBaseMs: 1_000,
  probeCapMs: 15_000,
  idleProbeMs: 60_000,
};

/**
 * Online/offline as WeChat Pay answers, not as the OS reports: every real request's outcome is recorded, and a
 * cheap probe (a query for an order that never exists) runs with backoff while offline.
 */
export class ConnectivityMonitor {
  private current: Connectivity = 'unknown';
  private consecutiveFailures = 0;
  private probeFailures = 0;
  private nextProbeAt = 0;
  private lastTrafficAt = Number.NEGATIVE_INFINITY;
  private probing = false;
  private readonly listeners = new Set<(state: Connectivity) => void>();

  constructor(
    private readonly clock: Clock,
    private readonly probeCall: () => Promise<WechatOutcome<unknown>>,
    private readonly random: Random,
    private readonly policy: ConnectivityPolicy = DEFAULT_CONNECTIVITY_POLICY,
  ) {}

  get state(): Connectivity {
    return this.current;
  }

  /** 'unknown' counts as online: the first real request finds out. */
  isOnline(): boolean {
    return this.current !== 'offline';
  }

  onChange(listener: (state: Connectivity) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  record(reach: Reach): void {
    const now = this.clock.now();
    if (reach === 'unknown') return;
    this.lastTrafficAt = now;
    if (reach === 'reachable') {
      this.consecutiveFailures = 0;
      this.probeFailures = 0;
      this.set('online');
      return;
    }
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures >= this.policy.failuresToOffline && this.current !== 'offline') {
      this.set('offline');
      this.probeFailures = 0;
      this.nextProbeAt = now + this.policy.probeBaseMs;
    }
  }

  probeDue(): boolean {
    if (this.probing) return false;
    const now = this.clock.now();
    if (this.current === 'offline') return now >= this.nextProbeAt;
    return now - this.lastTrafficAt >= this.policy.idleProbeMs;
  }

  /** When the next probe is due (for the timer loop). */
  nextProbeTime(): number {
    return this.current === 'offline' ? this.nextProbeAt : this.lastTrafficAt + this.policy.idleProbeMs;
  }

  async probe(): Promise<Reach> {
    this.probing = true;
    try {
      const outcome = await callSafely(this.probeCall);
      const reach = reachOf(outcome);
      this.record(reach === 'unknown' ? 'reachable' : reach);
      if (reach === 'unreachable') {
        this.probeFailures += 1;
        this.nextProbeAt = this.clock.now() + backoffDelay(this.probeFailures, { baseMs: this.policy.probeBaseMs, capMs: this.policy.probeCapMs }, this.random);
      }
      return reach;
    } finally {
      this.probing = false;
    }
  }

  private set(state: Connectivity): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of this.listeners) listener(state);
  }
}
