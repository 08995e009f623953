import type { Journey } from '../../src/journey/journey';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { nodesFromRollups } from '../../src/metrics/nodes';
import { fallbacksFromJourneys, nodesFromJourneys, summaryFromJourneys } from '../../src/metrics/recompute';
import { summaryFromRollups } from '../../src/metrics/summary';
import { fallback, hourRollups, journey, transfer } from './journeys';

/**
 * The exact recomputation from journeys is what the rollups are checked against (rollups-vs-recompute),
 * so it must itself be right where that suite's traffic does not go: every way a transfer ends, a
 * declined survey, fallback rows grouped by who answered after them or by node alone.
 */
const declined = (j: Journey): Journey => ({ ...j, survey: { ...j.survey, offered: true, declined: 'opted-out' } });
const js: Journey[] = [
  journey({ transfers: [transfer('skola', 'skola', 'department', false, 'failed')], outcome: 'error_fallback' }),
  journey({ transfers: [transfer('skola', 'skola', 'department', false, 'canceled')], outcome: 'abandoned_while_ringing' }),
  journey({ transfers: [transfer('skola', 'skola', 'department', false, 'busy')], outcome: 'abandoned_while_ringing' }),
  journey({ transfers: [transfer('skola', 'skola', 'department', false, 'no-answer')], outcome: 'self_service' }),
  // The call ended before Twilio gave the dial's result: attempted, and nothing else.
  journey({ transfers: [transfer('skola', 'skola', 'department', false, null)], outcome: 'abandoned_while_ringing' }),
  declined(journey({ transfers: [transfer('skola', 'skola', 'department', true)], answeredBy: 'department' })),
  journey({ fallbacks: [fallback({ lostMs: 20_000 })], answeredBy: 'operator' }),
  journey({ fallbacks: [fallback({ lostMs: 30_000, answeredByBackup: true })], answeredBy: 'operator' }),
  journey({ fallbacks: [fallback({ lostMs: 40_000, route: 'operator', outcome: 'abandoned' })], outcome: 'abandoned_after_fallback' }),
  journey({ fallbacks: [fallback({ lostMs: 10_000, target: '4712' })], answeredBy: 'operator' }),
  // Another flow's caller: not among those "not through" this flow's fallbacks.
  { ...journey({ answeredBy: 'operator', answers: { bemotande: 1 } }), flowId: 'skolan' },
];
const docs = hourRollups(js);

test('every way a transfer ends is counted once, as the rollups count it', () => {
  const exact = nodesFromJourneys(js).find((r) => r.nodeId === 'skola')!;
  expect(exact.transfers).toEqual({ attempted: 6, answered: 1, noAnswer: 1, busy: 1, failed: 1, canceled: 1 });
  expect(nodesFromRollups(docs).find((r) => r.nodeId === 'skola')!.transfers).toEqual(exact.transfers);
});

test('a declined survey is counted as declined, as the rollups count it', () => {
  expect(summaryFromJourneys(js).survey).toMatchObject({ offered: 2, declined: 1, responded: 1 });
  expect(summaryFromRollups(docs).survey).toEqual(summaryFromJourneys(js).survey);
});

test('"fick ingen hjälp" by outcome, in name order, as the rollups list it', () => {
  const exact = summaryFromJourneys(js).noHelp.byOutcome;
  expect(Object.entries(exact)).toEqual([
    ['abandoned_after_fallback', 1],
    ['abandoned_while_ringing', 3],
    ['error_fallback', 1],
    ['self_service', 1],
  ]);
  expect(Object.entries(summaryFromRollups(docs).noHelp.byOutcome)).toEqual(Object.entries(exact));
});

describe('fallback rows in each grouping, as the rollups group them', () => {
  const rowsOf = (rows: ReturnType<typeof fallbacksFromJourneys>) =>
    rows.map((r) => ({ nodeId: r.nodeId, target: r.target, reason: r.reason, route: r.route, rescue: r.rescue, occurrences: r.occurrences, calls: r.calls, lostTotalMs: r.lostTotalMs, notThroughAnswers: r.notThrough.bemotande.answers }));

  test('by route: one row per node, person, reason and route', () => {
    const exact = rowsOf(fallbacksFromJourneys(js, 'route'));
    expect(exact.map((r) => [r.target, r.route, r.occurrences])).toEqual([
      ['4711', 'person_unavailable', 2],
      ['4711', 'operator', 1],
      ['4712', 'person_unavailable', 1],
    ]);
    expect(exact.every((r) => !('rescue' in r) || r.rescue === undefined)).toBe(true);
    expect(rowsOf(fallbacksFromRollups(docs, 'route'))).toEqual(exact);
  });

  test('by rescue: one row per node, reason and who answered after it, without person or route', () => {
    const exact = rowsOf(fallbacksFromJourneys(js, 'rescue'));
    expect(exact.map((r) => [r.rescue, r.occurrences, r.target, r.route])).toEqual([
      ['none', 1, null, null],
      ['operator', 2, null, null],
      ['backup', 1, null, null],
    ]);
    expect(rowsOf(fallbacksFromRollups(docs, 'rescue'))).toEqual(exact);
  });

  test('by node: one row per node and reason', () => {
    const exact = rowsOf(fallbacksFromJourneys(js, 'node'));
    expect(exact.map((r) => [r.nodeId, r.reason, r.occurrences, r.calls, r.target, r.route, r.notThroughAnswers])).toEqual([['person', 'no-answer', 4, 4, null, null, 0]]);
    expect(rowsOf(fallbacksFromRollups(docs, 'node'))).toEqual(exact);
  });
});
