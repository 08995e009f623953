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
 * Rollup deltas summed per rollup as they are added, with zero counters left out when taken.
 * Rollups come out in the order they first appear, their counters too, so the same additions give
 * the same deltas, line for line.
 */
export class RollupSums {
  private index: Index = new Map();
  private merged: Merged[] = [];

  /** Rollups held (each summed once however often added). */
  get rows(): number {
    return this.merged.length;
  }

  add(deltas: readonly RollupDelta[], sign: 1 | -1 = 1): void {
    for (const d of deltas) {
      const dims = at(at(at(this.index, d.flowId), d.flowVersion), d.hour);
      let m = dims.get(d.dim);
      if (!m) {
        dims.set(d.dim, (m = { key: d, counts: new Map() }));
        this.merged.push(m);
      }
      const from = d.counts;
      // Counters are plain objects (contributions, stored rollups): nothing enumerable is inherited.
      for (const k in from) m.counts.set(k, (m.counts.get(k) ?? 0) + sign * from[k]);
    }
  }

  /** The sums so far, rollups whose counters are all zero left out; empties this. */
  take(): RollupDelta[] {
    const out: RollupDelta[] = [];
    for (const { key, counts } of this.merged) {
      let nonZero: Record<string, number> | null = null;
      for (const [k, v] of counts) if (v !== 0) (nonZero ??= {})[k] = v;
      if (nonZero) out.push({ flowId: key.flowId, flowVersion: key.flowVersion, hour: key.hour, dim: key.dim, counts: nonZero });
    }
    this.index = new Map();
    this.merged = [];
    return out;
  }
}

/**
 * What must be added to the rollups when a journey changes: its new contribution minus the old
 * one, merged per rollup and with zero counters left out (see RollupSums).
 */
export function contributionDelta(before: readonly RollupDelta[], after: readonly RollupDelta[]): RollupDelta[] {
  const sums = new RollupSums();
  sums.add(before, -1);
  sums.add(after);
  return sums.take();
}
