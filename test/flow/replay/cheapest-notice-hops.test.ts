/**
 * cheapestPath (src/flow/replay/cheapest.ts) after an absence notice: the notice's route is followed in
 * the same step, so the engine's limit on the nodes entered in one step (context.ts) counts on from
 * the dial. Checked against the engine itself: the replay plans a path exactly when the engine
 * puts the caller through.
 */
import { handleInput, startCall, type StepInputs } from '../../../src/flow/engine';
import { EngineFault, MAX_HOPS_PER_STEP } from '../../../src/flow/context';
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { dialOf, gatherOf } from '../../engine/actions';
import { flowOf } from '../lint/flows';
import { chars, M, operator, person, transfers } from './intents';

const CALL = 'CA00000000000000000000000000000009';
const ANNA = '+46101304711';
const absent: StepInputs = { noticeOf: (n) => (n === ANNA ? { reason: 'meeting', until: null, sentence: (name) => `${name} är på möte.` } : null) };

/** Anna reached by `key`: 5 to a person search, 6 to a transfer node; her notice there leads through `messages` messages to the operator. */
const flow = (key: string, messages: number): Flow =>
  flowOf((f) => {
    f.directory = { '4711': { name: 'Anna Lind', number: ANNA } };
    f.targets.anna = { label: 'Anna Lind', number: ANNA, kind: 'person' };
    f.nodes.main.routes = { [key]: key === '5' ? 'person' : 'anna' };
    f.nodes.person = { type: 'directory', prompt: chars(16), digits: 4, onNoAnswer: 'operator', onNotice: 'm1' };
    f.nodes.anna = { type: 'transfer', target: 'anna', onNoAnswer: 'operator', onNotice: 'm1' };
    for (let i = 1; i <= messages; i++) f.nodes[`m${i}`] = { type: 'message', say: chars(2), next: i < messages ? `m${i + 1}` : 'operator' };
  });

/** Whether the engine rings the operator in the step that meets Anna's notice, keyed as `keys`; not when the step ends in its fault. */
function engineReachesOperator(f: Flow, keys: string[]): boolean {
  let state = gatherOf(startCall(f, { callSid: CALL, caller: null, to: '' }).actions).next.state;
  for (const digits of keys.slice(0, -1)) state = gatherOf(handleInput(f, state, CALL, digits, undefined, absent).actions).next.state;
  try {
    return dialOf(handleInput(f, state, CALL, keys[keys.length - 1], undefined, absent).actions)?.number === '+46101300100';
  } catch (e) {
    if (e instanceof EngineFault) return false;
    throw e;
  }
}

/** Anna by her number, as a journey's intent has it: the extension 4711 and the target "anna" are both her. */
const intent = transfers([person('4711', 'notice', ANNA), operator()]);

describe.each([
  { at: 'a person search', keys: ['5', '4711'], lastReached: MAX_HOPS_PER_STEP - 1 },
  { at: 'a transfer node', keys: ['6'], lastReached: MAX_HOPS_PER_STEP - 2 },
])('the limit of nodes in one step after a notice at $at', ({ keys, lastReached }) => {
  test.each([lastReached - 1, lastReached, lastReached + 1])('%i messages, then the operator', (messages) => {
    const f = flow(keys[0], messages);
    const engine = engineReachesOperator(f, keys);
    expect(engine).toBe(messages <= lastReached);
    expect(cheapestPath(f, intent, M) !== null).toBe(engine);
  });
});
