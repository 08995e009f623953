import type { RollupDelta, RollupKey } from '../store/store';

interface Merged {
  key: RollupKey;
  counts: Map<string, number>;
}

/**
 * flowId → flowVersion → hour → dim. A contribution's deltas share these strings, so each lookup
 * reuses a hash already computed; joining them into one id per delta cost most of a merge.
 */
type Index = Map<string, Map<string, Map<string, Map<string, Merged>>>>;

function at<T>(m: Map<string, Map<string, T>>, key: string): Map<string, T> {
  let inner = m.get(key);
  if (!inner) m.set(key, (inner = new Map()));
  return inner;
}

/**
 * What must be added to the rollups when a journey changes: its new contribution minus the old
 * one, merged per rollup and with zero counters left out. Rollups come out in the order they first
 * appear, their counters too, so the same contributions give the same delta, line for line.
 */
export function contributionDelta(before: readonly RollupDelta[], after: readonly RollupDelta[]): RollupDelta[] {
  const index: Index = new Map();
  const merged: Merged[] = [];
  const add = (d: RollupDelta, sign: 1 | -1) => {
    const dims = at(at(at(index, d.flowId), d.flowVersion), d.hour);
    let m = dims.get(d.dim);
    if (!m) {
      dims.set(d.dim, (m = { key: d, counts: new Map() }));
      merged.push(m);
    }
    const from = d.counts;
    // Counters are plain objects (contributions, stored rollups): nothing enumerable is inherited.
    for (const k in from) m.counts.set(k, (m.counts.get(k) ?? 0) + sign * from[k]);
  };
  for (const d of before) add(d, -1);
  for (const d of after) add(d, 1);
  const out: RollupDelta[] = [];
  for (const { key, counts } of merged) {
    let nonZero: Record<string, number> | null = null;
    for (const [k, v] of counts) if (v !== 0) (nonZero ??= {})[k] = v;
    if (nonZero) out.push({ flowId: key.flowId, flowVersion: key.flowVersion, hour: key.hour, dim: key.dim, counts: nonZero });
  }
  return out;
}
