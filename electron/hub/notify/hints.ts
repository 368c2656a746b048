import type { PaymentHint } from '../../../shared/hub-protocol';

/**
 * Paid / refunded hints for the counters connected to the hub's push channel (http/push-socket.ts), by terminal.
 * In memory: a counter that is not connected when a hint is published misses it and finds the payment by its own
 * polling (the hint is only a shortcut; the counter confirms every hint with its own query to WeChat anyway).
 */
export class HintBus {
  private readonly listeners = new Map<string, Set<(hint: PaymentHint) => void>>();

  subscribe(terminalId: string, listener: (hint: PaymentHint) => void): () => void {
    const set = this.listeners.get(terminalId) ?? new Set();
    set.add(listener);
    this.listeners.set(terminalId, set);
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(terminalId);
    };
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
