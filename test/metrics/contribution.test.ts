import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { createRollupContribution } from '../../src/metrics/contribution';
import { bucketOf } from '../../src/metrics/histogram';
import { fallback, journey, notice, transfer } from './journeys';

const contribution = createRollupContribution();

/**
 * A caller reaches the menu at 08:00:00 UTC (09:00 in Stockholm, Monday 2 March 2026), presses 1
 * after 4 s, waits 5 s at the transfer node skola and hangs up before anyone answers.
 */
const callSid = 'CA' + '1'.repeat(32);
const t0 = Date.parse('2026-03-02T08:00:00Z');
const base = { callSid, seq: 0 };
const events = [
  { ...base, id: `${callSid}:a:0`, at: t0, step: 0, type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: 'k1:abc', to: '+46101300000', language: 'sv-SE' },
  { ...base, id: `${callSid}:a:1`, at: t0, step: 0, seq: 1, type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
  { ...base, id: `${callSid}:b:0`, at: t0 + 4000, step: 1, type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' },
  { ...base, id: `${callSid}:b:1`, at: t0 + 4000, step: 1, seq: 1, type: 'node.entered', nodeId: 'skola', nodeType: 'transfer' },
  { ...base, id: `${callSid}:z:0`, at: t0 + 9000, step: 99, type: 'call.ended', status: 'completed', durationSec: 9 },
] as CallEvent[];

// The embedded store keeps journeys of calls in progress off its file on this ground (see its putJourneys).
test('a call adds to the rollups only once it has ended: every projection before its end contributes nothing', () => {
  for (let n = 1; n < events.length; n++) {
    const journey = projectJourney(callSid, events.slice(0, n));
    expect(journey.ended).toBe(false);
    expect(contribution(journey)).toEqual([]);
  }
  expect(contribution(projectJourney(callSid, events))).not.toEqual([]);
});

test('an ended call adds itself once to each dimension it touched, in its hour, day and month', () => {
  const perDim: Record<string, Record<string, number>> = {
    // One call that met no human: abandoned in the IVR, one key pressed in all, all before a human;
    // its 9 s counted as time spent without help (no phone rang: it had not been dialled yet).
    call: {
      calls: 1,
      'outcome:abandoned_in_menu': 1,
      'keyPresses:1': 1,
      'keyPresses:sum': 1,
      'keysBeforeHuman:1': 1,
      'keysBeforeHuman:sum': 1,
      noHuman: 1,
      [`noHumanMs:${bucketOf(9000)}`]: 1,
      'noHumanMs:sum': 9000,
    },
    // The menu: entered once, left with key 1 for skola after 4 s.
    'node:main': { entries: 1, calls: 1, 'key:1': 1, 'next:skola': 1, pressed: 1, [`timeInNode:${bucketOf(4000)}`]: 1, 'timeInNode:sum': 4000 },
    // The transfer node: entered once, 5 s there, the caller hung up in it.
    'node:skola': { entries: 1, calls: 1, [`timeInNode:${bucketOf(5000)}`]: 1, 'timeInNode:sum': 5000, hangups: 1 },
    // No category chosen; the local hour and weekday are Stockholm's, not UTC's.
    'category:': { calls: 1 },
    'localHour:9': { calls: 1 },
    'weekday:1': { calls: 1 },
  };
  const grains = [
    { prefix: '', hour: '2026-03-02T08:00:00.000Z' },
    { prefix: 'd/', hour: '2026-03-02T00:00:00.000Z' },
    { prefix: 'm/', hour: '2026-03-01T00:00:00.000Z' },
  ];
  const expected = grains.flatMap(({ prefix, hour }) =>
    Object.entries(perDim).map(([dim, counts]) => ({ flowId: 'vaxel', flowVersion: 'v1', hour, dim: prefix + dim, counts })),
  );
  const byDim = (a: { dim: string }, b: { dim: string }) => a.dim.localeCompare(b.dim);
  expect([...contribution(projectJourney(callSid, events))].sort(byDim)).toEqual(expected.sort(byDim));
});

describe('what a call adds beside its own figures', () => {
  // Journeys built by hand (test/metrics/journeys.ts), so each dimension's figures can be read off.
  const hourDims = (j: Parameters<typeof contribution>[0]) => new Map(contribution(j).filter((d) => !d.dim.includes('/')).map((d) => [d.dim, d.counts]));

  test('absence notices met: each occurrence, the call and its survey once per notice, and withNotice for the call', () => {
    const j = journey({ notices: [notice('4711', 'meeting'), notice('4711', 'meeting'), notice('4712', 'leave')], answers: { bemotande: 5, enkelhet: 4, answered: true } });
    const dims = hourDims(j);
    expect(dims.get('notice:person|4711|meeting')).toMatchObject({ occurrences: 2, calls: 1, surveyOffered: 1, surveyCompleted: 1, 'bemotande:5': 1 });
    expect(dims.get('notice:person|4712|leave')).toMatchObject({ occurrences: 1, calls: 1, 'enkelhet:4': 1 });
    expect(dims.get('withNotice')).toMatchObject({ surveyOffered: 1, 'resolved:yes': 1 });
    expect(hourDims(journey()).has('withNotice')).toBe(false);
  });

  test("a person's phone that rang out: ringOut with its ring time, and rangOut for the call; not a department's, a busy line's or an unknown ring", () => {
    const j = journey({
      fallbacks: [
        fallback({ ringMs: 25_000 }),
        fallback({ target: 'bygglov', targetKind: 'department', ringMs: 30_000 }),
        fallback({ target: '4713', reason: 'busy', ringMs: 1_000 }),
        fallback({ target: '4714' }),
      ],
      answers: { enkelhet: 2 },
    });
    const dims = hourDims(j);
    expect(dims.get('ringOut:person|4711')).toMatchObject({ occurrences: 1, 'ringMs:sum': 25_000 });
    expect([...dims.keys()].filter((d) => d.startsWith('ringOut:'))).toEqual(['ringOut:person|4711']);
    expect(dims.get('rangOut')).toMatchObject({ 'enkelhet:2': 1 });
    expect(hourDims(journey({ fallbacks: [fallback({ reason: 'busy', ringMs: 1_000 })] })).has('rangOut')).toBe(false);
  });

  test('a declined survey is counted as declined; a human who answered counts in the call\'s category', () => {
    const declined = journey({ answeredBy: 'operator', category: 'bygglov' });
    declined.survey = { ...declined.survey, offered: true, declined: 'opted-out' };
    const dims = hourDims(declined);
    expect(dims.get('call')).toMatchObject({ surveyOffered: 1, surveyDeclined: 1 });
    expect(dims.get('category:bygglov')).toMatchObject({ human: 1 });
    expect(hourDims(journey({ category: 'bygglov' })).get('category:bygglov')!.human).toBeUndefined();
  });

  test('each transfer counts as attempted, then as answered or by its result', () => {
    const j = journey({ transfers: [transfer('person', '4711', 'person', true), transfer('person', '4712', 'person', false, 'busy'), { ...transfer('person', '4713', 'person', false), result: null }] });
    expect(hourDims(j).get('node:person')).toMatchObject({ 'transfer:attempted': 3, 'transfer:answered': 1, 'transfer:busy': 1, 'transfer:pending': 1 });
  });
});
