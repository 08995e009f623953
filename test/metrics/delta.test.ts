import { contributionDelta, RollupSums } from '../../src/metrics/delta';
import type { RollupDelta } from '../../src/store/store';

const H8 = '2026-03-02T08:00:00.000Z';
const H9 = '2026-03-02T09:00:00.000Z';
const delta = (hour: string, dim: string, counts: Record<string, number>, flowVersion = 'v1'): RollupDelta => ({ flowId: 'vaxel', flowVersion, hour, dim, counts });

describe('contributionDelta', () => {
  test('merges per rollup: the new contribution minus the old, zero counters and rollups left out', () => {
    const before = [delta(H8, 'call', { calls: 1, 'outcome:abandoned': 1, 'keyPresses:sum': 0 }), delta(H8, 'node:main', { entries: 1 })];
    const after = [delta(H8, 'call', { calls: 1, 'outcome:self_service': 1, 'keyPresses:sum': 0 }), delta(H8, 'node:main', { entries: 1 })];
    expect(contributionDelta(before, after)).toEqual([delta(H8, 'call', { 'outcome:abandoned': -1, 'outcome:self_service': 1 })]);
  });

  test('rollups that differ in flow version, hour or dimension stay apart, in the order they first appear, their counters too', () => {
    const out = contributionDelta(
      [delta(H9, 'call', { b: 1 })],
      [delta(H8, 'call', { a: 1 }), delta(H8, 'call', { z: 2, a: 1 }), delta(H8, 'call', { a: 1 }, 'v2'), delta(H9, 'call', { c: 1 }), delta(H8, 'd/call', { a: 1 })],
    );
    expect(JSON.stringify(out)).toBe(
      JSON.stringify([delta(H9, 'call', { b: -1, c: 1 }), delta(H8, 'call', { a: 2, z: 2 }), delta(H8, 'call', { a: 1 }, 'v2'), delta(H8, 'd/call', { a: 1 })]),
    );
  });

  test('leaves its inputs as they were (a contribution shares one set of counters among its grains)', () => {
    const shared = { calls: 1, human: 1 };
    const after = [delta(H8, 'call', shared), delta(H8, 'd/call', shared), delta(H8, 'call', shared)];
    const [hour] = contributionDelta([delta(H8, 'call', { calls: 1 })], after);
    expect(hour.counts).toEqual({ calls: 1, human: 2 });
    expect(shared).toEqual({ calls: 1, human: 1 });
  });
});

describe('RollupSums', () => {
  test('counts each rollup once however often added, and take() hands out the sums and starts again', () => {
    const sums = new RollupSums();
    sums.add([delta(H8, 'call', { calls: 1 }), delta(H9, 'call', { calls: 1 })]);
    sums.add([delta(H8, 'call', { calls: 2, hangups: 1 })]);
    expect(sums.rows).toBe(2);
    sums.add([delta(H9, 'call', { calls: 1 })], -1);
    expect(sums.take()).toEqual([delta(H8, 'call', { calls: 3, hangups: 1 })]);
    expect(sums.rows).toBe(0);
    expect(sums.take()).toEqual([]);
    sums.add([delta(H9, 'node:main', { entries: 1 })]);
    expect(sums.take()).toEqual([delta(H9, 'node:main', { entries: 1 })]);
  });
});
