import { compareViews, indicesDiffer, sharesDiffer } from '../../src/metrics/compare';
import { rollupContribution } from '../../src/metrics/contribution';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { nodesFromRollups } from '../../src/metrics/nodes';
import { summaryFromRollups } from '../../src/metrics/summary';
import type { Journey } from '../../src/journey/journey';
import { seededRandom } from '../../src/sim/random';
import { fallback, journey, step, transfer } from './journeys';

/**
 * Version a sends a person's no-answer to a menu; version b (the planted improvement) straight to
 * the operator: fewer keys and less time after the fallback, fewer hang-ups, better enkelhet.
 */
function traffic(version: 'a' | 'b', n: number, seed: number): Journey[] {
  const r = seededRandom(seed);
  const out: Journey[] = [];
  for (let i = 0; i < n; i++) {
    const fellBack = r() < 0.4;
    const lostMs = version === 'a' ? 40_000 + Math.floor(r() * 60_000) : 12_000 + Math.floor(r() * 20_000);
    const lostKeys = version === 'a' ? 1 + Math.floor(r() * 3) : 0;
    const abandons = fellBack && r() < (version === 'a' ? 0.25 : 0.05);
    const enkelhet = Math.max(1, Math.min(5, Math.round((version === 'a' && fellBack ? 2.5 : 4) + (r() - 0.5) * 2)));
    out.push(
      journey({
        flowVersion: version,
        steps: [step('main', 8000, { keys: '5' }), step('person', 20_000, { keys: '4711' }), ...(fellBack ? [step(version === 'a' ? 'person_unavailable' : 'operator', lostMs)] : [])],
        transfers: [transfer('person', '4711', 'person', !fellBack)],
        fallbacks: fellBack ? [fallback({ route: version === 'a' ? 'person_unavailable' : 'operator', lostMs, lostKeyPresses: lostKeys, outcome: abandons ? 'abandoned' : 'answered_by_operator' })] : [],
        answeredBy: abandons ? null : fellBack ? 'operator' : 'person',
        outcome: abandons ? 'abandoned_after_fallback' : undefined,
        timeToHumanMs: abandons ? null : 28_000 + (fellBack ? lostMs : 0),
        keyPresses: 5 + (fellBack ? lostKeys : 0),
        answers: abandons ? {} : { bemotande: 4, enkelhet, answered: r() < 0.7 },
      }),
    );
  }
  return out;
}

/** An index's answers, by count of each step 1–5. */
const idx = (counts: [number, number, number, number, number]) => ({ index: null, answers: 0, counts: { '1': counts[0], '2': counts[1], '3': counts[2], '4': counts[3], '5': counts[4] } });

function side(js: Journey[], label: string) {
  const docs = js.flatMap(rollupContribution);
  return {
    side: { label, kind: 'version' as const, flowVersion: label, from: '2026-01-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' },
    summary: summaryFromRollups(docs),
    fallbacks: fallbacksFromRollups(docs, 'node'),
    nodes: nodesFromRollups(docs),
  };
}

describe('before/after comparison', () => {
  const view = compareViews('vaxel', side(traffic('a', 600, 1), 'a'), side(traffic('b', 600, 2), 'b'));
  const change = (metric: string) => view.changes.find((c) => c.metric === metric)!;

  test('detects the planted improvement after the fallback, and calls it significant where a test applies', () => {
    expect(change('fallback.lostMs.median')).toMatchObject({ direction: 'improved', better: 'lower' });
    expect(change('fallback.lostMs.median').b!).toBeLessThan(change('fallback.lostMs.median').a! / 2);
    expect(change('fallback.lostKeys.mean')).toMatchObject({ direction: 'improved', b: 0 });
    expect(change('abandoned.afterFallback.share')).toMatchObject({ direction: 'improved', significant: true });
    expect(change('enkelhet.index')).toMatchObject({ direction: 'improved', significant: true });
    expect(change('answered.share')).toMatchObject({ direction: 'improved', better: 'higher' });
    // Bemötande was planted unchanged: every answer is 4.
    expect(change('bemotande.index')).toMatchObject({ a: 75, b: 75, delta: 0, direction: 'unchanged', significant: false });
  });

  test('pairs the fallback of both versions by node and reason although the routes differ', () => {
    expect(view.fallbacks).toHaveLength(1);
    const [fb] = view.fallbacks;
    expect(fb).toMatchObject({ nodeId: 'person', reason: 'no-answer' });
    expect(fb.b!.lostMs.median!).toBeLessThan(fb.a!.lostMs.median!);
    expect(view.nodes.find((n) => n.nodeId === 'person_unavailable')).toMatchObject({ b: null });
  });

  test('a reversed comparison reports the same changes as worsened', () => {
    const reversed = compareViews('vaxel', side(traffic('b', 600, 2), 'b'), side(traffic('a', 600, 1), 'a'));
    expect(reversed.changes.find((c) => c.metric === 'fallback.lostMs.median')!.direction).toBe('worsened');
  });

  test('the significance tests: a share of 30 % vs 20 % over 500 calls differs, over 50 it does not', () => {
    expect(sharesDiffer(150, 500, 100, 500)).toBe(true);
    expect(sharesDiffer(15, 50, 10, 50)).toBe(false);
    expect(sharesDiffer(1, 0, 1, 10)).toBeNull();
    expect(indicesDiffer(idx([0, 0, 10, 40, 50]), idx([10, 20, 30, 30, 10]))).toBe(true);
    expect(indicesDiffer(idx([0, 0, 1, 1, 1]), idx([0, 1, 1, 1, 0]))).toBe(false);
  });

  test('the share test needs calls on both sides; equal shares never differ', () => {
    expect(sharesDiffer(1, 10, 0, 0)).toBeNull();
    expect(sharesDiffer(0, 0, 0, 0)).toBeNull();
    expect(sharesDiffer(0, 40, 0, 60)).toBe(false);
    expect(sharesDiffer(40, 40, 60, 60)).toBe(false);
    expect(sharesDiffer(10, 40, 15, 60)).toBe(false);
  });

  test("Welch's test on index points at its edge: 10/10/10 threes to fives against 10/10/28 differs not, against 10/10/29 it does", () => {
    // z = 1.954 and 2.031 (sample variance over n - 1): a wrong variance moves one of them across 1.96.
    const before = idx([0, 0, 10, 10, 10]);
    expect(indicesDiffer(before, idx([0, 0, 10, 10, 28]))).toBe(false);
    expect(indicesDiffer(before, idx([0, 0, 10, 10, 29]))).toBe(true);
    // One answer on a side: no test.
    expect(indicesDiffer(idx([0, 0, 0, 0, 1]), before)).toBeNull();
    expect(indicesDiffer(before, idx([0, 0, 0, 1, 0]))).toBeNull();
    expect(indicesDiffer(idx([0, 0, 0, 0, 2]), idx([0, 0, 0, 2, 0]))).not.toBeNull();
    // Every answer the same on each side (no spread): they differ exactly when the answers do.
    expect(indicesDiffer(idx([0, 0, 0, 0, 3]), idx([0, 0, 0, 3, 0]))).toBe(true);
    expect(indicesDiffer(idx([0, 0, 0, 0, 3]), idx([0, 0, 0, 0, 5]))).toBe(false);
  });

  test('every figure compared, by the name the dashboard labels it with, and the change relative to before', () => {
    expect(view.changes.map((c) => c.metric)).toEqual([
      'answered.share',
      'abandoned.total.share',
      'noHelp.calls.share',
      'abandoned.inMenu.share',
      'abandoned.afterFallback.share',
      'timeToHumanMs.median',
      'timeToHumanMs.p90',
      'timeToOperatorMs.median',
      'timeToOperatorMs.p90',
      'keyPresses.mean',
      'keyPresses.p90',
      'fallback.rate',
      'fallback.lostMs.median',
      'fallback.lostMs.p90',
      'fallback.lostKeys.mean',
      'fallback.lostKeys.p90',
      'survey.responseRate',
      'bemotande.index',
      'enkelhet.index',
      'firstContactResolution.share',
    ]);
    const median = change('fallback.lostMs.median');
    expect(median.relative).toBeCloseTo((median.b! - median.a!) / median.a!, 10);
    // From 0 there is no relative change: lost keys went from a mean above 0 to 0, the other way round has none.
    const reversed = compareViews('vaxel', side(traffic('b', 600, 2), 'b'), side(traffic('a', 600, 1), 'a'));
    expect(reversed.changes.find((c) => c.metric === 'fallback.lostKeys.mean')).toMatchObject({ a: 0, relative: null, direction: 'worsened' });
    expect(change('fallback.lostKeys.mean').relative).toBe(-1);
  });

  test('the rescues of both sides pair by node, reason and who answered, a row on one side only kept with null on the other', () => {
    const docsA = traffic('a', 200, 3).flatMap(rollupContribution);
    const docsB = traffic('b', 200, 4).flatMap(rollupContribution);
    const withRescues = (docs: typeof docsA, label: string) => ({ ...side([], label), fallbacks: fallbacksFromRollups(docs, 'node'), rescues: fallbacksFromRollups(docs, 'rescue') });
    const v = compareViews('vaxel', withRescues(docsA, 'a'), withRescues(docsB.filter((d) => !d.dim.endsWith('|none')), 'b'));
    const byRescue = Object.fromEntries(v.rescues.map((r) => [r.rescue, r]));
    expect(Object.keys(byRescue).sort()).toEqual(['none', 'operator']);
    expect(byRescue.operator).toMatchObject({ nodeId: 'person', reason: 'no-answer' });
    expect(byRescue.operator.a!.occurrences).toBeGreaterThan(0);
    expect(byRescue.operator.b!.occurrences).toBeGreaterThan(0);
    expect(byRescue.none).toMatchObject({ nodeId: 'person', reason: 'no-answer', b: null });
    expect(byRescue.none.a!.rescue).toBe('none');
    // A side without rescues compares none.
    expect(view.rescues).toEqual([]);
    // A fallback on one side only: named from the side that has it.
    const oneSided = compareViews('vaxel', withRescues([], 'a'), withRescues(docsB, 'b'));
    expect(oneSided.fallbacks).toEqual([expect.objectContaining({ nodeId: 'person', reason: 'no-answer', a: null })]);
    expect(oneSided.rescues.every((r) => r.a === null && r.nodeId === 'person' && r.reason === 'no-answer')).toBe(true);
  });
});
