import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import {
  DEFAULT_RULES,
  applyEvents,
  dayIn,
  emptyLiveState,
  expire,
  snapshotOf,
  stateFromJourneys,
  type LiveChange,
  type LiveRules,
  type LiveState,
} from '../../src/live/live-state';

const rules: LiveRules = {
  ...DEFAULT_RULES,
  dayOf: dayIn('Europe/Stockholm'),
  labelOf: (_f, _v, target) => ({ operator: 'Växeln', skola: 'Förskola och skola' })[target] ?? null,
  nodeLabelOf: (flowId, flowVersion, nodeId) =>
    flowId === 'vaxel' && flowVersion === 'v1' ? ({ main: 'Huvudmeny', person: 'Sök person', person_unavailable: 'Personen svarar inte' })[nodeId] ?? null : null,
};

const T0 = Date.parse('2026-03-02T08:00:00Z');
const SID = 'CA0123456789abcdef0123456789abcdef';
const CALLER = 'k1:39a3cf29647ce58c4183bd0fc851a17e';

/** Builds one webhook's events for a call: consecutive seq, one step. */
function hook(callSid: string, at: number, step: number, ...data: CallEventData[]): CallEvent[] {
  return data.map((d, seq) => ({ ...d, id: `${callSid}:${step}:${seq}:${d.type}`, callSid, at, step, seq }) as CallEvent);
}

const started = (callSid: string, at: number) =>
  hook(
    callSid,
    at,
    0,
    { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: CALLER, to: '+46101300000', language: 'sv-SE' },
    { type: 'node.entered', nodeId: 'welcome', nodeType: 'message' },
    { type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
  );

/** Applies batches to the state (in place, as the hub does); returns it with each batch's changes. */
function run(state: LiveState, ...batches: CallEvent[][]): { state: LiveState; changes: LiveChange[][] } {
  const changes = batches.map((b) => applyEvents(state, b, rules));
  return { state, changes };
}

const phaseOf = (s: LiveState, sid = SID) => {
  const c = s.calls.get(sid)!;
  return c.party ? `${c.phase}:${c.party}` : c.phase;
};

/** A call to a person who does not answer, a fallback menu, the operator, the survey. */
function fallbackThenOperator(sid: string, t: number): CallEvent[][] {
  return [
    started(sid, t),
    hook(sid, t + 10_000, 1, { type: 'input.digits', nodeId: 'main', digits: '5', purpose: 'menu' }, { type: 'node.entered', nodeId: 'person', nodeType: 'directory' }),
    hook(
      sid,
      t + 15_000,
      2,
      { type: 'input.digits', nodeId: 'person', digits: '4711', purpose: 'directory' },
      { type: 'transfer.attempted', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person' },
    ),
    hook(sid, t + 16_000, 2, { type: 'leg.progress', transferId: '2', legSid: 'CAleg1', status: 'ringing', sequence: 1 }),
    hook(
      sid,
      t + 35_000,
      3,
      { type: 'transfer.result', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', status: 'no-answer', durationSec: 0, callerHungUp: false },
      { type: 'fallback.taken', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'person_unavailable' },
      { type: 'node.entered', nodeId: 'person_unavailable', nodeType: 'menu' },
    ),
    hook(
      sid,
      t + 44_000,
      4,
      { type: 'input.digits', nodeId: 'person_unavailable', digits: '0', purpose: 'menu' },
      { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' },
      { type: 'transfer.attempted', nodeId: 'operator', transferId: '4', target: 'operator', targetKind: 'operator' },
    ),
    hook(
      sid,
      t + 50_000,
      4,
      { type: 'leg.progress', transferId: '4', legSid: 'CAleg2', status: 'in-progress', sequence: 2 },
      { type: 'human.answered', transferId: '4', nodeId: 'operator', target: 'operator', targetKind: 'operator' },
    ),
    hook(
      sid,
      t + 140_000,
      5,
      { type: 'transfer.result', nodeId: 'operator', transferId: '4', target: 'operator', targetKind: 'operator', status: 'completed', durationSec: 90, callerHungUp: false },
      { type: 'survey.offered', questions: ['bemotande', 'enkelhet'] },
    ),
    hook(sid, t + 150_000, 6, { type: 'survey.answer', question: 'bemotande', value: 5 }),
    hook(sid, t + 156_000, 7, { type: 'survey.answer', question: 'enkelhet', value: 4 }, { type: 'survey.completed' }),
    hook(sid, t + 157_000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 157 }),
  ];
}

describe('live call state', () => {
  test('follows a call through menu, ringing, fallback, operator, survey and end', () => {
    const s = emptyLiveState('2026-03-02');
    const phases: string[] = [];
    for (const batch of fallbackThenOperator(SID, T0)) {
      applyEvents(s, batch, rules);
      phases.push(phaseOf(s));
    }
    expect(phases).toEqual([
      'menu',
      'menu',
      'ringing:person',
      'ringing:person',
      'menu',
      'ringing:operator',
      'talking:operator',
      'survey',
      'survey',
      'survey',
      'ended',
    ]);
    const call = s.calls.get(SID)!;
    expect(call).toMatchObject({ shortId: 'ABCDEF', keyPresses: 6, fallbacks: 1, answered: true, ending: 'answered', endedAt: T0 + 157_000 });
    expect(s.counters).toEqual({ calls: 1, answered: 1, abandoned: 0, fallbacks: 1, surveys: 1 });
    expect(s.fallbacks).toHaveLength(1);
    // Lost from when the person's phone began to ring (15 s), through the fallback (35 s), until the operator answered (50 s).
    expect(s.fallbacks[0]).toMatchObject({ nodeId: 'person', target: '4711', route: 'person_unavailable', routeLabel: 'Personen svarar inte', fate: 'answered', ringStartedAt: T0 + 15_000, lostMs: 35_000 });
  });

  test('shows the party being rung with its label from the flow', () => {
    const batches = fallbackThenOperator(SID, T0);
    const { state } = run(emptyLiveState('2026-03-02'), ...batches.slice(0, 6));
    expect(state.calls.get(SID)).toMatchObject({ phase: 'ringing', party: 'operator', partyLabel: 'Växeln', phaseSince: T0 + 44_000 });
  });

  test('a webhook delivered twice counts once', () => {
    const batches = fallbackThenOperator(SID, T0);
    const twice = batches.flatMap((b) => [b, b]);
    const { state } = run(emptyLiveState('2026-03-02'), ...twice);
    expect(state.counters).toEqual({ calls: 1, answered: 1, abandoned: 0, fallbacks: 1, surveys: 1 });
    expect(state.fallbacks).toHaveLength(1);
    expect(state.calls.get(SID)!.keyPresses).toBe(6);
  });

  test('late and out-of-order leg callbacks do not move the call backwards', () => {
    const [a, b, c] = fallbackThenOperator(SID, T0);
    const { state } = run(emptyLiveState('2026-03-02'), a, b, c);
    applyEvents(state, hook(SID, T0 + 20_000, 2, { type: 'leg.progress', transferId: '2', legSid: 'L', status: 'in-progress', sequence: 2 }), rules);
    expect(phaseOf(state)).toBe('talking:person');
    applyEvents(state, hook(SID, T0 + 16_000, 2, { type: 'leg.progress', transferId: '2', legSid: 'L', status: 'ringing', sequence: 1 }), rules);
    expect(phaseOf(state)).toBe('talking:person');
    // A callback of an earlier transfer does not touch the current one.
    applyEvents(state, hook(SID, T0 + 21_000, 2, { type: 'leg.progress', transferId: '1', legSid: 'X', status: 'in-progress', sequence: 2 }), rules);
    expect(state.calls.get(SID)!.phaseSince).toBe(T0 + 20_000);
  });

  test('a caller who hangs up while ringing is abandoned, and so is the pending fallback', () => {
    const batches = fallbackThenOperator(SID, T0).slice(0, 6);
    const hangUp = hook(SID, T0 + 60_000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 60 });
    const { state, changes } = run(emptyLiveState('2026-03-02'), ...batches, hangUp);
    expect(state.counters).toEqual({ calls: 1, answered: 0, abandoned: 1, fallbacks: 1, surveys: 0 });
    expect(state.calls.get(SID)).toMatchObject({ phase: 'ended', ending: 'abandoned' });
    expect(state.fallbacks[0]).toMatchObject({ fate: 'abandoned', lostMs: 45_000 });
    const last = changes[changes.length - 1];
    expect(last.map((c) => c.type).sort()).toEqual(['call', 'counters', 'fallback']);
  });

  test('a call the IVR ends itself (closed, message only) is not counted as abandoned', () => {
    const { state } = run(
      emptyLiveState('2026-03-02'),
      started(SID, T0),
      hook(SID, T0 + 5000, 1, { type: 'ivr.hangup', nodeId: 'operator_closed' }),
      hook(SID, T0 + 6000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 6 }),
    );
    expect(state.calls.get(SID)).toMatchObject({ ending: 'ivr', endedAt: T0 + 5000 });
    expect(state.counters.abandoned).toBe(0);
  });

  test('late events after the end do not revive the call', () => {
    const batches = fallbackThenOperator(SID, T0);
    const ended = hook(SID, T0 + 30_000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 30 });
    const { state } = run(emptyLiveState('2026-03-02'), ...batches.slice(0, 4), ended, batches[4]);
    expect(state.calls.get(SID)).toMatchObject({ phase: 'ended', ending: 'abandoned' });
  });

  test("today's counters start again at local midnight (Europe/Stockholm)", () => {
    const beforeMidnight = Date.parse('2026-03-02T22:59:00Z'); // 23:59 in Stockholm
    const afterMidnight = Date.parse('2026-03-02T23:01:00Z'); // 00:01 on 3 March
    const { state } = run(emptyLiveState('2026-03-02'), started('CA' + 'a'.repeat(32), beforeMidnight));
    expect(state.counters.calls).toBe(1);
    const changes = applyEvents(state, started('CA' + 'b'.repeat(32), afterMidnight), rules);
    expect(state.day).toBe('2026-03-03');
    expect(state.counters.calls).toBe(1);
    expect(changes).toContainEqual({ type: 'counters', day: '2026-03-03', counters: { calls: 1, answered: 0, abandoned: 0, fallbacks: 0, surveys: 0 } });
    // Yesterday's fallbacks leave the list with the day.
    const late = fallbackThenOperator('CA' + 'c'.repeat(32), beforeMidnight - 60_000).slice(0, 5);
    const withFallback = run(emptyLiveState('2026-03-02'), ...late).state;
    expect(withFallback.fallbacks).toHaveLength(1);
    applyEvents(withFallback, started('CA' + 'e'.repeat(32), afterMidnight), rules);
    expect(withFallback.fallbacks).toEqual([]);
    // The day of an instant is remembered per minute; asking about other minutes, back and forth, stays right.
    for (const [ms, day] of [[beforeMidnight, '2026-03-02'], [afterMidnight - 60_001, '2026-03-02'], [afterMidnight - 60_000, '2026-03-03'], [beforeMidnight + 59_999, '2026-03-02']] as const) {
      expect(rules.dayOf(ms)).toBe(day);
    }
    // The clock alone also rolls the day over.
    const quiet = emptyLiveState('2026-03-02');
    expect(expire(quiet, afterMidnight, rules)).toEqual([{ type: 'counters', day: '2026-03-03', counters: { calls: 0, answered: 0, abandoned: 0, fallbacks: 0, surveys: 0 } }]);
    expect(quiet.day).toBe('2026-03-03');
  });

  test('ended calls linger for a while, silent calls are dropped, then removals are sent', () => {
    const a = 'CA' + 'a'.repeat(32);
    const b = 'CA' + 'b'.repeat(32);
    const { state } = run(emptyLiveState('2026-03-02'), started(a, T0), started(b, T0), hook(a, T0 + 1000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 1 }));
    expect(expire(state, T0 + 1000 + rules.endedLingerMs - 1, rules)).toEqual([]);
    expect(expire(state, T0 + 1000 + rules.endedLingerMs, rules)).toEqual([{ type: 'call.removed', callSid: a }]);
    expect(expire(state, T0 + rules.staleMs - 1, rules)).toEqual([]);
    expect(expire(state, T0 + rules.staleMs, rules)).toEqual([{ type: 'call.removed', callSid: b }]);
    expect(state.calls.size).toBe(0);
  });

  test('never sends the caller pseudonym or a phone number', () => {
    const { state, changes } = run(emptyLiveState('2026-03-02'), ...fallbackThenOperator(SID, T0));
    const wire = JSON.stringify([changes, snapshotOf(state)]);
    expect(wire).not.toContain(CALLER);
    expect(wire).not.toMatch(/\+46\d+/);
    expect(wire).toContain('ABCDEF');
  });

  test('a webhook changes the state in place and sends only the calls it touched', () => {
    const others = Array.from({ length: 50 }, (_, i) => `CA${String(i).padStart(32, '0')}`);
    const { state } = run(emptyLiveState('2026-03-02'), ...others.map((sid) => started(sid, T0)));
    const batches = fallbackThenOperator(SID, T0);
    run(state, ...batches.slice(0, 4));
    const snapshot = snapshotOf(state);
    const before = JSON.stringify(snapshot);
    const changes = applyEvents(state, batches[4], rules);
    expect(changes.map((c) => (c.type === 'call' ? c.call.callSid : c.type))).toEqual([SID, 'fallback', 'counters']);
    expect(state.calls.get(SID)!.fallbacks).toBe(1);
    // What was handed out (a snapshot, earlier changes) is a copy: later webhooks do not alter it.
    const sent = JSON.stringify(changes);
    applyEvents(state, batches[5], rules);
    applyEvents(state, batches[6], rules);
    expect(JSON.stringify(snapshot)).toBe(before);
    expect(JSON.stringify(changes)).toBe(sent);
  });

  test('a call leaves the screen by its latest deadline, whichever way it moved', () => {
    const { state } = run(emptyLiveState('2026-03-02'), started(SID, T0));
    // Silent calls are dropped staleMs after their last event, so a later event moves the deadline on.
    applyEvents(state, hook(SID, T0 + 60_000, 1, { type: 'input.digits', nodeId: 'main', digits: '9', purpose: 'menu' }), rules);
    expect(expire(state, T0 + rules.staleMs, rules)).toEqual([]);
    // Ending moves it closer: the call lingers endedLingerMs only.
    applyEvents(state, hook(SID, T0 + 90_000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 90 }), rules);
    expect(expire(state, T0 + 90_000 + rules.endedLingerMs - 1, rules)).toEqual([]);
    expect(expire(state, T0 + 90_000 + rules.endedLingerMs, rules)).toEqual([{ type: 'call.removed', callSid: SID }]);
    // The hub expires after every webhook, so a late callback for a call long gone shows and leaves at once.
    const late = applyEvents(state, hook(SID, T0 + 91_000, 1_000_001, { type: 'call.ended', status: 'completed', durationSec: 91 }), rules);
    expect(late).toEqual([{ type: 'call', call: expect.objectContaining({ callSid: SID, phase: 'ended' }) }]);
    expect(expire(state, T0 + 3_600_000, rules)).toEqual([{ type: 'call.removed', callSid: SID }]);
    expect(expire(state, T0 + 2 * rules.staleMs, rules)).toEqual([]);
  });

  test('the deadline index stays about the size of the screen however many webhooks a call has', () => {
    const { state } = run(emptyLiveState('2026-03-02'), started(SID, T0), started('CA' + 'b'.repeat(32), T0));
    for (let step = 1; step <= 5000; step++) applyEvents(state, hook(SID, T0 + step * 1000, step, { type: 'input.invalid', nodeId: 'main', digits: '9' }), rules);
    expect(state.calls.get(SID)!.keyPresses).toBe(5000);
    expect(state.deadlines.size).toBeLessThanOrEqual(2 * state.calls.size + 1024);
    // Rebuilding the index lost nobody's deadline.
    expect(expire(state, T0 + rules.staleMs, rules)).toEqual([{ type: 'call.removed', callSid: 'CA' + 'b'.repeat(32) }]);
    expect(expire(state, T0 + 5_000_000 + rules.staleMs, rules)).toEqual([{ type: 'call.removed', callSid: SID }]);
  });

  test('an event that fails to apply is skipped: the others apply, their changes are sent, and the calls still expire', () => {
    const failing: LiveRules = { ...rules, labelOf: () => { throw new Error('no such flow'); } };
    const state = emptyLiveState('2026-03-02');
    const other = 'CA' + 'e'.repeat(32);
    const batch = [
      ...started(SID, T0),
      ...hook(SID, T0, 1, { type: 'transfer.attempted', nodeId: 'main', transferId: '1', target: 'skola', targetKind: 'department' }),
      ...hook(SID, T0, 2, { type: 'input.invalid', nodeId: 'main', digits: '9' }),
      ...started(other, T0).map((e) => ({ ...e, step: 3 })),
    ];
    const skipped: string[] = [];
    const changes = applyEvents(state, batch, failing, (e, err) => skipped.push(`${e.type}: ${(err as Error).message}`));
    expect(skipped).toEqual(['transfer.attempted: no such flow']);
    expect(state.calls.get(SID)).toMatchObject({ flowId: 'vaxel', keyPresses: 1 });
    expect(changes.filter((c) => c.type === 'call').map((c) => (c as { call: { callSid: string } }).call.callSid).sort()).toEqual([SID, other].sort());
    expect(changes).toContainEqual(expect.objectContaining({ type: 'counters', counters: expect.objectContaining({ calls: 2 }) }));
    expect(expire(state, T0 + rules.staleMs, rules).map((c) => (c as { callSid: string }).callSid).sort()).toEqual([SID, other].sort());
  });

  test('without a listener for skipped events, the first failure is thrown once the others are applied', () => {
    const failing: LiveRules = { ...rules, labelOf: () => { throw new Error('no such flow'); } };
    const state = emptyLiveState('2026-03-02');
    const batch = [
      ...started(SID, T0),
      ...hook(SID, T0, 1, { type: 'transfer.attempted', nodeId: 'main', transferId: '1', target: 'skola', targetKind: 'department' }),
      ...hook(SID, T0, 2, { type: 'input.invalid', nodeId: 'main', digits: '9' }),
    ];
    expect(() => applyEvents(state, batch, failing)).toThrow('no such flow');
    expect(state.calls.get(SID)).toMatchObject({ flowId: 'vaxel', keyPresses: 1 });
  });

  test('rebuilds counters and calls in progress from stored journeys', () => {
    const done = fallbackThenOperator(SID, T0).flat();
    const open = 'CA' + 'c'.repeat(32);
    const ringing = fallbackThenOperator(open, T0 + 600_000).slice(0, 4).flat();
    const yesterday = started('CA' + 'd'.repeat(32), T0 - 86_400_000);
    const journeys = [projectJourney(SID, done), projectJourney(open, ringing), projectJourney('CA' + 'd'.repeat(32), yesterday)];
    const now = T0 + 620_000;
    const state = stateFromJourneys(journeys, now, rules);
    expect(state.day).toBe('2026-03-02');
    expect(state.counters).toEqual({ calls: 2, answered: 1, abandoned: 0, fallbacks: 1, surveys: 1 });
    expect([...state.calls.keys()]).toEqual([open]);
    expect(state.fallbacks).toEqual([
      expect.objectContaining({ key: `${SID}:2`, callSid: SID, nodeId: 'person', route: 'person_unavailable', routeLabel: 'Personen svarar inte', fate: 'answered', ringStartedAt: T0 + 15_000, lostMs: 35_000 }),
    ]);
    expect(state.calls.get(open)).toMatchObject({ phase: 'ringing', party: 'person', partyLabel: '4711', phaseSince: T0 + 615_000 });
    // Events that follow the restart carry on from there without counting the call again.
    applyEvents(state, fallbackThenOperator(open, T0 + 600_000)[4], rules);
    expect(state.counters).toMatchObject({ calls: 2, fallbacks: 2 });
    expect(state.calls.get(open)!.phase).toBe('menu');
    // The rebuilt calls leave the screen on time like any other.
    expect(expire(state, T0 + 635_000 + rules.staleMs - 1, rules)).toEqual([]);
    expect(expire(state, T0 + 635_000 + rules.staleMs, rules)).toEqual([{ type: 'call.removed', callSid: open }]);
  });
});

test('a call in a menu shows the menu by its label from the flow version it runs; the rebuild from journeys too', () => {
  const state = emptyLiveState('2026-03-02');
  const [first, second] = fallbackThenOperator(SID, T0);
  const changes = applyEvents(state, first, rules);
  expect(changes.find((c) => c.type === 'call')).toMatchObject({ call: { nodeId: 'main', nodeLabel: 'Huvudmeny', phase: 'menu' } });
  applyEvents(state, second, rules);
  expect(state.calls.get(SID)).toMatchObject({ nodeId: 'person', nodeLabel: 'Sök person' });
  const rebuilt = stateFromJourneys([projectJourney(SID, [...first, ...second])], T0 + 20_000, rules);
  expect(rebuilt.calls.get(SID)).toMatchObject({ nodeId: 'person', nodeLabel: 'Sök person' });
});
