import { RollupRepairBusyError } from '../errors';
import type { Journey } from '../journey/journey';
import { journeyPages } from '../store/journey-pages';
import type { RollupDelta, Store } from '../store/store';
import { contributionDelta } from './delta';
import { GRAIN_PREFIX, grainEnd, grainOfDim, grainStart, rollupScopeKey, type Grain } from './grains';

/**
 * Recomputes the rollups of some hours, and of the days and months holding them, so that they equal
 * what the stored journeys contribute: the repair for hours whose rollup write may have been lost (or
 * applied in part) when a group of journeys was stored and the process stopped before its rollup
 * delta was. Unlike a rebuild it touches only those rollups, and the service may run meanwhile.
 *
 * Hours come from the journeys themselves, through the same contribution the ingestor and the rebuild
 * use: a journey contributes only to rollups of the UTC hour, day and month of its start, so the
 * journeys that started in an hour are all that hour's rollups count. A day's rollups are then the sum
 * of its 24 hours' and a month's the sum of its days' (the contribution gives every grain the same
 * counters): a few thousand rollups read, where recounting a month from journeys would read every call
 * of the month. Summing also keeps the grains consistent with each other where journeys are gone
 * but still counted (retention, erasure): only the repaired hours lose those, as in a rebuild.
 *
 * Each rollup is moved by the difference between what it should be and what it is, never overwritten,
 * so increments another writer lands after the read are kept. The reads of a scope (its journeys or
 * finer rollups, and its own rollups) must also agree with each other while other instances keep
 * writing. Every group writes an intent before its journeys and rollups, and the store bumps the
 * version of the scopes it names right after storing it (Store.rollupScopeVersions). So a scope is
 * read between two checks, each the scope's version and then the intents over it: a group whose
 * intent is stored at either check is waited for (`busyHours`), and one that started and finished
 * entirely between the checks has bumped the version. Either way the scope is read again. Before
 * writing, the repair stores an intent of its own over the scope and claims the scope's version
 * (compare-and-set), so two repairs of the same scope never both apply the same difference.
 * The result is exact whatever the others do; only a scope that never stays still long enough is
 * given up (RollupRepairBusyError), and tried again a minute later.
 */
export interface RepairOptions {
  contribution: (journey: Journey) => RollupDelta[];
  /** Hours (hour grain, ISO) that writers other than this repair may be moving right now. */
  busyHours?: () => Promise<ReadonlySet<string>>;
  /**
   * Attempts per rollup scope while it overlaps busy hours, 40–100 ms apart (default 5, about 0.3 s:
   * the service's groups wait meanwhile); then RollupRepairBusyError, and the service tries again a
   * minute later.
   */
  maxAttempts?: number;
  sleep?: (ms: number) => Promise<void>;
  /** Names the intent the repair stores while it moves a scope: its owner and a fresh id each time. */
  claimant: { owner: string; newId: () => string; now: () => number };
}

export interface RepairResult {
  hours: number;
  days: number;
  months: number;
  journeys: number;
  /** Rollups moved (those already right are not written). */
  rollupWrites: number;
}

const JOURNEY_PAGE = 1000;
const FINER: Record<Exclude<Grain, 'hour'>, Grain> = { day: 'hour', month: 'day' };

const iso = (ms: number) => new Date(ms).toISOString();

interface Scope {
  grain: Grain;
  start: number;
  end: number;
}

export async function repairRollupHours(store: Store, hours: readonly string[], opts: RepairOptions): Promise<RepairResult> {
  const result: RepairResult = { hours: 0, days: 0, months: 0, journeys: 0, rollupWrites: 0 };
  const starts = { hour: new Set<number>(), day: new Set<number>(), month: new Set<number>() };
  for (const h of hours) {
    const ms = grainStart('hour', Date.parse(h));
    starts.hour.add(ms);
    starts.day.add(grainStart('day', ms));
    starts.month.add(grainStart('month', ms));
  }
  // Finest first: a day is summed from hours already repaired, a month from days already repaired.
  for (const grain of ['hour', 'day', 'month'] as const) {
    for (const start of [...starts[grain]].sort((a, b) => a - b)) {
      await repairScope(store, { grain, start, end: grainEnd(grain, start) }, opts, result);
      result[grain === 'hour' ? 'hours' : grain === 'day' ? 'days' : 'months']++;
    }
  }
  return result;
}

async function repairScope(store: Store, scope: Scope, opts: RepairOptions, result: RepairResult): Promise<void> {
  const maxAttempts = opts.maxAttempts ?? 5;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const key = rollupScopeKey(scope.grain, scope.start);
  const version = async () => (await store.rollupScopeVersions([key])).get(key) ?? 0;
  const busy = async () => {
    if (!opts.busyHours) return false;
    for (const h of await opts.busyHours()) {
      const ms = Date.parse(h);
      if (ms >= scope.start && ms < scope.end) return true;
    }
    return false;
  };
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // Two repairs that keep meeting on a scope drift apart.
    if (attempt > 1) await sleep(20 * attempt + Math.floor(Math.random() * 20 * attempt));
    // Each check reads the version before the intents: a group stores its intent before its bump.
    const before = await version();
    if (await busy()) continue;
    const [target, current] = await Promise.all([targetOf(store, scope, opts, result), currentOf(store, scope)]);
    const after = await version();
    if (after !== before || (await busy())) continue;
    const diff = contributionDelta(current, target);
    if (!diff.length) return;
    if (await applyClaimed(store, scope, key, after, diff, opts.claimant)) {
      result.rollupWrites += diff.length;
      return;
    }
  }
  throw new RollupRepairBusyError(`${scope.grain} ${iso(scope.start)}`);
}

/**
 * Applies a scope's difference under an intent of the repair's own, if the scope's version is still
 * the one read plus the intent's own bump; false (nothing applied) when another writer came between.
 */
async function applyClaimed(store: Store, scope: Scope, key: string, read: number, diff: RollupDelta[], claimant: RepairOptions['claimant']): Promise<boolean> {
  const id = claimant.newId();
  await store.writeRollupIntents([{ id, owner: claimant.owner, at: claimant.now(), hours: [iso(scope.start)] }], []);
  try {
    if (!(await store.claimRollupScope(key, read + 1))) return false;
    await store.applyRollups(diff);
    return true;
  } finally {
    await store.writeRollupIntents([], [id]);
  }
}

/** What the scope's rollups should hold. */
async function targetOf(store: Store, scope: Scope, opts: RepairOptions, result: RepairResult): Promise<RollupDelta[]> {
  const at = iso(scope.start);
  if (scope.grain === 'hour') {
    const contributions: RollupDelta[] = [];
    for await (const j of journeysStartedIn(store, scope)) {
      result.journeys++;
      contributions.push(...opts.contribution(j));
    }
    return contributionDelta([], contributions).filter((d) => d.hour === at && grainOfDim(d.dim) === 'hour');
  }
  const finer = FINER[scope.grain];
  const prefix = GRAIN_PREFIX[finer];
  // Hour rollups carry no prefix, so a day reads its whole range (its own and a month's rollups among them, filtered out).
  const parts = await store.queryRollups({ from: at, to: iso(scope.end), ...(prefix ? { dimPrefix: prefix } : {}) });
  const relabelled = parts
    .filter((d) => grainOfDim(d.dim) === finer)
    .map((d) => ({ ...d, hour: at, dim: GRAIN_PREFIX[scope.grain] + d.dim.slice(prefix.length) }));
  return contributionDelta([], relabelled);
}

/** What the scope's rollups hold now. */
async function currentOf(store: Store, scope: Scope): Promise<RollupDelta[]> {
  const at = iso(scope.start);
  const prefix = GRAIN_PREFIX[scope.grain];
  const docs = await store.queryRollups({ from: at, to: iso(scope.start + 3_600_000), ...(prefix ? { dimPrefix: prefix } : {}) });
  return docs.filter((d) => d.hour === at && grainOfDim(d.dim) === scope.grain);
}

/** The journeys that started in [start, end), a page at a time. */
async function* journeysStartedIn(store: Store, scope: Scope): AsyncIterable<Journey> {
  for await (const page of journeyPages(store, { from: iso(scope.start), to: iso(scope.end) }, JOURNEY_PAGE)) yield* page;
}
