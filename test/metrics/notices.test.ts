import { noticesFromRollups } from '../../src/metrics/notices';
import { fallback, hourRollups, journey, notice, rollupDoc } from './journeys';

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

  test('equal time saved: the most rings avoided first, then in the order of flow, node, person and reason', () => {
    const doc = (dim: string, occurrences: number) => rollupDoc(dim, { occurrences, calls: occurrences });
    // 2 × 20 s at the directory and 1 × 40 s at a transfer: 40 s saved each.
    const ring = (_f: string, nodeId: string) => (nodeId === 'person' ? 20 : 40);
    const v = noticesFromRollups([doc('notice:direct|4712|sick', 1), doc('notice:person|4711|sick', 2), doc('notice:person|4713|sick', 1), doc('notice:person|4714|sick', 1)], ring);
    expect(v.rows.map((r) => [r.nodeId, r.target, r.savedMs])).toEqual([
      ['person', '4711', 40_000],
      ['direct', '4712', 40_000],
      ['person', '4713', 20_000],
      ['person', '4714', 20_000],
    ]);
    const reversed = noticesFromRollups([doc('notice:person|4714|sick', 1), doc('notice:person|4713|sick', 1), doc('notice:direct|4712|sick', 1), doc('notice:person|4711|sick', 2)], ring);
    expect(reversed.rows.map((r) => r.target)).toEqual(['4711', '4712', '4713', '4714']);
  });

  test('a notice whose occurrences went back to 0 (its call re-projected) is no row', () => {
    const docs = hourRollups([journey({ notices: [notice('4712', 'sick')] }), journey({ notices: [notice('4711', 'meeting')] })]).map((d) =>
      d.dim === 'notice:person|4712|sick' ? { ...d, counts: { ...d.counts, occurrences: 0 } } : d,
    );
    expect(noticesFromRollups(docs, ringSecondsOf).rows.map((r) => r.target)).toEqual(['4711']);
  });

  test('the fallbacks beside the notices: only at nodes where a notice was met, and only for a notice or a ring-out', () => {
    const v = noticesFromRollups(
      hourRollups([
        journey({ notices: [notice('4711', 'meeting')], fallbacks: [fallback({ reason: 'notice' })] }),
        journey({ fallbacks: [fallback({ reason: 'busy' })] }),
        journey({ fallbacks: [fallback({ nodeId: 'skola', target: 'skola', targetKind: 'department' })] }),
        journey({ fallbacks: [fallback()] }),
      ]),
      ringSecondsOf,
    );
    expect(v.fallbacks.map((f) => [f.nodeId, f.reason]).sort()).toEqual([
      ['person', 'no-answer'],
      ['person', 'notice'],
    ]);
  });
});
