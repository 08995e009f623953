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

function run(state: LiveState, ...batches: CallEvent[][]): { state: LiveState; changes: LiveChange[][] } {
  const changes: LiveChange[][] = [];
  for (const b of batches) {
    const r = applyEvents(state, b, rules);
    state = r.state;
    changes.push(r.changes);
  }
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
    let s = emptyLiveState('2026-03-02');
    const phases: string[] = [];
    for (const batch of fallbackThenOperator(SID, T0)) {
      s = applyEvents(s, batch, rules).state;
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
    // Lost from the fallback (35 s) until the operator answered (50 s).
    expect(s.fallbacks[0]).toMatchObject({ nodeId: 'person', target: '4711', route: 'person_unavailable', fate: 'answered', lostMs: 15_000 });
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
    let { state } = run(emptyLiveState('2026-03-02'), a, b, c);
    state = applyEvents(state, hook(SID, T0 + 20_000, 2, { type: 'leg.progress', transferId: '2', legSid: 'L', status: 'in-progress', sequence: 2 }), rules).state;
    expect(phaseOf(state)).toBe('talking:person');
    state = applyEvents(state, hook(SID, T0 + 16_000, 2, { type: 'leg.progress', transferId: '2', legSid: 'L', status: 'ringing', sequence: 1 }), rules).state;
    expect(phaseOf(state)).toBe('talking:person');
    // A callback of an earlier transfer does not touch the current one.
    state = applyEvents(state, hook(SID, T0 + 21_000, 2, { type: 'leg.progress', transferId: '1', legSid: 'X', status: 'in-progress', sequence: 2 }), rules).state;
    expect(state.calls.get(SID)!.phaseSince).toBe(T0 + 20_000);
  });

  test('a caller who hangs up while ringing is abandoned, and so is the pending fallback', () => {
    const batches = fallbackThenOperator(SID, T0).slice(0, 6);
    const hangUp = hook(SID, T0 + 60_000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 60 });
    const { state, changes } = run(emptyLiveState('2026-03-02'), ...batches, hangUp);
    expect(state.counters).toEqual({ calls: 1, answered: 0, abandoned: 1, fallbacks: 1, surveys: 0 });
    expect(state.calls.get(SID)).toMatchObject({ phase: 'ended', ending: 'abandoned' });
    expect(state.fallbacks[0]).toMatchObject({ fate: 'abandoned', lostMs: 25_000 });
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
    let { state } = run(emptyLiveState('2026-03-02'), started('CA' + 'a'.repeat(32), beforeMidnight));
    expect(state.counters.calls).toBe(1);
    const r = applyEvents(state, started('CA' + 'b'.repeat(32), afterMidnight), rules);
    state = r.state;
    expect(state.day).toBe('2026-03-03');
    expect(state.counters.calls).toBe(1);
    expect(r.changes).toContainEqual({ type: 'counters', day: '2026-03-03', counters: { calls: 1, answered: 0, abandoned: 0, fallbacks: 0, surveys: 0 } });
    // Yesterday's fallbacks leave the list with the day.
    const late = fallbackThenOperator('CA' + 'c'.repeat(32), beforeMidnight - 60_000).slice(0, 5);
    const withFallback = run(emptyLiveState('2026-03-02'), ...late).state;
    expect(withFallback.fallbacks).toHaveLength(1);
    expect(applyEvents(withFallback, started('CA' + 'e'.repeat(32), afterMidnight), rules).state.fallbacks).toEqual([]);
    // The clock alone also rolls the day over.
    const e = expire(emptyLiveState('2026-03-02'), afterMidnight, rules);
    expect(e.state.day).toBe('2026-03-03');
  });

  test('ended calls linger for a while, silent calls are dropped, then removals are sent', () => {
    const a = 'CA' + 'a'.repeat(32);
    const b = 'CA' + 'b'.repeat(32);
    let { state } = run(emptyLiveState('2026-03-02'), started(a, T0), started(b, T0), hook(a, T0 + 1000, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 1 }));
    let r = expire(state, T0 + 1000 + rules.endedLingerMs - 1, rules);
    expect(r.changes).toEqual([]);
    r = expire(r.state, T0 + 1000 + rules.endedLingerMs, rules);
    expect(r.changes).toEqual([{ type: 'call.removed', callSid: a }]);
    state = r.state;
    r = expire(state, T0 + rules.staleMs, rules);
    expect(r.changes).toEqual([{ type: 'call.removed', callSid: b }]);
    expect(r.state.calls.size).toBe(0);
  });

  test('never sends the caller pseudonym or a phone number', () => {
    const { state, changes } = run(emptyLiveState('2026-03-02'), ...fallbackThenOperator(SID, T0));
    const wire = JSON.stringify([changes, snapshotOf(state)]);
    expect(wire).not.toContain(CALLER);
    expect(wire).not.toMatch(/\+46\d+/);
    expect(wire).toContain('ABCDEF');
  });

  test('does not change the state it is given', () => {
    const batches = fallbackThenOperator(SID, T0);
    const { state } = run(emptyLiveState('2026-03-02'), ...batches.slice(0, 3));
    const before = JSON.stringify(snapshotOf(state));
    applyEvents(state, batches[3], rules);
    applyEvents(state, batches[4], rules);
    expire(state, T0 + rules.staleMs, rules);
    expect(JSON.stringify(snapshotOf(state))).toBe(before);
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
      expect.objectContaining({ key: `${SID}:2`, callSid: SID, nodeId: 'person', route: 'person_unavailable', fate: 'answered', lostMs: 15_000 }),
    ]);
    expect(state.calls.get(open)).toMatchObject({ phase: 'ringing', party: 'person', partyLabel: '4711', phaseSince: T0 + 615_000 });
    // Events that follow the restart carry on from there without counting the call again.
    const next = applyEvents(state, fallbackThenOperator(open, T0 + 600_000)[4], rules).state;
    expect(next.counters).toMatchObject({ calls: 2, fallbacks: 2 });
    expect(next.calls.get(open)!.phase).toBe('menu');
  });
});
