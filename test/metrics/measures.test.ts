import { rollupDoc } from './journeys';
import {
  addCounters,
  emptyScale,
  familyMembers,
  indexGap,
  indexValue,
  mergeBy,
  ratio,
  scaleFromCounters,
  share,
  subtractCounters,
  surveyIndices,
} from '../../src/metrics/measures';

/** The arithmetic every view shares: a wrong sign or a lost counter here is wrong on every page. */

describe('share and ratio', () => {
  test('divide by the whole', () => {
    expect(share(3, 12)).toEqual({ count: 3, share: 0.25 });
    expect(ratio(3, 12)).toBe(0.25);
  });

  test('of nothing is no share at all, not 0 % and not NaN', () => {
    expect(share(0, 0)).toEqual({ count: 0, share: null });
    expect(ratio(0, 0)).toBeNull();
  });
});

describe('survey scales', () => {
  test('indexValue is the SKR index of the counts, with the answers it rests on', () => {
    // (0·1 + 25·0 + 50·1 + 75·0 + 100·2) / 4 = 62.5
    const counts = { '1': 1, '2': 0, '3': 1, '4': 0, '5': 2 };
    expect(indexValue(counts)).toEqual({ index: 62.5, answers: 4, counts });
  });

  test('without answers the index is null', () => {
    expect(indexValue(emptyScale())).toEqual({ index: null, answers: 0, counts: { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 } });
  });

  test('scaleFromCounters reads one question\'s family and no other', () => {
    const c = { 'bemotande:5': 7, 'bemotande:2': 1, 'enkelhet:5': 3, calls: 9 };
    expect(scaleFromCounters(c, 'bemotande')).toEqual({ '1': 0, '2': 1, '3': 0, '4': 0, '5': 7 });
    expect(scaleFromCounters(c, 'enkelhet')).toEqual({ '1': 0, '2': 0, '3': 0, '4': 0, '5': 3 });
  });

  test('surveyIndices gives calls and both indices, 0 calls where none were counted', () => {
    const s = surveyIndices({ calls: 5, 'bemotande:5': 2, 'enkelhet:1': 1, 'enkelhet:3': 1 });
    expect(s.calls).toBe(5);
    expect(s.bemotande).toMatchObject({ index: 100, answers: 2 });
    expect(s.enkelhet).toMatchObject({ index: 25, answers: 2 });
    expect(surveyIndices({}).calls).toBe(0);
  });
});

describe('counters', () => {
  test('addCounters adds into the running total and returns it', () => {
    const total = { calls: 2, human: 1 };
    const out = addCounters(total, { calls: 3, hangups: 1 });
    expect(out).toBe(total);
    expect(total).toEqual({ calls: 5, human: 1, hangups: 1 });
  });

  test('subtractCounters takes b from a without touching a, negative where b has more', () => {
    const a = { calls: 5, human: 2 };
    expect(subtractCounters(a, { calls: 3, hangups: 1 })).toEqual({ calls: 2, human: 2, hangups: -1 });
    expect(a).toEqual({ calls: 5, human: 2 });
  });

  test('mergeBy sums rollups of one dimension across hours and versions', () => {
    const docs = [
      rollupDoc('all', { calls: 2 }),
      rollupDoc('all', { calls: 3, human: 1 }, { hour: '2026-03-02T09:00:00.000Z', flowVersion: 'v2' }),
      rollupDoc('node:main', { entries: 4 }),
    ];
    const merged = mergeBy(docs);
    expect([...merged.keys()]).toEqual(['all', 'node:main']);
    expect(merged.get('all')).toEqual({ calls: 5, human: 1 });
    expect(merged.get('node:main')).toEqual({ entries: 4 });
    // The merge does not write into the rollups it read.
    expect(docs[0].counts).toEqual({ calls: 2 });
  });

  test('mergeBy with a key of its own leaves out the rollups keyed null', () => {
    const docs = [rollupDoc('node:main', { entries: 1 }), rollupDoc('all', { calls: 1 })];
    const merged = mergeBy(docs, (d) => (d.dim.startsWith('node:') ? d.dim.slice(5) : null));
    expect([...merged.entries()]).toEqual([['main', { entries: 1 }]]);
  });
});

describe('familyMembers', () => {
  test('are the members of one family by name, without the prefix, sorted, leaving out zeros', () => {
    const c = { 'outcome:hangup': 2, 'outcome:answered': 5, 'outcome:error': 0, outcomes: 9, 'outcomeX:y': 1, 'answeredBy:operator': 4 };
    const members = familyMembers(c, 'outcome');
    expect(members).toEqual({ answered: 5, hangup: 2 });
    expect(Object.keys(members)).toEqual(['answered', 'hangup']);
  });

  test('the order is the same whatever order the counters were stored in', () => {
    expect(Object.keys(familyMembers({ 'k:b': 1, 'k:a': 1, 'k:c': 1 }, 'k'))).toEqual(['a', 'b', 'c']);
    expect(Object.keys(familyMembers({ 'k:c': 1, 'k:a': 1, 'k:b': 1 }, 'k'))).toEqual(['a', 'b', 'c']);
  });
});

describe('indexGap', () => {
  const iv = (index: number | null) => ({ index, answers: 1, counts: emptyScale() });

  test('is a minus b to one decimal', () => {
    expect(indexGap(iv(72.46), iv(70.1))).toBe(2.4);
    expect(indexGap(iv(70.1), iv(72.46))).toBe(-2.4);
  });

  test('is null when either side has no index', () => {
    expect(indexGap(iv(null), iv(70))).toBeNull();
    expect(indexGap(iv(70), iv(null))).toBeNull();
  });
});
