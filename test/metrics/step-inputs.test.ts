import type { CallEvent, CallEventData } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';

/** The node table needs each step's own input: the key that left it, wrong keys and silences there. */
const SID = 'CA00000000000000000000000000000bbb';
const T0 = Date.parse('2026-03-02T08:00:00Z');
let n = 0;
const ev = (sec: number, step: number, data: CallEventData): CallEvent => ({ ...data, id: `s${++n}`, callSid: SID, at: T0 + sec * 1000, step, seq: n }) as CallEvent;

test('keys, wrong keys and timeouts are kept on the step where they happened, also when a node is visited twice', () => {
  const events = [
    ev(0, 0, { type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller: null, to: '+46101300000', language: 'sv-SE' }),
    ev(0, 0, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }),
    ev(6, 1, { type: 'input.timeout', nodeId: 'main' }),
    ev(10, 2, { type: 'input.invalid', nodeId: 'main', digits: '7' }),
    ev(14, 3, { type: 'input.digits', nodeId: 'main', digits: '5', purpose: 'menu' }),
    ev(14, 3, { type: 'node.entered', nodeId: 'person', nodeType: 'directory' }),
    ev(20, 4, { type: 'input.invalid', nodeId: 'person', digits: '9999' }),
    ev(26, 5, { type: 'input.digits', nodeId: 'person', digits: '2', purpose: 'directory' }),
    ev(26, 5, { type: 'node.entered', nodeId: 'main', nodeType: 'menu' }),
    ev(30, 6, { type: 'input.digits', nodeId: 'main', digits: '0', purpose: 'menu' }),
    ev(30, 6, { type: 'node.entered', nodeId: 'operator', nodeType: 'transfer' }),
    ev(40, 1_000_000, { type: 'call.ended', status: 'completed', durationSec: 40 }),
  ];
  const j = projectJourney(SID, [...events].reverse());
  expect(j.steps.map(({ nodeId, keys, invalid, timeouts, ms }) => ({ nodeId, keys, invalid, timeouts, ms }))).toEqual([
    { nodeId: 'main', keys: '5', invalid: ['7'], timeouts: 1, ms: 14_000 },
    { nodeId: 'person', keys: '2', invalid: ['9999'], timeouts: 0, ms: 12_000 },
    { nodeId: 'main', keys: '0', invalid: [], timeouts: 0, ms: 4_000 },
    { nodeId: 'operator', keys: null, invalid: [], timeouts: 0, ms: 10_000 },
  ]);
  expect(j.invalidInputs).toBe(2);
  expect(j.timeouts).toBe(1);
});
