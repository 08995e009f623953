import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import { journeyPages } from '../store/journey-pages';
import type { RollupDelta, Store } from '../store/store';
import { RollupSums } from './delta';

/** Calls whose stored journeys are read and compared in one request. */
const JOURNEY_PAGE = 200;
/** Journeys read per request when their contributions are summed. */
const CONTRIBUTION_PAGE = 1000;
/** Rollups summed in memory before they are written (a few MB). */
const SUMMED_ROWS = 20_000;
/** Every journey with a start time, in the listing's order (newest first). */
const ALL_TIME = { from: '0000-01-01T00:00:00.000Z', to: '9999-12-31T23:59:59.999Z' };

export interface RebuildResult {
  calls: number;
  /** Journeys whose stored projection differed and was rewritten. */
  journeysRewritten: number;
  /** Merged rollup increments written. */
  rollupWrites: number;
  ms: number;
}

export interface RebuildOptions {
  contribution: (journey: Journey) => RollupDelta[];
  /** Calls between two onProgress calls. */
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

  // First every call is re-projected from its events, in the store's order (its fastest read), and
  // the journeys whose projection changed are rewritten: a page of stored journeys is read, and the
  // changed ones written, in one request each.
  let calls = 0;
  let rewritten = 0;
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
    page = [];
  };
  for await (const events of store.eventsByCall()) {
    if (!events.length) continue;
    page.push(projectJourney(events[0].callSid, events));
    if (page.length >= JOURNEY_PAGE) await projectPage();
    if (++calls % batchSize === 0) opts.onProgress?.(calls);
  }
  await projectPage();

  // Then the rollups from the journeys in the order they started, so that the contributions to one
  // hour, day and month are summed in memory and each rollup written a few times in all. In the
  // store's order a page of calls spans the whole period, and each call wrote rollups of its own.
  const sums = new RollupSums();
  let rollupWrites = 0;
  const flush = async () => {
    const rows = sums.take();
    if (rows.length) await store.applyRollups(rows);
    rollupWrites += rows.length;
  };
  for await (const page of journeyPages(store, ALL_TIME, CONTRIBUTION_PAGE)) {
    for (const j of page) sums.add(opts.contribution(j));
    if (sums.rows >= SUMMED_ROWS) await flush();
  }
  await flush();
  const leftovers = await store.listRollupIntents();
  await store.writeRollupIntents([], leftovers.map((i) => i.id));
  return { calls, journeysRewritten: rewritten, rollupWrites, ms: now() - started };
}
