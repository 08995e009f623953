import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import type { RollupDelta, Store } from '../store/store';
import { contributionDelta } from './delta';

/** Calls whose stored journeys are read and compared in one request. */
const JOURNEY_PAGE = 200;

export interface RebuildResult {
  calls: number;
  /** Journeys whose stored projection differed and was rewritten. */
  journeysRewritten: number;
  /** Merged rollup increments written (one per rollup per batch). */
  rollupWrites: number;
  ms: number;
}

export interface RebuildOptions {
  contribution: (journey: Journey) => RollupDelta[];
  /** Calls per rollup write; deltas of a batch are merged first. */
  batchSize?: number;
  onProgress?: (calls: number) => void;
  now?: () => number;
}

/**
 * Rebuilds every rollup from the stored events: clears them, re-projects each call's journey
 * (rewriting it when the projector's result changed) and adds its contribution. Because rollups
 * are sums of contributions, this gives the same numbers as the incremental path. Run it with the
 * service stopped: webhooks ingested meanwhile would be counted by neither. Rollup intents left by
 * an interrupted ingestion are cleared at the end: every hour they name has just been recomputed.
 */
export async function rebuildRollups(store: Store, opts: RebuildOptions): Promise<RebuildResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const batchSize = opts.batchSize ?? 500;
  await store.clearRollups();
  let calls = 0;
  let rewritten = 0;
  let rollupWrites = 0;
  let pending: RollupDelta[] = [];
  const flush = async () => {
    const merged = contributionDelta([], pending);
    pending = [];
    if (merged.length) await store.applyRollups(merged);
    rollupWrites += merged.length;
  };
  // Calls are projected a page at a time, so their stored journeys are read, and the changed ones
  // written, in one request per page rather than one per call.
  let page: Journey[] = [];
  const projectPage = async () => {
    if (!page.length) return;
    const stored = await store.getJourneys(page.map((j) => j.callSid));
    const changed = page.filter((j) => {
      const s = stored.get(j.callSid);
      return !s || JSON.stringify(s) !== JSON.stringify(j);
    });
    if (changed.length) await store.putJourneys(changed.map((journey) => ({ journey, expectedEventCount: stored.get(journey.callSid)?.eventCount ?? null })));
    rewritten += changed.length;
    for (const j of page) pending.push(...opts.contribution(j));
    page = [];
  };
  for await (const events of store.eventsByCall()) {
    if (!events.length) continue;
    page.push(projectJourney(events[0].callSid, events));
    if (page.length >= JOURNEY_PAGE) await projectPage();
    if (++calls % batchSize === 0) {
      await projectPage();
      await flush();
      opts.onProgress?.(calls);
    }
  }
  await projectPage();
  await flush();
  const leftovers = await store.listRollupIntents();
  await store.writeRollupIntents([], leftovers.map((i) => i.id));
  return { calls, journeysRewritten: rewritten, rollupWrites, ms: now() - started };
}
