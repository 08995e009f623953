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
    const idx = (counts: [number, number, number, number, number]) => ({ index: null, answers: 0, counts: { '1': counts[0], '2': counts[1], '3': counts[2], '4': counts[3], '5': counts[4] } });
    expect(indicesDiffer(idx([0, 0, 10, 40, 50]), idx([10, 20, 30, 30, 10]))).toBe(true);
    expect(indicesDiffer(idx([0, 0, 1, 1, 1]), idx([0, 1, 1, 1, 0]))).toBe(false);
  });
});
