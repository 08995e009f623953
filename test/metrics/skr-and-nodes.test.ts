import { categoryDim, DIM_CALL, localHourDim, weekdayDim } from '../../src/metrics/dims';
import { nodesFromRollups, nodeRow, UNKNOWN_NODE } from '../../src/metrics/nodes';
import { DEFAULT_SKR_REFERENCES, pickReference, skrFromRollups } from '../../src/metrics/skr';
import { rollupDoc } from './journeys';

/**
 * The edges of the SKR view and the node table that the worked example in views.test.ts does not
 * reach: SKR's 100-answer threshold exactly, the labels a receptionist reads, the rows' order.
 */
const doc = (dim: string, counts: Record<string, number>, flowId = 'vaxel') => rollupDoc(dim, counts, { flowId });
const opts = { references: DEFAULT_SKR_REFERENCES, timeZone: 'Europe/Stockholm' };

describe('pickReference', () => {
  const refs = [
    { year: 2025, bemotande: 84.9, enkelhet: 77.1 },
    { year: 2022, bemotande: 82.1, enkelhet: 73.5 },
  ];

  test('without a year is the latest, whatever order the references are configured in', () => {
    expect(pickReference(refs)?.year).toBe(2025);
    expect(pickReference([...refs].reverse())?.year).toBe(2025);
    // The configuration itself is not reordered.
    expect(refs.map((r) => r.year)).toEqual([2025, 2022]);
  });

  test('with a year is that year, or none', () => {
    expect(pickReference(refs, 2022)?.bemotande).toBe(82.1);
    expect(pickReference(refs, 2019)).toBeNull();
    expect(pickReference([])).toBeNull();
  });
});

describe('skrFromRollups', () => {
  test('a year without a reference is refused by name', () => {
    expect(() => skrFromRollups([], { ...opts, year: 2019 })).toThrow(/2019/);
  });

  test('SKR compares from 100 answers on: 99 are too few', () => {
    const at = (answers: number) => skrFromRollups([doc(DIM_CALL, { calls: answers, 'bemotande:5': answers, 'enkelhet:4': answers - 1 })], opts).overall;
    expect(at(100).bemotande.comparable).toBe(true);
    // 99 answers to the second question, 100 to the first: each question is judged on its own answers.
    expect(at(100).enkelhet.comparable).toBe(false);
    expect(at(101).enkelhet.comparable).toBe(true);
  });

  test('the gap to the reference is rounded to one decimal, with its sign', () => {
    // Bemötande (100 + 25) / 2 = 62.5 against 84.9; enkelhet 100 against 77.1.
    const overall = skrFromRollups([doc(DIM_CALL, { calls: 2, 'bemotande:5': 1, 'bemotande:2': 1, 'enkelhet:5': 1 })], opts).overall;
    expect(overall.bemotande).toMatchObject({ index: 62.5, vsReference: -22.4 });
    expect(overall.enkelhet).toMatchObject({ index: 100, vsReference: 22.9 });
  });

  test('without answers there is no index and no gap', () => {
    const overall = skrFromRollups([doc(DIM_CALL, { calls: 4 })], opts).overall;
    expect(overall).toMatchObject({ key: null, label: 'alla samtal', calls: 4, gotAnswer: { share: null, answers: 0 } });
    expect(overall.bemotande).toMatchObject({ index: null, vsReference: null, comparable: false });
  });

  test('"fick svar" is the yes-share of those who answered the question', () => {
    const overall = skrFromRollups([doc(DIM_CALL, { calls: 5, 'resolved:yes': 3, 'resolved:no': 1 })], opts).overall;
    expect(overall.gotAnswer).toEqual({ share: 0.75, answers: 4 });
  });

  test('hours are labelled as a span, the last one ending at 00', () => {
    const skr = skrFromRollups([doc(localHourDim(23), { calls: 2 }), doc(localHourDim(7), { calls: 1 })], opts);
    expect(skr.byHourOfDay.map((r) => r.key)).toEqual(Array.from({ length: 24 }, (_, h) => h));
    expect(skr.byHourOfDay[0].label).toBe('00–01');
    expect(skr.byHourOfDay[7]).toMatchObject({ label: '07–08', calls: 1 });
    expect(skr.byHourOfDay[23]).toMatchObject({ label: '23–00', calls: 2 });
  });

  test('weekdays are Monday to Sunday with their counts', () => {
    const skr = skrFromRollups([doc(weekdayDim(7), { calls: 3 })], opts);
    expect(skr.byWeekday.map((r) => [r.key, r.label, r.calls])).toEqual([
      [1, 'måndag', 0],
      [2, 'tisdag', 0],
      [3, 'onsdag', 0],
      [4, 'torsdag', 0],
      [5, 'fredag', 0],
      [6, 'lördag', 0],
      [7, 'söndag', 3],
    ]);
  });

  test('categories: most calls first, then by name; the calls without one are named so', () => {
    const skr = skrFromRollups(
      [doc(categoryDim('skola'), { calls: 2 }), doc(categoryDim('bygglov'), { calls: 2 }), doc(categoryDim(null), { calls: 1 }), doc(categoryDim('vatten'), { calls: 5 })],
      opts,
    );
    expect(skr.byCategory.map((r) => [r.key, r.label])).toEqual([
      ['vatten', 'vatten'],
      ['bygglov', 'bygglov'],
      ['skola', 'skola'],
      [null, '(ingen kategori)'],
    ]);
  });

  test('lists every reference oldest first beside the one compared with', () => {
    const skr = skrFromRollups([], { ...opts, references: [...DEFAULT_SKR_REFERENCES].reverse() });
    expect(skr.references.map((r) => r.year)).toEqual([2022, 2025]);
    expect(skr.reference.year).toBe(2025);
    expect(skr.timeZone).toBe('Europe/Stockholm');
  });
});

describe('the node table', () => {
  test('a node without transfer attempts has no transfer figures, not a row of zeros', () => {
    expect(nodeRow('vaxel', 'main', { entries: 3 }).transfers).toBeNull();
    expect(nodeRow('vaxel', 'main', { entries: 3, 'transfer:attempted': 2, 'transfer:busy': 1, 'transfer:canceled': 1 }).transfers).toEqual({
      attempted: 2,
      answered: 0,
      noAnswer: 0,
      busy: 1,
      failed: 0,
      canceled: 1,
    });
  });

  test('a node unknown to the flows has no type and no label; a known one has both', () => {
    expect(UNKNOWN_NODE('vaxel', 'gone')).toEqual({ type: null, label: null });
    const row = nodeRow('vaxel', 'main', { entries: 1, calls: 1, reentries: 0 }, (flowId, nodeId) => ({ type: 'menu', label: `${flowId}/${nodeId}` }));
    expect(row).toMatchObject({ flowId: 'vaxel', nodeId: 'main', type: 'menu', label: 'vaxel/main', entries: 1, calls: 1, repeats: 0 });
  });

  test('rows: most entered first, then by flow and node; nodes never entered and never transferring are left out', () => {
    const rows = nodesFromRollups([
      doc('node:b', { entries: 2 }),
      doc('node:a', { entries: 2 }),
      doc('node:a', { entries: 1 }, 'annan'),
      doc('node:top', { entries: 9 }),
      doc('node:silent', { entries: 0, timeouts: 0 }),
      doc('node:direct', { 'transfer:attempted': 1 }),
      doc(DIM_CALL, { calls: 9, entries: 99 }),
    ]);
    expect(rows.map((r) => `${r.flowId}/${r.nodeId}:${r.entries}`)).toEqual(['vaxel/top:9', 'vaxel/a:2', 'vaxel/b:2', 'annan/a:1', 'vaxel/direct:0']);
  });
});
