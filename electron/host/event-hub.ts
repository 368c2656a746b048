import type { ApiEvents, EventName } from '../../shared/api';

export type EventListener = <E extends EventName>(event: E, payload: ApiEvents[E]) => void;

/**
 * The one way services push state to windows. Transports subscribe and deliver to the windows in each event's
 * audience; the last payload of each event is kept so a window that connects later starts from current state.
 */
export class EventHub {
  private readonly listeners = new Set<EventListener>();
  private readonly last = new Map<EventName, unknown>();

  emit<E extends EventName>(event: E, payload: ApiEvents[E]): void {
    this.last.set(event, payload);
    for (const listener of this.listeners) listener(event, payload);
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The latest payload of every event emitted so far, for a newly connected window. */
  snapshot(): { event: EventName; payload: unknown }[] {
    return [...this.last].map(([event, payload]) => ({ event, payload }));
  }
}
