import type { Journey, JourneyFallback, JourneyNotice, JourneyStep, JourneyTransfer } from '../../src/journey/journey';
import { indexPoints } from '../../src/journey/scoring';
import { rollupContribution } from '../../src/metrics/contribution';
import { grainOfDim } from '../../src/metrics/grains';
import { seededRandom } from '../../src/sim/random';
import type { RollupDelta, RollupDoc, RollupKey } from '../../src/store/store';

/** Builders for journeys with chosen figures, so expected metrics can be worked out by hand. */

export const T0 = Date.parse('2026-03-02T08:00:00Z');
let seq = 0;

export function step(nodeId: string, ms: number | null, extra: Partial<JourneyStep> = {}): JourneyStep {
  return { nodeId, enteredAt: new Date(T0).toISOString(), ms, keys: null, invalid: [], timeouts: 0, ...extra };
}

export function fallback(extra: Partial<JourneyFallback> = {}): JourneyFallback {
  return {
    nodeId: 'person',
    target: '4711',
    targetKind: 'person',
    reason: 'no-answer',
    route: 'person_unavailable',
    at: new Date(T0).toISOString(),
    lostMs: 0,
    lostKeyPresses: 0,
    outcome: 'answered_by_operator',
    ...extra,
  };
}

/** An absence notice met at the demo's person node, at T0 + 10 s. */
export function notice(target: string, reason: JourneyNotice['reason']): JourneyNotice {
  return { nodeId: 'person', target, targetKind: 'person', reason, until: null, at: new Date(T0 + 10_000).toISOString() };
}

export function transfer(nodeId: string, target: string, kind: JourneyTransfer['targetKind'], answered: boolean, result: JourneyTransfer['result'] = answered ? 'completed' : 'no-answer'): JourneyTransfer {
  return {
    transferId: String(++seq),
    nodeId,
    target,
    targetKind: kind,
    attemptedAt: new Date(T0).toISOString(),
    answeredAt: answered ? new Date(T0 + 5000).toISOString() : null,
    result,
    ringMs: 5000,
    talkSec: answered ? 60 : null,
  };
}

export interface SurveyAnswers {
  bemotande?: number;
  enkelhet?: number;
  answered?: boolean;
  offered?: boolean;
}

export function journey(extra: Partial<Journey> & { answers?: SurveyAnswers; at?: number } = {}): Journey {
  const { answers, at, ...given } = extra;
  // An override given as undefined keeps the default.
  const rest = Object.fromEntries(Object.entries(given).filter(([, v]) => v !== undefined)) as Partial<Journey>;
  const startedAt = at ?? T0;
  const a = answers ?? {};
  const offered = a.offered ?? (a.bemotande !== undefined || a.enkelhet !== undefined || a.answered !== undefined);
  const answeredBy = rest.answeredBy ?? null;
  const base: Journey = {
    callSid: `CA${(++seq).toString(16).padStart(32, '0')}`,
    flowId: 'vaxel',
    flowVersion: 'v1',
    caller: 'k1:caller',
    to: '+46101300000',
    language: 'sv-SE',
    startedAt: new Date(startedAt).toISOString(),
    endedAt: new Date(startedAt + 120_000).toISOString(),
    durationMs: 120_000,
    ended: true,
    path: (rest.steps ?? []).map((s) => s.nodeId),
    steps: [],
    keyPresses: 0,
    keyPressesBeforeHuman: rest.keyPresses ?? 0,
    invalidInputs: 0,
    timeouts: 0,
    category: null,
    transfers: [],
    humanAnsweredAt: null,
    answeredBy,
    timeToHumanMs: null,
    timeToOperatorMs: null,
    fallbacks: [],
    survey: {
      offered,
      declined: null,
      bemotande: a.bemotande ?? null,
      enkelhet: a.enkelhet ?? null,
      answered: a.answered ?? null,
      skipped: [],
      completed: a.bemotande !== undefined && a.enkelhet !== undefined && a.answered !== undefined,
      points: { bemotande: a.bemotande ? indexPoints(a.bemotande) : null, enkelhet: a.enkelhet ? indexPoints(a.enkelhet) : null },
    },
    outcome: answeredBy ? `answered_by_${answeredBy}` : 'abandoned_in_menu',
    errors: 0,
    eventCount: 10,
  };
  return { ...base, ...rest, path: base.path };
}


const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** Random but coherent journeys over `days` days from `from`: the material for "rollups equal a recomputation". */
export function randomJourneys(seed: number, n: number, from: number, days: number): Journey[] {
  const r = seededRandom(seed);
  const out: Journey[] = [];
  for (let i = 0; i < n; i++) {
    const at = from + Math.floor(r() * days * 86_400_000);
    const version = r() < 0.5 ? 'v1' : 'v2';
    const steps: JourneyStep[] = [step('welcome', 0), step('main', int(r, 3000, 30_000), { keys: pick(r, ['1', '2', '5', '0', null]), invalid: r() < 0.2 ? [pick(r, ['7', '8', '#'])] : [], timeouts: r() < 0.15 ? 1 : 0 })];
    const fallbacks: JourneyFallback[] = [];
    const transfers: JourneyTransfer[] = [];
    const kind = pick(r, ['operator', 'department', 'person', null] as const);
    let keys = (steps[1].keys?.length ?? 0) + steps[1].invalid.length;
    if (kind === 'person' || r() < 0.3) {
      steps.push(step('person', int(r, 5000, 25_000), { keys: pick(r, ['4711', '4712']), invalid: r() < 0.1 ? ['12'] : [] }));
      keys += 4;
      const nFallbacks = int(r, 0, 2);
      for (let f = 0; f < nFallbacks; f++) {
        const lostKeys = int(r, 0, 6);
        keys += lostKeys;
        fallbacks.push(
          fallback({
            target: pick(r, ['4711', '4712']),
            reason: pick(r, ['no-answer', 'busy'] as const),
            route: version === 'v1' ? 'person_unavailable' : 'operator',
            lostMs: r() < 0.05 ? null : int(r, 0, 400_000),
            lostKeyPresses: lostKeys,
            outcome: pick(r, ['answered_by_operator', 'abandoned', 'answered_by_person', 'ended_by_ivr'] as const),
          }),
        );
        transfers.push(transfer('person', '4711', 'person', false, pick(r, ['no-answer', 'busy'] as const)));
        if (version === 'v1') steps.push(step('person_unavailable', int(r, 2000, 20_000), { keys: pick(r, ['0', '1', null]), timeouts: int(r, 0, 2) }));
      }
    }
    if (kind) {
      steps.push(step(kind === 'operator' ? 'operator' : kind === 'person' ? 'person' : 'skola', int(r, 1000, 60_000)));
      transfers.push(transfer(steps[steps.length - 1].nodeId, 'x', kind, true));
    } else if (r() < 0.3) transfers.push(transfer('skola', 'skola', 'department', false, 'canceled'));
    const tth = kind ? int(r, 4000, 600_000) : null;
    const surveyed = kind !== null && r() < 0.7;
    const outcome: Journey['outcome'] = kind
      ? `answered_by_${kind}`
      : fallbacks.length
        ? 'abandoned_after_fallback'
        : pick(r, ['abandoned_in_menu', 'abandoned_while_ringing', 'self_service', 'error_fallback'] as const);
    out.push(
      journey({
        at,
        flowVersion: version,
        flowId: r() < 0.9 ? 'vaxel' : 'other',
        steps,
        fallbacks,
        transfers,
        keyPresses: keys,
        keyPressesBeforeHuman: Math.max(0, keys - int(r, 0, 2)),
        answeredBy: kind,
        timeToHumanMs: tth,
        timeToOperatorMs: kind === 'operator' ? tth : null,
        outcome,
        category: pick(r, ['skola', 'omsorg', 'bygglov', null]),
        ended: r() < 0.95,
        answers: surveyed
          ? { offered: true, bemotande: r() < 0.9 ? int(r, 1, 5) : undefined, enkelhet: r() < 0.85 ? int(r, 1, 5) : undefined, answered: r() < 0.8 ? r() < 0.6 : undefined }
          : {},
      }),
    );
  }
  return out;
}

/** A rollup row written directly: flow vaxel, version v1, the hour of T0, unless `key` says otherwise. */
export function rollupDoc(dim: string, counts: Record<string, number>, key: Partial<RollupKey> = {}): RollupDoc {
  return { flowId: 'vaxel', flowVersion: 'v1', hour: new Date(T0).toISOString(), dim, counts, ...key };
}

/** What the journeys add to the rollups of their hours (the day and month rollups, which repeat them, left out). */
export function hourRollups(js: readonly Journey[]): RollupDelta[] {
  return js.flatMap(rollupContribution).filter((d) => grainOfDim(d.dim) === 'hour');
}
