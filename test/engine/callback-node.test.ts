import path from 'node:path';
import { handleInput, startCall, type PersonNotice, type StepInputs } from '../../src/flow/engine';
import { loadFlowFile } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import { gatherOf, spokenTexts as said } from './actions';

const flow = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const CALL = 'CA00000000000000000000000000000003';
/** Monday 2 March 2026, 09:00 in Stockholm: four working hours on is 13:00 the same day. */
const AT = Date.parse('2026-03-02T08:00:00Z');

const away: PersonNotice = { reason: 'meeting', until: null, sentence: (name) => `${name} är på möte.` };
const inputs = (callerNumber: string | null): StepInputs => ({
  noticeOf: (n) => (n === '+46101304711' ? away : null),
  callerNumber,
  sealNumber: (n) => `sealed(${n.slice(-4)})`,
  timeZone: 'Europe/Stockholm',
});

/** The caller sought Anna (4711), met her notice, and pressed 4 "to be called back" at the no-answer menu. */
function offered(callerNumber: string | null) {
  const given = inputs(callerNumber);
  const s0 = gatherOf(startCall(flow, { callSid: CALL, caller: null, to: '' }, AT, given).actions).next.state;
  const s1 = gatherOf(handleInput(flow, s0, CALL, '5', AT, given).actions).next.state;
  const s2 = gatherOf(handleInput(flow, s1, CALL, '4711', AT, given).actions).next.state;
  expect(s2.n).toBe('person_unavailable');
  return { step: handleInput(flow, s2, CALL, '4', AT, given), given };
}
const press = (state: CallState, digits: string, given: StepInputs) => handleInput(flow, state, CALL, digits, AT, given);

describe('the callback node', () => {
  test("with the caller's own number: read back by its last digits, 1 confirms, the request is recorded sealed with the promise said", () => {
    const { step, given } = offered('+46701234567');
    expect(step.events).toContainEqual({ type: 'callback.offered', nodeId: 'callback', ownNumber: true });
    expect(said(step.actions)).toEqual(expect.arrayContaining(['Vi ringer dig på numret som slutar på 45 67.']));
    const ask = gatherOf(step.actions);
    expect(ask).toMatchObject({ numDigits: 1, finishOnKey: '' });
    expect(ask.next.state).toMatchObject({ n: 'callback', b: 0, r: 0 });

    const done = press(ask.next.state, '1', given);
    const requested = done.events.find((e) => e.type === 'callback.requested');
    expect(requested).toEqual({
      type: 'callback.requested',
      nodeId: 'callback',
      target: '4711',
      targetKind: 'person',
      source: 'caller',
      deadline: '2026-03-02T12:00:00.000Z',
      expires: '2026-03-07T12:00:00.000Z',
      language: 'sv-SE',
      sealed: 'sealed(4567)',
    });
    expect(said(done.actions)).toEqual(expect.arrayContaining([expect.stringContaining('13')]));
    // No number in any event but sealed.
    expect(JSON.stringify(done.events)).not.toContain('701234567');
    expect(done.events.map((e) => e.type)).toContain('ivr.hangup');
    expect(done.actions.some((a) => a.kind === 'hangup')).toBe(true);
  });

  test('2 asks for another number, keyed and ended with #; it is read back and 1 confirms it, sealed', () => {
    const { step, given } = offered('+46701234567');
    const keying = press(gatherOf(step.actions).next.state, '2', given);
    const ask = gatherOf(keying.actions);
    expect(ask).toMatchObject({ numDigits: 16, finishOnKey: '#' });
    expect(ask.next.state).toMatchObject({ b: 1, r: 0 });
    const readBack = press(ask.next.state, '0311234567', given);
    expect(said(readBack.actions)[0]).toBe('Vi ringer dig på numret som slutar på 45 67.');
    const confirm = gatherOf(readBack.actions);
    expect(confirm.next.state).toMatchObject({ b: 2, z: 'sealed(4567)' });
    const done = press(confirm.next.state, '1', given);
    expect(done.events.find((e) => e.type === 'callback.requested')).toMatchObject({ source: 'keyed', sealed: 'sealed(4567)' });
  });

  test('a withheld number goes straight to keying one; a number that is not a Swedish one is refused without its keys in any event, and asked again', () => {
    const { step, given } = offered(null);
    expect(step.events).toContainEqual({ type: 'callback.offered', nodeId: 'callback', ownNumber: false });
    const ask = gatherOf(step.actions);
    expect(ask.next.state).toMatchObject({ b: 1 });
    const wrong = press(ask.next.state, '12345', given);
    expect(wrong.events).toEqual(expect.arrayContaining([{ type: 'callback.invalid', nodeId: 'callback' }]));
    expect(JSON.stringify(wrong.events)).not.toContain('12345');
    expect(gatherOf(wrong.actions).next.state).toMatchObject({ b: 1, r: 1 });
  });

  test('silence and a wrong key at the confirmation are retried with the number read again; 0 goes to the operator', () => {
    const { step, given } = offered('+46701234567');
    const state = gatherOf(step.actions).next.state;
    const silent = press(state, '', given);
    expect(silent.events).toContainEqual({ type: 'input.timeout', nodeId: 'callback' });
    const again = gatherOf(silent.actions);
    expect(again.next.state).toMatchObject({ b: 0, r: 1 });
    expect(said(silent.actions)).toEqual(expect.arrayContaining(['Vi ringer dig på numret som slutar på 45 67.']));
    const wrong = press(state, '7', given);
    expect(wrong.events).toContainEqual({ type: 'input.invalid', nodeId: 'callback', digits: '7' });
    const operator = press(state, '0', given);
    expect(operator.events).toContainEqual(expect.objectContaining({ type: 'node.entered', nodeId: 'operator' }));
    // At the keying phase 0 is a digit of the number, not the operator.
    const keying = gatherOf(press(state, '2', given).actions).next.state;
    expect(press(keying, '0', given).events).toContainEqual({ type: 'callback.invalid', nodeId: 'callback' });
  });

  test('what the caller hears at each turn: the question, the keying prompt, the reason for a retry, the goodbye', () => {
    const { step, given } = offered('+46701234567');
    const confirmOwn = gatherOf(step.actions).next.state;
    const texts = {
      offered: said(step.actions),
      keying: said(press(confirmOwn, '2', given).actions),
      silentAtConfirm: said(press(confirmOwn, '', given).actions),
      wrongAtConfirm: said(press(confirmOwn, '7', given).actions),
      badNumber: said(press(gatherOf(press(confirmOwn, '2', given).actions).next.state, '12345', given).actions),
      keyedReadBack: said(press(gatherOf(press(confirmOwn, '2', given).actions).next.state, '0311234567', given).actions),
      silentAtKeyedConfirm: said(press(gatherOf(press(gatherOf(press(confirmOwn, '2', given).actions).next.state, '0311234567', given).actions).next.state, '', given).actions),
      done: said(press(confirmOwn, '1', given).actions),
    };
    const confirmOwnNumber = ['Vi ringer dig på numret som slutar på 45 67.', 'Tryck 1 om det stämmer, eller 2 för att slå ett annat nummer.'];
    const keyNumber = 'Slå telefonnumret du vill bli uppringd på, med riktnummer, och avsluta med fyrkant.';
    expect(texts).toEqual({
      offered: confirmOwnNumber,
      keying: [keyNumber],
      silentAtConfirm: ['Jag hörde inget val.', ...confirmOwnNumber],
      wrongAtConfirm: ['Det valet finns inte.', ...confirmOwnNumber],
      badNumber: ['Det numret kan vi inte ringa upp.', keyNumber],
      keyedReadBack: ['Vi ringer dig på numret som slutar på 45 67.', 'Tryck 1 om det stämmer, eller 2 för att slå numret igen.'],
      // The keyed number is not read again on a retry: only the caller's own is (the keyed one was read just before).
      silentAtKeyedConfirm: ['Jag hörde inget val.', 'Tryck 1 om det stämmer, eller 2 för att slå numret igen.'],
      done: ['Vi ringer upp dig senast i dag före klockan 13.', 'Tack. Hej då.'],
    });
  });

  test('without CALLBACK_KEYS the number cannot be kept: the step fails rather than record it in clear', () => {
    const { step } = offered('+46701234567');
    expect(() => press(gatherOf(step.actions).next.state, '1', { ...inputs('+46701234567'), sealNumber: undefined })).toThrow('a callback needs CALLBACK_KEYS to keep the number');
  });
});
