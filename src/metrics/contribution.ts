import type { Journey } from '../journey/journey';
import type { RollupDelta } from '../store/store';
import {
  C,
  DIM_CALL,
  DIM_WITH_FALLBACK,
  H,
  categoryDim,
  fallbackAtDim,
  fallbackDim,
  fallbackRescueDim,
  family,
  DIM_RANG_OUT,
  DIM_WITH_NOTICE,
  localHourDim,
  nodeDim,
  noticeDim,
  ringOutDim,
  repeatDim,
  soughtDim,
  weekdayDim,
} from './dims';
import { firstFallbackFor, soughtTargets } from '../journey/repeats';
import { GRAINS, GRAIN_PREFIX, grainStart } from './grains';
import { addValue } from './histogram';
import { localTimeIn } from './local-time';
import { unansweredRingMs } from './no-help';
import { addQueueStays } from './queue-contribution';
import { fallbackRescue } from './fallbacks';

type Counters = Record<string, number>;

export interface ContributionOptions {
  /** The municipality's time zone, for the hour-of-day and weekday rollups. */
  timeZone: string;
}

export const DEFAULT_TIME_ZONE = 'Europe/Stockholm';

const CALLER_HANG_UPS = new Set<Journey['outcome']>(['abandoned_in_menu', 'abandoned_while_ringing', 'abandoned_after_fallback']);

function inc(counts: Counters, key: string, by = 1): void {
  counts[key] = (counts[key] ?? 0) + by;
}

/** The survey answers of one call, counted per scale step so the SKR index is exact. */
function addSurvey(counts: Counters, j: Journey): void {
  const s = j.survey;
  if (s.offered) inc(counts, C.surveyOffered);
  if (s.declined) inc(counts, C.surveyDeclined);
  if (s.completed) inc(counts, C.surveyCompleted);
  if (s.bemotande !== null || s.enkelhet !== null || s.answered !== null) inc(counts, C.surveyResponded);
  if (s.bemotande !== null) inc(counts, family(C.bemotande, s.bemotande));
  if (s.enkelhet !== null) inc(counts, family(C.enkelhet, s.enkelhet));
  if (s.answered !== null) inc(counts, family(C.resolved, s.answered ? 'yes' : 'no'));
}

function callCounters(j: Journey): Counters {
  const c: Counters = {};
  inc(c, C.calls);
  inc(c, family(C.outcome, j.outcome));
  if (j.answeredBy) {
    inc(c, C.human);
    inc(c, family(C.answeredBy, j.answeredBy));
  }
  if (j.timeToHumanMs !== null) addValue(c, H.timeToHuman, j.timeToHumanMs);
  if (j.timeToOperatorMs !== null) addValue(c, H.timeToOperator, j.timeToOperatorMs);
  addValue(c, H.keyPresses, j.keyPresses);
  addValue(c, H.keysBeforeHuman, j.keyPressesBeforeHuman);
  if (j.fallbacks.length) inc(c, C.fallbackCalls);
  for (const f of j.fallbacks) {
    inc(c, C.occurrences);
    if (f.lostMs !== null) addValue(c, H.lostMs, f.lostMs);
    addValue(c, H.lostKeys, f.lostKeyPresses);
  }
  if (!j.answeredBy) addNoHuman(c, j);
  addSurvey(c, j);
  return c;
}

/** A call that ended without a human: its whole time, and the part of it spent ringing in vain. */
function addNoHuman(c: Counters, j: Journey): void {
  inc(c, C.noHuman);
  if (j.durationMs !== null) addValue(c, H.noHumanMs, j.durationMs);
  const ring = unansweredRingMs(j);
  if (ring) inc(c, C.noHumanRingMs, ring);
}


function surveyOnly(j: Journey): Counters {
  const c: Counters = { [C.calls]: 1 };
  addSurvey(c, j);
  return c;
}

/**
 * Fallback rollups: occurrences and their cost, counted per occurrence; the survey once per call,
 * so that "callers who did not go through it" is the call rollup minus this one.
 */
function addFallbacks(dims: Map<string, Counters>, j: Journey): void {
  const seen = new Set<string>();
  for (const f of j.fallbacks) {
    for (const dim of [fallbackDim(f), fallbackAtDim(f.nodeId, f.reason), fallbackRescueDim(f.nodeId, f.reason, fallbackRescue(f))]) {
      const c = counters(dims, dim);
      inc(c, C.occurrences);
      if (f.lostMs !== null) addValue(c, H.lostMs, f.lostMs);
      addValue(c, H.lostKeys, f.lostKeyPresses);
      inc(c, family(C.outcome, f.outcome));
      if (!seen.has(dim)) {
        seen.add(dim);
        inc(c, C.calls);
        addSurvey(c, j);
      }
    }
  }
  if (j.fallbacks.length) dims.set(DIM_WITH_FALLBACK, surveyOnly(j));
}

/**
 * Absence notices met (each a ring avoided), and the rings that went out unanswered to people: what
 * a notice saved is estimated from the latter (see metrics/notices.ts). The survey once per call in
 * each, so calls that met a notice and calls that rang out can be scored side by side.
 */
function addNotices(dims: Map<string, Counters>, j: Journey): void {
  const notices = j.notices ?? [];
  const seen = new Set<string>();
  for (const n of notices) {
    const dim = noticeDim(n.nodeId, n.target, n.reason);
    const c = counters(dims, dim);
    inc(c, C.occurrences);
    if (!seen.has(dim)) {
      seen.add(dim);
      inc(c, C.calls);
      addSurvey(c, j);
    }
  }
  if (notices.length) dims.set(DIM_WITH_NOTICE, surveyOnly(j));
  const rangOut = j.fallbacks.filter((f) => f.reason === 'no-answer' && f.targetKind === 'person' && f.ringMs !== undefined);
  for (const f of rangOut) {
    const c = counters(dims, ringOutDim(f.nodeId, f.target));
    inc(c, C.occurrences);
    addValue(c, H.ringMs, f.ringMs!);
  }
  if (rangOut.length) dims.set(DIM_RANG_OUT, surveyOnly(j));
}

/**
 * Repeat callers: every person or department the call sought, by its first fallback for them, with
 * the survey (its "did you get an answer" beside the repeats); and the targets it sought again within
 * the window after an earlier call of the same caller, by that call's first fallback. Whether it was a
 * repeat is the journey's own (a call.repeat event the ingestor noted when it ended, see
 * ingest/ingestor.ts), so this stays a function of the one journey.
 */
function addRepeats(dims: Map<string, Counters>, j: Journey): void {
  for (const s of soughtTargets(j)) dims.set(soughtDim({ ...s, firstFallback: firstFallbackFor(j, s) }), surveyOnly(j));
  for (const r of j.repeatOf ?? []) inc(counters(dims, repeatDim(r)), C.calls);
}

function addNodes(dims: Map<string, Counters>, j: Journey): void {
  const visited = new Set<string>();
  j.steps.forEach((stored, i) => {
    // Journeys stored before steps carried their own input have none: count them as no input.
    const step = { ...stored, keys: stored.keys ?? null, invalid: stored.invalid ?? [], timeouts: stored.timeouts ?? 0 };
    const c = counters(dims, nodeDim(step.nodeId));
    inc(c, C.entries);
    if (visited.has(step.nodeId)) inc(c, C.reentries);
    else {
      visited.add(step.nodeId);
      inc(c, C.calls);
    }
    if (step.keys !== null) inc(c, family(C.exitKey, step.keys));
    const next = j.steps[i + 1];
    if (next) inc(c, family(C.exitNext, next.nodeId));
    for (const k of step.invalid) {
      inc(c, C.invalid);
      inc(c, family(C.invalid, k.length === 1 ? k : 'other'));
    }
    if (step.timeouts) inc(c, C.timeouts, step.timeouts);
    const pressed = (step.keys?.length ?? 0) + step.invalid.reduce((s, k) => s + k.length, 0);
    if (pressed) inc(c, C.pressed, pressed);
    if (step.ms !== null) addValue(c, H.timeInNode, step.ms);
    if (!next && CALLER_HANG_UPS.has(j.outcome)) inc(c, C.hangups);
  });
  for (const t of j.transfers) {
    const c = counters(dims, nodeDim(t.nodeId));
    inc(c, family(C.transfer, 'attempted'));
    inc(c, family(C.transfer, t.answeredAt !== null ? 'answered' : t.result ?? 'pending'));
  }
}

function counters(dims: Map<string, Counters>, dim: string): Counters {
  let c = dims.get(dim);
  if (!c) dims.set(dim, (c = {}));
  return c;
}

/**
 * What one journey adds to the rollups. Only ended calls count: a call in progress adds nothing,
 * so the many webhooks of a live call cost no rollup writes and no view shows half a call. When an
 * ended journey still changes (a late callback), the Ingestor applies the difference between its
 * old and new contribution, so the rollups always equal the sum over the current journeys.
 * A call whose end never arrives is not counted.
 */
export function createRollupContribution(opts: ContributionOptions = { timeZone: DEFAULT_TIME_ZONE }): (journey: Journey) => RollupDelta[] {
  const localTime = localTimeIn(opts.timeZone);
  return (j) => {
    if (!j.ended || !j.flowId || !j.flowVersion || !j.startedAt) return [];
    const startedAt = Date.parse(j.startedAt);
    const local = localTime(startedAt);
    const dims = new Map<string, Counters>();
    dims.set(DIM_CALL, callCounters(j));
    addFallbacks(dims, j);
    addNotices(dims, j);
    addRepeats(dims, j);
    addNodes(dims, j);
    addQueueStays(dims, j, localTime);
    const category = surveyOnly(j);
    if (j.answeredBy) inc(category, C.human);
    dims.set(categoryDim(j.category), category);
    dims.set(localHourDim(local.hour), surveyOnly(j));
    dims.set(weekdayDim(local.weekday), surveyOnly(j));

    const out: RollupDelta[] = [];
    for (const grain of GRAINS) {
      const hour = new Date(grainStart(grain, startedAt)).toISOString();
      // The grains share each dimension's counters: a contribution is only ever read (merged, written), and
      // copying them per grain was most of what a contribution cost.
      for (const [dim, counts] of dims) out.push({ flowId: j.flowId, flowVersion: j.flowVersion, hour, dim: GRAIN_PREFIX[grain] + dim, counts });
    }
    return out;
  };
}

/** The contribution in the default time zone (Europe/Stockholm). */
export const rollupContribution = createRollupContribution();
