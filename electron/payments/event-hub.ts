import type { Logger } from '../../shared/log';
import type { PaymentEvents } from '../../shared/payments';

type Listener<E extends keyof PaymentEvents> = (payload: PaymentEvents[E]) => void;

/** Typed events for the windows. A listener that throws is logged and never breaks the payment flow. */
export class EventHub {
  private readonly listeners = new Map<keyof PaymentEvents, Set<(payload: never) => void>>();

  constructor(private readonly logger: Logger) {}

  on<E extends keyof PaymentEvents>(event: E, listener: Listener<E>): () => void {
    let set = this.listeners.get(event);
    if (!set) {
      set = new Set();
      this.listeners.set(event, set);
    }
    set.add(listener);
    return () => set.delete(listener);
  }

  /** True when at least one listener took the event and none threw. */
  emit<E extends keyof PaymentEvents>(event: E, payload: PaymentEvents[E]): boolean {
    const set = this.listeners.get(event);
    if (!set || set.size === 0) return false;
    let ok = true;
    for (const listener of set) {
      try {
        (listener as Listener<E>)(payload);
      } catch (error) {
        ok = false;
        this.logger.error('payment event listener threw', { event, error: error instanceof Error ? error.message : String(error) });
      }
    }
    return ok;
  }
}
