import { indexFromCounts } from '../journey/scoring';
import type { RollupDoc } from '../store/store';
import { C, family } from './dims';
import type { IndexValue, ScaleCounts, Share, SurveyIndices } from './view-types';

export type Counters = Record<string, number>;

export function share(count: number, of: number): Share {
  return { count, share: of > 0 ? count / of : null };
}

export function ratio(count: number, of: number): number | null {
  return of > 0 ? count / of : null;
}

export function indexValue(counts: ScaleCounts): IndexValue {
  const { index, answers } = indexFromCounts({ 1: counts['1'], 2: counts['2'], 3: counts['3'], 4: counts['4'], 5: counts['5'] });
  return { index, answers, counts };
}

export function emptyScale(): ScaleCounts {
  return { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
}

export function scaleFromCounters(c: Counters, question: typeof C.bemotande | typeof C.enkelhet): ScaleCounts {
  const s = emptyScale();
  for (const k of Object.keys(s) as (keyof ScaleCounts)[]) s[k] = c[family(question, k)] ?? 0;
  return s;
}

export function surveyIndices(c: Counters): SurveyIndices {
  return { calls: c[C.calls] ?? 0, bemotande: indexValue(scaleFromCounters(c, C.bemotande)), enkelhet: indexValue(scaleFromCounters(c, C.enkelhet)) };
}

/** Adds counters into a running total. */
export function addCounters(into: Counters, c: Counters): Counters {
  for (const [k, v] of Object.entries(c)) into[k] = (into[k] ?? 0) + v;
  return into;
}

export function subtractCounters(a: Counters, b: Counters): Counters {
  const out: Counters = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = (out[k] ?? 0) - v;
  return out;
}

/** Sums rollups that share a key (by default the dimension) across hours, grains and versions. */
export function mergeBy(docs: readonly RollupDoc[], keyOf: (d: RollupDoc) => string | null = (d) => d.dim): Map<string, Counters> {
  const out = new Map<string, Counters>();
  for (const d of docs) {
    const key = keyOf(d);
    if (key === null) continue;
    let c = out.get(key);
    if (!c) out.set(key, (c = {}));
    addCounters(c, d.counts);
  }
  return out;
}

/** Members of a counter family: "key:1" → {"1": n}. */
export function familyMembers(c: Counters, name: string): Record<string, number> {
  const prefix = `${name}:`;
  const members = Object.entries(c)
    .filter(([k, v]) => k.startsWith(prefix) && v)
    .map(([k, v]) => [k.slice(prefix.length), v] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  // Sorted, so the same numbers always print the same way whatever order the counters were stored in.
  return Object.fromEntries(members);
}

export function indexGap(a: IndexValue, b: IndexValue): number | null {
  return a.index === null || b.index === null ? null : Math.round((a.index - b.index) * 10) / 10;
}
