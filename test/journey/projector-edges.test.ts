import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';

/**
 * The projector's rules one at a time, each on the smallest call that shows it (issue 24: written
 * against the mutants the first mutation run left alive in src/journey/projector.ts).
 */
const SID = 'CA0000000000000000000000000000000b';
const T0 = Date.parse('2026-03-02T08:00:00Z');
let seq = 0;
const ev = (sec: number, step: number, data: CallEventData): CallEvent =>
  ({ ...data, id: `e${++seq}`, callSid: SID, at: T0 + sec * 1000, step, seq } as CallEvent);
const started = (sec = 0) => ev(sec, 0, { type: 'call.started', flowId: 'f', flowVersion: 'v1', caller: 'k1:c', to: '+46101300000', language: 'sv-SE' });
const entered = (sec: number, step: number, nodeId: string, category?: string): CallEvent =>
  ev(sec, step, { type: 'node.entered', nodeId, nodeType: 'menu', ...(category ? { category } : {}) });
const ended = (sec: number) => ev(sec, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: sec });
const attempted = (sec: number, step: number, transferId: string, target = 'skola', targetKind: 'department' | 'operator' | 'person' = 'department', category?: string) =>
  ev(sec, step, { type: 'transfer.attempted', nodeId: target, transferId, target, targetKind, ...(category ? { category } : {}) });
const result = (sec: number, step: number, transferId: string, status: 'completed' | 'answered' | 'no-answer' | 'busy' | 'canceled', durationSec: number, target = 'skola', targetKind: 'department' | 'operator' | 'person' = 'department') =>
  ev(sec, step, { type: 'transfer.result', nodeId: target, transferId, target, targetKind, status, durationSec, callerHungUp: false });
const progress = (sec: number, step: number, transferId: string, status: string) =>
  ev(sec, step, { type: 'leg.progress', transferId, legSid: `CAleg${transferId}`, status, sequence: 1 });
const fallback = (sec: number, step: number, transferId: string, route = 'again') =>
  ev(sec, step, { type: 'fallback.taken', nodeId: 'skola', transferId, target: 'skola', targetKind: 'department', reason: 'no-answer', route });

describe('journey projector: the category', () => {
  test('a node without a category keeps the category chosen before it', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), entered(3, 1, 'bygglov', 'bygglov'), entered(9, 2, 'after')]);
    expect(j.category).toBe('bygglov');
  });

  test('a transfer without a category keeps the node’s category; one with its own replaces it', () => {
    const keep = projectJourney(SID, [started(), entered(0, 0, 'skola', 'skola'), attempted(0, 0, '0')]);
    expect(keep.category).toBe('skola');
    const own = projectJourney(SID, [started(), entered(0, 0, 'person'), attempted(5, 1, '1', '4711', 'person', 'omsorg')]);
    expect(own.category).toBe('omsorg');
  });
});

describe('journey projector: input on the step it belongs to', () => {
  test('keys for a node the caller has already left are counted but not put on the later step', () => {
    const j = projectJourney(SID, [
      started(),
      entered(0, 0, 'main'),
      entered(2, 1, 'person'),
      ev(4, 2, { type: 'input.digits', nodeId: 'main', digits: '12', purpose: 'menu' }),
      ev(5, 3, { type: 'input.timeout', nodeId: 'main' }),
      ev(6, 4, { type: 'input.invalid', nodeId: 'main', digits: '9' }),
    ]);
    expect(j.steps.map((s) => [s.nodeId, s.keys, s.timeouts, s.invalid])).toEqual([
      ['main', null, 0, []],
      ['person', null, 0, []],
    ]);
    expect(j.keyPresses).toBe(3);
    expect(j.timeouts).toBe(1);
    expect(j.invalidInputs).toBe(1);
  });

  test('timeouts are counted on the step and in total', () => {
    const j = projectJourney(SID, [
      started(),
      entered(0, 0, 'main'),
      ev(6, 1, { type: 'input.timeout', nodeId: 'main' }),
      ev(12, 2, { type: 'input.timeout', nodeId: 'main' }),
      ev(14, 3, { type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' }),
    ]);
    expect(j.timeouts).toBe(2);
    expect(j.steps[0]).toMatchObject({ nodeId: 'main', timeouts: 2, keys: '1' });
  });

  test('the language the caller chose replaces the one the call started in', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'language'), ev(3, 1, { type: 'language.chosen', nodeId: 'language', language: 'en-GB' })]);
    expect(j.language).toBe('en-GB');
  });
});

describe('journey projector: when a human answered', () => {
  test('a dial result "answered" carries talk time like "completed"; a failed one has none', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), result(50, 1, '0', 'answered', 30), attempted(60, 2, '2', 'omsorg'), result(80, 3, '2', 'busy', 7, 'omsorg')]);
    expect(j.transfers.map((t) => t.talkSec)).toEqual([30, null]);
    // No answered callback: the answer is the result less the talk time.
    expect(j.transfers[0].answeredAt).toBe('2026-03-02T08:00:20.000Z');
    expect(j.transfers[1].answeredAt).toBeNull();
  });

  test('a leg reported "answered" counts as answered like "in-progress"; "ringing" does not', () => {
    const ringing = projectJourney(SID, [started(), attempted(0, 0, '0'), progress(5, 0, '0', 'ringing')]);
    expect(ringing.humanAnsweredAt).toBeNull();
    expect(ringing.transfers[0].ringMs).toBeNull();
    const answered = projectJourney(SID, [started(), attempted(0, 0, '0'), progress(5, 0, '0', 'ringing'), progress(9, 0, '0', 'answered')]);
    expect(answered.humanAnsweredAt).toBe('2026-03-02T08:00:09.000Z');
    expect(answered.transfers[0].ringMs).toBe(9_000);
  });

  test('of two answered callbacks for one leg, the earlier is the answer', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), progress(7, 0, '0', 'in-progress'), progress(11, 0, '0', 'answered')]);
    expect(j.timeToHumanMs).toBe(7_000);
  });

  test('an answer stamped before its dial (clock skew) is taken as the dial’s own time, never earlier', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'skola'), attempted(4, 1, '1'), progress(2, 1, '1', 'in-progress')]);
    expect(j.timeToHumanMs).toBe(4_000);
    expect(j.transfers[0].ringMs).toBe(0);
  });

  test('talk time longer than the dial lasted cannot put the answer before the dial', () => {
    const j = projectJourney(SID, [started(), attempted(10, 1, '1'), result(40, 2, '1', 'completed', 45)]);
    expect(j.humanAnsweredAt).toBe('2026-03-02T08:00:10.000Z');
    expect(j.timeToHumanMs).toBe(10_000);
  });

  test('a leg event or a result for a transfer never attempted changes nothing', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), progress(3, 1, '9', 'in-progress'), result(5, 1, '9', 'completed', 2), ended(8)]);
    expect(j.transfers).toEqual([]);
    expect(j.humanAnsweredAt).toBeNull();
    expect(j.outcome).toBe('abandoned_in_menu');
  });

  test('transfers are listed in the order they were attempted, by step number where they share a time', () => {
    const j = projectJourney(SID, [started(), attempted(20, 10, '10', 'omsorg'), attempted(20, 9, '9', 'skola'), attempted(5, 2, '2', 'bygglov')]);
    expect(j.transfers.map((t) => t.transferId)).toEqual(['2', '9', '10']);
  });

  test('the first human is the earliest attempt that was answered, not the earliest answer', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0', 'skola', 'department'),
      attempted(1, 1, '1', 'operator', 'operator'),
      progress(3, 1, '1', 'in-progress'),
      progress(9, 0, '0', 'in-progress'),
      ended(30),
    ]);
    expect(j.answeredBy).toBe('department');
    expect(j.outcome).toBe('answered_by_department');
    expect(j.timeToHumanMs).toBe(9_000);
    expect(j.timeToOperatorMs).toBeNull();
  });

  test('ring time: until the answer, else until the result, else unknown', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      result(20, 1, '0', 'no-answer', 0),
      attempted(25, 2, '2', 'omsorg'),
      progress(31, 2, '2', 'in-progress'),
      attempted(90, 3, '3', 'bygglov'),
    ]);
    expect(j.transfers.map((t) => t.ringMs)).toEqual([20_000, 6_000, null]);
  });

  test('keys before the human are those up to the answered attempt, not those after it', () => {
    const j = projectJourney(SID, [
      started(),
      entered(0, 0, 'main'),
      ev(3, 1, { type: 'input.digits', nodeId: 'main', digits: '5', purpose: 'menu' }),
      ev(8, 2, { type: 'input.digits', nodeId: 'main', digits: '4711', purpose: 'directory' }),
      attempted(8, 2, '2', '4711', 'person'),
      progress(12, 2, '2', 'in-progress'),
      ev(40, 3, { type: 'input.digits', nodeId: 'main', digits: '12', purpose: 'menu' }),
    ]);
    expect(j.keyPresses).toBe(7);
    expect(j.keyPressesBeforeHuman).toBe(5);
  });
});

describe('journey projector: fallbacks', () => {
  test('a fallback is rescued only by an answer after it, on a transfer attempted after the failed one', () => {
    // The department rang twice; the first attempt was answered before the fallback of the second.
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      progress(2, 0, '0', 'in-progress'),
      result(10, 1, '0', 'completed', 8),
      attempted(20, 2, '2'),
      result(40, 3, '2', 'no-answer', 0),
      fallback(40, 3, '2'),
      ended(50),
    ]);
    expect(j.fallbacks).toHaveLength(1);
    // Lost: the 20 s it rang unanswered, then 10 s until the caller hung up.
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'abandoned', ringMs: 20_000, lostMs: 30_000 });
  });

  test('an answer at the very instant of the fallback rescues it, with only the ring time lost', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      result(20, 1, '0', 'no-answer', 0),
      fallback(20, 1, '0'),
      attempted(20, 1, '1', 'operator', 'operator'),
      progress(20, 1, '1', 'in-progress'),
      ended(60),
    ]);
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'answered_by_operator', ringMs: 20_000, lostMs: 20_000 });
  });

  test('the same-time answer of the very transfer that failed does not rescue its own fallback', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      progress(20, 0, '0', 'in-progress'),
      fallback(20, 1, '0'),
      ended(30),
    ]);
    expect(j.fallbacks[0].outcome).toBe('abandoned');
  });

  test('a fallback whose transfer was never recorded is rescued by any later answer', () => {
    const j = projectJourney(SID, [started(), fallback(5, 1, '77'), attempted(6, 2, '2', 'operator', 'operator'), progress(9, 2, '2', 'in-progress'), ended(20)]);
    // Nothing tells when its phone began to ring: the time counts from the fallback.
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'answered_by_operator', ringMs: 0, lostMs: 4_000, lostKeyPresses: 0 });
  });

  test('a fallback whose transfer was never recorded is not rescued by an answer before it', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), progress(3, 0, '0', 'in-progress'), result(30, 1, '0', 'completed', 27), fallback(40, 2, '77'), ended(50)]);
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'abandoned', lostMs: 10_000 });
  });

  test('while the call goes on a fallback is in progress, with no time lost yet', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), result(20, 1, '0', 'no-answer', 0), fallback(20, 1, '0'), entered(20, 1, 'again')]);
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'in_progress', lostMs: null });
  });

  test('a fallback after which the IVR hung up is "ended by IVR", with the ring time and the time until the hang-up', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      result(20, 1, '0', 'no-answer', 0),
      fallback(20, 1, '0', 'bye'),
      entered(20, 1, 'bye'),
      ev(26, 1, { type: 'ivr.hangup', nodeId: 'bye' }),
    ]);
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'ended_by_ivr', ringMs: 20_000, lostMs: 26_000 });
    expect(j.outcome).toBe('self_service');
  });

  test('a key pressed in the same second as the fallback is lost to it', () => {
    const j = projectJourney(SID, [
      started(),
      entered(0, 0, 'main'),
      ev(3, 1, { type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' }),
      attempted(3, 1, '1'),
      fallback(20, 2, '1'),
      entered(20, 2, 'again'),
      ev(20, 3, { type: 'input.digits', nodeId: 'again', digits: '2', purpose: 'menu' }),
      ended(30),
    ]);
    expect(j.fallbacks[0].lostKeyPresses).toBe(1);
  });

  test('the keys lost to a fallback stop at the attempt that rescued it', () => {
    const j = projectJourney(SID, [
      started(),
      attempted(0, 0, '0'),
      fallback(20, 1, '0'),
      entered(20, 1, 'again'),
      ev(24, 2, { type: 'input.digits', nodeId: 'again', digits: '0', purpose: 'menu' }),
      attempted(24, 2, '2', 'operator', 'operator'),
      progress(30, 2, '2', 'in-progress'),
      ev(100, 3, { type: 'input.digits', nodeId: 'again', digits: '5', purpose: 'menu' }),
    ]);
    expect(j.fallbacks[0]).toMatchObject({ lostKeyPresses: 1, lostMs: 30_000 });
  });
});

describe('journey projector: how long each step lasted', () => {
  test('a step ends at the next step, at a human answering within it, or at the end of the call', () => {
    const j = projectJourney(SID, [
      started(),
      entered(0, 0, 'main'),
      entered(5, 1, 'skola'),
      attempted(5, 1, '1'),
      progress(12, 1, '1', 'in-progress'),
      ended(60),
    ]);
    expect(j.steps.map((s) => s.ms)).toEqual([5_000, 7_000]);
  });

  test('a human answering later in a step ends it before the next step begins', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'skola'), attempted(0, 0, '0'), progress(8, 0, '0', 'in-progress'), result(60, 1, '0', 'completed', 52), entered(60, 1, 'svy'), ended(75)]);
    expect(j.steps.map((s) => s.ms)).toEqual([8_000, 15_000]);
  });

  test('a human answering at the instant a step began ends it at once', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), entered(5, 1, 'skola'), attempted(5, 1, '1'), progress(5, 1, '1', 'in-progress'), ended(60)]);
    expect(j.steps.map((s) => s.ms)).toEqual([5_000, 0]);
  });

  test('an end callback stamped before the next step (clock skew) ends the step there', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), ended(8), entered(10, 1, 'person')]);
    expect(j.steps[0].ms).toBe(8_000);
  });

  test('an answer before a step began does not end it', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), progress(2, 0, '0', 'in-progress'), entered(10, 1, 'survey'), ended(25)]);
    expect(j.steps.map((s) => s.ms)).toEqual([15_000]);
  });

  test('the last step of a call still going has no length yet', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), entered(4, 1, 'person')]);
    expect(j.steps.map((s) => s.ms)).toEqual([4_000, null]);
  });

  test('a step ended by the IVR hanging up lasts until the last event', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'info'), ev(12, 1, { type: 'ivr.hangup', nodeId: 'info' })]);
    expect(j.steps[0].ms).toBe(12_000);
    expect(j).toMatchObject({ ended: true, durationMs: 12_000, endedAt: '2026-03-02T08:00:12.000Z', outcome: 'self_service' });
  });
});

describe('journey projector: the end of the call', () => {
  test('of two end callbacks, the later one is the end', () => {
    const j = projectJourney(SID, [started(), entered(0, 0, 'main'), ended(30), ended(20)]);
    expect(j.durationMs).toBe(30_000);
    expect(j.endedAt).toBe('2026-03-02T08:00:30.000Z');
  });

  test('an engine error decides the outcome over the opening hours and the IVR’s hang-up', () => {
    const j = projectJourney(SID, [
      started(),
      ev(0, 0, { type: 'hours.checked', nodeId: 'h', open: false }),
      ev(1, 0, { type: 'engine.error', nodeId: 'h', message: 'boom' }),
      ev(2, 0, { type: 'ivr.hangup', nodeId: 'h' }),
    ]);
    expect(j).toMatchObject({ outcome: 'error_fallback', errors: 1, outsideHours: true });
  });

  test('opening hours found open do not make the call "outside hours"', () => {
    const j = projectJourney(SID, [started(), ev(0, 0, { type: 'hours.checked', nodeId: 'h', open: true }), entered(0, 0, 'main'), ended(9)]);
    expect(j).toMatchObject({ outcome: 'abandoned_in_menu', outsideHours: false });
  });

  test('outside the hours wins over the IVR’s own hang-up', () => {
    const j = projectJourney(SID, [started(), ev(0, 0, { type: 'hours.checked', nodeId: 'h', open: false }), ev(3, 0, { type: 'ivr.hangup', nodeId: 'closed' })]);
    expect(j.outcome).toBe('outside_hours');
  });

  test('a hang-up by the IVR after a fallback is self-service, not abandoned', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), fallback(20, 1, '0'), ev(25, 1, { type: 'ivr.hangup', nodeId: 'bye' })]);
    expect(j.outcome).toBe('self_service');
  });

  test('hanging up after a fallback counts as abandoned after the fallback even while a later dial rang', () => {
    const j = projectJourney(SID, [started(), attempted(0, 0, '0'), fallback(20, 1, '0'), attempted(21, 2, '2', 'operator', 'operator'), ended(40)]);
    expect(j.outcome).toBe('abandoned_after_fallback');
    // A later attempt nobody answered rescues nothing.
    expect(j.fallbacks[0]).toMatchObject({ outcome: 'abandoned', lostMs: 40_000 });
  });

  test('without a call.started event the times that need the start are unknown', () => {
    const j = projectJourney(SID, [entered(0, 0, 'main'), attempted(2, 1, '1'), progress(4, 1, '1', 'in-progress'), ended(10)]);
    expect(j).toMatchObject({ flowId: null, startedAt: null, timeToHumanMs: null, durationMs: null, ended: true, endedAt: '2026-03-02T08:00:10.000Z' });
  });

  test('the journey counts every event it was built from', () => {
    expect(projectJourney(SID, [started(), entered(0, 0, 'main'), ended(3)]).eventCount).toBe(3);
    expect(projectJourney(SID, []).eventCount).toBe(0);
  });
});

describe('journey projector: the survey', () => {
  test('a declined survey records why', () => {
    const j = projectJourney(SID, [started(), ev(5, 1, { type: 'survey.declined', reason: 'sampled-out' })]);
    expect(j.survey).toMatchObject({ offered: false, declined: 'sampled-out', completed: false });
  });

  test('"answered" 2 (no) is recorded as false, and an answer after a skip takes the question off the skipped list', () => {
    const j = projectJourney(SID, [
      started(),
      ev(1, 1, { type: 'survey.offered', questions: ['bemotande', 'answered'] }),
      ev(2, 2, { type: 'survey.skipped', question: 'bemotande', reason: 'invalid' }),
      ev(3, 3, { type: 'survey.skipped', question: 'bemotande', reason: 'invalid' }),
      ev(4, 4, { type: 'survey.skipped', question: 'answered', reason: 'no-input' }),
      ev(5, 5, { type: 'survey.answer', question: 'bemotande', value: 3 }),
      ev(6, 6, { type: 'survey.answer', question: 'answered', value: 2 }),
    ]);
    expect(j.survey).toMatchObject({ offered: true, bemotande: 3, answered: false, skipped: [], points: { bemotande: 50, enkelhet: null } });
  });

  test('a question skipped twice is listed once', () => {
    const j = projectJourney(SID, [
      started(),
      ev(2, 2, { type: 'survey.skipped', question: 'enkelhet', reason: 'invalid' }),
      ev(3, 3, { type: 'survey.skipped', question: 'enkelhet', reason: 'no-input' }),
      ev(4, 4, { type: 'survey.skipped', question: 'bemotande', reason: 'no-input' }),
    ]);
    expect(j.survey.skipped).toEqual(['enkelhet', 'bemotande']);
  });
});
