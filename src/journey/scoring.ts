/**
 * SKR servicemätning scoring: an answer of 1–5 gives index points 0–100, and the index of a group
 * is the mean of its points.
 */
export function indexPoints(answer: number): number {
  if (!Number.isInteger(answer) || answer < 1 || answer > 5) throw new RangeError(`answer must be 1-5, got ${answer}`);
  return (answer - 1) * 25;
}

/** The index from counts of answers per scale step ({1: n1, ..., 5: n5}); null with no answers. */
export function indexFromCounts(counts: Partial<Record<1 | 2 | 3 | 4 | 5, number>>): { index: number | null; answers: number } {
  let n = 0;
  let sum = 0;
  for (const step of [1, 2, 3, 4, 5] as const) {
    const c = counts[step] ?? 0;
    n += c;
    sum += c * indexPoints(step);
  }
  return { index: n ? Math.round((sum / n) * 10) / 10 : null, answers: n };
}

/** SKR compares a municipality nationally only with at least this many answers in a channel. */
export const SKR_MIN_ANSWERS = 100;
