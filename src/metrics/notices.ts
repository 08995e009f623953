import type { RollupDoc } from '../store/store';
import { C, DIM_RANG_OUT, DIM_WITH_NOTICE, H, NOTICE_PREFIX, RING_OUT_PREFIX } from './dims';
import { distributionOf } from './histogram';
import { fallbacksFromRollups } from './fallbacks';
import { mergeBy, surveyIndices } from './measures';
import type { FallbackRow, SurveyIndices } from './view-types';

/** One person at one node, for one reason: how often callers met the notice, and the ringing it spared them. */
export interface NoticeRow {
  flowId: string;
  nodeId: string;
  /** The directory extension (or transfer target) sought. */
  target: string;
  reason: string;
  /** Times a caller met the notice: each one a ring that did not happen. */
  ringsAvoided: number;
  calls: number;
  /** The ring each avoided is estimated at, and from what (see noticesFromRollups). */
  ringEstimateMs: number | null;
  estimateFrom: 'ring-outs' | 'ring-seconds' | null;
  savedMs: number;
}

export interface NoticesView {
  /** Calls that met at least one notice. */
  calls: number;
  ringsAvoided: number;
  savedMs: number;
  rows: NoticeRow[];
  /** The survey of calls that met a notice beside that of calls in which a person's phone rang out unanswered. */
  survey: { metNotice: SurveyIndices; rangOut: SurveyIndices };
  /** The fallbacks at the nodes where notices were met, by node and reason: "notice" beside "no-answer" (rang out). */
  fallbacks: FallbackRow[];
}

/**
 * The notice figures from the rollups of a range. The time a notice saved a caller is the ring they
 * would otherwise have waited through, estimated per person as the median of that person's rings
 * that went out unanswered in the same range (their "recent" ring-out time: the range the reader
 * chose), and where the range has none, as the node's own ring time (`ringSecondsOf`: a directory's
 * ringSeconds, a transfer's timeoutSeconds), which is how long Twilio would have let it ring.
 */
export function noticesFromRollups(docs: readonly RollupDoc[], ringSecondsOf: (flowId: string, nodeId: string) => number | null): NoticesView {
  const merged = mergeBy(docs, (d) => `${d.flowId}\n${d.dim}`);
  const rows: NoticeRow[] = [];
  for (const [k, c] of merged) {
    const [flowId, dim] = k.split('\n');
    if (!dim.startsWith(NOTICE_PREFIX)) continue;
    const [nodeId, target, reason] = dim.slice(NOTICE_PREFIX.length).split('|');
    const ringsAvoided = c[C.occurrences] ?? 0;
    if (!ringsAvoided) continue;
    const ringOuts = distributionOf(merged.get(`${flowId}\n${RING_OUT_PREFIX}${nodeId}|${target}`) ?? {}, H.ringMs);
    const ringSeconds = ringSecondsOf(flowId, nodeId);
    const [ringEstimateMs, estimateFrom] =
      ringOuts.median !== null ? [ringOuts.median, 'ring-outs' as const] : ringSeconds !== null ? [ringSeconds * 1000, 'ring-seconds' as const] : [null, null];
    rows.push({ flowId, nodeId, target, reason, ringsAvoided, calls: c[C.calls] ?? 0, ringEstimateMs, estimateFrom, savedMs: (ringEstimateMs ?? 0) * ringsAvoided });
  }
  rows.sort((a, b) => b.savedMs - a.savedMs || b.ringsAvoided - a.ringsAvoided || `${a.flowId}|${a.nodeId}|${a.target}|${a.reason}`.localeCompare(`${b.flowId}|${b.nodeId}|${b.target}|${b.reason}`));
  const byDim = mergeBy(docs);
  const nodes = new Set(rows.map((r) => `${r.flowId}|${r.nodeId}`));
  return {
    calls: byDim.get(DIM_WITH_NOTICE)?.[C.calls] ?? 0,
    ringsAvoided: rows.reduce((n, r) => n + r.ringsAvoided, 0),
    savedMs: rows.reduce((n, r) => n + r.savedMs, 0),
    rows,
    survey: { metNotice: surveyIndices(byDim.get(DIM_WITH_NOTICE) ?? {}), rangOut: surveyIndices(byDim.get(DIM_RANG_OUT) ?? {}) },
    fallbacks: fallbacksFromRollups(docs, 'node').filter((f) => nodes.has(`${f.flowId}|${f.nodeId}`) && (f.reason === 'notice' || f.reason === 'no-answer')),
  };
}
