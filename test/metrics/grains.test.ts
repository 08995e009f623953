import { seededRandom } from '../../src/sim/random';
import { grainEnd, grainOfDim, grainStart, planRange, rollupScopeKey, rollupScopesOfHours, type RangePiece } from '../../src/metrics/grains';

const H = 3_600_000;
const t = (iso: string) => Date.parse(iso);

function expectExactCover(from: number, to: number, pieces: RangePiece[]) {
  let at = from;
  for (const p of pieces) {
    expect(p.from).toBe(at);
    expect(p.to).toBeGreaterThan(p.from);
    // Each piece is whole units of its grain.
    expect(grainStart(p.grain, p.from)).toBe(p.from);
    if (p.grain !== 'hour') expect(grainStart(p.grain, p.to)).toBe(p.to);
    at = p.to;
  }
  expect(at).toBe(to);
}

describe('query range planning over hour, day and month rollups', () => {
  test('a year is read as months plus a few days and hours, a day as at most two pieces', () => {
    const from = t('2025-03-14T13:00:00Z');
    const to = t('2026-03-14T09:00:00Z');
    const year = planRange(from, to);
    expectExactCover(from, to, year);
    expect(year.map((p) => p.grain)).toEqual(['hour', 'day', 'month', 'day', 'hour']);
    const units = (p: RangePiece) => (p.grain === 'hour' ? (p.to - p.from) / H : p.grain === 'day' ? (p.to - p.from) / (24 * H) : 0);
    // 11 edge hours, 17 days to April, 12 months, 13 days in March, 9 hours.
    expect(year.map(units)).toEqual([11, 17, 0, 13, 9]);
    const rollupSetsRead = year.reduce((n, p) => n + (p.grain === 'month' ? 12 : units(p)), 0);
    expect(rollupSetsRead).toBeLessThanOrEqual(24 * 3 + 31 * 2 + 12);

    const day = planRange(t('2026-03-14T00:00:00Z'), t('2026-03-15T00:00:00Z'));
    expect(day).toEqual([{ grain: 'day', from: t('2026-03-14T00:00:00Z'), to: t('2026-03-15T00:00:00Z') }]);
    const localDay = planRange(t('2026-03-13T23:00:00Z'), t('2026-03-14T23:00:00Z'));
    expectExactCover(t('2026-03-13T23:00:00Z'), t('2026-03-14T23:00:00Z'), localDay);
    // A local (CET) day holds no whole UTC day: 24 hour rollups.
    expect(localDay).toEqual([{ grain: 'hour', from: t('2026-03-13T23:00:00Z'), to: t('2026-03-14T23:00:00Z') }]);
  });

  test('any range of whole hours is covered exactly once', () => {
    const base = t('2025-12-30T00:00:00Z');
    const r = seededRandom(7);
    for (let i = 0; i < 500; i++) {
      const from = base + Math.floor(r() * 2000) * H;
      const to = from + Math.floor(r() * 3000) * H;
      expectExactCover(from, to, planRange(from, to));
    }
  });

  test('rejects ranges that are not whole hours, and an empty or reversed range has no pieces', () => {
    expect(() => planRange(t('2026-01-01T00:30:00Z'), t('2026-01-02T00:00:00Z'))).toThrow(new RangeError('planRange takes whole hours'));
    expect(() => planRange(t('2026-01-01T00:00:00Z'), t('2026-01-02T00:30:00Z'))).toThrow(RangeError);
    expect(planRange(t('2026-01-02T00:00:00Z'), t('2026-01-02T00:00:00Z'))).toEqual([]);
    expect(planRange(t('2026-01-02T00:00:00Z'), t('2026-01-01T00:00:00Z'))).toEqual([]);
  });

  test('the fewest pieces: whole months from a month\'s first day, and days across a month boundary as one run', () => {
    const piece = (grain: RangePiece['grain'], from: string, to: string): RangePiece => ({ grain, from: t(from), to: t(to) });
    // Starts on the first of a month: read as months from there, no days before.
    expect(planRange(t('2026-03-01T00:00:00Z'), t('2026-05-01T00:00:00Z'))).toEqual([piece('month', '2026-03-01T00:00:00Z', '2026-05-01T00:00:00Z')]);
    // 20 March to 10 April holds no whole month: one run of days, not two split at 1 April.
    expect(planRange(t('2026-03-20T00:00:00Z'), t('2026-04-10T00:00:00Z'))).toEqual([piece('day', '2026-03-20T00:00:00Z', '2026-04-10T00:00:00Z')]);
    // Within one day: hours only.
    expect(planRange(t('2026-03-20T08:00:00Z'), t('2026-03-20T17:00:00Z'))).toEqual([piece('hour', '2026-03-20T08:00:00Z', '2026-03-20T17:00:00Z')]);
  });
});

describe('grains of rollups', () => {
  test("a dimension's grain is told by its prefix", () => {
    expect(grainOfDim('call')).toBe('hour');
    expect(grainOfDim('d/call')).toBe('day');
    expect(grainOfDim('m/node:main')).toBe('month');
    // Only a prefix counts.
    expect(grainOfDim('category:d/')).toBe('hour');
    expect(grainOfDim('category:m/')).toBe('hour');
  });

  test('a grain ends an hour, a day or a calendar month after it starts', () => {
    expect(grainEnd('hour', t('2026-03-02T08:00:00Z'))).toBe(t('2026-03-02T09:00:00Z'));
    expect(grainEnd('day', t('2026-03-02T00:00:00Z'))).toBe(t('2026-03-03T00:00:00Z'));
    expect(grainEnd('month', t('2026-02-01T00:00:00Z'))).toBe(t('2026-03-01T00:00:00Z'));
    expect(grainEnd('month', t('2026-12-01T00:00:00Z'))).toBe(t('2027-01-01T00:00:00Z'));
  });

  test('the scopes a change of hours moves: each hour, its day and its month, once each, named by grain and start', () => {
    expect(rollupScopeKey('day', t('2026-03-02T08:30:00Z'))).toBe('day:2026-03-02T00:00:00.000Z');
    expect(rollupScopesOfHours(['2026-03-02T08:00:00.000Z', '2026-03-02T09:00:00.000Z', '2026-03-02T08:00:00.000Z'])).toEqual([
      'hour:2026-03-02T08:00:00.000Z',
      'day:2026-03-02T00:00:00.000Z',
      'month:2026-03-01T00:00:00.000Z',
      'hour:2026-03-02T09:00:00.000Z',
    ]);
    expect(rollupScopesOfHours([])).toEqual([]);
  });
});
