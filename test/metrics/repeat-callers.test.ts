import { repeatDim, soughtDim, type SoughtKey } from '../../src/metrics/dims';
import { repeatCallersFromRollups } from '../../src/metrics/repeat-callers';
import { fallback, hourRollups, journey, rollupDoc, transfer } from './journeys';

const noAnswer = { reason: 'no-answer' as const, route: 'person_unavailable' };

describe('repeat callers from the rollups', () => {
  // Johan (4711): three calls sought him. The first rang out (fallback no-answer), the second was a
  // repeat of such a call, the third found him at once. Bygglov (a department): one call, answered.
  const js = [
    journey({ transfers: [transfer('person', '4711', 'person', false)], fallbacks: [fallback()], answers: { answered: false } }),
    journey({ transfers: [transfer('person', '4711', 'person', true)], repeatOf: [{ target: '4711', targetKind: 'person', firstFallback: noAnswer, afterMs: 86_400_000 }], answers: { answered: true } }),
    journey({ transfers: [transfer('person', '4711', 'person', true)], answers: { answered: true } }),
    journey({ transfers: [transfer('dept', 'bygglov', 'department', true)] }),
  ];
  const view = repeatCallersFromRollups(hourRollups(js));

  test('per target sought: its calls, the repeats among them, and the survey\'s "did you get an answer"', () => {
    expect(view.windowDays).toBe(7);
    expect(view.rows.map((r) => [r.targetKind, r.target, r.calls, r.repeats.count])).toEqual([
      ['person', '4711', 3, 1],
      ['department', 'bygglov', 1, 0],
    ]);
    const [johan] = view.rows;
    expect(johan.repeats.share).toBeCloseTo(1 / 3, 10);
    expect(johan.answered).toEqual({ yes: 2, answers: 3, share: 2 / 3 });
    expect(view.rows[1].answered).toEqual({ yes: 0, answers: 0, share: null });
    expect(view).toMatchObject({ calls: 4, repeats: { count: 1, share: 0.25 }, answered: { yes: 2, answers: 3, share: 2 / 3 } });
  });

  test("by the first fallback: how often each first answer was followed by another call", () => {
    const [johan] = view.rows;
    expect(johan.byFirstFallback).toEqual([
      { firstFallback: null, calls: 2, repeats: 0, repeatShare: 0 },
      { firstFallback: noAnswer, calls: 1, repeats: 1, repeatShare: 1 },
    ]);
  });

  test('a repeat whose earlier call is outside the range still counts; a window of other days is named', () => {
    const onlyRepeat = repeatCallersFromRollups(hourRollups([js[1]]), 14);
    expect(onlyRepeat.windowDays).toBe(14);
    expect(onlyRepeat.rows).toEqual([
      expect.objectContaining({
        target: '4711',
        calls: 1,
        repeats: { count: 1, share: 1 },
        byFirstFallback: [
          { firstFallback: null, calls: 1, repeats: 0, repeatShare: 0 },
          { firstFallback: noAnswer, calls: 0, repeats: 1, repeatShare: null },
        ],
      }),
    ]);
    expect(repeatCallersFromRollups(hourRollups([journey()]))).toMatchObject({ calls: 0, repeats: { count: 0 }, rows: [] });
  });

  test('rows ordered by calls, then repeats, then name', () => {
    const v = repeatCallersFromRollups(hourRollups([journey({ transfers: [transfer('person', '4713', 'person', true)] }), journey({ transfers: [transfer('person', '4712', 'person', true)] })]));
    expect(v.rows.map((r) => r.target)).toEqual(['4712', '4713']);
  });

  describe('orders and empty rows, from rollups written directly', () => {
    const person = (target: string, firstFallback: SoughtKey['firstFallback'] = null): SoughtKey => ({ targetKind: 'person', target, firstFallback });
    const doc = (dim: string, calls: number) => rollupDoc(dim, { calls });
    const busy = { reason: 'busy' as const, route: 'operator' };

    test('rows with as many calls: the most repeats first, then by name', () => {
      const v = repeatCallersFromRollups([
        doc(soughtDim(person('4713')), 2),
        doc(soughtDim(person('4712')), 2),
        doc(soughtDim(person('4711')), 2),
        doc(repeatDim(person('4713')), 1),
      ]);
      expect(v.rows.map((r) => [r.target, r.repeats.count])).toEqual([
        ['4713', 1],
        ['4711', 0],
        ['4712', 0],
      ]);
      const read = (order: string[], repeats: Record<string, number>) =>
        repeatCallersFromRollups(order.flatMap((t) => [doc(soughtDim(person(t)), 3), doc(repeatDim(person(t)), repeats[t] ?? 0)])).rows.map((r) => r.target);
      expect(read(['4711', '4712', '4713'], { '4711': 1, '4712': 2 })).toEqual(['4712', '4711', '4713']);
      expect(read(['4712', '4714', '4711', '4713'], {})).toEqual(['4711', '4712', '4713', '4714']);
    });

    test('each first fallback of a target apart; most calls, then most repeats, then by name', () => {
      const v = repeatCallersFromRollups([
        doc(soughtDim(person('4711')), 1),
        doc(soughtDim(person('4711', busy)), 1),
        doc(soughtDim(person('4711', noAnswer)), 3),
        doc(soughtDim(person('4711', { reason: 'no-answer', route: 'operator' })), 1),
        doc(repeatDim(person('4711', { reason: 'no-answer', route: 'operator' })), 1),
      ]);
      expect(v.rows[0].byFirstFallback.map((f) => [f.firstFallback && `${f.firstFallback.reason}|${f.firstFallback.route}`, f.calls, f.repeats])).toEqual([
        ['no-answer|person_unavailable', 3, 0],
        ['no-answer|operator', 1, 1],
        ['busy|operator', 1, 0],
        [null, 1, 0],
      ]);
      expect(v.rows[0]).toMatchObject({ calls: 6, repeats: { count: 1 } });
    });

    test('a target or first fallback whose calls went back to 0 is left out', () => {
      const v = repeatCallersFromRollups([doc(soughtDim(person('4711')), 1), doc(soughtDim(person('4711', busy)), 0), doc(soughtDim(person('4712')), 0), doc(repeatDim(person('4712')), 0)]);
      expect(v.rows.map((r) => r.target)).toEqual(['4711']);
      expect(v.rows[0].byFirstFallback.map((f) => f.firstFallback)).toEqual([null]);
    });
  });
});
