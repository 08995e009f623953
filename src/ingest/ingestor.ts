import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import { contributionDelta } from '../metrics/delta';
import type { RollupDelta, Store } from '../store/store';

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
    for (const callSid of callSids) await this.refresh(callSid);
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
    const journey = projectJourney(callSid, all);
    const pendingRollup = this.rollupBasis.has(callSid);
    const unchanged = previous !== null && JSON.stringify(previous) === JSON.stringify(journey);
    if (unchanged && !pendingRollup) return journey;
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
