import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import { contributionDelta } from '../metrics/delta';
import type { JourneyWrite, RollupDelta, Store } from '../store/store';

/**
 * Calls refreshed together: their journeys read, written and their rollups merged in one request
 * each. Rollups of calls ending in the same hour share most of their documents, so merging cuts the
 * rollup writes several-fold; a store across the network answers a group in about one round trip.
 */
const CALLS_PER_GROUP = 64;

/**
 * Longest the ingestor works before it lets the event loop take waiting webhooks. A store that
 * answers without I/O (the embedded one) would otherwise hold the loop for a whole batch, several
 * milliseconds at a few hundred calls, and every webhook arriving meanwhile would wait that long.
 */
const MAX_BUSY_MS = 2;

/** Attempts at a call whose conditional journey write keeps losing to another instance. */
const MAX_ATTEMPTS = 20;

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
    await this.deps.store.appendEvents(events);
    const callSids = [...new Set(events.map((e) => e.callSid))];
    for (let i = 0; i < callSids.length; i += CALLS_PER_GROUP) {
      await this.refresh(callSids.slice(i, i + CALLS_PER_GROUP));
      await this.yieldIfBusy();
    }
  }

  private busySince = performance.now();

  private async yieldIfBusy(): Promise<void> {
    if (performance.now() - this.busySince < MAX_BUSY_MS) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.busySince = performance.now();
  }

  /**
   * Journeys whose rollup delta has not been applied yet, with the journey the rollups still
   * reflect. Kept so that a retry after a failed rollup write applies the right difference.
   */
  private readonly rollupBasis = new Map<string, Journey | null>();

  /** The refresh each call is in, so that one call is refreshed by one group at a time in this process. */
  private readonly inFlight = new Map<string, Promise<void>>();

  /**
   * Re-projects calls from their stored events and moves the rollups by the difference. Journey
   * writes are conditional on the version read, so when another instance updates a call at the same
   * moment, the loser re-reads and projects again: the newest events always win, and rollups get
   * each change exactly once.
   */
  async refresh(callSids: readonly string[]): Promise<Map<string, Journey>> {
    const release = await this.lock(callSids);
    try {
      return await this.refreshLocked(callSids);
    } finally {
      release();
    }
  }

  /**
   * Waits for earlier refreshes of any of these calls (a delivery retried after a timeout may
   * overlap the first attempt). A group claims all its calls at once, before waiting, so every
   * group waits only on groups that claimed earlier: no cycle, no deadlock.
   */
  private async lock(callSids: readonly string[]): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const earlier: Promise<void>[] = [];
    for (const sid of callSids) {
      const before = this.inFlight.get(sid);
      if (before) earlier.push(before);
      this.inFlight.set(sid, mine);
    }
    await Promise.all(earlier);
    return () => {
      for (const sid of callSids) if (this.inFlight.get(sid) === mine) this.inFlight.delete(sid);
      release();
    };
  }

  private async refreshLocked(callSids: readonly string[]): Promise<Map<string, Journey>> {
    const { store, contribution, onJourney } = this.deps;
    const result = new Map<string, Journey>();
    /** Calls whose rollups must move to their journey in `result`. */
    const moved: string[] = [];
    const changed: Journey[] = [];
    let todo = callSids;
    for (let attempt = 1; todo.length; attempt++) {
      if (attempt > MAX_ATTEMPTS) throw new Error(`journeys kept changing under concurrent updates: ${todo.join(', ')}`);
      const [stored, events] = await Promise.all([store.getJourneys(todo), store.eventsForCalls(todo)]);
      const writes: JourneyWrite[] = [];
      const replaced = new Map<string, Journey | null>();
      for (const callSid of todo) {
        const previous = stored.get(callSid) ?? null;
        const all = events.get(callSid) ?? [];
        // The projection depends on the events alone, and a call's stored events only ever grow, so a
        // stored journey that counted as many events as are stored now was projected from exactly these.
        // A redelivery after a crash before the journey was written finds a count behind and repairs it.
        if (previous !== null && previous.eventCount === all.length) {
          result.set(callSid, previous);
          if (this.rollupBasis.has(callSid)) moved.push(callSid);
          continue;
        }
        writes.push({ journey: projectJourney(callSid, all), expectedEventCount: previous ? previous.eventCount : null });
        replaced.set(callSid, previous);
      }
      const accepted = writes.length ? await store.putJourneys(writes) : new Set<string>();
      const lost: string[] = [];
      for (const { journey } of writes) {
        if (!accepted.has(journey.callSid)) {
          lost.push(journey.callSid);
          continue;
        }
        // The rollups reflect the journey just replaced, unless an earlier attempt left its delta unapplied.
        if (contribution && !this.rollupBasis.has(journey.callSid)) this.rollupBasis.set(journey.callSid, replaced.get(journey.callSid)!);
        result.set(journey.callSid, journey);
        changed.push(journey);
        moved.push(journey.callSid);
      }
      todo = lost;
    }
    if (contribution) {
      const before: RollupDelta[] = [];
      const after: RollupDelta[] = [];
      for (const callSid of moved) {
        const basis = this.rollupBasis.get(callSid);
        if (basis) before.push(...contribution(basis));
        after.push(...contribution(result.get(callSid)!));
      }
      // One merged difference for the group: what the calls add, minus what their old versions had added.
      const delta = contributionDelta(before, after);
      if (delta.length) await store.applyRollups(delta);
      for (const callSid of moved) this.rollupBasis.delete(callSid);
    }
    for (const j of changed) onJourney?.(j);
    return result;
  }
}
