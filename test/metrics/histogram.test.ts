import fc from 'fast-check';
import {
  RELATIVE_PRECISION,
  addValue,
  bucketOf,
  bucketTop,
  bucketValue,
  distributionOf,
  exactDistribution,
  exactPercentile,
  histogramPercentile,
  readHistogram,
} from '../../src/metrics/histogram';

const histogramOf = (values: number[]) => {
  const counts: Record<string, number> = {};
  for (const v of values) addValue(counts, 'h', v);
  return counts;
};

describe('mergeable histogram', () => {
  test('values below 64 have buckets of their own, so small counts are exact', () => {
    for (let v = 0; v < 64; v++) {
      expect(bucketOf(v)).toBe(v);
      expect(bucketValue(v)).toBe(v);
    }
    const keys = [0, 1, 1, 2, 3, 3, 3, 7, 12, 40];
    const d = distributionOf(histogramOf(keys), 'h');
    expect(d).toEqual(exactDistribution(keys));
    // By hand: 10 values, median = 5th smallest = 3, p90 = 9th smallest = 12, mean = 72 / 10.
    expect(d).toEqual({ count: 10, median: 3, p90: 12, mean: 7.2 });
  });

  test('64 is the first value in a bucket of two: 64 and 65, reported as 65', () => {
    expect(bucketTop(63)).toBe(63);
    expect(bucketTop(64)).toBe(65);
    expect(bucketValue(64)).toBe(65);
    expect(distributionOf(histogramOf([64]), 'h')).toMatchObject({ median: 65, p90: 65, mean: 64 });
  });

  test('reading a histogram back takes only its own buckets with a count: not the sum, not zeros left by a subtraction, not other names', () => {
    const counts = { 'h:5': 2, 'h:9': 0, 'h:7': -1, 'h:sum': 10, 'h:x3': 4, 'h:3x': 4, 'hh:4': 1, 'h:1': 1 };
    expect(readHistogram(counts, 'h')).toEqual({ buckets: [[1, 1], [5, 2]], count: 3, sum: 10 });
  });

  test('the documented precision is 1/64: half a bucket of 1/32', () => {
    expect(RELATIVE_PRECISION).toBe(1 / 64);
  });

  test('above 64 a bucket is at most 1/32 of its lower bound wide', () => {
    expect(bucketOf(64)).toBe(64);
    expect(bucketOf(65)).toBe(64);
    expect(bucketOf(66)).toBe(66);
    expect(bucketOf(20_000)).toBe(19_968); // 2^14 ≤ 20 000 < 2^15: width 2^9 = 512
    for (const v of [64, 100, 1000, 65_535, 65_536, 1e6, 123_456_789]) {
      const lo = bucketOf(v);
      expect(lo).toBeLessThanOrEqual(v);
      expect(bucketOf(lo)).toBe(lo);
      const width = (bucketValue(lo) - lo) * 2;
      expect(width).toBeLessThanOrEqual(lo / 32);
      expect(v - lo).toBeLessThan(Math.max(1, width));
    }
  });

  test('percentiles are within the documented precision of the exact nearest-rank percentile', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3_600_000 }), { minLength: 1, maxLength: 300 }), fc.constantFrom(1, 10, 50, 90, 99, 100), (values, p) => {
        const exact = exactPercentile(values, p)!;
        const approx = histogramPercentile(readHistogram(histogramOf(values), 'h'), p)!;
        expect(Math.abs(approx - exact)).toBeLessThanOrEqual(exact * RELATIVE_PRECISION);
      }),
    );
  });

  test('merging is adding counters, and taking a contribution back is subtracting them', () => {
    const a = [5, 900, 61_000, 61_500, 240_000];
    const b = [12, 15_000, 30_000];
    const merged: Record<string, number> = { ...histogramOf(a) };
    for (const [k, v] of Object.entries(histogramOf(b))) merged[k] = (merged[k] ?? 0) + v;
    expect(merged).toEqual(histogramOf([...a, ...b]));
    const back = { ...merged };
    for (const [k, v] of Object.entries(histogramOf(b))) back[k] -= v;
    expect(distributionOf(back, 'h')).toEqual(distributionOf(histogramOf(a), 'h'));
  });

  test('the mean is exact: the raw sum is kept beside the buckets', () => {
    const values = [61_001, 61_002, 99_999];
    expect(distributionOf(histogramOf(values), 'h').mean).toBe(Math.round(((61_001 + 61_002 + 99_999) / 3) * 100) / 100);
  });

  test('an empty histogram has no percentiles', () => {
    expect(distributionOf({}, 'h')).toEqual({ count: 0, median: null, p90: null, mean: null });
  });
});
