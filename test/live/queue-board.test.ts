import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { DEFAULT_RULES, applyEvents, dayIn, emptyLiveState, snapshotOf, stateFromJourneys, type LiveRules } from '../../src/live/live-state';
import { headOfQueueContext } from '../../src/queue/head-context';

/** The queue boards of the live view: who waits, in order, from where; operators on calls; the service level. */
const rules: LiveRules = {
  ...DEFAULT_RULES,
  dayOf: dayIn('Europe/Stockholm'),
  queueOf: (_f, _v, queue) => (queue === 'vaxeln' ? { label: 'Växeln', seconds: 60, share: 0.8 } : null),
  operatorNameOf: (_f, _v, _q, operator) => ({ lena: 'Lena Ek' })[operator] ?? null,
  personNameOf: (_f, _v, ext) => ({ '4711': 'Anna Lind' })[ext] ?? null,
};

const T0 = Date.parse('2026-03-02T08:00:00Z');
const sid = (n: number) => `CA${n.toString(16).padStart(32, '0')}`;
let step = 0;
function hook(callSid: string, at: number, ...data: CallEventData[]): CallEvent[] {
  const s = ++step;
  return data.map((d, seq) => ({ ...d, id: `${callSid}:${s}:${seq}:${d.type}`, callSid, at, step: s, seq }) as CallEvent);
}
const start = (callSid: string, at: number) => hook(callSid, at, { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: null, to: '+46101300000', language: 'sv-SE' });
const join = (callSid: string, at: number, queueId = '3') =>
  hook(callSid, at, { type: 'node.entered', nodeId: 'operator', nodeType: 'queue' }, { type: 'queue.joined', nodeId: 'operator', queueId, queue: 'vaxeln' });
const personNoAnswer = (callSid: string, at: number) =>
  hook(callSid, at, { type: 'fallback.taken', nodeId: 'person', transferId: '1', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'operator' });
const position = (callSid: string, at: number, p: number) => hook(callSid, at, { type: 'queue.position', queueId: '3', queue: 'vaxeln', position: p, size: 2, waitSec: 0 });
const bridge = (callSid: string, at: number, waitSec: number) => hook(callSid, at, { type: 'queue.answered', queue: 'vaxeln', operator: 'lena', waitSec, agentCallSid: null });
const left = (callSid: string, at: number, result: 'bridged' | 'hangup', waitSec: number) =>
  hook(callSid, at, { type: 'queue.left', nodeId: 'operator', queueId: '3', queue: 'vaxeln', result, waitSec, callerHungUp: true });
const ended = (callSid: string, at: number) => hook(callSid, at, { type: 'call.ended', status: 'completed', durationSec: 0 });

describe('live queue boards', () => {
  test('callers wait in the order they joined, with where they came from; the operator on a call is named', () => {
    const state = emptyLiveState('2026-03-02');
    const a = sid(1);
    const b = sid(2);
    applyEvents(state, [...start(a, T0), ...personNoAnswer(a, T0 + 25_000), ...join(a, T0 + 25_000)], rules);
    const changes = applyEvents(state, [...start(b, T0 + 5_000), ...join(b, T0 + 30_000), ...position(b, T0 + 32_000, 2)], rules);
    const sent = changes.find((c) => c.type === 'queues');
    expect(sent).toBeDefined();
    const [board] = snapshotOf(state, T0 + 40_000).queues;
    expect(board.waiting.map((w) => [w.callSid, w.position])).toEqual([
      [a, null],
      [b, 2],
    ]);
    expect(board.waiting[0].cameFrom).toEqual({ target: '4711', targetKind: 'person', label: 'Anna Lind', reason: 'no-answer' });
    expect(board.waiting[1].cameFrom).toBeNull();
    expect(board.longestWaitingSince).toBe(T0 + 25_000);
    expect(snapshotOf(state).calls.find((c) => c.callSid === a)).toMatchObject({ phase: 'queued', partyLabel: 'Växeln' });

    applyEvents(state, bridge(a, T0 + 70_000, 45), rules);
    const [after] = snapshotOf(state, T0 + 70_000).queues;
    expect(after.waiting.map((w) => w.callSid)).toEqual([b]);
    expect(after.onCalls).toEqual([{ callSid: a, shortId: a.slice(-6).toUpperCase(), queue: 'vaxeln', operator: 'lena', operatorName: 'Lena Ek', since: T0 + 70_000 }]);
    expect(snapshotOf(state).calls.find((c) => c.callSid === a)).toMatchObject({ phase: 'talking', answered: true });
    expect(snapshotOf(state).counters.answered).toBe(1);
  });

  test('today’s service level counts each stay once, whatever is delivered twice; the last half hour forgets older stays', () => {
    const state = emptyLiveState('2026-03-02');
    const calls = [sid(11), sid(12), sid(13), sid(14)];
    for (const [i, c] of calls.entries()) applyEvents(state, [...start(c, T0 + i * 1000), ...join(c, T0 + i * 1000)], rules);
    const quick = bridge(calls[0], T0 + 40_000, 40);
    applyEvents(state, quick, rules);
    applyEvents(state, quick, rules);
    applyEvents(state, left(calls[0], T0 + 200_000, 'bridged', 40), rules);
    applyEvents(state, bridge(calls[1], T0 + 100_000, 99), rules);
    // The bridge request of the third was lost: its answer is counted from the action, once.
    applyEvents(state, left(calls[2], T0 + 300_000, 'bridged', 50), rules);
    applyEvents(state, left(calls[3], T0 + 3_000_000, 'hangup', 2990), rules);
    const [board] = snapshotOf(state, T0 + 3_000_000).queues;
    expect(board.today).toEqual({ offered: 4, answered: 3, answeredWithin: 2, abandoned: 1, serviceLevel: 0.5 });
    // Only the hang-up settled within the last 30 minutes.
    expect(board.lastHalfHour).toEqual({ settled: 1, answeredWithin: 0, serviceLevel: 0 });
  });

  test('an ended call leaves the board; a new day starts the figures again', () => {
    const state = emptyLiveState('2026-03-02');
    const c = sid(21);
    applyEvents(state, [...start(c, T0), ...join(c, T0)], rules);
    applyEvents(state, ended(c, T0 + 10_000), rules);
    expect(snapshotOf(state).queues[0].waiting).toEqual([]);
    const next = sid(22);
    const tomorrow = Date.parse('2026-03-03T07:00:00Z');
    applyEvents(state, [...start(next, tomorrow), ...join(next, tomorrow)], rules);
    expect(snapshotOf(state).queues[0].today.offered).toBe(1);
  });

  test('after a restart the board rebuilt from journeys is the board the events built', () => {
    const live = emptyLiveState('2026-03-02');
    const events = new Map<string, CallEvent[]>();
    const feed = (list: CallEvent[]) => {
      applyEvents(live, list, rules);
      for (const e of list) events.set(e.callSid, [...(events.get(e.callSid) ?? []), e]);
    };
    const [a, b, c] = [sid(31), sid(32), sid(33)];
    feed([...start(a, T0), ...personNoAnswer(a, T0 + 20_000), ...join(a, T0 + 20_000)]);
    feed([...start(b, T0 + 1000), ...join(b, T0 + 1000)]);
    feed([...start(c, T0 + 2000), ...join(c, T0 + 2000)]);
    feed(position(a, T0 + 22_000, 3));
    feed(bridge(b, T0 + 50_000, 49));
    feed([...left(c, T0 + 60_000, 'hangup', 58), ...ended(c, T0 + 60_000)]);
    const now = T0 + 61_000;
    const rebuilt = stateFromJourneys([...events].map(([sidOf, list]) => projectJourney(sidOf, list)), now, rules);
    const strip = (s: typeof live) => snapshotOf(s, now).queues.map((q) => ({ ...q, waiting: q.waiting.map((w) => ({ ...w, language: null })) }));
    expect(strip(rebuilt)).toEqual(strip(live));
  });
});

describe('what the operator hears of the head of the queue', () => {
  const head = { callSid: sid(1), shortId: 'X', queue: 'vaxeln', joinedAt: T0, position: 1, language: 'sv-SE', cameFrom: { target: '4711', targetKind: 'person' as const, label: 'Anna Lind', reason: 'no-answer' as const } };
  test('how many wait, how long the first has, and whom they sought', () => {
    expect(headOfQueueContext(head, 3, T0 + 130_000, 'sv-SE')).toBe('3 väntar i kön. Nästa har väntat 2 minuter och 10 sekunder. Sökte Anna Lind, som inte svarade.');
    expect(headOfQueueContext({ ...head, cameFrom: null }, 1, T0 + 60_000, 'sv-SE')).toBe('En väntar i kön. Nästa har väntat en minut.');
    expect(headOfQueueContext({ ...head, cameFrom: { ...head.cameFrom, reason: 'busy' } }, 2, T0 + 45_000, 'en-GB')).toBe(
      '2 callers are waiting. The next has waited 45 seconds. They sought Anna Lind, who was busy.',
    );
    expect(headOfQueueContext(null, 0, T0, 'sv-SE')).toBeNull();
  });
});
