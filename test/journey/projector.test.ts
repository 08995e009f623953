import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { indexFromCounts, indexPoints } from '../../src/journey/scoring';

const SID = 'CA0000000000000000000000000000000a';
const T0 = Date.parse('2026-03-02T08:00:00Z');
let n = 0;
const ev = (sec: number, step: number, data: CallEventData): CallEvent => ({ ...data, id: `e${++n}`, callSid: SID, at: T0 + sec * 1000, step, seq: n } as CallEvent);
const started = ev(0, 0, { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: 'k1:c', to: '+46101300000', language: 'sv-SE' });

/** Person search, no answer after 20 s, fallback menu, the operator answers. */
function fallbackCall(): CallEvent[] {
  return [
    started,
    ev(0, 0, { type: 'node.entered', nodeId: 'welcome', nodeType: 'message' }),
    ev(0, 0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }),
    ev(12, 1, { type: 'input.digits', nodeId: 'main', digits: '5', purpose: 'menu' }),
    ev(12, 1, { type: 'node.entered', nodeId: 'person', nodeType: 'directory' }),
    ev(18, 2, { type: 'input.digits', nodeId: 'person', digits: '4711', purpose: 'directory' }),
    ev(18, 2, { type: 'transfer.attempted', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person' }),
    ev(18, 2, { type: 'leg.progress', transferId: '2', legSid: 'CAl1', status: 'ringing', sequence: 1 }),
    ev(38, 3, { type: 'transfer.result', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', status: 'no-answer', durationSec: 0, callerHungUp: false }),
    ev(38, 3, { type: 'fallback.taken', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'person_unavailable' }),
    ev(38, 3, { type: 'node.entered', nodeId: 'person_unavailable', nodeType: 'menu' }),
    ev(47, 4, { type: 'input.invalid', nodeId: 'person_unavailable', digits: '9' }),
    ev(55, 5, { type: 'input.digits', nodeId: 'person_unavailable', digits: '0', purpose: 'menu' }),
    ev(55, 5, { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' }),
    ev(55, 5, { type: 'transfer.attempted', nodeId: 'operator', transferId: '5', target: 'operator', targetKind: 'operator' }),
    // The answered callback carries Twilio's Timestamp; it may be the last to arrive.
    ev(61, 5, { type: 'leg.progress', transferId: '5', legSid: 'CAl2', status: 'in-progress', sequence: 2 }),
    ev(181, 6, { type: 'transfer.result', nodeId: 'operator', transferId: '5', target: 'operator', targetKind: 'operator', status: 'completed', durationSec: 120, callerHungUp: false }),
    ev(181, 6, { type: 'survey.offered', questions: ['bemotande', 'enkelhet', 'answered'] }),
    ev(190, 7, { type: 'survey.answer', question: 'bemotande', value: 4 }),
    ev(199, 8, { type: 'survey.answer', question: 'enkelhet', value: 2 }),
    ev(207, 9, { type: 'survey.answer', question: 'answered', value: 1 }),
    ev(207, 9, { type: 'survey.completed' }),
    ev(209, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 209 }),
  ];
}

describe('journey projector', () => {
  test('measures the path, key presses, time to human and the cost of the fallback, ring time included', () => {
    const j = projectJourney(SID, fallbackCall());
    expect(j.path).toEqual(['welcome', 'main', 'person', 'person_unavailable', 'operator']);
    expect(j.keyPresses).toBe(1 + 4 + 1 + 1);
    expect(j.keyPressesBeforeHuman).toBe(7);
    expect(j.invalidInputs).toBe(1);
    expect(j.timeToHumanMs).toBe(61_000);
    expect(j.timeToOperatorMs).toBe(61_000);
    expect(j.answeredBy).toBe('operator');
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.fallbacks).toEqual([
      {
        nodeId: 'person',
        target: '4711',
        targetKind: 'person',
        reason: 'no-answer',
        route: 'person_unavailable',
        at: '2026-03-02T08:00:38.000Z',
        // 20 s of ringing nobody answered, then 23 s until the operator did.
        ringMs: 20_000,
        lostMs: 43_000,
        lostKeyPresses: 2,
        outcome: 'answered_by_operator',
      },
    ]);
    expect(j.transfers.map((t) => [t.target, t.result, t.ringMs, t.talkSec])).toEqual([
      ['4711', 'no-answer', 20_000, null],
      ['operator', 'completed', 6_000, 120],
    ]);
    expect(j.steps.map((s) => s.ms)).toEqual([0, 12_000, 26_000, 17_000, 6_000]);
    expect(j.survey).toMatchObject({ offered: true, bemotande: 4, enkelhet: 2, answered: true, completed: true, points: { bemotande: 75, enkelhet: 25 } });
    expect(j.durationMs).toBe(209_000);
    expect(j.ended).toBe(true);
  });

  test('gives the same journey whatever order the events arrive in', () => {
    const events = fallbackCall();
    const shuffled = [...events].reverse();
    expect(projectJourney(SID, shuffled)).toEqual(projectJourney(SID, events));
  });

  test('without an answered callback the answer time comes from the dial result less the talk time', () => {
    const events = fallbackCall().filter((e) => !(e.type === 'leg.progress' && e.status === 'in-progress'));
    const j = projectJourney(SID, events);
    expect(j.timeToHumanMs).toBe(61_000);
  });

  test('a caller who hangs up after the fallback is "abandoned after fallback", with the time lost until then', () => {
    const events = fallbackCall().filter((e) => e.at <= T0 + 47_000);
    events.push(ev(50, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 50 }));
    const j = projectJourney(SID, events);
    expect(j.outcome).toBe('abandoned_after_fallback');
    expect(j.timeToHumanMs).toBeNull();
    expect(j.fallbacks[0]).toMatchObject({ lostMs: 32_000, lostKeyPresses: 1, outcome: 'abandoned' });
  });

  test('a call that ends in the first menu is "abandoned in menu"; one still going is "in progress"', () => {
    const base = fallbackCall().slice(0, 3);
    expect(projectJourney(SID, base).outcome).toBe('in_progress');
    const ended = [...base, ev(9, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 9 })];
    const j = projectJourney(SID, ended);
    expect(j.outcome).toBe('abandoned_in_menu');
    expect(j.keyPresses).toBe(0);
    expect(j.survey.offered).toBe(false);
  });

  test('hanging up while a department rings is "abandoned while ringing"', () => {
    const events = [
      ...fallbackCall().slice(0, 3),
      ev(10, 1, { type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' }),
      ev(10, 1, { type: 'transfer.attempted', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department' }),
      ev(22, 2, { type: 'transfer.result', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department', status: 'canceled', durationSec: 0, callerHungUp: true }),
      ev(22, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 22 }),
    ];
    expect(projectJourney(SID, events).outcome).toBe('abandoned_while_ringing');
  });

  test('a skipped survey answer is listed; the category follows the caller’s choice', () => {
    const events = [
      ...fallbackCall().slice(0, 3),
      ev(10, 1, { type: 'input.digits', nodeId: 'main', digits: '3', purpose: 'menu' }),
      ev(10, 1, { type: 'node.entered', nodeId: 'bygglov', nodeType: 'transfer', category: 'bygglov' }),
      ev(10, 1, { type: 'transfer.attempted', nodeId: 'bygglov', transferId: '1', target: 'bygglov', targetKind: 'department', category: 'bygglov' }),
      ev(14, 1, { type: 'leg.progress', transferId: '1', legSid: 'CAl', status: 'in-progress', sequence: 2 }),
      ev(74, 2, { type: 'transfer.result', nodeId: 'bygglov', transferId: '1', target: 'bygglov', targetKind: 'department', status: 'completed', durationSec: 60, callerHungUp: false }),
      ev(74, 2, { type: 'survey.offered', questions: ['bemotande', 'enkelhet'] }),
      ev(82, 3, { type: 'survey.skipped', question: 'bemotande', reason: 'no-input' }),
      ev(90, 4, { type: 'survey.answer', question: 'enkelhet', value: 5 }),
      ev(90, 4, { type: 'survey.completed' }),
    ];
    const j = projectJourney(SID, events);
    expect(j.category).toBe('bygglov');
    expect(j.outcome).toBe('answered_by_department');
    expect(j.timeToHumanMs).toBe(14_000);
    expect(j.timeToOperatorMs).toBeNull();
    expect(j.survey).toMatchObject({ bemotande: null, enkelhet: 5, skipped: ['bemotande'], points: { bemotande: null, enkelhet: 100 } });
  });
});

describe('SKR index', () => {
  test('points: 5→100, 4→75, 3→50, 2→25, 1→0; anything else is refused', () => {
    expect([1, 2, 3, 4, 5].map(indexPoints)).toEqual([0, 25, 50, 75, 100]);
    expect(() => indexPoints(0)).toThrow(RangeError);
    expect(() => indexPoints(6)).toThrow(RangeError);
  });

  test('the index is the mean of the points', () => {
    // 3×5, 1×4, 1×1 → (300 + 75 + 0) / 5 = 75
    expect(indexFromCounts({ 5: 3, 4: 1, 1: 1 })).toEqual({ index: 75, answers: 5 });
    expect(indexFromCounts({})).toEqual({ index: null, answers: 0 });
  });
});

describe('key presses around a transfer', () => {
  test('the key that starts the answered transfer counts, even when the answer shares its second', () => {
    const events = fallbackCall().map((e) => e);
    // The operator answers within the same (truncated) second as the key press that dialled.
    const idx = events.findIndex((e) => e.type === 'leg.progress' && e.status === 'in-progress');
    events[idx] = { ...events[idx], at: T0 + 55_000 };
    const j = projectJourney(SID, events);
    expect(j.fallbacks[0].lostKeyPresses).toBe(2);
    expect(j.keyPressesBeforeHuman).toBe(7);
    expect(j.fallbacks[0].lostMs).toBe(37_000);
  });
});
