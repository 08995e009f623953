import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { createRollupContribution } from '../../src/metrics/contribution';
import { bucketOf } from '../../src/metrics/histogram';

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
