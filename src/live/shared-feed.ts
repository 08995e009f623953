import type { CallEvent } from '../journey/events';
import { RecentIds } from '../recent-ids';
import type { LiveFeed } from './feed';

/**
 * This instance's own webhooks (at once) together with what other instances stored (a moment later),
 * each event once: an event arriving by both ways is passed on only the first time.
 */
export function sharedFeed(local: LiveFeed, others: ((listener: (events: CallEvent[]) => void) => () => void) | undefined): LiveFeed {
  if (!others) return local;
  return {
    subscribe(listener) {
      const seen = new RecentIds();
      const once = (events: CallEvent[]) => {
        const fresh = events.filter((e) => seen.firstTime(e.id));
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
