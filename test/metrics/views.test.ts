import { rollupContribution } from '../../src/metrics/contribution';
import { fallbacksFromRollups } from '../../src/metrics/fallbacks';
import { RELATIVE_PRECISION } from '../../src/metrics/histogram';
import { nodesFromRollups } from '../../src/metrics/nodes';
import { fallbacksFromJourneys, nodesFromJourneys, summaryFromJourneys } from '../../src/metrics/recompute';
import { DEFAULT_SKR_REFERENCES, skrFromRollups } from '../../src/metrics/skr';
import { summaryFromRollups } from '../../src/metrics/summary';
import type { Distribution } from '../../src/metrics/view-types';
import { T0, fallback, journey, step, transfer } from './journeys';

/**
 * Six ended calls and one still in progress, with figures chosen so that every expected value
 * below is worked out by hand (the working is in the comments).
 */
const FB = { nodeId: 'person', target: '4711', reason: 'no-answer', route: 'person_unavailable' } as const;
const journeys = [
  // 1: a department answers after 20 s, one key; survey 5 / 4 / yes.
  journey({
    steps: [step('welcome', 0), step('main', 12_000, { keys: '1' }), step('skola', 8_000)],
    transfers: [transfer('skola', 'skola', 'department', true)],
    answeredBy: 'department',
    timeToHumanMs: 20_000,
    keyPresses: 1,
    category: 'skola',
    answers: { bemotande: 5, enkelhet: 4, answered: true },
  }),
  // 2: person search, no answer, fallback menu (one wrong key), operator answers after 61 s; survey 4 / 2 / no.
  journey({
    steps: [
      step('welcome', 0),
      step('main', 12_000, { keys: '5' }),
      step('person', 26_000, { keys: '4711' }),
      step('person_unavailable', 17_000, { keys: '0', invalid: ['9'] }),
      step('operator', 6_000),
    ],
    transfers: [transfer('person', '4711', 'person', false), transfer('operator', 'operator', 'operator', true)],
    fallbacks: [fallback({ ...FB, lostMs: 23_000, lostKeyPresses: 2, outcome: 'answered_by_operator' })],
    answeredBy: 'operator',
    timeToHumanMs: 61_000,
    timeToOperatorMs: 61_000,
    keyPresses: 7,
    category: 'bygglov',
    answers: { bemotande: 4, enkelhet: 2, answered: false },
  }),
  // 3: the same fallback, then the caller hangs up in the fallback menu after 12 s.
  journey({
    steps: [step('welcome', 0), step('main', 10_000, { keys: '5' }), step('person', 25_000, { keys: '4711' }), step('person_unavailable', 12_000, { timeouts: 1 })],
    transfers: [transfer('person', '4711', 'person', false)],
    fallbacks: [fallback({ ...FB, lostMs: 12_000, lostKeyPresses: 1, outcome: 'abandoned' })],
    keyPresses: 6,
    outcome: 'abandoned_after_fallback',
    category: 'bygglov',
    durationMs: 47_000,
  }),
  // 4: hangs up in the main menu after a timeout.
  journey({ steps: [step('welcome', 0), step('main', 9_000, { timeouts: 1 })], keyPresses: 0, outcome: 'abandoned_in_menu', durationMs: 9_000 }),
  // 5: presses 0, the operator answers after 15 s; survey 3 / 3 / yes.
  journey({
    steps: [step('welcome', 0), step('main', 9_000, { keys: '0' }), step('operator', 6_000)],
    transfers: [transfer('operator', 'operator', 'operator', true)],
    answeredBy: 'operator',
    timeToHumanMs: 15_000,
    timeToOperatorMs: 15_000,
    keyPresses: 1,
    answers: { bemotande: 3, enkelhet: 3, answered: true },
  }),
  // 6: a person answers after 30 s with five keys; the survey is offered but not answered.
  journey({
    steps: [step('welcome', 0), step('main', 8_000, { keys: '5' }), step('person', 22_000, { keys: '4712' })],
    transfers: [transfer('person', '4712', 'person', true)],
    answeredBy: 'person',
    timeToHumanMs: 30_000,
    keyPresses: 5,
    category: 'skola',
    answers: { offered: true },
  }),
  // 7: still in progress: counted nowhere.
  journey({ steps: [step('welcome', 0), step('main', null)], ended: false, outcome: 'in_progress', keyPresses: 3 }),
];

const docs = journeys.flatMap(rollupContribution);

/** Percentiles from rollups are within the histogram's precision of the exact value. */
function expectDistribution(d: Distribution, exact: Distribution) {
  expect(d.count).toBe(exact.count);
  expect(d.mean).toBe(exact.mean);
  for (const k of ['median', 'p90'] as const) {
    if (exact[k] === null) expect(d[k]).toBeNull();
    else expect(Math.abs(d[k]! - exact[k]!)).toBeLessThanOrEqual(exact[k]! * RELATIVE_PRECISION);
  }
}

describe('metrics from a known set of journeys', () => {
  // Time to human of the 4 answered calls: 15, 20, 30, 61 s. Nearest rank: median = 2nd, p90 = 4th.
  const timeToHuman = { count: 4, median: 20_000, p90: 61_000, mean: 31_500 };
  // Key presses of the 6 ended calls: 0 1 1 5 6 7. Median = 3rd = 1, p90 = 6th = 7, mean 20/6.
  const keys = { count: 6, median: 1, p90: 7, mean: 3.33 };
  // Lost after the 2 fallbacks: 12 s / 1 key and 23 s / 2 keys.
  const lostMs = { count: 2, median: 12_000, p90: 23_000, mean: 17_500 };
  const lostKeys = { count: 2, median: 1, p90: 2, mean: 1.5 };

  test('the summary, recomputed exactly from the journeys, equals the hand-computed values', () => {
    const s = summaryFromJourneys(journeys);
    expect(s.calls).toBe(6);
    expect(s.answered).toEqual({ count: 4, share: 4 / 6 });
    expect(s.answeredBy).toEqual({ operator: 2, department: 1, person: 1 });
    expect(s.abandoned).toEqual({ total: { count: 2, share: 2 / 6 }, inMenu: { count: 1, share: 1 / 6 }, whileRinging: { count: 0, share: 0 }, afterFallback: { count: 1, share: 1 / 6 } });
    expect(s.timeToHumanMs).toEqual(timeToHuman);
    // Operator: 15 and 61 s.
    expect(s.timeToOperatorMs).toEqual({ count: 2, median: 15_000, p90: 61_000, mean: 38_000 });
    expect(s.keyPresses).toEqual(keys);
    expect(s.fallback).toEqual({ calls: 2, rate: 2 / 6, occurrences: 2, lostMs, lostKeys });
    // Offered to calls 1, 2, 5, 6; answered by 1, 2, 5.
    expect(s.survey).toEqual({ offered: 4, declined: 0, responded: 3, completed: 3, responseRate: 0.75 });
    // Bemötande 5, 4, 3 → points 100, 75, 50 → 75.0. Enkelhet 4, 2, 3 → 75, 25, 50 → 50.0.
    expect(s.bemotande).toEqual({ index: 75, answers: 3, counts: { '1': 0, '2': 0, '3': 1, '4': 1, '5': 1 } });
    expect(s.enkelhet).toEqual({ index: 50, answers: 3, counts: { '1': 0, '2': 1, '3': 1, '4': 1, '5': 0 } });
    expect(s.firstContactResolution).toEqual({ share: 2 / 3, yes: 2, answers: 3 });
    // With a fallback: call 2 (4 / 2) → 75 / 25. Without: calls 1 and 5 → (100+50)/2 = 75, (75+50)/2 = 62.5.
    expect(s.byFallback.with).toMatchObject({ calls: 2, bemotande: { index: 75, answers: 1 }, enkelhet: { index: 25, answers: 1 } });
    expect(s.byFallback.without).toMatchObject({ calls: 4, bemotande: { index: 75, answers: 2 }, enkelhet: { index: 62.5, answers: 2 } });
    // No human for calls 3 (47 s, 5 s of it ringing the person) and 4 (9 s): median = 1st of 2, p90 = 2nd.
    expect(s.noHelp).toEqual({
      calls: { count: 2, share: 2 / 6 },
      spentMs: { count: 2, median: 9_000, p90: 47_000, mean: 28_000 },
      spentTotalMs: 56_000,
      ringTotalMs: 5_000,
      byOutcome: { abandoned_after_fallback: 1, abandoned_in_menu: 1 },
    });
  });

  test('the summary from rollups gives the same counts and indices, and percentiles within the precision', () => {
    const s = summaryFromRollups(docs);
    const exact = summaryFromJourneys(journeys);
    const { timeToHumanMs, timeToOperatorMs, keyPresses, keyPressesBeforeHuman, fallback: fb, noHelp, ...rest } = s;
    const { timeToHumanMs: t2, timeToOperatorMs: o2, keyPresses: k2, keyPressesBeforeHuman: b2, fallback: fb2, noHelp: n2, ...rest2 } = exact;
    expect(rest).toEqual(rest2);
    expect({ ...noHelp, spentMs: null }).toEqual({ ...n2, spentMs: null });
    expectDistribution(noHelp.spentMs, n2.spentMs);
    expectDistribution(timeToHumanMs, timeToHuman);
    expectDistribution(timeToOperatorMs, o2);
    expect(keyPresses).toEqual(keys); // small counts are exact
    expect(keyPressesBeforeHuman).toEqual(b2);
    expect(fb.lostKeys).toEqual(lostKeys);
    expectDistribution(fb.lostMs, lostMs);
  });

  test('the fallback table: occurrences, lost time and keys, abandonment, index through vs not through', () => {
    const [row] = fallbacksFromRollups(docs);
    expect(fallbacksFromRollups(docs)).toHaveLength(1);
    expect(row).toMatchObject({ flowId: 'vaxel', ...FB, occurrences: 2, calls: 2, lostTotalMs: 35_000, lostKeys, abandoned: { count: 1, share: 0.5 } });
    expect(row.outcomes).toEqual({ answered_by_operator: 1, answered_by_person: 0, answered_by_department: 0, abandoned: 1, ended_by_ivr: 0 });
    expectDistribution(row.lostMs, lostMs);
    // Through: call 2 only (4 / 2 → 75 / 25). Not through: calls 1 and 5 (75 / 62.5).
    expect(row.through).toMatchObject({ calls: 2, bemotande: { index: 75, answers: 1 }, enkelhet: { index: 25, answers: 1 } });
    expect(row.notThrough).toMatchObject({ calls: 4, bemotande: { index: 75, answers: 2 }, enkelhet: { index: 62.5, answers: 2 } });
    expect(row.indexGap).toEqual({ bemotande: 0, enkelhet: -37.5 });
    const [exact] = fallbacksFromJourneys(journeys);
    expect({ ...row, lostMs: null }).toEqual({ ...exact, lostMs: null });
    expect(fallbacksFromRollups(docs, 'node')).toMatchObject([{ nodeId: 'person', target: null, route: null, reason: 'no-answer', occurrences: 2 }]);
  });

  test('the node table: entries, exits per key, wrong keys, timeouts, repeats, hang-ups, time spent', () => {
    const rows = nodesFromRollups(docs);
    const main = rows.find((r) => r.nodeId === 'main')!;
    // Main: entered by all 6 ended calls; keys 1, 5, 5, 0, 5; call 4 timed out and hung up there.
    expect(main).toMatchObject({
      entries: 6,
      calls: 6,
      repeats: 0,
      exits: { byKey: { '1': 1, '5': 3, '0': 1 }, byNext: { skola: 1, person: 3, operator: 1 } },
      invalid: { total: 0, byKey: {} },
      timeouts: 1,
      hangups: 1,
      keyPresses: 5,
      transfers: null,
    });
    // Time in main: 8 9 9 10 12 12 s → median 3rd = 9 s, p90 6th = 12 s, mean 60/6 = 10 s.
    expectDistribution(main.timeInNodeMs, { count: 6, median: 9_000, p90: 12_000, mean: 10_000 });
    const unavailable = rows.find((r) => r.nodeId === 'person_unavailable')!;
    expect(unavailable).toMatchObject({ entries: 2, exits: { byKey: { '0': 1 }, byNext: { operator: 1 } }, invalid: { total: 1, byKey: { '9': 1 } }, timeouts: 1, hangups: 1, keyPresses: 2 });
    const person = rows.find((r) => r.nodeId === 'person')!;
    expect(person.transfers).toEqual({ attempted: 3, answered: 1, noAnswer: 2, busy: 0, failed: 0, canceled: 0 });
    expect(person.keyPresses).toBe(12);
    const exact = nodesFromJourneys(journeys);
    expect(rows.map((r) => ({ ...r, timeInNodeMs: r.timeInNodeMs.count }))).toEqual(exact.map((r) => ({ ...r, timeInNodeMs: r.timeInNodeMs.count })));
  });

  test('the SKR view: the index against the national reference, by category, local hour and weekday', () => {
    const skr = skrFromRollups(docs, { references: DEFAULT_SKR_REFERENCES, timeZone: 'Europe/Stockholm' });
    expect(skr.reference).toEqual({ year: 2025, bemotande: 84.9, enkelhet: 77.1 });
    expect(skr.minAnswers).toBe(100);
    // 75.0 − 84.9 = −9.9; 50.0 − 77.1 = −27.1; 3 answers is far below the 100 SKR needs.
    expect(skr.overall.bemotande).toMatchObject({ index: 75, answers: 3, vsReference: -9.9, comparable: false });
    expect(skr.overall.enkelhet).toMatchObject({ index: 50, vsReference: -27.1 });
    const skola = skr.byCategory.find((r) => r.key === 'skola')!;
    // Calls 1 and 6; only call 1 answered: 5 / 4.
    expect(skola).toMatchObject({ calls: 2, bemotande: { index: 100, answers: 1 }, enkelhet: { index: 75, answers: 1 } });
    expect(skr.byCategory.find((r) => r.key === null)).toMatchObject({ calls: 2, label: '(ingen kategori)' });
    // "Did you get an answer": the same yes-share as the summary's first-contact resolution (2 of 3),
    // per category from the same counters; beside it, KKiK's national 53 % direct answers (2018).
    expect(skr.overall.gotAnswer).toEqual({ share: 2 / 3, answers: 3 });
    expect(skr.byCategory.reduce((n, r) => n + r.gotAnswer.answers, 0)).toBe(3);
    expect(skola.gotAnswer).toEqual({ share: 1, answers: 1 });
    expect(skr.kkik).toEqual({ year: 2018, directAnswerShare: 0.53 });
    // T0 is Monday 2 March 2026 08:00 UTC = 09:00 in Stockholm (CET).
    expect(new Date(T0).getUTCDay()).toBe(1);
    expect(skr.byHourOfDay).toHaveLength(24);
    expect(skr.byHourOfDay[9]).toMatchObject({ calls: 6, bemotande: { index: 75, answers: 3 } });
    expect(skr.byHourOfDay[8].calls).toBe(0);
    expect(skr.byWeekday[0]).toMatchObject({ key: 1, label: 'måndag', calls: 6 });
    const old = skrFromRollups(docs, { references: DEFAULT_SKR_REFERENCES, timeZone: 'Europe/Stockholm', year: 2022 });
    expect(old.overall.bemotande.vsReference).toBe(-7.1);
  });
});

test('a journey stored before steps carried their input still rolls up (entries and time, no keys)', () => {
  const old = journey({ steps: [step('welcome', 0), step('main', 9_000)], outcome: 'abandoned_in_menu' });
  for (const s of old.steps) {
    delete (s as Partial<typeof s>).keys;
    delete (s as Partial<typeof s>).invalid;
    delete (s as Partial<typeof s>).timeouts;
  }
  const main = nodesFromRollups(rollupContribution(old)).find((r) => r.nodeId === 'main')!;
  expect(main).toMatchObject({ entries: 1, hangups: 1, invalid: { total: 0 }, timeouts: 0, exits: { byKey: {} } });
});
