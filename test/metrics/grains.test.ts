import { seededRandom } from '../../src/sim/random';
import { grainStart, planRange, type RangePiece } from '../../src/metrics/grains';

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

  test('rejects ranges that are not whole hours', () => {
    expect(() => planRange(t('2026-01-01T00:30:00Z'), t('2026-01-02T00:00:00Z'))).toThrow(RangeError);
  });
});
