import { inEventOrder, type CallEvent } from '../../journey/events';
import type { Journey } from '../../journey/journey';

/**
 * The parsed events and journey of the calls most recently read or written, at most `maxCalls` of
 * them (the least recently used leave first). A call in progress is read back whole after every
 * webhook (the ingestor projects it from all its events), so without this each delivery parsed the
 * call's whole history again from JSON. Only this process writes the store's file (one instance per
 * DATA_DIR), so what is held here is what the file holds: entries change with the writes and leave
 * with deletions. Holds copies: nothing handed out is the cache's own array.
 */
export class RecentCalls {
  /** journey: the stored journey, null when none is stored, undefined when not known here. */
  private readonly calls = new Map<string, { events: CallEvent[] | null; journey: Journey | null | undefined }>();

  constructor(private readonly maxCalls: number) {}

  private entry(callSid: string, create: boolean) {
    let e = this.calls.get(callSid);
    if (e) {
      // Most recently used last: Map keeps insertion order.
      this.calls.delete(callSid);
      this.calls.set(callSid, e);
      return e;
    }
    if (!create) return undefined;
    e = { events: null, journey: undefined };
    this.calls.set(callSid, e);
    if (this.calls.size > this.maxCalls) this.calls.delete(this.calls.keys().next().value!);
    return e;
  }

  /** A copy of the call's events in the order they happened; undefined when not held. */
  events(callSid: string): CallEvent[] | undefined {
    const list = this.entry(callSid, false)?.events;
    if (!list) return undefined;
    const ordered = inEventOrder(list);
    return ordered === list ? list.slice() : (ordered as CallEvent[]);
  }

  /** Whether all of the call's events are held (the recency order is left as it is). */
  holdsEvents(callSid: string): boolean {
    return !!this.calls.get(callSid)?.events;
  }

  /** All of a call's events, as just read from the file (or first stored). */
  setEvents(callSid: string, events: readonly CallEvent[]): void {
    this.entry(callSid, true)!.events = [...events];
  }

  /** Events just stored: added to a call held whole; a call not held stays unheld (its other events are unknown here). */
  appended(events: readonly CallEvent[]): void {
    for (const e of events) this.calls.get(e.callSid)?.events?.push(e);
  }

  /** The call's journey; null when it is known that none is stored, undefined when not known here. */
  journey(callSid: string): Journey | null | undefined {
    return this.entry(callSid, false)?.journey;
  }

  /** A call whose first events were just stored: it has no journey yet. */
  setNoJourney(callSid: string): void {
    this.entry(callSid, true)!.journey = null;
  }

  setJourney(journey: Journey): void {
    this.entry(journey.callSid, true)!.journey = journey;
  }

  forget(callSids: readonly string[]): void {
    for (const sid of callSids) this.calls.delete(sid);
  }

  clear(): void {
    this.calls.clear();
  }
}
