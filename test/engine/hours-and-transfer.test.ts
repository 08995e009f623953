import path from 'node:path';
import { handleInput, safeFallback, startCall, type PersonNotice } from '../../src/flow/engine';
import { loadFlowFile, parseFlow } from '../../src/flow/loader';
import { openingHoursFrom } from '../../src/flow/nodes/hours';
import { dialOf, gatherOf, spokenTexts } from './actions';

const flow = loadFlowFile(path.join(__dirname, '../../ivr-flows/vaxel.yaml'));
const CALL = 'CA00000000000000000000000000000004';

describe('opening hours as a flow writes them', () => {
  test('every weekday has its intervals, the days not named none; holidays only when asked for', () => {
    const h = openingHoursFrom({ open: { 'mon-fri': '08:00-16:00' }, holidays: 'none', special: {} }, 'Europe/Stockholm');
    expect(h.weekly).toHaveLength(7);
    expect(h.weekly.filter((d) => d.length === 0)).toHaveLength(2);
    expect(h.swedishHolidays).toBe(false);
    expect(h.dayBeforeHoliday).toBeNull();
    expect(openingHoursFrom({ open: {}, holidays: 'sweden', special: {} }, 'Europe/Stockholm').swedishHolidays).toBe(true);
  });
});

describe('a transfer node', () => {
  test("puts a department through although a notice is set for its number: notices are people's", () => {
    const everyone: PersonNotice = { reason: 'meeting', until: null, sentence: (name) => `${name} är på möte.` };
    const given = { noticeOf: () => everyone };
    const s0 = gatherOf(startCall(flow, { callSid: CALL, caller: null, to: '' }, undefined, given).actions).next.state;
    const step = handleInput(flow, s0, CALL, '1', undefined, given);
    expect(step.actions.find((a) => a.kind === 'dial')).toMatchObject({ number: '+46101300210' });
    expect(step.events.map((e) => e.type)).not.toContain('notice.met');
  });

  test('plays the notice of a person it targets instead of ringing, and follows onNoAnswer', () => {
    const f = parseFlow(
      `id: chef
name: Direct to a person
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
  chef: { label: Kommunchefen, number: "+46101300300", kind: person }
operator: { key: "0", node: operator }
start: chef
nodes:
  chef: { type: transfer, target: chef, onNoAnswer: operator }
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup, say: Hej då. }
`,
      'chef.yaml',
    );
    const away: PersonNotice = { reason: 'meeting', until: null, sentence: (name) => `${name} är på möte.` };
    const given = { noticeOf: (n: string) => (n === '+46101300300' ? away : null) };
    const met = startCall(f, { callSid: CALL, caller: null, to: '' }, undefined, given);
    expect(met.events).toContainEqual(expect.objectContaining({ type: 'notice.met', nodeId: 'chef', target: 'chef', targetKind: 'person' }));
    expect(spokenTexts(met.actions)).toContain('Kommunchefen är på möte.');
    expect(dialOf(met.actions)).toMatchObject({ number: '+46101300100' });
    // Without a notice the person is rung.
    expect(dialOf(startCall(f, { callSid: CALL, caller: null, to: '' }, undefined, { noticeOf: () => null }).actions)).toMatchObject({ number: '+46101300300' });
  });
});

describe('the safe fallback', () => {
  test('without a flow: said in Swedish, and the call ends; with one, in the call\'s language and on to the operator', () => {
    expect(safeFallback(null, null, 'no flow').actions).toEqual([{ kind: 'say', text: 'Ett tekniskt fel uppstod.', language: 'sv-SE', voice: 'Polly.Astrid' }, { kind: 'hangup' }]);
    const withFlow = safeFallback(flow, 'en-GB', 'boom', 'main');
    expect(withFlow.actions[0]).toMatchObject({ kind: 'say', language: 'en-GB' });
    expect(withFlow.actions[1]).toMatchObject({ kind: 'dial', number: '+46101300100' });
    expect(withFlow.events).toEqual([{ type: 'engine.error', nodeId: 'main', message: 'boom' }]);
    expect(safeFallback(flow, null, 'boom').actions[0]).toMatchObject({ language: 'sv-SE' });
  });
});
