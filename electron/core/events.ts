import type { EventName, EventPayload } from '../../shared/contract';

export type AnyEventListener = <E extends EventName>(name: E, payload: EventPayload<E>) => void;

/** Core's events for the window, typed by the contract; main and the bridge forward them. */
export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** Receives every event; returns a function that removes the listener. */
  subscribe(listener: AnyEventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<AnyEventListener>();
  return {
    emit(name, payload) {
      for (const listener of listeners) listener(name, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
