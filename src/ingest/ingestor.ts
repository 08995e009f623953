import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import { contributionDelta } from '../metrics/delta';
import type { RollupDelta, Store } from '../store/store';

/**
 * Calls refreshed at once. Calls are independent (each its own journey; rollups only add), and a
 * store across the network answers several calls in the time of one round trip; a batch of a few
 * hundred calls refreshed one after the other would hold delivery for hundreds of round trips.
 */
const REFRESH_CONCURRENCY = 8;

/**
 * Longest the ingestor works before it lets the event loop take waiting webhooks. A store that
 * answers without I/O (the embedded one) would otherwise hold the loop for a whole batch, several
 * milliseconds at a few hundred calls, and every webhook arriving meanwhile would wait that long.
 */
const MAX_BUSY_MS = 2;

export type RollupContribution = (journey: Journey) => RollupDelta[];

export interface IngestorDeps {
  store: Store;
  /** What a journey adds to the rollups; absent means no rollups are kept. */
  contribution?: RollupContribution;
  onJourney?: (journey: Journey) => void;
}

/**
 * Delivers events to the store and keeps each touched call's journey and the rollups in step.
 * Safe to repeat: events are stored once, the journey is re-projected from all stored events, and
 * rollups receive only the difference from the journey's previous contribution.
 */
export class Ingestor {
  constructor(private readonly deps: IngestorDeps) {}

  async ingest(events: readonly CallEvent[]): Promise<void> {
    const { store } = this.deps;
    await store.appendEvents(events);
    const callSids = [...new Set(events.map((e) => e.callSid))];
    await forEachAtMost(REFRESH_CONCURRENCY, callSids, async (callSid) => {
      await this.refresh(callSid);
      await this.yieldIfBusy();
    });
  }

  private busySince = performance.now();
  /** The one pause every concurrent refresh waits on: paused apart, each would get its own turn of MAX_BUSY_MS. */
  private breather: Promise<void> | null = null;

  private async yieldIfBusy(): Promise<void> {
    if (!this.breather && performance.now() - this.busySince < MAX_BUSY_MS) return;
    this.breather ??= new Promise<void>((resolve) =>
      setImmediate(() => {
        this.breather = null;
        this.busySince = performance.now();
        resolve();
      }),
    );
    await this.breather;
  }

  /**
   * Journeys whose rollup delta has not been applied yet, with the journey the rollups still
   * reflect. Kept so that a retry after a failed rollup write applies the right difference.
   */
  private readonly rollupBasis = new Map<string, Journey | null>();

  /**
   * Re-projects one call from its stored events. The journey write is conditional on the version
   * read, so when another instance updates the same call at the same moment, the loser re-reads and
   * projects again: the newest events always win, and rollups get each change exactly once.
   */
  async refresh(callSid: string): Promise<Journey> {
    // One refresh per call at a time in this process (a delivery retried after a timeout may overlap
    // the first attempt); instances elsewhere are kept apart by the conditional write.
    const previous = this.inFlight.get(callSid) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.refreshNow(callSid));
    this.inFlight.set(callSid, run);
    try {
      return await run;
    } finally {
      if (this.inFlight.get(callSid) === run) this.inFlight.delete(callSid);
    }
  }

  private readonly inFlight = new Map<string, Promise<Journey>>();

  private async refreshNow(callSid: string): Promise<Journey> {
    for (let attempt = 0; ; attempt++) {
      const result = await this.tryRefresh(callSid);
      if (result) return result;
      if (attempt >= 20) throw new Error(`journey ${callSid} kept changing under concurrent updates`);
    }
  }

  private async tryRefresh(callSid: string): Promise<Journey | null> {
    const { store, contribution, onJourney } = this.deps;
    const previous = await store.getJourney(callSid);
    const all = await store.eventsForCall(callSid);
    const pendingRollup = this.rollupBasis.has(callSid);
    // The projection depends on the events alone, and a call's stored events only ever grow, so a
    // stored journey that counted as many events as are stored now was projected from exactly these.
    // A redelivery after a crash before the journey was written finds a count behind and repairs it.
    const unchanged = previous !== null && previous.eventCount === all.length;
    if (unchanged && !pendingRollup) return previous;
    const journey = unchanged ? previous : projectJourney(callSid, all);
    const basis = pendingRollup ? this.rollupBasis.get(callSid)! : previous;
    if (!unchanged && !(await store.putJourney(journey, previous ? previous.eventCount : null))) return null;
    if (contribution) {
      this.rollupBasis.set(callSid, basis);
      const delta = contributionDelta(basis ? contribution(basis) : [], contribution(journey));
      if (delta.length) await store.applyRollups(delta);
      this.rollupBasis.delete(callSid);
    }
    if (!unchanged) onJourney?.(journey);
    return journey;
  }
}

/** Runs `fn` over the items, at most `limit` at a time; fails with the first failure once those started have settled. */
async function forEachAtMost<T>(limit: number, items: readonly T[], fn: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (!failures.length && next < items.length) {
      try {
        await fn(items[next++]);
      } catch (err) {
        failures.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures[0];
}
