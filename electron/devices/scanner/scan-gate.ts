/**
 * Keeps the counter responsive whatever comes out of a scanner: scans are handled one at a time, at the pace a
 * person can scan (a token bucket), with a short queue; anything beyond is dropped without being looked at. A
 * stuck scanner or a flood on the serial port (1,000 codes a second) then costs a counter bump per line, not a
 * database transaction, a log line and a screen update each. Drops are reported once per burst (one log line,
 * one notice with the count), never per scan.
 */
import type { Clock } from '../../../shared/clock';
import type { Logger } from '../../../shared/log';
import type { ScanSource } from './route';

export interface ScanGateLimits {
  /** Scans let through back to back after a quiet spell. */
  burst: number;
  /** Scans per second let through for as long as scanning goes on. */
  perSecond: number;
  /** Scans waiting while one is being handled; beyond this they are dropped. */
  maxWaiting: number;
  /** How long after the first dropped scan the drops are reported (counted together). */
  reportAfterMs: number;
}

/**
 * A cashier scanning item after item reads 2–4 codes a second; a supermarket scanner's fastest repeat is about
 * 10. Twelve at once and eight a second leave a person never held back.
 */
export const DEFAULT_SCAN_GATE_LIMITS: ScanGateLimits = { burst: 12, perSecond: 8, maxWaiting: 4, reportAfterMs: 1000 };

export interface ScanGateDeps {
  clock: Clock;
  logger: Logger;
  /** Handles one scan; the gate never runs two at once. Must not throw (the counter's handler does not). */
  handle(text: string, source: ScanSource): Promise<void>;
  /** Told once per burst how many scans were dropped. */
  onDropped(count: number): void;
  limits?: Partial<ScanGateLimits>;
}

interface Waiting {
  text: string;
  source: ScanSource;
  done: () => void;
}

export class ScanGate {
  private readonly limits: ScanGateLimits;
  private tokens: number;
  private refilledAt: number;
  private readonly waiting: Waiting[] = [];
  private running = false;
  private dropped = 0;
  private reportTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(private readonly deps: ScanGateDeps) {
    this.limits = { ...DEFAULT_SCAN_GATE_LIMITS, ...deps.limits };
    this.tokens = this.limits.burst;
    this.refilledAt = deps.clock.now();
  }

  /** Resolves once the scan was handled, or at once when it was dropped. */
  offer(text: string, source: ScanSource): Promise<void> {
    if (this.waiting.length >= this.limits.maxWaiting || !this.takeToken()) {
      this.drop();
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push({ text, source, done: resolve });
      void this.pump();
    });
  }

  /** Scans waiting to be handled now (for tests and the status of a flood). */
  waitingCount(): number {
    return this.waiting.length;
  }

  private takeToken(): boolean {
    const now = this.deps.clock.now();
    const elapsed = Math.max(0, now - this.refilledAt);
    this.tokens = Math.min(this.limits.burst, this.tokens + (elapsed * this.limits.perSecond) / 1000);
    this.refilledAt = now;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      for (let next = this.waiting.shift(); next; next = this.waiting.shift()) {
        try {
          await this.deps.handle(next.text, next.source);
        } catch (error) {
          this.deps.logger.error('scan: handling failed', { error: error instanceof Error ? error.message : String(error) });
        } finally {
          next.done();
        }
      }
    } finally {
      this.running = false;
    }
  }

  private drop(): void {
    this.dropped += 1;
    if (this.reportTimer !== null) return;
    this.reportTimer = setTimeout(() => this.report(), this.limits.reportAfterMs);
    // A pending report must not keep a closing process alive.
    this.reportTimer.unref?.();
  }

  private report(): void {
    this.reportTimer = null;
    const count = this.dropped;
    this.dropped = 0;
    if (count === 0) return;
    this.deps.logger.warn('scan: scans came too fast, dropped', { count });
    try {
      this.deps.onDropped(count);
    } catch {
      // The log line above stays.
    }
  }
}
