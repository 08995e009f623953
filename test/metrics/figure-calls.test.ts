import type { Journey } from '../../src/journey/journey';
import { rollupContribution } from '../../src/metrics/contribution';
import { countsIn, parseFigure, type Figure } from '../../src/metrics/figure-calls';
import { fallback, journey } from './journeys';

/** A counter of the call's hour rollup in one dimension (0 when the call adds nothing there). */
const counted = (j: Journey, dim: string, counter: string) => rollupContribution(j).find((d) => d.dim === dim)?.counts[counter] ?? 0;

describe('the calls behind a figure', () => {
  test('a figure is named by noHelp, a whole fallback dimension, or an outcome; anything else names none', () => {
    expect(parseFigure('noHelp')).toEqual({ kind: 'noHelp' });
    expect(parseFigure('outcome:answered_by_operator')).toEqual({ kind: 'outcome', outcome: 'answered_by_operator' });
    expect(parseFigure('fallback:person|4711|no-answer|person_unavailable')).toEqual({ kind: 'fallback', key: { nodeId: 'person', target: '4711', reason: 'no-answer', route: 'person_unavailable' } });
    for (const text of ['', 'nohelp', 'outcome:', 'outcome:Answered', 'outcome:a-b', 'x-outcome:abandoned', 'fallback:person|4711|no-answer', 'fallback:|4711|no-answer|r', 'fallback:person|4711||r', 'fallback:person|4711|no-answer|', 'node:main'])
      expect(parseFigure(text)).toBeNull();
  });

  test('only ended calls with a flow, a version and a start count, as in the rollups', () => {
    const noHelp: Figure = { kind: 'noHelp' };
    expect(countsIn(journey(), noHelp)).toBe(true);
    for (const missing of [{ ended: false }, { flowId: '' }, { flowVersion: '' }, { startedAt: null }] as const) expect(countsIn({ ...journey(), ...missing }, noHelp)).toBe(false);
  });

  test('noHelp counts the calls no human answered; an outcome, the calls that ended so', () => {
    const alone = journey();
    const helped = journey({ answeredBy: 'operator' });
    expect(countsIn(alone, { kind: 'noHelp' })).toBe(true);
    expect(countsIn(helped, { kind: 'noHelp' })).toBe(false);
    expect(countsIn(helped, { kind: 'outcome', outcome: 'answered_by_operator' })).toBe(true);
    expect(countsIn(alone, { kind: 'outcome', outcome: 'answered_by_operator' })).toBe(false);
  });

  test('a fallback figure counts the calls that took that fallback, node, target, reason and route alike', () => {
    const key = { nodeId: 'person', target: '4711', reason: 'no-answer' as const, route: 'person_unavailable' };
    const took = journey({ fallbacks: [fallback({ nodeId: 'menu' }), fallback()] });
    expect(countsIn(took, { kind: 'fallback', key })).toBe(true);
    for (const other of [{ nodeId: 'other' }, { target: '4712' }, { reason: 'busy' as const }, { route: 'voicemail' }])
      expect(countsIn(journey({ fallbacks: [fallback(other)] }), { kind: 'fallback', key })).toBe(false);
    expect(countsIn(journey(), { kind: 'fallback', key })).toBe(false);
  });

  test("a call counts in a figure exactly when the rollups count it in that figure's dimension", () => {
    // The list behind a figure must hold the calls the figure counts (contribution.ts is the rule).
    const key = { nodeId: 'person', target: '4711', reason: 'no-answer' as const, route: 'person_unavailable' };
    const dim = 'fallback:person|4711|no-answer|person_unavailable';
    const calls = [journey({ fallbacks: [fallback()] }), journey({ fallbacks: [fallback({ route: 'voicemail' })] }), journey({ answeredBy: 'person' })];
    expect(calls.map((j) => counted(j, dim, 'occurrences') > 0)).toEqual([true, false, false]);
    expect(calls.map((j) => countsIn(j, { kind: 'fallback', key }))).toEqual([true, false, false]);
    expect(calls.map((j) => counted(j, 'call', 'noHuman') > 0)).toEqual([true, true, false]);
    expect(calls.map((j) => countsIn(j, { kind: 'noHelp' }))).toEqual([true, true, false]);
  });
});
