import { indexPoints } from '../journey/scoring';
import type { QueueFigures } from './queues';
import type { Change, CompareSide, CompareView, FallbackRow, IndexValue, NodeRow, Summary } from './view-types';

/** What one side of a comparison measured. */
export interface CompareInput {
  side: CompareSide;
  summary: Summary;
  /** Fallback rows grouped by node and reason, so versions with different routes still pair up. */
  fallbacks: FallbackRow[];
  /** Fallback rows grouped by node, reason and who answered after them; absent, none compared. */
  rescues?: FallbackRow[];
  nodes: NodeRow[];
  /** Absent: the side was read without its queues (no queue figures compared). */
  queues?: QueueFigures[];
}

const Z_95 = 1.959964;

/** Two-proportion z-test: did the share change beyond chance (95 %, two-sided)? */
export function sharesDiffer(x1: number, n1: number, x2: number, n2: number): boolean | null {
  if (n1 <= 0 || n2 <= 0) return null;
  const p = (x1 + x2) / (n1 + n2);
  const se = Math.sqrt(p * (1 - p) * (1 / n1 + 1 / n2));
  if (se === 0) return x1 / n1 !== x2 / n2;
  return Math.abs(x2 / n2 - x1 / n1) / se >= Z_95;
}

function pointsMoments(v: IndexValue): { n: number; mean: number; variance: number } {
  let n = 0;
  let sum = 0;
  let sq = 0;
  for (const step of [1, 2, 3, 4, 5] as const) {
    const c = v.counts[String(step) as keyof IndexValue['counts']];
    const p = indexPoints(step);
    n += c;
    sum += c * p;
    sq += c * p * p;
  }
  const mean = n ? sum / n : 0;
  return { n, mean, variance: n > 1 ? (sq - n * mean * mean) / (n - 1) : 0 };
}

/** Welch's test on the index points behind two indices (95 %, two-sided, normal approximation). */
export function indicesDiffer(a: IndexValue, b: IndexValue): boolean | null {
  const x = pointsMoments(a);
  const y = pointsMoments(b);
  if (x.n < 2 || y.n < 2) return null;
  const se = Math.sqrt(x.variance / x.n + y.variance / y.n);
  if (se === 0) return x.mean !== y.mean;
  return Math.abs(y.mean - x.mean) / se >= Z_95;
}

interface MetricSpec<T = Summary> {
  metric: string;
  better: 'lower' | 'higher';
  value: (s: T) => number | null;
  significant?: (a: T, b: T) => boolean | null;
}

const shareTest = (count: (s: Summary) => number, of: (s: Summary) => number) => (a: Summary, b: Summary) => sharesDiffer(count(a), of(a), count(b), of(b));

/** The summary figures a before/after comparison reports, and which way is better. */
const METRICS: MetricSpec[] = [
  { metric: 'answered.share', better: 'higher', value: (s) => s.answered.share, significant: shareTest((s) => s.answered.count, (s) => s.calls) },
  { metric: 'abandoned.total.share', better: 'lower', value: (s) => s.abandoned.total.share, significant: shareTest((s) => s.abandoned.total.count, (s) => s.calls) },
  { metric: 'noHelp.calls.share', better: 'lower', value: (s) => s.noHelp.calls.share, significant: shareTest((s) => s.noHelp.calls.count, (s) => s.calls) },
  { metric: 'abandoned.inMenu.share', better: 'lower', value: (s) => s.abandoned.inMenu.share, significant: shareTest((s) => s.abandoned.inMenu.count, (s) => s.calls) },
  {
    metric: 'abandoned.afterFallback.share',
    better: 'lower',
    value: (s) => s.abandoned.afterFallback.share,
    significant: shareTest((s) => s.abandoned.afterFallback.count, (s) => s.calls),
  },
  { metric: 'timeToHumanMs.median', better: 'lower', value: (s) => s.timeToHumanMs.median },
  { metric: 'timeToHumanMs.p90', better: 'lower', value: (s) => s.timeToHumanMs.p90 },
  { metric: 'timeToOperatorMs.median', better: 'lower', value: (s) => s.timeToOperatorMs.median },
  { metric: 'timeToOperatorMs.p90', better: 'lower', value: (s) => s.timeToOperatorMs.p90 },
  { metric: 'keyPresses.mean', better: 'lower', value: (s) => s.keyPresses.mean },
  { metric: 'keyPresses.p90', better: 'lower', value: (s) => s.keyPresses.p90 },
  { metric: 'fallback.rate', better: 'lower', value: (s) => s.fallback.rate, significant: shareTest((s) => s.fallback.calls, (s) => s.calls) },
  { metric: 'fallback.lostMs.median', better: 'lower', value: (s) => s.fallback.lostMs.median },
  { metric: 'fallback.lostMs.p90', better: 'lower', value: (s) => s.fallback.lostMs.p90 },
  { metric: 'fallback.lostKeys.mean', better: 'lower', value: (s) => s.fallback.lostKeys.mean },
  { metric: 'fallback.lostKeys.p90', better: 'lower', value: (s) => s.fallback.lostKeys.p90 },
  { metric: 'survey.responseRate', better: 'higher', value: (s) => s.survey.responseRate, significant: shareTest((s) => s.survey.responded, (s) => s.survey.offered) },
  { metric: 'bemotande.index', better: 'higher', value: (s) => s.bemotande.index, significant: (a, b) => indicesDiffer(a.bemotande, b.bemotande) },
  { metric: 'enkelhet.index', better: 'higher', value: (s) => s.enkelhet.index, significant: (a, b) => indicesDiffer(a.enkelhet, b.enkelhet) },
  {
    metric: 'firstContactResolution.share',
    better: 'higher',
    value: (s) => s.firstContactResolution.share,
    significant: shareTest((s) => s.firstContactResolution.yes, (s) => s.firstContactResolution.answers),
  },
];

export function changesBetween(a: Summary, b: Summary): Change[] {
  return changesBy(METRICS, a, b);
}

/** What a flow change did to a queue: the service level, abandonment, speed of answer and long waits. */
const QUEUE_METRICS: MetricSpec<QueueFigures>[] = [
  { metric: 'serviceLevel.share', better: 'higher', value: (q) => q.serviceLevel.share, significant: (a, b) => sharesDiffer(a.serviceLevel.answeredWithin, a.offered, b.serviceLevel.answeredWithin, b.offered) },
  { metric: 'abandoned.share', better: 'lower', value: (q) => (q.offered ? q.abandoned / q.offered : null), significant: (a, b) => sharesDiffer(a.abandoned, a.offered, b.abandoned, b.offered) },
  { metric: 'speedOfAnswerSec.mean', better: 'lower', value: (q) => q.speedOfAnswerSec.mean },
  { metric: 'waitSec.p90', better: 'lower', value: (q) => q.waitSec.p90 },
  { metric: 'offered', better: 'lower', value: (q) => q.offered },
];

function changesBy<T>(metrics: MetricSpec<T>[], a: T, b: T): Change[] {
  return metrics.map((m) => {
    const va = m.value(a);
    const vb = m.value(b);
    const known = va !== null && vb !== null;
    const delta = known ? vb - va : null;
    let direction: Change['direction'] = null;
    if (delta !== null) direction = delta === 0 ? 'unchanged' : (delta < 0) === (m.better === 'lower') ? 'improved' : 'worsened';
    return {
      metric: m.metric,
      better: m.better,
      a: va,
      b: vb,
      delta,
      relative: known && va !== 0 ? delta! / va : null,
      direction,
      significant: known && m.significant ? m.significant(a, b) : null,
    };
  });
}

function pair<T>(a: T[], b: T[], key: (x: T) => string): { key: string; a: T | null; b: T | null }[] {
  const out = new Map<string, { key: string; a: T | null; b: T | null }>();
  for (const x of a) out.set(key(x), { key: key(x), a: x, b: null });
  for (const x of b) {
    const k = key(x);
    const o = out.get(k);
    if (o) o.b = x;
    else out.set(k, { key: k, a: null, b: x });
  }
  return [...out.values()];
}

/** Before/after: the two summaries, the fallbacks and nodes side by side, and what changed. */
export function compareViews(flowId: string, a: CompareInput, b: CompareInput): CompareView {
  return {
    flowId,
    a: a.side,
    b: b.side,
    summary: { a: a.summary, b: b.summary },
    fallbacks: pair(a.fallbacks, b.fallbacks, (r) => `${r.nodeId}|${r.reason}`).map(({ a: x, b: y }) => ({
      nodeId: (x ?? y)!.nodeId,
      reason: (x ?? y)!.reason,
      a: x,
      b: y,
    })),
    rescues: pair(a.rescues ?? [], b.rescues ?? [], (r) => `${r.nodeId}|${r.reason}|${r.rescue}`).map(({ a: x, b: y }) => ({
      nodeId: (x ?? y)!.nodeId,
      reason: (x ?? y)!.reason,
      rescue: (x ?? y)!.rescue ?? 'none',
      a: x,
      b: y,
    })),
    nodes: pair(a.nodes, b.nodes, (r) => r.nodeId).map(({ key, a: x, b: y }) => ({ nodeId: key, a: x, b: y })),
    changes: changesBetween(a.summary, b.summary),
    queues: pair(a.queues ?? [], b.queues ?? [], (q) => q.queue).map(({ key, a: x, b: y }) => ({
      queue: key,
      a: x,
      b: y,
      changes: x && y ? changesBy(QUEUE_METRICS, x, y) : [],
    })),
  };
}
