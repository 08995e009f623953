import type { RollupDoc, Store } from '../store/store';
import { GRAIN_PREFIX, planRange, type RangePiece } from './grains';

export interface RollupRead {
  /** Whole hours, epoch ms: [from, to). */
  from: number;
  to: number;
  flowId?: string;
  flowVersions?: string[];
  /** The dimension families wanted, e.g. ["call", "fallback:"]; each is a dim prefix. */
  dims: readonly string[];
}

export interface RollupReadResult {
  /** Rollups with the grain prefix taken off their dimension, ready to merge. */
  docs: RollupDoc[];
  /** How the range was cut (for the response's "cost" figures and for tests). */
  pieces: RangePiece[];
}

/**
 * Reads the rollups that cover a range: whole months, whole days and edge hours (see grains.ts).
 * Reads only rollups, never calls, so its cost does not grow with traffic.
 */
export async function readRollups(store: Pick<Store, 'queryRollups'>, q: RollupRead): Promise<RollupReadResult> {
  const pieces = planRange(q.from, q.to);
  const jobs: Promise<RollupDoc[]>[] = [];
  for (const piece of pieces) {
    const prefix = GRAIN_PREFIX[piece.grain];
    for (const dim of q.dims) {
      jobs.push(
        store
          .queryRollups({
            from: new Date(piece.from).toISOString(),
            to: new Date(piece.to).toISOString(),
            flowId: q.flowId,
            flowVersions: q.flowVersions,
            dimPrefix: prefix + dim,
          })
          .then((docs) => docs.map((d) => ({ ...d, dim: d.dim.slice(prefix.length) }))),
      );
    }
  }
  return { docs: (await Promise.all(jobs)).flat(), pieces };
}
