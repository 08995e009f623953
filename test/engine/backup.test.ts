import path from 'node:path';
import type { Action, KeyGather } from '../../src/flow/actions';
import { handleDialResult, handleInput, handleLegProgress, startCall, type PersonNotice, type StepInputs } from '../../src/flow/engine';
import { loadFlowFile, parseFlow } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import { dialOf, spokenTexts as texts } from './actions';

const flow = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const CALL = 'CA00000000000000000000000000000003';
const gatherOf = (actions: Action[]) => actions.find((a): a is KeyGather => a.kind === 'gather')!;
const NO_ANSWER = { status: 'no-answer' as const, callerHungUp: false, durationSec: 0 };
const ANSWERED = { status: 'completed' as const, callerHungUp: false, durationSec: 60 };
const meeting: PersonNotice = { reason: 'meeting', until: '2026-03-02T13:00:00.000Z', sentence: (name) => `${name} är på möte till klockan 14.` };
const noticeFor = (number: string): StepInputs => ({ noticeOf: (n) => (n === number ? meeting : null) });

function atDirectory(f = flow, language = 'sv-SE'): CallState {
  const s0 = gatherOf(startCall(f, { callSid: CALL, caller: null, to: '' }).actions).next.state;
  return gatherOf(handleInput(f, { ...s0, l: language }, CALL, '5').actions).next.state;
}

/** Keys an extension that does not answer: the step that follows, at the "person does not answer" menu. */
function noAnswerFrom(extension: string, language = 'sv-SE') {
  const dial = dialOf(handleInput(flow, atDirectory(flow, language), CALL, extension).actions)!;
  return handleDialResult(flow, dial.next!.state, CALL, NO_ANSWER);
}

describe('a backup: the colleague of the person sought', () => {
  test('the no-answer menu offers it at {backup}, in Swedish naming where the backup works', () => {
    const step = noAnswerFrom('4712');
    const g = gatherOf(step.actions);
    expect(g.say.map((s) => s.text)).toEqual([
      'Den du söker svarar inte just nu. För att nå en kollega inom skola, tryck 3. För att söka en annan person, tryck 1. För huvudmenyn, tryck 2. För att bli uppringd, tryck 4. För växeln, tryck 0.',
    ]);
    expect(g.next.state).toMatchObject({ n: 'person_unavailable', p: '4712' });
  });

  test('in English it names the person sought', () => {
    const g = gatherOf(noAnswerFrom('4712', 'en-GB').actions);
    expect(g.say[0].text).toBe(
      "The person you are looking for is not answering. To reach one of Johan Berg's colleagues, press 3. To try another extension, press 1. For the main menu, press 2. To be called back, press 4. For the switchboard, press 0.",
    );
  });

  test('for a person without a backup nothing is offered and the key is not accepted', () => {
    const step = noAnswerFrom('4713');
    expect(gatherOf(step.actions).say[0].text).toBe('Den du söker svarar inte just nu. För att söka en annan person, tryck 1. För huvudmenyn, tryck 2. För att bli uppringd, tryck 4. För växeln, tryck 0.');
    const pressed = handleInput(flow, gatherOf(step.actions).next.state, CALL, '3');
    expect(pressed.events[0]).toEqual({ type: 'input.invalid', nodeId: 'person_unavailable', digits: '3' });
    expect(dialOf(pressed.actions)).toBeUndefined();
  });

  test('key 3 rings the colleague, recorded as a transfer made as the backup of the person sought', () => {
    const menu = gatherOf(noAnswerFrom('4712').actions).next.state;
    const step = handleInput(flow, menu, CALL, '3');
    expect(step.events).toEqual([
      { type: 'input.digits', nodeId: 'person_unavailable', digits: '3', purpose: 'menu' },
      { type: 'node.entered', nodeId: 'colleague', nodeType: 'backup' },
      { type: 'transfer.attempted', nodeId: 'colleague', transferId: String(menu.k), target: '4715', targetKind: 'person', category: 'skola', backupFor: '4712' },
    ]);
    expect(texts(step.actions)).toEqual(['Du kopplas till en kollega inom skola.']);
    const d = dialOf(step.actions)!;
    expect(d).toMatchObject({ number: '+46101304715', timeoutSeconds: 20 });
    expect(d.next!.state).toMatchObject({ n: 'colleague', t: '4715', p: '4715' });
    // The colleague's leg answering is a person answering.
    expect(handleLegProgress(flow, d.progress!, { legSid: 'CL1', status: 'in-progress', sequence: 2 }).events[1]).toMatchObject({ type: 'human.answered', target: '4715', targetKind: 'person' });
    // Answered: the survey follows. Not answered: the colleague's own fallback, to the operator.
    expect(handleDialResult(flow, d.next!.state, CALL, ANSWERED).events.map((e) => e.type)).toContain('survey.offered');
    const missed = handleDialResult(flow, d.next!.state, CALL, NO_ANSWER);
    expect(missed.events).toContainEqual({ type: 'fallback.taken', nodeId: 'colleague', transferId: String(menu.k), target: '4715', targetKind: 'person', reason: 'no-answer', route: 'operator' });
    expect(texts(missed.actions)[0]).toBe('Kollegan svarar inte heller. Du kopplas till växeln.');
  });

  test('a group as backup is rung as a department', () => {
    const menu = gatherOf(noAnswerFrom('4714').actions).next.state;
    expect(gatherOf(noAnswerFrom('4714').actions).say[0].text).toContain('För att nå en kollega inom vatten och avfall, tryck 3.');
    const step = handleInput(flow, menu, CALL, '3');
    expect(step.events[2]).toMatchObject({ type: 'transfer.attempted', target: 'vatten', targetKind: 'department', backupFor: '4714' });
    expect(dialOf(step.actions)).toMatchObject({ number: '+46101300240' });
    // A notice is a person's: one found for the group's number does not stop its ring.
    const despite = handleInput(flow, menu, CALL, '3', undefined, noticeFor('+46101300240'));
    expect(dialOf(despite.actions)).toMatchObject({ number: '+46101300240' });
  });

  test('after an absence notice the backup is rung straight away (onNotice), the fallback’s route is the backup', () => {
    const step = handleInput(flow, atDirectory(), CALL, '4712', undefined, noticeFor('+46101304712'));
    expect(step.events.map((e) => e.type)).toEqual(['input.digits', 'notice.met', 'fallback.taken', 'node.entered', 'transfer.attempted']);
    expect(step.events[2]).toMatchObject({ reason: 'notice', target: '4712', route: 'colleague' });
    expect(step.events[4]).toMatchObject({ target: '4715', backupFor: '4712' });
    expect(texts(step.actions)).toEqual(['Johan Berg är på möte till klockan 14.', 'Du kopplas till en kollega inom skola.']);
    expect(dialOf(step.actions)).toMatchObject({ number: '+46101304715' });
  });

  test('a person without a backup who has a notice goes along noBackup, and the fallback records that route', () => {
    const step = handleInput(flow, atDirectory(), CALL, '4711', undefined, noticeFor('+46101304711'));
    expect(step.events[2]).toMatchObject({ type: 'fallback.taken', reason: 'notice', route: 'person_unavailable' });
    expect(step.events.map((e) => e.type)).not.toContain('transfer.attempted');
    expect(gatherOf(step.actions).next.state.n).toBe('person_unavailable');
  });

  test('a colleague with a notice of their own is not rung either', () => {
    const menu = gatherOf(noAnswerFrom('4712').actions).next.state;
    const step = handleInput(flow, menu, CALL, '3', undefined, noticeFor('+46101304715'));
    expect(dialOf(step.actions)).toBeUndefined();
    expect(texts(step.actions)[0]).toBe('Maria Sjö är på möte till klockan 14.');
    expect(step.events).toContainEqual(expect.objectContaining({ type: 'fallback.taken', nodeId: 'colleague', target: '4715', reason: 'notice', route: 'operator' }));
  });

  test('a failed call follows the node\'s onFailed route and a busy line its onBusy, not the no-answer route', () => {
    const dial = dialOf(handleInput(flow, atDirectory(), CALL, '4713').actions)!;
    const failed = handleDialResult(flow, dial.next!.state, CALL, { status: 'failed', callerHungUp: false, durationSec: 0 });
    expect(failed.events).toContainEqual(expect.objectContaining({ type: 'fallback.taken', target: '4713', reason: 'failed', route: 'operator' }));
    const busy = handleDialResult(flow, dial.next!.state, CALL, { status: 'busy', callerHungUp: false, durationSec: 0 });
    expect(busy.events).toContainEqual(expect.objectContaining({ type: 'fallback.taken', target: '4713', reason: 'busy', route: 'person_unavailable' }));
  });

  /** Johan (4712) has Maria (4715) as his backup, Sara (4713) none; `away` is the no-answer menu under test. */
  const offersFlow = (away: string) =>
    parseFlow(
      `id: offers
name: Offers
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
operator: { key: "0", node: operator }
directory:
  "4712": { name: Johan Berg, number: "+46101304712", backup: "4715" }
  "4713": { name: Sara Holm, number: "+46101304713" }
  "4715": { name: Maria Sjö, number: "+46101304715" }
start: person
nodes:
  person: { type: directory, prompt: Slå anknytningen., digits: 4, onNoAnswer: away }
  away: ${away}
  colleague: { type: backup, onNoAnswer: operator }
  colleague2: { type: backup, onNoAnswer: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup, say: Hej då. }
`,
      'offers.yaml',
    );
  /** What the no-answer menu says after the extension keyed rang out. */
  const noAnswerPrompt = (f: ReturnType<typeof offersFlow>, extension: string) => {
    const dial = dialOf(handleInput(f, gatherOf(startCall(f, { callSid: CALL, caller: null, to: '' }).actions).next.state, CALL, extension).actions)!;
    return gatherOf(handleDialResult(f, dial.next!.state, CALL, NO_ANSWER).actions).say[0].text;
  };

  test('a prompt without {backup} gets the offer before it, two backup routes offered one after the other; nothing for a person without a backup', () => {
    const f = offersFlow('{ type: menu, prompt: Ingen svarar., routes: { "3": colleague, "4": colleague2, "1": person }, timeoutSeconds: 5, maxRetries: 1, onExhausted: operator }');
    expect(noAnswerPrompt(f, '4712')).toMatch(/^För att nå .*tryck 3\. För att nå .*tryck 4\. Ingen svarar\.$/);
    expect(noAnswerPrompt(f, '4713')).toBe('Ingen svarar.');
  });

  test('{backup} at the end of a prompt: the offer there, and no trailing space for a person without a backup', () => {
    const f = offersFlow('{ type: menu, prompt: "Ingen svarar. {backup}", routes: { "3": colleague, "1": person }, timeoutSeconds: 5, maxRetries: 1, onExhausted: operator }');
    expect(noAnswerPrompt(f, '4712')).toMatch(/^Ingen svarar\. För att nå .*tryck 3\.$/);
    expect(noAnswerPrompt(f, '4713')).toBe('Ingen svarar.');
  });

  test('a backup node reached for someone without a backup and no noBackup route: on to the operator, or goodbye where it is the operator', () => {
    const flowText = (operatorNode: string) => `id: nobackup
name: No backup
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
operator: { key: "0", node: ${operatorNode} }
directory:
  "4713": { name: Sara Holm, number: "+46101304713" }
start: person
nodes:
  person: { type: directory, prompt: Slå anknytningen., digits: 4, onNoAnswer: sorry }
  sorry: { type: message, say: Hon svarar inte., next: colleague }
  colleague: { type: backup, onNoAnswer: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup, say: Hej då. }
`;
    const afterNoAnswer = (f: ReturnType<typeof parseFlow>) => {
      const dial = dialOf(handleInput(f, gatherOf(startCall(f, { callSid: CALL, caller: null, to: '' }).actions).next.state, CALL, '4713').actions)!;
      return handleDialResult(f, dial.next!.state, CALL, NO_ANSWER);
    };
    const toOperator = afterNoAnswer(parseFlow(flowText('operator'), 'nobackup.yaml'));
    expect(toOperator.events).toContainEqual(expect.objectContaining({ type: 'node.entered', nodeId: 'operator' }));
    expect(dialOf(toOperator.actions)).toMatchObject({ number: '+46101300100' });
    const goodbye = afterNoAnswer(parseFlow(flowText('colleague'), 'nobackup.yaml'));
    expect(goodbye.events).toContainEqual({ type: 'ivr.hangup', nodeId: 'colleague' });
    expect(goodbye.actions.at(-1)).toEqual({ kind: 'hangup' });
    expect(texts(goodbye.actions).at(-1)).toBe('Tack för samtalet. Hej då.');
  });

  test('a flow that rings the backup straight away after no answer', () => {
    const f = parseFlow(
      `id: straight
name: Straight to the colleague
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
  bygglov: { label: Bygglov och miljö, number: "+46101300230", kind: department }
operator: { key: "0", node: operator }
directory:
  "4711": { name: Anna Lind, number: "+46101304711", backup: bygglov }
start: person
nodes:
  person: { type: directory, prompt: Slå anknytningen., digits: 4, onNoAnswer: colleague }
  colleague: { type: backup, onNoAnswer: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup, say: Hej då. }
`,
      'straight.yaml',
    );
    const s0 = gatherOf(startCall(f, { callSid: CALL, caller: null, to: '' }).actions).next.state;
    const dial = dialOf(handleInput(f, s0, CALL, '4711').actions)!;
    const step = handleDialResult(f, dial.next!.state, CALL, NO_ANSWER);
    expect(step.events).toContainEqual(expect.objectContaining({ type: 'fallback.taken', target: '4711', reason: 'no-answer', route: 'colleague' }));
    expect(step.events).toContainEqual(expect.objectContaining({ type: 'transfer.attempted', nodeId: 'colleague', target: 'bygglov', targetKind: 'department', backupFor: '4711' }));
    // A group's label names it where it has no category.
    expect(texts(step.actions)).toEqual(['Du kopplas till bygglov och miljö.']);
  });
});
