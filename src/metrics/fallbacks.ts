import type { JourneyFallback } from '../journey/journey';
import type { RollupDoc } from '../store/store';
import { C, DIM_CALL, H, family, parseFallbackAtDim, parseFallbackDim, parseFallbackRescueDim, type FallbackRescue } from './dims';
import { distributionOf, readHistogram } from './histogram';
import { indexGap, mergeBy, share, subtractCounters, surveyIndices, type Counters } from './measures';
import type { FallbackOutcomes, FallbackRow } from './view-types';

/**
 * "route": one row per node, target, reason and route taken; "node": one per node and reason;
 * "rescue": one per node, reason and who answered after it (a backup beside the operator).
 */
export type FallbackGrouping = 'route' | 'node' | 'rescue';

/** Who answered after a fallback (see FallbackRescue); in_progress journeys are never counted. */
export function fallbackRescue(f: Pick<JourneyFallback, 'outcome' | 'answeredByBackup'>): FallbackRescue {
  if (f.answeredByBackup) return 'backup';
  switch (f.outcome) {
    case 'answered_by_operator':
      return 'operator';
    case 'answered_by_person':
      return 'person';
    case 'answered_by_department':
      return 'department';
    default:
      return 'none';
  }
}

export function fallbackOutcomes(c: Counters): FallbackOutcomes {
  const o = (name: string) => c[family(C.outcome, name)] ?? 0;
  return {
    answered_by_operator: o('answered_by_operator'),
    answered_by_person: o('answered_by_person'),
    answered_by_department: o('answered_by_department'),
    abandoned: o('abandoned'),
    ended_by_ivr: o('ended_by_ivr'),
  };
}

/** One row from its counters and the counters of all the flow's calls in the same range. */
export function fallbackRow(key: Pick<FallbackRow, 'flowId' | 'nodeId' | 'target' | 'reason' | 'route' | 'rescue'>, c: Counters, flowCalls: Counters): FallbackRow {
  const occurrences = c[C.occurrences] ?? 0;
  const outcomes = fallbackOutcomes(c);
  const through = surveyIndices(c);
  const notThrough = surveyIndices(subtractCounters(flowCalls, c));
  return {
    ...key,
    occurrences,
    calls: c[C.calls] ?? 0,
    lostMs: distributionOf(c, H.lostMs),
    lostTotalMs: readHistogram(c, H.lostMs).sum,
    lostKeys: distributionOf(c, H.lostKeys),
    outcomes,
    abandoned: share(outcomes.abandoned, occurrences),
    through,
    notThrough,
    indexGap: { bemotande: indexGap(through.bemotande, notThrough.bemotande), enkelhet: indexGap(through.enkelhet, notThrough.enkelhet) },
  };
}

/** Most time lost first (all occurrences together), then the most frequent; ties in a stable order. */
export function sortFallbackRows(rows: FallbackRow[]): FallbackRow[] {
  const key = (r: FallbackRow) => `${r.flowId}|${r.nodeId}|${r.target ?? ''}|${r.reason}|${r.route ?? ''}|${r.rescue ?? ''}`;
  return rows.sort((a, b) => b.lostTotalMs - a.lostTotalMs || b.occurrences - a.occurrences || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
}

/** Fallback rows, most time lost first. Needs the "call" rollups too (for the callers not through it). */
export function fallbacksFromRollups(docs: readonly RollupDoc[], by: FallbackGrouping = 'route'): FallbackRow[] {
  const merged = mergeBy(docs, (d) => `${d.flowId}\n${d.dim}`);
  const rows: FallbackRow[] = [];
  for (const [k, c] of merged) {
    const [flowId, dim] = k.split('\n');
    const flowCalls = merged.get(`${flowId}\n${DIM_CALL}`) ?? {};
    if (by === 'route') {
      const f = parseFallbackDim(dim);
      if (f) rows.push(fallbackRow({ flowId, ...f }, c, flowCalls));
    } else if (by === 'rescue') {
      const f = parseFallbackRescueDim(dim);
      if (f) rows.push(fallbackRow({ flowId, nodeId: f.nodeId, target: null, reason: f.reason, route: null, rescue: f.rescue }, c, flowCalls));
    } else {
      const f = parseFallbackAtDim(dim);
      if (f) rows.push(fallbackRow({ flowId, nodeId: f.nodeId, target: null, reason: f.reason, route: null }, c, flowCalls));
    }
  }
  return sortFallbackRows(rows.filter((r) => r.occurrences > 0));
}
