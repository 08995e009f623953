import type { Journey, JourneyFallback } from '../journey/journey';
import { exactDistribution } from './histogram';
import { unansweredRingMs } from './no-help';
import { emptyScale, indexGap, indexValue, ratio, share } from './measures';
import { fallbackRescue, sortFallbackRows, type FallbackGrouping } from './fallbacks';
import { sortNodeRows, UNKNOWN_NODE, type NodeInfoOf } from './nodes';
import type { FallbackOutcomes, FallbackRow, NoHelp, NodeRow, ScaleCounts, Summary, SurveyIndices } from './view-types';

/**
 * The views computed straight from journeys, with exact percentiles: the reference the rollups are
 * tested against, and the way to check a rollup after a change to the contribution. It reads every
 * call, so it is for tests and scripts, never for the API.
 */

/** The calls the rollups count: ended, with a flow and a start. */
export function countedJourneys(journeys: readonly Journey[]): Journey[] {
  return journeys.filter((j) => j.ended && j.flowId && j.flowVersion && j.startedAt);
}

function scale(journeys: readonly Journey[], q: 'bemotande' | 'enkelhet'): ScaleCounts {
  const s = emptyScale();
  for (const j of journeys) {
    const v = j.survey[q];
    if (v !== null) s[String(v) as keyof ScaleCounts]++;
  }
  return s;
}

function indices(journeys: readonly Journey[]): SurveyIndices {
  return { calls: journeys.length, bemotande: indexValue(scale(journeys, 'bemotande')), enkelhet: indexValue(scale(journeys, 'enkelhet')) };
}

const count = <T>(xs: readonly T[], pred: (x: T) => boolean) => xs.reduce((n, x) => n + (pred(x) ? 1 : 0), 0);

export function summaryFromJourneys(all: readonly Journey[]): Summary {
  const js = countedJourneys(all);
  const n = js.length;
  const outcome = (o: Journey['outcome']) => count(js, (j) => j.outcome === o);
  const inMenu = outcome('abandoned_in_menu');
  const whileRinging = outcome('abandoned_while_ringing');
  const afterFallback = outcome('abandoned_after_fallback');
  const fallbacks = js.flatMap((j) => j.fallbacks);
  const withFallback = js.filter((j) => j.fallbacks.length > 0);
  const withoutFallback = js.filter((j) => j.fallbacks.length === 0);
  const offered = count(js, (j) => j.survey.offered);
  const responded = count(js, (j) => j.survey.bemotande !== null || j.survey.enkelhet !== null || j.survey.answered !== null);
  const yes = count(js, (j) => j.survey.answered === true);
  const no = count(js, (j) => j.survey.answered === false);
  return {
    calls: n,
    answered: share(count(js, (j) => j.answeredBy !== null), n),
    answeredBy: {
      operator: count(js, (j) => j.answeredBy === 'operator'),
      department: count(js, (j) => j.answeredBy === 'department'),
      person: count(js, (j) => j.answeredBy === 'person'),
    },
    abandoned: { total: share(inMenu + whileRinging + afterFallback, n), inMenu: share(inMenu, n), whileRinging: share(whileRinging, n), afterFallback: share(afterFallback, n) },
    selfService: share(outcome('self_service'), n),
    outsideHours: share(outcome('outside_hours'), n),
    errors: share(outcome('error_fallback'), n),
    timeToHumanMs: exactDistribution(js.flatMap((j) => (j.timeToHumanMs === null ? [] : [j.timeToHumanMs]))),
    timeToOperatorMs: exactDistribution(js.flatMap((j) => (j.timeToOperatorMs === null ? [] : [j.timeToOperatorMs]))),
    keyPresses: exactDistribution(js.map((j) => j.keyPresses)),
    keyPressesBeforeHuman: exactDistribution(js.map((j) => j.keyPressesBeforeHuman)),
    fallback: {
      calls: withFallback.length,
      rate: ratio(withFallback.length, n),
      occurrences: fallbacks.length,
      lostMs: exactDistribution(fallbacks.flatMap((f) => (f.lostMs === null ? [] : [f.lostMs]))),
      lostKeys: exactDistribution(fallbacks.map((f) => f.lostKeyPresses)),
    },
    survey: { offered, declined: count(js, (j) => j.survey.declined !== null), responded, completed: count(js, (j) => j.survey.completed), responseRate: ratio(responded, offered) },
    bemotande: indexValue(scale(js, 'bemotande')),
    enkelhet: indexValue(scale(js, 'enkelhet')),
    firstContactResolution: { share: ratio(yes, yes + no), yes, answers: yes + no },
    byFallback: { with: indices(withFallback), without: indices(withoutFallback) },
    noHelp: noHelpFromJourneys(js),
  };
}

const whole = (ms: number) => Math.max(0, Math.floor(ms));

function noHelpFromJourneys(js: readonly Journey[]): NoHelp {
  const none = js.filter((j) => j.answeredBy === null);
  const spent = none.flatMap((j) => (j.durationMs === null ? [] : [j.durationMs]));
  const byOutcome: Record<string, number> = {};
  for (const j of [...none].sort((a, b) => (a.outcome < b.outcome ? -1 : a.outcome > b.outcome ? 1 : 0))) byOutcome[j.outcome] = (byOutcome[j.outcome] ?? 0) + 1;
  return {
    calls: share(none.length, js.length),
    spentMs: exactDistribution(spent),
    spentTotalMs: spent.reduce((s, ms) => s + whole(ms), 0),
    ringTotalMs: none.reduce((s, j) => s + unansweredRingMs(j), 0),
    byOutcome,
  };
}

export function fallbacksFromJourneys(all: readonly Journey[], by: FallbackGrouping = 'route'): FallbackRow[] {
  const js = countedJourneys(all);
  const keyOf = (j: Journey, f: JourneyFallback) =>
    by === 'route'
      ? [j.flowId, f.nodeId, f.target, f.reason, f.route].join('|')
      : by === 'rescue'
        ? [j.flowId, f.nodeId, f.reason, fallbackRescue(f)].join('|')
        : [j.flowId, f.nodeId, f.reason].join('|');
  const groups = new Map<string, { flowId: string; f: JourneyFallback; occ: JourneyFallback[]; calls: Set<Journey> }>();
  for (const j of js) {
    for (const f of j.fallbacks) {
      const k = keyOf(j, f);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = { flowId: j.flowId!, f, occ: [], calls: new Set() }));
      g.occ.push(f);
      g.calls.add(j);
    }
  }
  const rows: FallbackRow[] = [];
  for (const g of groups.values()) {
    const outcomes: FallbackOutcomes = { answered_by_operator: 0, answered_by_person: 0, answered_by_department: 0, abandoned: 0, ended_by_ivr: 0 };
    for (const f of g.occ) if (f.outcome !== 'in_progress') outcomes[f.outcome]++;
    const through = indices([...g.calls]);
    const notThrough = indices(js.filter((j) => j.flowId === g.flowId && !g.calls.has(j)));
    rows.push({
      flowId: g.flowId,
      nodeId: g.f.nodeId,
      target: by === 'route' ? g.f.target : null,
      reason: g.f.reason,
      route: by === 'route' ? g.f.route : null,
      ...(by === 'rescue' ? { rescue: fallbackRescue(g.f) } : {}),
      occurrences: g.occ.length,
      calls: g.calls.size,
      lostMs: exactDistribution(g.occ.flatMap((f) => (f.lostMs === null ? [] : [f.lostMs]))),
      lostTotalMs: g.occ.reduce((s, f) => s + (f.lostMs === null ? 0 : whole(f.lostMs)), 0),
      lostKeys: exactDistribution(g.occ.map((f) => f.lostKeyPresses)),
      outcomes,
      abandoned: share(outcomes.abandoned, g.occ.length),
      through,
      notThrough,
      indexGap: { bemotande: indexGap(through.bemotande, notThrough.bemotande), enkelhet: indexGap(through.enkelhet, notThrough.enkelhet) },
    });
  }
  return sortFallbackRows(rows);
}

const HANG_UPS = new Set<Journey['outcome']>(['abandoned_in_menu', 'abandoned_while_ringing', 'abandoned_after_fallback']);

export function nodesFromJourneys(all: readonly Journey[], infoOf: NodeInfoOf = UNKNOWN_NODE): NodeRow[] {
  const rows = new Map<string, NodeRow & { times: number[] }>();
  const rowFor = (flowId: string, nodeId: string) => {
    const k = `${flowId}\n${nodeId}`;
    let r = rows.get(k);
    if (!r) {
      rows.set(
        k,
        (r = {
          flowId,
          nodeId,
          ...infoOf(flowId, nodeId),
          entries: 0,
          calls: 0,
          repeats: 0,
          exits: { byKey: {}, byNext: {} },
          invalid: { total: 0, byKey: {} },
          timeouts: 0,
          hangups: 0,
          keyPresses: 0,
          timeInNodeMs: exactDistribution([]),
          transfers: null,
          times: [],
        }),
      );
    }
    return r;
  };
  const bump = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);
  for (const j of countedJourneys(all)) {
    const seen = new Set<string>();
    j.steps.forEach((s, i) => {
      const r = rowFor(j.flowId!, s.nodeId);
      r.entries++;
      if (seen.has(s.nodeId)) r.repeats++;
      else r.calls++;
      seen.add(s.nodeId);
      if (s.keys !== null) bump(r.exits.byKey, s.keys);
      const next = j.steps[i + 1];
      if (next) bump(r.exits.byNext, next.nodeId);
      for (const k of s.invalid) {
        r.invalid.total++;
        bump(r.invalid.byKey, k.length === 1 ? k : 'other');
      }
      r.timeouts += s.timeouts;
      r.keyPresses += (s.keys?.length ?? 0) + s.invalid.reduce((n, k) => n + k.length, 0);
      if (s.ms !== null) r.times.push(s.ms);
      if (!next && HANG_UPS.has(j.outcome)) r.hangups++;
    });
    for (const t of j.transfers) {
      const r = rowFor(j.flowId!, t.nodeId);
      const tr = (r.transfers ??= { attempted: 0, answered: 0, noAnswer: 0, busy: 0, failed: 0, canceled: 0 });
      tr.attempted++;
      if (t.answeredAt !== null) tr.answered++;
      else if (t.result === 'no-answer') tr.noAnswer++;
      else if (t.result === 'busy') tr.busy++;
      else if (t.result === 'failed') tr.failed++;
      else if (t.result === 'canceled') tr.canceled++;
    }
  }
  return sortNodeRows(
    [...rows.values()].map(({ times, ...r }) => ({ ...r, timeInNodeMs: exactDistribution(times) })),
  );
}
