import path from 'node:path';
import { handleInput, startCall, type PersonNotice, type StepInputs } from '../../src/flow/engine';
import { loadFlowFile } from '../../src/flow/loader';
import type { CallState } from '../../src/flow/state';
import { gatherOf } from './actions';

const flow = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const CALL = 'CA00000000000000000000000000000002';

const meeting: PersonNotice = { reason: 'meeting', until: '2026-03-02T13:00:00.000Z', sentence: (name, lang) => (lang === 'en-GB' ? `${name} is in a meeting until 2 pm.` : `${name} är på möte till klockan 14.`) };
const inputs = (byNumber: Record<string, PersonNotice>): StepInputs => ({ noticeOf: (n) => byNumber[n] ?? null });

/** At the person search of the demo flow, in a language. */
function atDirectory(language: string): CallState {
  const s0 = gatherOf(startCall(flow, { callSid: CALL, caller: null, to: '' }).actions).next.state;
  return gatherOf(handleInput(flow, { ...s0, l: language }, CALL, '5').actions).next.state;
}

describe('a person with an absence notice', () => {
  test('is not rung: the caller hears the notice and is sent along the no-answer route, as a fallback for the notice', () => {
    const step = handleInput(flow, atDirectory('sv-SE'), CALL, '4711', undefined, inputs({ '+46101304711': meeting }));
    expect(step.actions.some((a) => a.kind === 'dial')).toBe(false);
    expect(step.events).toEqual([
      { type: 'input.digits', nodeId: 'person', digits: '4711', purpose: 'directory' },
      { type: 'notice.met', nodeId: 'person', target: '4711', targetKind: 'person', reason: 'meeting', until: '2026-03-02T13:00:00.000Z' },
      { type: 'fallback.taken', nodeId: 'person', transferId: expect.any(String), target: '4711', targetKind: 'person', reason: 'notice', route: 'person_unavailable' },
      { type: 'node.entered', nodeId: 'person_unavailable', nodeType: 'menu' },
    ]);
    const g = gatherOf(step.actions);
    expect(g.say[0]).toMatchObject({ text: 'Anna Lind är på möte till klockan 14.', language: 'sv-SE', voice: 'Polly.Astrid' });
    expect(g.next.state.n).toBe('person_unavailable');
  });

  test('is said in the call’s language and voice', () => {
    const step = handleInput(flow, atDirectory('en-GB'), CALL, '4711', undefined, inputs({ '+46101304711': meeting }));
    expect(gatherOf(step.actions).say[0]).toMatchObject({ text: 'Anna Lind is in a meeting until 2 pm.', language: 'en-GB', voice: 'Polly.Amy' });
  });

  test('another person, and a step without notices at all, ring as before', () => {
    for (const given of [inputs({ '+46101304711': meeting }), undefined]) {
      const step = handleInput(flow, atDirectory('sv-SE'), CALL, '4712', undefined, given);
      expect(step.actions.find((a) => a.kind === 'dial')).toMatchObject({ number: '+46101304712' });
      expect(step.events.map((e) => e.type)).not.toContain('notice.met');
    }
  });
});
