import path from 'node:path';
import type { Action, KeyGather, Dial, Enqueue, SpeechGather } from '../../src/flow/actions';
import { handleComment, handleDialResult, handleInput, handleLegProgress, safeFallback, startCall } from '../../src/flow/engine';
import { loadFlowFile, parseFlow } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import { sampledIn } from '../../src/flow/nodes/survey';

const flow = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const CALL = 'CA00000000000000000000000000000001';

const gatherOf = (actions: Action[]) => actions.find((a): a is KeyGather => a.kind === 'gather' && a.input !== 'speech')!;
const dialOf = (actions: Action[]) => actions.find((a): a is Dial => a.kind === 'dial')!;
/** The demo's operator is a queue: reaching it is joining växeln's queue. */
const enqueueOf = (actions: Action[]) => actions.find((a): a is Enqueue => a.kind === 'enqueue')!;
const types = (events: { type: string }[]) => events.map((e) => e.type);

function stateAfter(actions: Action[]): CallState {
  const g = actions.find((a) => a.kind === 'gather' || a.kind === 'dial') as KeyGather | Dial;
  return g.next!.state;
}

describe('IVR engine', () => {
  test('a new call says the welcome and asks the main menu inside one Gather', () => {
    const step = startCall(flow, { callSid: CALL, caller: 'k1:x', to: '+46101300000' });
    expect(types(step.events)).toEqual(['call.started', 'node.entered', 'node.entered']);
    const g = gatherOf(step.actions);
    expect(g.numDigits).toBe(1);
    expect(g.timeoutSeconds).toBe(6);
    expect(g.say.map((s) => s.text)[0]).toBe('Välkommen till Exempelstads kommun.');
    expect(g.say[1].text).toMatch(/^För förskola och skola, tryck 1/);
    expect(g.say[0].voice).toBe('Polly.Astrid');
    expect(g.next).toMatchObject({ handler: 'input', state: { f: 'vaxel', v: flow.version, n: 'main', l: 'sv-SE', r: 0, k: 1 } });
  });

  test('a menu key leads to the department transfer, recording the key and the attempt', () => {
    const s0 = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    const step = handleInput(flow, s0, CALL, '1');
    expect(step.events).toEqual([
      { type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' },
      { type: 'node.entered', nodeId: 'skola', nodeType: 'transfer' },
      { type: 'transfer.attempted', nodeId: 'skola', transferId: '1', target: 'skola', targetKind: 'department', category: 'skola' },
    ]);
    const d = dialOf(step.actions);
    expect(d).toMatchObject({ number: '+46101300210', timeoutSeconds: 25, hangupOnStar: true });
    expect(d.next).toMatchObject({ handler: 'dial', state: { n: 'skola', t: 'skola', k: 2 } });
    expect(d.progress).toMatchObject({ n: 'skola', t: 'skola', k: 1 });
  });

  test('the operator key works in every menu even though the menu lists no route for it', () => {
    const s0 = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    const step = handleInput(flow, s0, CALL, '0');
    expect(types(step.events)).toEqual(['input.digits', 'node.entered', 'queue.joined']);
    expect(enqueueOf(step.actions).queue).toBe('vaxeln');
  });

  test('a wrong key is explained and asked again; after the retries the caller reaches the operator', () => {
    let state = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    const first = handleInput(flow, state, CALL, '7');
    expect(first.events).toEqual([{ type: 'input.invalid', nodeId: 'main', digits: '7' }]);
    const g = gatherOf(first.actions);
    expect(g.say[0].text).toBe('Det valet finns inte.');
    expect(g.next.state).toMatchObject({ n: 'main', r: 1 });
    state = g.next.state;
    const second = handleInput(flow, state, CALL, '');
    expect(second.events).toEqual([{ type: 'input.timeout', nodeId: 'main' }]);
    expect(gatherOf(second.actions).say[0].text).toBe('Jag hörde inget val.');
    state = gatherOf(second.actions).next.state;
    expect(state.r).toBe(2);
    const third = handleInput(flow, state, CALL, '8');
    expect(types(third.events)).toEqual(['input.invalid', 'node.entered', 'queue.joined']);
    expect(third.actions[0]).toMatchObject({ kind: 'say', text: 'Du kopplas till växeln.' });
    expect(enqueueOf(third.actions).queue).toBe('vaxeln');
  });

  test('a person who does not answer falls back to the unavailable menu, then the operator', () => {
    let state = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    state = stateAfter(handleInput(flow, state, CALL, '5').actions);
    const dialStep = handleInput(flow, state, CALL, '4711');
    expect(dialStep.actions[0]).toMatchObject({ kind: 'say', text: 'Du kopplas nu.' });
    expect(dialOf(dialStep.actions).number).toBe('+46101304711');
    const dialState = dialOf(dialStep.actions).next!.state;
    const result = handleDialResult(flow, dialState, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 });
    expect(result.events).toEqual([
      { type: 'transfer.result', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', status: 'no-answer', durationSec: 0, callerHungUp: false },
      { type: 'fallback.taken', nodeId: 'person', transferId: '2', target: '4711', targetKind: 'person', reason: 'no-answer', route: 'person_unavailable' },
      { type: 'node.entered', nodeId: 'person_unavailable', nodeType: 'menu' },
    ]);
    const toOperator = handleInput(flow, stateAfter(result.actions), CALL, '0');
    expect(enqueueOf(toOperator.actions).queue).toBe('vaxeln');
  });

  test('busy uses onBusy, failed uses onFailed, and a route without its own falls back to onNoAnswer', () => {
    const parsed = parseFlow(
      `id: t\nname: T\ntargets: {a: {label: A, number: "+46101000001", kind: department}, op: {label: Op, number: "+46101000002", kind: operator}}\nstart: a\nnodes:\n  a: {type: transfer, target: a, onNoAnswer: op, onBusy: bye}\n  op: {type: transfer, target: op, onNoAnswer: bye}\n  bye: {type: hangup}\n`,
      't.yaml',
    );
    const s = dialOf(startCall(parsed, { callSid: CALL, caller: null, to: '' }).actions).next!.state;
    const route = (status: 'busy' | 'failed' | 'no-answer') =>
      handleDialResult(parsed, s, CALL, { status, callerHungUp: false, durationSec: 0 }).events.find((e) => e.type === 'fallback.taken');
    expect(route('busy')).toMatchObject({ reason: 'busy', route: 'bye' });
    expect(route('failed')).toMatchObject({ reason: 'failed', route: 'op' });
    expect(route('no-answer')).toMatchObject({ reason: 'no-answer', route: 'op' });
  });

  test('after a conversation the survey asks bemötande, enkelhet and the answer question in SKR wording', () => {
    let state = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    state = stateAfter(handleInput(flow, state, CALL, '2').actions);
    const after = handleDialResult(flow, state, CALL, { status: 'completed', callerHungUp: false, durationSec: 120 });
    expect(types(after.events)).toEqual(['transfer.result', 'survey.offered']);
    let g = gatherOf(after.actions);
    expect(g.say.map((s) => s.text).join(' ')).toContain('hur nöjd var du med bemötandet?');
    expect(g.next.state).toMatchObject({ q: 0, x: 0 });
    const a1 = handleInput(flow, g.next.state, CALL, '5');
    expect(a1.events).toEqual([{ type: 'survey.answer', question: 'bemotande', value: 5 }]);
    g = gatherOf(a1.actions);
    expect(g.say[0].text).toBe('Hur enkelt var det att få hjälp av kommunen med din fråga via telefoni? Svara 1 till 5.');
    const wrong = handleInput(flow, g.next.state, CALL, '9');
    expect(wrong.events).toEqual([{ type: 'survey.invalid', question: 'enkelhet', digits: '9' }]);
    const wrongAgain = handleInput(flow, gatherOf(wrong.actions).next.state, CALL, '0');
    expect(wrongAgain.events).toEqual([
      { type: 'survey.invalid', question: 'enkelhet', digits: '0' },
      { type: 'survey.skipped', question: 'enkelhet', reason: 'invalid' },
    ]);
    const silent = handleInput(flow, gatherOf(wrongAgain.actions).next.state, CALL, '');
    expect(silent.events).toEqual([
      { type: 'survey.skipped', question: 'answered', reason: 'no-input' },
      { type: 'survey.completed' },
    ]);
    // The demo flow then listens for a spoken comment; saying nothing ends the call with the usual thanks.
    const listening = silent.actions.find((a): a is SpeechGather => a.kind === 'gather' && a.input === 'speech')!;
    expect(listening).toMatchObject({ language: 'sv-SE', maxSpeechSeconds: 30, next: { handler: 'comment' } });
    const none = handleComment(flow, listening.next.state, CALL, { text: '', confidence: null });
    expect(none.events).toEqual([
      { type: 'survey.comment', chars: 0, confidence: null, language: 'sv-SE' },
      { type: 'ivr.hangup', nodeId: 'omsorg' },
    ]);
    expect(none.actions.map((a) => a.kind)).toEqual(['say', 'hangup']);
  });

  test('the caller hanging up ends the transfer without a survey or fallback', () => {
    let state = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    state = stateAfter(handleInput(flow, state, CALL, '3').actions);
    const gone = handleDialResult(flow, state, CALL, { status: 'canceled', callerHungUp: true, durationSec: 0 });
    expect(types(gone.events)).toEqual(['transfer.result']);
    expect(gone.actions).toEqual([]);
  });

  test('survey sampling is deterministic per call and near the configured share', () => {
    expect(sampledIn(CALL, 0.5)).toBe(sampledIn(CALL, 0.5));
    let n = 0;
    for (let i = 0; i < 4000; i++) if (sampledIn(`CA${i.toString(16).padStart(32, '0')}`, 0.25)) n++;
    expect(n / 4000).toBeGreaterThan(0.22);
    expect(n / 4000).toBeLessThan(0.28);
    expect(sampledIn(CALL, 0)).toBe(false);
    expect(sampledIn(CALL, 1)).toBe(true);
  });

  test('a sampled-out or disabled survey says goodbye and records why', () => {
    const never = { ...flow, survey: { ...flow.survey, offer: 'never' as const } };
    let state = stateAfter(startCall(never, { callSid: CALL, caller: null, to: '' }).actions);
    state = stateAfter(handleInput(never, state, CALL, '4').actions);
    const after = handleDialResult(never, state, CALL, { status: 'completed', callerHungUp: false, durationSec: 30 });
    expect(types(after.events)).toEqual(['transfer.result', 'survey.declined', 'ivr.hangup']);
    expect(after.actions.map((a) => a.kind)).toEqual(['say', 'hangup']);
  });

  test('the language choice changes the prompts that follow', () => {
    let state = stateAfter(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions);
    state = stateAfter(handleInput(flow, state, CALL, '9').actions);
    const chosen = handleInput(flow, state, CALL, '1');
    expect(chosen.events[1]).toEqual({ type: 'language.chosen', nodeId: 'language', language: 'en-GB' });
    const g = gatherOf(chosen.actions);
    expect(g.say[0]).toMatchObject({ language: 'en-GB', voice: 'Polly.Amy' });
    expect(g.say[0].text).toMatch(/^For preschool and school/);
    expect(g.next.state.l).toBe('en-GB');
  });

  test('child-leg progress records the answer of a human', () => {
    const step = handleLegProgress(flow, { f: 'vaxel', v: flow.version, n: 'operator', l: 'sv-SE', r: 0, k: 3, t: 'operator' }, { legSid: 'CAx', status: 'in-progress', sequence: 2 });
    expect(step.events).toEqual([
      { type: 'leg.progress', transferId: '3', legSid: 'CAx', status: 'in-progress', sequence: 2 },
      { type: 'human.answered', transferId: '3', nodeId: 'operator', target: 'operator', targetKind: 'operator' },
    ]);
  });

  test('the safe fallback puts the caller through to the operator', () => {
    const step = safeFallback(flow, 'sv-SE', 'boom');
    expect(step.actions).toEqual([
      expect.objectContaining({ kind: 'say', text: 'Ett tekniskt fel uppstod. Du kopplas till växeln.' }),
      { kind: 'dial', number: '+46101300100', timeoutSeconds: 60, hangupOnStar: false },
    ]);
    expect(step.events).toEqual([{ type: 'engine.error', nodeId: null, message: 'boom' }]);
  });

  test('state for another flow version is refused, never misapplied', () => {
    expect(() => handleInput(flow, { f: 'vaxel', v: 'other', n: 'main', l: 'sv-SE', r: 0, k: 1 }, CALL, '1')).toThrow(/state is for vaxel@other/);
  });

  describe('survey consent', () => {
    const conversationOver = (f: typeof flow) => {
      let state = stateAfter(startCall(f, { callSid: CALL, caller: null, to: '' }).actions);
      state = stateAfter(handleInput(f, state, CALL, '1').actions);
      return handleDialResult(f, state, CALL, { status: 'completed', callerHungUp: false, durationSec: 60 });
    };

    test('opt-out: the intro says how to decline, and * declines at any question', () => {
      const after = conversationOver(flow);
      const g = gatherOf(after.actions);
      expect(g.say[0].text).toContain('tryck stjärna eller lägg på');
      expect(g.say[0].text).toContain('utan ditt telefonnummer');
      const declined = handleInput(flow, g.next.state, CALL, '*');
      expect(declined.events).toEqual([{ type: 'survey.declined', reason: 'opted-out' }, { type: 'ivr.hangup', nodeId: 'skola' }]);
      expect(declined.actions.map((a) => a.kind)).toEqual(['say', 'hangup']);
    });

    test('opt-in: only a 1 starts the questions; anything else or silence declines', () => {
      const optIn = { ...flow, survey: { ...flow.survey, consent: 'opt-in' as const } };
      const after = conversationOver(optIn);
      const ask = gatherOf(after.actions);
      expect(ask.say[0].text).toMatch(/Vill du svara på några korta frågor/);
      expect(ask.next.state.c).toBe(1);
      const yes = handleInput(optIn, ask.next.state, CALL, '1');
      expect(yes.events).toEqual([]);
      expect(gatherOf(yes.actions).next.state).toMatchObject({ q: 0, x: 0 });
      expect(gatherOf(yes.actions).next.state.c).toBeUndefined();
      for (const no of ['', '2']) {
        expect(handleInput(optIn, ask.next.state, CALL, no).events[0]).toEqual({ type: 'survey.declined', reason: 'opted-out' });
      }
    });
  });
});
