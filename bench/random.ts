export { seededRandom } from '../src/sim/random';

/** Picks a key by weight. */
export function pickWeighted<T extends string>(rand: () => number, weights: Record<T, number>): T {
  const entries = Object.entries(weights) as [T, number][];
  const total = entries.reduce((s, [, w]) => s + w, 0);
  let x = rand() * total;
  for (const [k, w] of entries) {
    if ((x -= w) < 0) return k;
  }
  return entries[entries.length - 1][0];
}

export const between = (rand: () => number, lo: number, hi: number) => lo + rand() * (hi - lo);
