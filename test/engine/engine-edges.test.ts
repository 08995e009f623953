import type { Action, Dial, Gather, Say } from '../../src/flow/actions';
import { EngineFault, handleDialResult, handleInput, handleLegProgress, safeFallback, startCall } from '../../src/flow/engine';
import { parseFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/schema';
import type { CallState } from '../../src/flow/state';

/**
 * The engine's rules one at a time, on small flows written for each (issue 24: written against the
 * mutants the first mutation run left alive in src/flow/engine.ts, context.ts and nodes/).
 */
const CALL = 'CA00000000000000000000000000000003';
const call = { callSid: CALL, caller: 'k1:x', to: '+46101300000' };

const gatherOf = (actions: Action[]) => actions.find((a): a is Gather => a.kind === 'gather')!;
const dialOf = (actions: Action[]) => actions.find((a): a is Dial => a.kind === 'dial')!;
const saysOutside = (actions: Action[]) => actions.filter((a): a is Say => a.kind === 'say').map((s) => s.text);
const types = (events: { type: string }[]) => events.map((e) => e.type);
const nextState = (actions: Action[]): CallState => {
  const a = actions.find((x) => x.kind === 'gather' || x.kind === 'dial') as Gather | Dial;
  return a.next!.state;
};

const TARGETS = `
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
  dept: { label: Avdelning, number: "+46101300200", kind: department, category: dept-cat }
  other: { label: Annan, number: "+46101300300", kind: department }
directory:
  "12": { name: Anna, number: "+46101300012", category: anna-cat }
  "13": { name: Bo, number: "+46101300013" }
`;

function flowOf(body: string, head = 'operator: { key: "0", node: operator }'): Flow {
  return parseFlow(`id: t\nname: T\n${head}\n${TARGETS}\n${body}`, 't.yaml');
}

/** A menu with a custom timeout text and one without; a directory; transfers with and without categories. */
const flow = flowOf(`
start: main
nodes:
  main:
    type: menu
    prompt: Meny.
    routes: { "1": dept, "2": person, "3": quiet, "4": info, "5": plain, "6": svy, "7": lang, "8": loop1 }
    timeoutSeconds: 4
    maxRetries: 1
    noInputPrompt: Tryck en siffra.
    invalidPrompt: Fel siffra.
  quiet:
    type: menu
    prompt: Tyst meny.
    routes: { "1": dept }
    maxRetries: 0
    operatorKey: false
    onExhausted: { next: bye, say: Vi ger upp. }
  person:
    type: directory
    prompt: Anknytning.
    digits: 2
    timeoutSeconds: 7
    maxRetries: 1
    ringSeconds: 15
    connectingPrompt: Kopplar till anknytningen.
    invalidPrompt: Den anknytningen finns inte här.
    onNoAnswer: main
  plaindir:
    type: directory
    prompt: Anknytning igen.
    digits: 2
    onNoAnswer: main
  dept:
    type: transfer
    target: dept
    say: Du kopplas.
    timeoutSeconds: 30
    category: node-cat
    onNoAnswer: { next: bye, say: Ingen svarar. }
  plain:
    type: transfer
    target: other
    onNoAnswer: operator
  operator:
    type: transfer
    target: operator
    onNoAnswer: bye
  info:
    type: message
    say: Information.
    category: info-cat
  svy:
    type: survey
  lang:
    type: language
    prompt: Språk.
    options: { "1": en-GB }
    timeoutSeconds: 3
    next: main
  loop1:
    type: message
    say: Ett.
    next: loop2
  loop2:
    type: message
    say: Två.
    next: loop1
  bye:
    type: hangup
`, 'operator: { key: "0", node: operator }\nlanguages: { default: sv-SE, voices: { sv-SE: Polly.Astrid, en-GB: Polly.Amy } }');

const atMain = () => nextState(startCall(flow, call).actions);
const at = (node: string, patch: Partial<CallState> = {}): CallState => ({ f: flow.id, v: flow.version, n: node, l: 'sv-SE', r: 0, k: 5, ...patch });

describe('engine: state that belongs elsewhere', () => {
  test('state for another flow id is refused, never misapplied', () => {
    expect(() => handleInput(flow, { ...atMain(), f: 'other' }, CALL, '1')).toThrow(EngineFault);
    expect(() => handleDialResult(flow, { ...at('dept'), f: 'other' }, CALL, { status: 'completed', callerHungUp: false, durationSec: 1 })).toThrow(/state is for other@/);
  });

  test('keys for a node that takes none, or a dial result for a node that dials nobody, are engine faults', () => {
    expect(() => handleInput(flow, at('dept'), CALL, '1')).toThrow(/node "dept" \(transfer\) takes no key input/);
    expect(() => handleDialResult(flow, at('main'), CALL, { status: 'completed', callerHungUp: false, durationSec: 1 })).toThrow(/node "main" \(menu\) does not dial/);
  });

  test('a node missing from the flow is an engine fault naming it', () => {
    expect(() => handleInput(flow, at('gone'), CALL, '1')).toThrow(/node "gone" is not in flow t@/);
  });

  test('message nodes that lead to each other forever stop with an engine fault', () => {
    expect(() => handleInput(flow, atMain(), CALL, '8')).toThrow(/more than 25 nodes in one step/);
  });
});

describe('engine: a new call', () => {
  test('starts in the flow’s default language with no retries and step 0, and the Gather continues at step 1', () => {
    const en = flowOf(`start: main\nnodes:\n  main: {type: menu, prompt: Menu., routes: {"1": operator}}\n  operator: {type: transfer, target: operator, onNoAnswer: main}`, 'languages: { default: en-GB, voices: { en-GB: Polly.Amy } }');
    const step = startCall(en, call);
    expect(step.events[0]).toEqual({ type: 'call.started', flowId: 't', flowVersion: en.version, caller: 'k1:x', to: '+46101300000', language: 'en-GB' });
    const g = gatherOf(step.actions);
    expect(g.say).toEqual([{ kind: 'say', text: 'Menu.', language: 'en-GB', voice: 'Polly.Amy' }]);
    expect(g.next).toEqual({ handler: 'input', state: { f: 't', v: en.version, n: 'main', l: 'en-GB', r: 0, k: 1, t: undefined, q: undefined, x: undefined, c: undefined } });
  });
});

describe('engine: menus', () => {
  test('the menu’s own timeout and finish key go into the Gather', () => {
    const g = gatherOf(startCall(flow, call).actions);
    expect(g).toMatchObject({ numDigits: 1, timeoutSeconds: 4, finishOnKey: '' });
  });

  test('silence at a menu with its own no-input prompt says that prompt, then asks again', () => {
    const step = handleInput(flow, atMain(), CALL, '');
    expect(step.events).toEqual([{ type: 'input.timeout', nodeId: 'main' }]);
    const g = gatherOf(step.actions);
    expect(g.say.map((s) => s.text)).toEqual(['Tryck en siffra.', 'Meny.']);
    expect(g.next.state).toMatchObject({ n: 'main', r: 1 });
  });

  test('a wrong key at a menu with its own invalid prompt says that prompt', () => {
    const g = gatherOf(handleInput(flow, atMain(), CALL, '9').actions);
    expect(g.say.map((s) => s.text)).toEqual(['Fel siffra.', 'Meny.']);
  });

  test('retries are counted up to maxRetries, then the exhausted route applies', () => {
    const once = handleInput(flow, atMain(), CALL, '9');
    expect(gatherOf(once.actions).next.state.r).toBe(1);
    // maxRetries 1 used up, no onExhausted: the flow's operator.
    const twice = handleInput(flow, gatherOf(once.actions).next.state, CALL, '9');
    expect(types(twice.events)).toEqual(['input.invalid', 'node.entered', 'transfer.attempted']);
    expect(dialOf(twice.actions).number).toBe('+46101300100');
  });

  test('where the operator key is switched off it is a wrong key, and maxRetries 0 goes straight to onExhausted with its sentence', () => {
    const s = nextState(handleInput(flow, atMain(), CALL, '3').actions);
    expect(s.n).toBe('quiet');
    const step = handleInput(flow, s, CALL, '0');
    expect(step.events).toEqual([
      { type: 'input.invalid', nodeId: 'quiet', digits: '0' },
      { type: 'node.entered', nodeId: 'bye', nodeType: 'hangup' },
      { type: 'ivr.hangup', nodeId: 'bye' },
    ]);
    expect(step.actions).toEqual([{ kind: 'say', text: 'Vi ger upp.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('without onExhausted nor an operator, the caller hears goodbye and the IVR hangs up', () => {
    const lone = flowOf(`start: m\nnodes:\n  m: {type: menu, prompt: Meny., routes: {"1": m}, maxRetries: 0}`, '');
    const s = nextState(startCall(lone, call).actions);
    const step = handleInput(lone, s, CALL, '7');
    expect(step.events).toEqual([{ type: 'input.invalid', nodeId: 'm', digits: '7' }, { type: 'ivr.hangup', nodeId: 'm' }]);
    expect(step.actions).toEqual([{ kind: 'say', text: 'Tack för samtalet. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('without an operator in the flow the key 0 is just a wrong key', () => {
    const lone = flowOf(`start: m\nnodes:\n  m: {type: menu, prompt: Meny., routes: {"1": m}}`, '');
    const step = handleInput(lone, nextState(startCall(lone, call).actions), CALL, '0');
    expect(step.events).toEqual([{ type: 'input.invalid', nodeId: 'm', digits: '0' }]);
  });
});

describe('engine: messages, hang-ups and categories', () => {
  test('a message without a next says its text and hangs up, recording the IVR’s hang-up', () => {
    const step = handleInput(flow, atMain(), CALL, '4');
    expect(step.events).toEqual([
      { type: 'input.digits', nodeId: 'main', digits: '4', purpose: 'menu' },
      { type: 'node.entered', nodeId: 'info', nodeType: 'message', category: 'info-cat' },
      { type: 'ivr.hangup', nodeId: 'info' },
    ]);
    expect(step.actions).toEqual([{ kind: 'say', text: 'Information.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('a hang-up node without a text only hangs up', () => {
    const step = handleDialResult(flow, { ...at('dept'), k: 3, t: 'dept' }, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 });
    expect(step.actions).toEqual([{ kind: 'say', text: 'Ingen svarar.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
    expect(types(step.events)).toEqual(['transfer.result', 'fallback.taken', 'node.entered', 'ivr.hangup']);
  });

  test('a node without a category records none', () => {
    const entered = startCall(flow, call).events[1];
    expect(entered).toEqual({ type: 'node.entered', nodeId: 'main', nodeType: 'menu' });
  });
});

describe('engine: transfers', () => {
  test('the node’s category wins over the target’s; the node’s say is spoken before the dial with its own timeout', () => {
    const step = handleInput(flow, atMain(), CALL, '1');
    expect(step.events[2]).toEqual({ type: 'transfer.attempted', nodeId: 'dept', transferId: '1', target: 'dept', targetKind: 'department', category: 'node-cat' });
    expect(step.actions[0]).toEqual({ kind: 'say', text: 'Du kopplas.', language: 'sv-SE', voice: 'Polly.Astrid' });
    expect(dialOf(step.actions)).toMatchObject({ number: '+46101300200', timeoutSeconds: 30, hangupOnStar: true });
  });

  test('a transfer to a target without a category records no category, and says nothing before the dial', () => {
    const step = handleInput(flow, atMain(), CALL, '5');
    expect(step.events[2]).toEqual({ type: 'transfer.attempted', nodeId: 'plain', transferId: '1', target: 'other', targetKind: 'department' });
    expect(step.actions.map((a) => a.kind)).toEqual(['dial']);
    expect(dialOf(step.actions).timeoutSeconds).toBe(25);
  });

  test('the dial continues at the next step; its progress callbacks carry this step', () => {
    const d = dialOf(handleInput(flow, { ...atMain(), k: 7 }, CALL, '5').actions);
    expect(d.next).toEqual({ handler: 'dial', state: { ...atMain(), n: 'plain', t: 'other', s: 'other', k: 8, r: 0, q: undefined, x: undefined, c: undefined } });
    expect(d.progress).toEqual({ ...d.next!.state, k: 7 });
  });

  test('a transfer to a target the flow lacks is an engine fault', () => {
    const broken = { ...flow, targets: { operator: flow.targets.operator } };
    expect(() => handleInput(broken, atMain(), CALL, '5')).toThrow(/unknown target "other"/);
  });

  test('"answered" ends the transfer like "completed": the survey follows, no fallback', () => {
    const step = handleDialResult(flow, { ...at('plain'), k: 3, t: 'other' }, CALL, { status: 'answered', callerHungUp: false, durationSec: 40 });
    expect(step.events[0]).toEqual({ type: 'transfer.result', nodeId: 'plain', transferId: '2', target: 'other', targetKind: 'department', status: 'answered', durationSec: 40, callerHungUp: false });
    expect(types(step.events)).toEqual(['transfer.result', 'survey.offered']);
  });

  test('a dial canceled while the caller is still there takes no fallback', () => {
    const step = handleDialResult(flow, { ...at('plain'), k: 3, t: 'other' }, CALL, { status: 'canceled', callerHungUp: false, durationSec: 0 });
    expect(types(step.events)).toEqual(['transfer.result']);
    expect(step.actions).toEqual([]);
  });

  test('a caller who hung up during a dial that then reports no-answer gets no fallback', () => {
    const step = handleDialResult(flow, { ...at('plain'), k: 3, t: 'other' }, CALL, { status: 'no-answer', callerHungUp: true, durationSec: 0 });
    expect(types(step.events)).toEqual(['transfer.result']);
  });

  test('busy and failed without their own routes take onNoAnswer; the route recorded is the node the caller goes to', () => {
    for (const status of ['busy', 'failed'] as const) {
      const step = handleDialResult(flow, { ...at('dept'), k: 3, t: 'dept' }, CALL, { status, callerHungUp: false, durationSec: 0 });
      expect(step.events[1]).toEqual({ type: 'fallback.taken', nodeId: 'dept', transferId: '2', target: 'dept', targetKind: 'department', reason: status, route: 'bye' });
    }
  });
});

describe('engine: the directory', () => {
  const atPerson = () => nextState(handleInput(flow, atMain(), CALL, '2').actions);

  test('asks for the extension’s number of digits, finished by #, with the node’s timeout', () => {
    const g = gatherOf(handleInput(flow, atMain(), CALL, '2').actions);
    expect(g).toMatchObject({ numDigits: 2, timeoutSeconds: 7, finishOnKey: '#' });
    expect(g.next.state).toMatchObject({ n: 'person', r: 0 });
  });

  test('a known extension: the node’s connecting prompt, then the person rung for ringSeconds, with the person’s category', () => {
    const step = handleInput(flow, atPerson(), CALL, '12');
    expect(step.events).toEqual([
      { type: 'input.digits', nodeId: 'person', digits: '12', purpose: 'directory' },
      { type: 'transfer.attempted', nodeId: 'person', transferId: '2', target: '12', targetKind: 'person', category: 'anna-cat' },
    ]);
    expect(step.actions[0]).toEqual({ kind: 'say', text: 'Kopplar till anknytningen.', language: 'sv-SE', voice: 'Polly.Astrid' });
    expect(dialOf(step.actions)).toMatchObject({ number: '+46101300012', timeoutSeconds: 15 });
  });

  test('without its own connecting prompt the built-in one is said; a person without category records none', () => {
    const s = { ...at('plaindir'), k: 2 };
    const step = handleInput(flow, s, CALL, '13');
    expect(step.actions[0]).toMatchObject({ kind: 'say', text: 'Du kopplas nu.' });
    expect(step.events[1]).toEqual({ type: 'transfer.attempted', nodeId: 'plaindir', transferId: '2', target: '13', targetKind: 'person' });
    expect(dialOf(step.actions).timeoutSeconds).toBe(25);
  });

  test('the operator key in the directory goes to the operator, recorded as directory input', () => {
    const step = handleInput(flow, atPerson(), CALL, '0');
    expect(step.events.slice(0, 2)).toEqual([
      { type: 'input.digits', nodeId: 'person', digits: '0', purpose: 'directory' },
      { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' },
    ]);
  });

  test('an unknown extension says the node’s invalid prompt and asks again; silence says the built-in no-input', () => {
    const wrong = handleInput(flow, atPerson(), CALL, '99');
    expect(wrong.events).toEqual([{ type: 'input.invalid', nodeId: 'person', digits: '99' }]);
    expect(gatherOf(wrong.actions).say.map((s) => s.text)).toEqual(['Den anknytningen finns inte här.', 'Anknytning.']);
    expect(gatherOf(wrong.actions).next.state.r).toBe(1);
    const silent = handleInput(flow, atPerson(), CALL, '');
    expect(silent.events).toEqual([{ type: 'input.timeout', nodeId: 'person' }]);
    expect(gatherOf(silent.actions).say.map((s) => s.text)).toEqual(['Jag hörde inget val.', 'Anknytning.']);
  });

  test('an unknown extension at a directory without its own invalid prompt says the built-in one', () => {
    const step = handleInput(flow, { ...at('plaindir'), k: 2 }, CALL, '77');
    expect(gatherOf(step.actions).say[0].text).toBe('Det anknytningsnumret finns inte.');
  });

  test('after the retries the directory without onExhausted goes to the operator', () => {
    const step = handleInput(flow, { ...atPerson(), r: 1 }, CALL, '99');
    expect(types(step.events)).toEqual(['input.invalid', 'node.entered', 'transfer.attempted']);
    expect(dialOf(step.actions).number).toBe('+46101300100');
  });

  test('the dial result names the person rung; an extension no longer in the directory is an engine fault', () => {
    const step = handleDialResult(flow, { ...at('person'), k: 3, t: '12' }, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 });
    expect(step.events[0]).toMatchObject({ type: 'transfer.result', target: '12', targetKind: 'person', transferId: '2' });
    expect(step.events[1]).toMatchObject({ type: 'fallback.taken', route: 'main' });
    expect(() => handleDialResult(flow, { ...at('person'), k: 3, t: '55' }, CALL, { status: 'no-answer', callerHungUp: false, durationSec: 0 })).toThrow(/unknown extension "55"/);
  });
});

describe('engine: the language node', () => {
  test('asks one key with its own timeout', () => {
    const g = gatherOf(handleInput(flow, atMain(), CALL, '7').actions);
    expect(g).toMatchObject({ numDigits: 1, timeoutSeconds: 3, finishOnKey: '' });
    expect(g.say.map((s) => s.text)).toEqual(['Språk.']);
  });

  test('a wrong key or silence keeps the language and goes on', () => {
    const s = nextState(handleInput(flow, atMain(), CALL, '7').actions);
    const wrong = handleInput(flow, s, CALL, '5');
    expect(wrong.events.slice(0, 2)).toEqual([{ type: 'input.invalid', nodeId: 'lang', digits: '5' }, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }]);
    expect(gatherOf(wrong.actions).next.state.l).toBe('sv-SE');
    const silent = handleInput(flow, s, CALL, '');
    expect(silent.events[0]).toEqual({ type: 'input.timeout', nodeId: 'lang' });
    expect(gatherOf(silent.actions).next.state.l).toBe('sv-SE');
  });
});

describe('engine: the survey', () => {
  test('a survey node starts the survey where the flow puts it', () => {
    const step = handleInput(flow, atMain(), CALL, '6');
    expect(types(step.events)).toEqual(['input.digits', 'node.entered', 'survey.offered']);
    expect(gatherOf(step.actions).next.state).toMatchObject({ n: 'svy', q: 0, x: 0 });
  });

  const surveyed = (survey: string) =>
    flowOf(`survey: ${survey}\nstart: d\nnodes:\n  d: {type: transfer, target: dept, onNoAnswer: operator}\n  operator: {type: transfer, target: operator, onNoAnswer: d}`);
  const afterTalk = (f: Flow) => handleDialResult(f, { f: f.id, v: f.version, n: 'd', l: 'sv-SE', r: 0, k: 2, t: 'dept' }, CALL, { status: 'completed', callerHungUp: false, durationSec: 30 });

  test('sampled out, the survey is declined as "sampled-out"; sampled in, it is offered', () => {
    const out = afterTalk(surveyed('{offer: {sample: 0}}'));
    expect(out.events[1]).toEqual({ type: 'survey.declined', reason: 'sampled-out' });
    expect(out.actions).toEqual([{ kind: 'say', text: 'Tack för samtalet. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
    expect(types(afterTalk(surveyed('{offer: {sample: 1}}')).events)).toEqual(['transfer.result', 'survey.offered']);
  });

  test('the questions are asked with the survey’s timeout, one key, in order; the last answer thanks and hangs up', () => {
    const f = surveyed('{questions: [enkelhet, answered], timeoutSeconds: 5}');
    const first = gatherOf(afterTalk(f).actions);
    expect(first).toMatchObject({ numDigits: 1, timeoutSeconds: 5, finishOnKey: '' });
    expect(first.say.map((s) => s.text)[1]).toMatch(/^Hur enkelt var det/);
    const second = handleInput(f, first.next.state, CALL, '4');
    expect(second.events).toEqual([{ type: 'survey.answer', question: 'enkelhet', value: 4 }]);
    expect(gatherOf(second.actions).next.state).toMatchObject({ q: 1, x: 0 });
    const last = handleInput(f, gatherOf(second.actions).next.state, CALL, '2');
    expect(last.events).toEqual([{ type: 'survey.answer', question: 'answered', value: 2 }, { type: 'survey.completed' }, { type: 'ivr.hangup', nodeId: 'd' }]);
    expect(last.actions).toEqual([{ kind: 'say', text: 'Tack för dina svar. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('an answer outside the question’s scale, or of two keys, is invalid', () => {
    const f = surveyed('{questions: [answered, bemotande]}');
    const s = gatherOf(afterTalk(f).actions).next.state;
    expect(handleInput(f, s, CALL, '3').events).toEqual([{ type: 'survey.invalid', question: 'answered', digits: '3' }]);
    const s2 = { ...s, q: 1 };
    expect(handleInput(f, s2, CALL, '44').events).toEqual([{ type: 'survey.invalid', question: 'bemotande', digits: '44' }]);
  });

  test('the first wrong answer is explained and asked again at the same question', () => {
    const f = surveyed('{questions: [bemotande]}');
    const s = gatherOf(afterTalk(f).actions).next.state;
    const g = gatherOf(handleInput(f, s, CALL, '7').actions);
    expect(g.say.map((x) => x.text)).toEqual(['Svara med en av siffrorna.', 'I din senaste kontakt med kommunens medarbetare via telefoni, hur nöjd var du med bemötandet? Svara 1 till 5.']);
    expect(g.next.state).toMatchObject({ q: 0, x: 1 });
  });

  test('state without a question index is the first question; one past the last says goodbye', () => {
    const f = surveyed('{questions: [bemotande, enkelhet]}');
    const s = gatherOf(afterTalk(f).actions).next.state;
    const noIndex = { ...s, q: undefined, c: 0 };
    expect(handleInput(f, noIndex, CALL, '3').events).toEqual([{ type: 'survey.answer', question: 'bemotande', value: 3 }]);
    const past = handleInput(f, { ...s, q: 2 }, CALL, '3');
    expect(past.events).toEqual([{ type: 'ivr.hangup', nodeId: 'd' }]);
    expect(past.actions).toEqual([{ kind: 'say', text: 'Tack för samtalet. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('opting in says the intro after consent, then the first question', () => {
    const f = surveyed('{consent: opt-in}');
    const s = gatherOf(afterTalk(f).actions).next.state;
    const g = gatherOf(handleInput(f, s, CALL, '1').actions);
    expect(g.say.map((x) => x.text)[0]).toBe('Svara med en siffra från 1 till 5, där 1 är sämst och 5 är bäst.');
    expect(g).toMatchObject({ numDigits: 1, timeoutSeconds: 8 });
  });

  test('the consent question is one key with the survey’s timeout', () => {
    const g = gatherOf(afterTalk(surveyed('{consent: opt-in, timeoutSeconds: 12}')).actions);
    expect(g).toMatchObject({ numDigits: 1, timeoutSeconds: 12, finishOnKey: '' });
  });
});

describe('engine: child-leg progress', () => {
  const state = (n: string, t?: string): CallState => ({ f: flow.id, v: flow.version, n, l: 'sv-SE', r: 0, k: 4, ...(t ? { t } : {}) });

  test('"answered" is a human answering, like "in-progress"; "ringing" is not', () => {
    expect(types(handleLegProgress(flow, state('dept', 'dept'), { legSid: 'CAl', status: 'ringing', sequence: 1 }).events)).toEqual(['leg.progress']);
    expect(handleLegProgress(flow, state('dept', 'dept'), { legSid: 'CAl', status: 'answered', sequence: 2 }).events[1]).toEqual({
      type: 'human.answered',
      transferId: '4',
      nodeId: 'dept',
      target: 'dept',
      targetKind: 'department',
    });
  });

  test('in a directory the human is a person; an unknown target is taken as a department', () => {
    expect(handleLegProgress(flow, state('person', '12'), { legSid: 'CAl', status: 'in-progress', sequence: 2 }).events[1]).toMatchObject({ target: '12', targetKind: 'person' });
    expect(handleLegProgress(flow, state('gone'), { legSid: 'CAl', status: 'in-progress', sequence: 2 }).events[1]).toMatchObject({ target: '', targetKind: 'department' });
  });

  test('renders nothing', () => {
    expect(handleLegProgress(flow, state('dept', 'dept'), { legSid: 'CAl', status: 'answered', sequence: 2 }).actions).toEqual([]);
  });
});

describe('engine: the safe fallback', () => {
  test('without an operator the caller is told and the call ends; the reason is cut to 500 characters and names the node', () => {
    const lone = flowOf(`start: m\nnodes:\n  m: {type: menu, prompt: Meny., routes: {"1": m}}`, '');
    const noOperator = { ...lone, targets: { dept: lone.targets.dept } };
    const step = safeFallback(noOperator, 'sv-SE', 'x'.repeat(600), 'm');
    expect(step.actions).toEqual([{ kind: 'say', text: 'Ett tekniskt fel uppstod. Du kopplas till växeln.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
    expect(step.events).toEqual([{ type: 'engine.error', nodeId: 'm', message: 'x'.repeat(500) }]);
  });

  test('with no flow at all: a Swedish apology and the end of the call', () => {
    const step = safeFallback(null, null, 'no flow');
    expect(step.actions).toEqual([{ kind: 'say', text: 'Ett tekniskt fel uppstod.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
  });

  test('without a known language, the flow’s default language', () => {
    const en = flowOf(`start: m\nnodes:\n  m: {type: menu, prompt: Menu., routes: {"1": operator}}\n  operator: {type: transfer, target: operator, onNoAnswer: m}`, 'operator: { key: "0", node: operator }\nlanguages: { default: en-GB, voices: { en-GB: Polly.Amy } }');
    const step = safeFallback(en, null, 'boom');
    expect(step.actions[0]).toEqual({ kind: 'say', text: 'A technical error occurred. Connecting you to the switchboard.', language: 'en-GB', voice: 'Polly.Amy' });
    expect(step.actions[1]).toEqual({ kind: 'dial', number: '+46101300100', timeoutSeconds: 60, hangupOnStar: false });
  });
});
