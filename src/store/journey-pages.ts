import type { Journey } from '../journey/journey';
import type { JourneyQuery, Store } from './store';

/**
 * The journeys a listing selects, a page at a time in the store's order (newest start first), each
 * page continuing after the last journey of the one before. It ends at a short page, or at a journey
 * without a start time: the listing puts those last, and no page can continue after one.
 */
export async function* journeyPages(store: Pick<Store, 'listJourneys'>, query: Omit<JourneyQuery, 'limit' | 'before'>, pageSize: number): AsyncIterable<Journey[]> {
  let before: { startedAt: string; callSid: string } | undefined;
  for (;;) {
    const page = await store.listJourneys({ ...query, limit: pageSize, ...(before ? { before } : {}) });
    if (page.length) yield page;
    const last = page[page.length - 1];
    if (page.length < pageSize || !last?.startedAt) return;
    before = { startedAt: last.startedAt, callSid: last.callSid };
  }
}
