import type { Journey, JourneyFallback } from '../../journey/journey';
import type { Flow } from '../schema';
import { cheapestPath, type Cost, type PathEstimate } from './cheapest';
import { intentOf, orderedAttempts, type Intent, type NoIntent } from './intent';
import { DEFAULT_CALLER_MODEL, type CallerModel } from './model';

/**
 * Replays recorded calls against a candidate flow: for each call, what the caller wanted (see
 * intent.ts), what it actually cost them, what the cheapest path cost on the flow version they
 * called (like for like: the same estimate on both sides), and what it would cost on the candidate.
 */
export interface JourneyReplay {
  callSid: string;
  flowVersion: string | null;
  intent: Intent;
  /** The key presses and time the recorded call actually took, to the same end point. */
  actual: Cost | null;
  /** The estimate on the journey's own flow version; null when it cannot realise the intent, undefined when that version is not available. */
  before: PathEstimate | null | undefined;
  /** The estimate on the candidate; null when the candidate cannot realise the intent. */
  after: PathEstimate | null;
}

export interface IntentGroup {
  label: string;
  calls: number;
  /** Means over the calls that have the figure. */
  actual: Cost | null;
  before: Cost | null;
  after: Cost | null;
  beforePath: string[] | null;
  afterPath: string[] | null;
  /** Calls whose intent the candidate cannot realise. */
  notInCandidate: number;
  /** Calls whose flow version was not available for the like-for-like estimate. */
  versionUnknown: number;
}

export interface ReplayReport {
  candidate: { id: string; version: string; source: string };
  model: CallerModel;
  calls: number;
  replayed: JourneyReplay[];
  groups: IntentGroup[];
  skipped: Record<string, number>;
  /** Sums over the calls that have all three figures (actual, before, after), so the comparison is fair. */
  totals: { calls: number; actual: Cost; before: Cost; after: Cost };
}

export interface ReplayOptions {
  model?: CallerModel;
  /** Flow versions the journeys were recorded on, for the like-for-like estimate. */
  versions?: Flow[];
}

export function replayJourneys(journeys: readonly Journey[], candidate: Flow, opts: ReplayOptions = {}): ReplayReport {
  const model = opts.model ?? DEFAULT_CALLER_MODEL;
  const versions = new Map((opts.versions ?? []).map((f) => [`${f.id}@${f.version}`, f]));
  versions.set(`${candidate.id}@${candidate.version}`, candidate);
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => (skipped[reason] = (skipped[reason] ?? 0) + 1);
  // The same intent on the same flow has the same cheapest path: search once.
  const memo = new Map<string, PathEstimate | null>();
  const estimate = (flow: Flow, intent: Intent) => {
    const key = `${flow.id}@${flow.version}|${JSON.stringify(intent)}`;
    if (!memo.has(key)) memo.set(key, cheapestPath(flow, intent, model));
    return memo.get(key)!;
  };

  const replayed: JourneyReplay[] = [];
  for (const j of journeys) {
    if (j.flowId !== candidate.id) {
      skip(`another flow (${j.flowId ?? 'unknown'})`);
      continue;
    }
    const own = j.flowVersion ? versions.get(`${j.flowId}@${j.flowVersion}`) ?? null : null;
    const intent = intentOf(j, own);
    if (intent.kind === 'none') {
      skip((intent as NoIntent).reason);
      continue;
    }
    replayed.push({
      callSid: j.callSid,
      flowVersion: j.flowVersion,
      intent,
      actual: actualCost(j, intent),
      before: own ? estimate(own, intent) : undefined,
      after: estimate(candidate, intent),
    });
  }

  const byLabel = new Map<string, JourneyReplay[]>();
  for (const r of replayed) {
    const label = groupLabel(r.intent, candidate);
    byLabel.set(label, [...(byLabel.get(label) ?? []), r]);
  }
  const groups = [...byLabel.entries()].map(([label, rs]) => group(label, rs)).sort((a, b) => b.calls - a.calls || a.label.localeCompare(b.label, 'sv-SE'));

  const complete = replayed.filter((r) => r.actual && r.before && r.after);
  const sum = (pick: (r: JourneyReplay) => Cost) => complete.reduce((t, r) => add(t, pick(r)), zero());
  return {
    candidate: { id: candidate.id, version: candidate.version, source: candidate.source },
    model,
    calls: journeys.length,
    replayed,
    groups,
    skipped,
    totals: { calls: complete.length, actual: sum((r) => r.actual!), before: sum((r) => r.before!), after: sum((r) => r.after!) },
  };
}

function groupLabel(intent: Intent, candidate: Flow): string {
  return intent.language && intent.language !== candidate.languages.default ? `${intent.label} [${intent.language}]` : intent.label;
}

function group(label: string, rs: JourneyReplay[]): IntentGroup {
  const firstBefore = rs.find((r) => r.before)?.before ?? null;
  const firstAfter = rs.find((r) => r.after)?.after ?? null;
  return {
    label,
    calls: rs.length,
    actual: mean(rs.map((r) => r.actual)),
    before: mean(rs.map((r) => r.before ?? null)),
    after: mean(rs.map((r) => r.after)),
    beforePath: firstBefore?.steps ?? null,
    afterPath: firstAfter?.steps ?? null,
    notInCandidate: rs.filter((r) => r.after === null).length,
    versionUnknown: rs.filter((r) => r.before === undefined).length,
  };
}

/**
 * What the call cost up to the same end point the estimate uses: the start of the final transfer,
 * or, when the call ended on a fallback (the person did not answer, or was absent, and the caller
 * gave up), that fallback. Ringing of unanswered transfers before it is reported apart from menu time.
 */
export function actualCost(j: Journey, intent: Intent): Cost | null {
  if (!j.startedAt) return null;
  const start = Date.parse(j.startedAt);
  if (intent.kind === 'self-service') {
    const last = j.steps[j.steps.length - 1];
    return last ? { keys: j.keyPresses, menuMs: Date.parse(last.enteredAt) - start, ringMs: 0 } : null;
  }
  const attempts = orderedAttempts(j);
  const last = attempts[attempts.length - 1];
  if (!last) return null;
  const ringMs = attempts.reduce(
    (t, a) => (a.kind === 'dial' && a.fallback ? t + (a.transfer.ringMs ?? Date.parse(a.fallback.at) - Date.parse(a.transfer.attemptedAt)) : t),
    0,
  );
  const endedOn = (f: JourneyFallback): Cost => ({ keys: j.keyPresses - f.lostKeyPresses, menuMs: Date.parse(f.at) - start - ringMs, ringMs });
  if (last.kind === 'notice') return endedOn(last.notice);
  if (last.fallback) return endedOn(last.fallback);
  const end = Date.parse(last.transfer.attemptedAt);
  return { keys: last.transfer.answeredAt !== null ? j.keyPressesBeforeHuman : j.keyPresses, menuMs: end - start - ringMs, ringMs };
}

const zero = (): Cost => ({ keys: 0, menuMs: 0, ringMs: 0 });
const add = (a: Cost, b: Cost): Cost => ({ keys: a.keys + b.keys, menuMs: a.menuMs + b.menuMs, ringMs: a.ringMs + b.ringMs });

function mean(costs: (Cost | null)[]): Cost | null {
  const have = costs.filter((c): c is Cost => c !== null);
  if (!have.length) return null;
  const t = have.reduce(add, zero());
  return { keys: t.keys / have.length, menuMs: t.menuMs / have.length, ringMs: t.ringMs / have.length };
}
