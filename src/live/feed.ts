import type { CallEvent } from '../journey/events';

/**
 * Where the live hub's events come from. One instance feeds its own webhooks' events; with several
 * instances behind a load balancer, a feed over the store's change stream gives every hub all calls.
 */
export interface LiveFeed {
  /** Calls `listener` with each batch of events (one webhook's); returns an unsubscribe function. */
  subscribe(listener: (events: CallEvent[]) => void): () => void;
}

/** A feed over a set of listeners, as the service's onEvents is. */
export function listenerSetFeed(listeners: Set<(events: CallEvent[]) => void>): LiveFeed {
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
