/**
 * Mergeable histograms for durations (ms) and counts (key presses), kept as plain counters inside a
 * rollup ("tth:61440": 3, "tth:sum": 184320) so a store can add them with $inc, merge them across
 * hours, versions and instances, and subtract them when a journey's contribution is corrected.
 *
 * Buckets are log-linear, as in HdrHistogram: each value 0–63 has a bucket of its own (exact), and
 * above that every power of two is split into 32 equal buckets, so a bucket is at most 1/32 of its
 * lower bound wide. A percentile is reported as the midpoint of the bucket that holds the exact
 * nearest-rank value, so it is within ±RELATIVE_PRECISION (1/64 ≈ 1.6 %) of the exact percentile,
 * and exact for values below 64 (every key-press count in practice). The mean is exact: the raw sum
 * is kept beside the buckets.
 *
 * The bucket bounds are fixed forever: changing them would make stored rollups unreadable.
 */
const SUB_BUCKETS = 32;
const EXACT_BELOW = 2 * SUB_BUCKETS;

/** Largest relative error of a percentile read from a histogram, compared with the exact one. */
export const RELATIVE_PRECISION = 1 / (2 * SUB_BUCKETS);

/** Exponent of the highest power of two ≤ v (v ≥ 1), without floating-point log errors. */
function log2Floor(v: number): number {
  let e = Math.floor(Math.log2(v));
  while (2 ** e > v) e--;
  while (2 ** (e + 1) <= v) e++;
  return e;
}

/** Width of the bucket that starts at (or contains) this value. */
function bucketWidth(v: number): number {
  return v < EXACT_BELOW ? 1 : 2 ** (log2Floor(v) - 5);
}

/** The lower bound of the bucket a value falls in; values are whole and never negative. */
export function bucketOf(value: number): number {
  const v = Math.max(0, Math.floor(value));
  const w = bucketWidth(v);
  return Math.floor(v / w) * w;
}

/** The largest whole value a bucket holds. */
export function bucketTop(lower: number): number {
  return lower + bucketWidth(lower) - 1;
}

/** The value a bucket reports: its midpoint, rounded down to a whole number. */
export function bucketValue(lower: number): number {
  return lower + Math.floor(bucketWidth(lower) / 2);
}

type Counters = Record<string, number>;

/** Adds one value to histogram `name` in a set of counters. */
export function addValue(counts: Counters, name: string, value: number): void {
  const key = `${name}:${bucketOf(value)}`;
  counts[key] = (counts[key] ?? 0) + 1;
  counts[`${name}:sum`] = (counts[`${name}:sum`] ?? 0) + Math.max(0, Math.floor(value));
}

export interface Histogram {
  /** [bucket lower bound, count], ascending. */
  buckets: [number, number][];
  count: number;
  sum: number;
}

/** Reads histogram `name` back out of a set of counters (merged rollups). */
export function readHistogram(counts: Counters, name: string): Histogram {
  const prefix = `${name}:`;
  const buckets: [number, number][] = [];
  let count = 0;
  for (const [k, n] of Object.entries(counts)) {
    if (!k.startsWith(prefix) || n <= 0) continue;
    const rest = k.slice(prefix.length);
    if (!/^\d+$/.test(rest)) continue;
    buckets.push([Number(rest), n]);
    count += n;
  }
  buckets.sort((a, b) => a[0] - b[0]);
  return { buckets, count, sum: counts[`${name}:sum`] ?? 0 };
}

/** The nearest-rank rank of percentile p (0–100] among n values, 1-based. */
export function nearestRank(p: number, n: number): number {
  return Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
}

/** Percentile p by nearest rank; null for an empty histogram. */
export function histogramPercentile(h: Histogram, p: number): number | null {
  if (!h.count) return null;
  const rank = nearestRank(p, h.count);
  let seen = 0;
  for (const [lower, n] of h.buckets) {
    seen += n;
    if (seen >= rank) return bucketValue(lower);
  }
  return bucketValue(h.buckets[h.buckets.length - 1][0]);
}

/** The exact nearest-rank percentile of raw values (the reference the histogram approximates). */
export function exactPercentile(values: readonly number[], p: number): number | null {
  if (!values.length) return null;
  const sorted = values.map((v) => Math.max(0, Math.floor(v))).sort((a, b) => a - b);
  return sorted[nearestRank(p, sorted.length) - 1];
}

/** How a measure is spread: median and 90th percentile by nearest rank, and the mean. */
export interface Distribution {
  count: number;
  median: number | null;
  p90: number | null;
  mean: number | null;
}

const roundMean = (sum: number, n: number) => (n ? Math.round((sum / n) * 100) / 100 : null);

export function distributionOf(counts: Counters, name: string): Distribution {
  const h = readHistogram(counts, name);
  return { count: h.count, median: histogramPercentile(h, 50), p90: histogramPercentile(h, 90), mean: roundMean(h.sum, h.count) };
}

export function exactDistribution(values: readonly number[]): Distribution {
  const whole = values.map((v) => Math.max(0, Math.floor(v)));
  return {
    count: whole.length,
    median: exactPercentile(whole, 50),
    p90: exactPercentile(whole, 90),
    mean: roundMean(whole.reduce((s, v) => s + v, 0), whole.length),
  };
}
