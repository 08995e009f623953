import { rollupContribution } from '../../src/metrics/contribution';
import { fallbackOutcomes, fallbackRescue, fallbacksFromRollups, sortFallbackRows } from '../../src/metrics/fallbacks';
import type { FallbackRow } from '../../src/metrics/view-types';
import type { RollupDoc } from '../../src/store/store';
import { fallback, journey } from './journeys';

describe('fallback rows', () => {
  test('who answered after a fallback: a backup first, else by the outcome, else nobody', () => {
    expect(fallbackRescue({ outcome: 'answered_by_operator', answeredByBackup: true })).toBe('backup');
    expect(fallbackRescue({ outcome: 'answered_by_operator' })).toBe('operator');
    expect(fallbackRescue({ outcome: 'answered_by_person', answeredByBackup: false })).toBe('person');
    expect(fallbackRescue({ outcome: 'answered_by_department' })).toBe('department');
    expect(fallbackRescue({ outcome: 'abandoned' })).toBe('none');
    expect(fallbackRescue({ outcome: 'ended_by_ivr' })).toBe('none');
  });

  test('most time lost first, then the most frequent, then a stable order of their keys', () => {
    const row = (nodeId: string, lostTotalMs: number, occurrences: number) => ({ flowId: 'vaxel', nodeId, target: null, reason: 'busy', route: null, lostTotalMs, occurrences }) as unknown as FallbackRow;
    const rows = [row('a', 10, 1), row('b', 30, 1), row('c', 10, 5), row('e', 10, 1), row('d', 10, 1)];
    expect(sortFallbackRows(rows).map((r) => r.nodeId)).toEqual(['b', 'c', 'a', 'd', 'e']);
    expect(sortFallbackRows([row('e', 10, 1), row('d', 10, 1)]).map((r) => r.nodeId)).toEqual(['d', 'e']);
  });

  test('rows alike in time and count come in one order whatever order they were read in: by target, route, rescue', () => {
    type Key = Pick<FallbackRow, 'target' | 'route' | 'rescue'>;
    const row = (k: Key) => ({ flowId: 'vaxel', nodeId: 'person', reason: 'no-answer', lostTotalMs: 10, occurrences: 1, ...k }) as unknown as FallbackRow;
    const order = (keys: Key[]) => sortFallbackRows(keys.map(row)).map((r) => [r.target, r.route, r.rescue ?? null]);
    const inEveryOrder = (keys: Key[]) => {
      const first = order(keys);
      expect(order([...keys].reverse())).toEqual(first);
      expect(order([keys[1], keys[2], keys[0]])).toEqual(first);
      return first;
    };
    expect(inEveryOrder([{ target: '4712', route: null }, { target: '4711', route: null }, { target: '4713', route: null }])).toEqual([
      ['4711', null, null],
      ['4712', null, null],
      ['4713', null, null],
    ]);
    expect(inEveryOrder([{ target: '4711', route: 'meny2' }, { target: '4711', route: 'meny3' }, { target: '4711', route: 'meny1' }])).toEqual([
      ['4711', 'meny1', null],
      ['4711', 'meny2', null],
      ['4711', 'meny3', null],
    ]);
    expect(inEveryOrder([{ target: null, route: null, rescue: 'person' }, { target: null, route: null, rescue: 'backup' }, { target: null, route: null, rescue: 'operator' }])).toEqual([
      [null, null, 'backup'],
      [null, null, 'operator'],
      [null, null, 'person'],
    ]);
    // A row without a target or route beside rows with one (not within one grouping, but the order must still be one).
    inEveryOrder([{ target: null, route: null }, { target: '4711', route: null }, { target: '4711', route: 'meny1' }]);
  });

  test('what happened after a fallback is read from each outcome counter by name', () => {
    const c = { 'outcome:answered_by_operator': 1, 'outcome:answered_by_person': 2, 'outcome:answered_by_department': 3, 'outcome:abandoned': 4, 'outcome:ended_by_ivr': 5, 'outcome:': 9 };
    expect(fallbackOutcomes(c)).toEqual({ answered_by_operator: 1, answered_by_person: 2, answered_by_department: 3, abandoned: 4, ended_by_ivr: 5 });
    expect(fallbackOutcomes({})).toEqual({ answered_by_operator: 0, answered_by_person: 0, answered_by_department: 0, abandoned: 0, ended_by_ivr: 0 });
  });

  test('grouped by rescue: one row per node, reason and who answered after it; rows with no occurrences left out', () => {
    const docs: RollupDoc[] = [
      journey({ outcome: 'answered_by_operator', answeredBy: 'operator', fallbacks: [fallback({ lostMs: 20_000 })] }),
      journey({ outcome: 'answered_by_operator', answeredBy: 'operator', fallbacks: [fallback({ lostMs: 10_000, answeredByBackup: true })] }),
      journey({ outcome: 'abandoned_after_fallback', fallbacks: [fallback({ lostMs: 40_000, outcome: 'abandoned' })] }),
    ].flatMap(rollupContribution);
    const rows = fallbacksFromRollups(docs, 'rescue');
    expect(rows.map((r) => [r.nodeId, r.reason, r.rescue, r.target, r.route, r.occurrences, r.lostTotalMs])).toEqual([
      ['person', 'no-answer', 'none', null, null, 1, 40_000],
      ['person', 'no-answer', 'operator', null, null, 1, 20_000],
      ['person', 'no-answer', 'backup', null, null, 1, 10_000],
    ]);
    // A row whose occurrences went back to 0 (a call's fallback re-projected away) is no row.
    const zeroed = docs.map((d) => (d.dim.startsWith('fallbackRescue:') && d.dim.endsWith('|backup') ? { ...d, counts: { ...d.counts, occurrences: 0 } } : d));
    expect(fallbacksFromRollups(zeroed, 'rescue').map((r) => r.rescue)).toEqual(['none', 'operator']);
    expect(fallbacksFromRollups(docs, 'route').map((r) => r.occurrences)).toEqual([3]);
  });
});
