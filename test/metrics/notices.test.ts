import { noticesFromRollups } from '../../src/metrics/notices';
import { fallback, hourRollups, journey, notice } from './journeys';

/** The directory rings 20 s; a node without ringSeconds (not a dial) has none. */
const ringSecondsOf = (_flowId: string, nodeId: string) => (nodeId === 'person' ? 20 : null);

describe('the notice figures', () => {
  // Anna (4711): two calls met her notice; her phone rang out for 30 s in two other calls (and someone
  // else's, 4799, for 45 s). Bo (4712): one call met his notice; his phone never rang out in the range,
  // so the directory's 20 s stands in.
  const js = [
    journey({ notices: [notice('4711', 'meeting')], fallbacks: [fallback({ reason: 'notice', route: 'operator', outcome: 'answered_by_operator' })], answers: { enkelhet: 5 } }),
    journey({ notices: [notice('4711', 'meeting')], fallbacks: [fallback({ reason: 'notice', route: 'operator' })], answers: { enkelhet: 4 } }),
    journey({ notices: [notice('4712', 'sick')], answers: { enkelhet: 5 } }),
    journey({ fallbacks: [fallback({ ringMs: 30_000 })], answers: { enkelhet: 1 } }),
    journey({ fallbacks: [fallback({ ringMs: 30_000 })] }),
    journey({ fallbacks: [fallback({ target: '4799', ringMs: 45_000 })] }),
  ];
  const view = noticesFromRollups(hourRollups(js), ringSecondsOf);

  test("each notice's rings avoided, valued at the person's own ring-outs, else the node's ring time", () => {
    expect(view.rows.map((r) => ({ target: r.target, reason: r.reason, ringsAvoided: r.ringsAvoided, calls: r.calls, from: r.estimateFrom }))).toEqual([
      { target: '4711', reason: 'meeting', ringsAvoided: 2, calls: 2, from: 'ring-outs' },
      { target: '4712', reason: 'sick', ringsAvoided: 1, calls: 1, from: 'ring-seconds' },
    ]);
    const [anna, bo] = view.rows;
    // A histogram's median: within its bucket of the 30 s rings.
    expect(anna.ringEstimateMs).toBeGreaterThan(25_000);
    expect(anna.ringEstimateMs).toBeLessThanOrEqual(30_000);
    expect(anna.savedMs).toBe(anna.ringEstimateMs! * 2);
    expect(bo).toMatchObject({ ringEstimateMs: 20_000, savedMs: 20_000, nodeId: 'person', flowId: 'vaxel' });
    expect(view).toMatchObject({ calls: 3, ringsAvoided: 3, savedMs: anna.savedMs + 20_000 });
  });

  test('without a ring-out or a ring time the estimate is unknown and saves nothing counted', () => {
    const v = noticesFromRollups(hourRollups([journey({ notices: [notice('4712', 'sick')] })]), () => null);
    expect(v.rows).toEqual([expect.objectContaining({ target: '4712', ringEstimateMs: null, estimateFrom: null, savedMs: 0, ringsAvoided: 1 })]);
    expect(v.savedMs).toBe(0);
  });

  test('the survey of calls that met a notice beside that of calls that rang out, and the fallbacks at those nodes', () => {
    expect(view.survey.metNotice.enkelhet).toMatchObject({ answers: 3 });
    expect(view.survey.rangOut.enkelhet).toMatchObject({ answers: 1 });
    expect(view.survey.metNotice.enkelhet.index!).toBeGreaterThan(view.survey.rangOut.enkelhet.index!);
    expect(view.fallbacks.map((f) => [f.nodeId, f.reason, f.occurrences]).sort()).toEqual([
      ['person', 'no-answer', 3],
      ['person', 'notice', 2],
    ]);
  });

  test('most time saved first, then the most rings avoided; a range without notices has no rows', () => {
    const many = noticesFromRollups(hourRollups([journey({ notices: [notice('4712', 'sick')] }), journey({ notices: [notice('4713', 'sick')] }), journey({ notices: [notice('4713', 'sick')] })]), ringSecondsOf);
    expect(many.rows.map((r) => r.target)).toEqual(['4713', '4712']);
    const tie = noticesFromRollups(hourRollups([journey({ notices: [notice('4713', 'sick')] }), journey({ notices: [notice('4712', 'sick')] })]), ringSecondsOf);
    expect(tie.rows.map((r) => r.target)).toEqual(['4712', '4713']);
    expect(noticesFromRollups(hourRollups([journey()]), ringSecondsOf)).toMatchObject({ calls: 0, ringsAvoided: 0, savedMs: 0, rows: [], fallbacks: [] });
  });
});
