import { rollupId, type RollupDelta } from '../store/store';

/**
 * What must be added to the rollups when a journey changes: its new contribution minus the old
 * one, merged per rollup and with zero counters left out.
 */
export function contributionDelta(before: readonly RollupDelta[], after: readonly RollupDelta[]): RollupDelta[] {
  const merged = new Map<string, RollupDelta>();
  const add = (d: RollupDelta, sign: 1 | -1) => {
    const id = rollupId(d);
    let m = merged.get(id);
    if (!m) merged.set(id, (m = { flowId: d.flowId, flowVersion: d.flowVersion, hour: d.hour, dim: d.dim, counts: {} }));
    for (const [k, v] of Object.entries(d.counts)) m.counts[k] = (m.counts[k] ?? 0) + sign * v;
  };
  for (const d of before) add(d, -1);
  for (const d of after) add(d, 1);
  const out: RollupDelta[] = [];
  for (const m of merged.values()) {
    for (const k of Object.keys(m.counts)) if (m.counts[k] === 0) delete m.counts[k];
    if (Object.keys(m.counts).length) out.push(m);
  }
  return out;
}
