import type { CallEvent } from '../journey/events';
import { journeyPages } from '../store/journey-pages';
import type { Store } from '../store/store';

/** No webhook for this long means the call's end was lost (a status callback not configured or dropped). */
export const STALE_AFTER_MS = 12 * 3_600_000;
const LOOK_BACK_MS = 7 * 86_400_000;

/**
 * Closes calls whose end never arrived, so they are counted rather than left "in progress" for ever.
 * The end is placed at the call's last recorded event; the status says it was inferred.
 */
export async function closeStaleCalls(store: Store, now: number, record: (events: CallEvent[]) => void, staleAfterMs = STALE_AFTER_MS): Promise<number> {
  let closed = 0;
  const from = new Date(now - LOOK_BACK_MS).toISOString();
  const to = new Date(now - staleAfterMs).toISOString();
  for await (const page of journeyPages(store, { from, to }, 500)) {
    for (const j of page) {
      if (j.ended) continue;
      const events = await store.eventsForCall(j.callSid);
      const last = events[events.length - 1];
      if (!last || now - last.at < staleAfterMs || events.some((e) => e.type === 'call.ended')) continue;
      record([{ id: `${j.callSid}:stale-end`, callSid: j.callSid, at: last.at, step: 1_000_001, seq: 0, type: 'call.ended', status: 'end-not-reported', durationSec: null }]);
      closed++;
    }
  }
  return closed;
}
