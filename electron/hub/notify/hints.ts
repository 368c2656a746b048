import type { PaymentHint } from '../../../shared/hub-protocol';

/**
 * Paid / refunded hints for the counters connected to the hub's push channel (http/push-socket.ts), by terminal.
 * In memory: a counter that is not connected when a hint is published misses it and finds the payment by its own
 * polling (the hint is only a shortcut; the counter confirms every hint with its own query to WeChat anyway).
 */
export class HintBus {
  private readonly listeners = new Map<string, Set<(hint: PaymentHint) => void>>();
  private readonly droppers = new Map<(hint: PaymentHint) => void, () => void>();

  /** `drop` closes that subscriber's connection (see `disconnect`). */
  subscribe(terminalId: string, listener: (hint: PaymentHint) => void, drop?: () => void): () => void {
    const set = this.listeners.get(terminalId) ?? new Set();
    set.add(listener);
    this.listeners.set(terminalId, set);
    if (drop) this.droppers.set(listener, drop);
    return () => {
      set.delete(listener);
      this.droppers.delete(listener);
      if (set.size === 0) this.listeners.delete(terminalId);
    };
  }

  /**
   * Closes the terminal's push connections (a revoked terminal must stop hearing about payments at once; the
   * counter opens a new one after a drop and a revoked terminal's upgrade is refused). How many were closed.
   */
  disconnect(terminalId: string): number {
    let closed = 0;
    for (const listener of [...(this.listeners.get(terminalId) ?? [])]) {
      const drop = this.droppers.get(listener);
      if (!drop) continue;
      drop();
      closed += 1;
    }
    return closed;
  }

  /** How many connections got it (0 when the terminal is not connected). */
  publish(terminalId: string, hint: PaymentHint): number {
    const set = this.listeners.get(terminalId);
    for (const listener of set ?? []) listener(hint);
    return set?.size ?? 0;
  }

  connected(terminalId: string): boolean {
    return this.listeners.has(terminalId);
  }
}
