import type { CallEvent } from '../journey/events';
import type { LiveFeed } from './feed';

const SEEN_LIMIT = 50_000;

/**
 * This instance's own webhooks (at once) together with what other instances stored (a moment later),
 * each event once: an event arriving by both ways is passed on only the first time.
 */
export function sharedFeed(local: LiveFeed, others: ((listener: (events: CallEvent[]) => void) => () => void) | undefined): LiveFeed {
  if (!others) return local;
  return {
    subscribe(listener) {
      const seen = new Set<string>();
      const once = (events: CallEvent[]) => {
        const fresh = events.filter((e) => !seen.has(e.id));
        for (const e of fresh) seen.add(e.id);
        while (seen.size > SEEN_LIMIT) seen.delete(seen.values().next().value as string);
        if (fresh.length) listener(fresh);
      };
      const stopLocal = local.subscribe(once);
      const stopOthers = others(once);
      return () => {
        stopLocal();
        stopOthers();
      };
    },
  };
}
