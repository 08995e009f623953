import type { Action, Enqueue, Gather, Hold, Say } from '../../src/flow/actions';
import { EngineFault, handleInput, handleQueueKey, handleQueueResult, handleQueueWait, startCall, type QueueExit } from '../../src/flow/engine';
import { twilioQueueName } from '../../src/flow/nodes/queue';
import { parseFlow } from '../../src/flow/loader';
import type { Flow } from '../../src/flow/schema';
import type { CallState } from '../../src/flow/state';

const CALL = 'CA00000000000000000000000000000009';
const call = { callSid: CALL, caller: 'k1:x', to: '+46101300000' };

function flowOf(queueNode: string): Flow {
  return parseFlow(
    `id: q
name: Q
languages: { default: sv-SE, voices: { sv-SE: Polly.Astrid, en-GB: Polly.Amy } }
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
queues:
  vaxeln:
    label: Växeln
    agentNumber: "+46101300199"
    operators: { lena: { name: Lena Ek, number: "+46701110001" } }
directory:
  "4711": { name: Anna Lind, number: "+46101304711" }
start: queue
nodes:
  queue:
${queueNode}
  person: { type: directory, prompt: Anknytning., digits: 4, onNoAnswer: closed }
  callback: { type: message, say: Vi ringer upp., next: closed }
  closed: { type: hangup, say: Hej då. }
`,
    'q.yaml',
  );
}

const ONE_KEY = `    type: queue
    queue: vaxeln
    say: Du står i kö.
    maxWaitSeconds: 120
    announceEverySeconds: 30
    keys: { "1": person }
    keysPrompt: Tryck 1 för att söka en person.
    onMaxWait: { next: closed, say: Ingen kunde svara. }
    onFull: closed`;
const TWO_KEYS = ONE_KEY.replace('keys: { "1": person }', 'keys: { "1": person, "2": callback }');

const says = (actions: Action[]) => actions.filter((a): a is Say => a.kind === 'say').map((s) => s.text);
const types = (events: { type: string }[]) => events.map((e) => e.type);

function enqueued(flow: Flow): { enqueue: Enqueue; state: CallState } {
  const step = startCall(flow, call);
  const enqueue = step.actions.find((a): a is Enqueue => a.kind === 'enqueue')!;
  return { enqueue, state: enqueue.next.state };
}

const wait = (over: Partial<{ position: number; size: number; waitSec: number; expectedWaitSec: number | null }> = {}) => ({
  position: 1,
  size: 1,
  waitSec: 0,
  expectedWaitSec: null,
  ...over,
});

describe('queue node: joining', () => {
  test('says its sentence, records the stay, and enqueues with the wait and leave URLs sharing the stay’s state', () => {
    const flow = flowOf(ONE_KEY);
    const step = startCall(flow, call);
    expect(says(step.actions)).toEqual(['Du står i kö.']);
    const enqueue = step.actions.find((a): a is Enqueue => a.kind === 'enqueue')!;
    expect(enqueue.queue).toBe('vaxeln');
    expect(enqueue.wait).toEqual({ handler: 'queue-wait', state: enqueue.next.state });
    expect(enqueue.next.handler).toBe('queue-result');
    const joined = step.events.find((e) => e.type === 'queue.joined');
    expect(joined).toStrictEqual({ type: 'queue.joined', nodeId: 'queue', queueId: '0', queue: 'vaxeln' });
    const withCategory = flowOf(`${ONE_KEY}\n    category: växeln`);
    expect(startCall(withCategory, call).events.find((e) => e.type === 'queue.joined')).toStrictEqual({ type: 'queue.joined', nodeId: 'queue', queueId: '0', queue: 'vaxeln', category: 'växeln' });
    expect(enqueue.next.state.t).toBe('0');
  });

  test('a queue with its own Twilio name enqueues under that name', () => {
    const flow = parseFlow(
      `id: q\nname: Q\ntargets: {}\nqueues:\n  vaxeln: { label: V, agentNumber: "+46101300199", name: Växelkö, operators: { a: { name: A, number: "+46701110001" } } }\nstart: queue\nnodes:\n  queue: { type: queue, queue: vaxeln, onMaxWait: closed, onFull: closed }\n  closed: { type: hangup, say: Hej då. }\n`,
      'q.yaml',
    );
    expect(enqueued(flow).enqueue.queue).toBe('Växelkö');
  });
});

describe('queue node: the wait', () => {
  test('the first in line hears so, then the keys, then silence for the interval, with keys heard throughout', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const step = handleQueueWait(flow, state, CALL, wait());
    const hold = step.actions[0] as Hold;
    expect(step.actions).toHaveLength(1);
    expect(hold.say.map((s) => s.text)).toEqual(['Du är först i kön.', 'Tryck 1 för att söka en person.']);
    expect(hold).toMatchObject({ kind: 'hold', music: null, seconds: 30, keys: { handler: 'queue-key', state } });
    expect(step.events).toEqual([{ type: 'queue.position', queueId: '0', queue: 'vaxeln', position: 1, size: 1, waitSec: 0 }]);
  });

  test('a later place and an estimate are said in whole minutes, in the caller’s language', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const texts = (w: Parameters<typeof wait>[0], l = 'sv-SE') => (handleQueueWait(flow, { ...state, l }, CALL, wait(w)).actions[0] as Hold).say.map((s) => s.text);
    expect(texts({ position: 3, expectedWaitSec: 110 }).slice(0, 2)).toEqual(['Du är nummer 3 i kön.', 'Beräknad väntetid är ungefär 2 minuter.']);
    expect(texts({ position: 2, expectedWaitSec: 60 })[1]).toBe('Beräknad väntetid är ungefär en minut.');
    expect(texts({ position: 2, expectedWaitSec: 20 })[1]).toBe('Beräknad väntetid är mindre än en minut.');
    expect(texts({ position: 4, expectedWaitSec: 300 }, 'en-GB').slice(0, 2)).toEqual(['You are number 4 in the queue.', 'The expected wait is about 5 minutes.']);
  });

  test('hold music is played where the node has it; the last interval is cut to the longest wait', () => {
    const flow = flowOf(`${ONE_KEY}\n    holdMusic: https://musik.example.se/vanta.mp3`);
    const { state } = enqueued(flow);
    expect(handleQueueWait(flow, state, CALL, wait({ waitSec: 100 })).actions[0]).toMatchObject({ music: 'https://musik.example.se/vanta.mp3', seconds: 20 });
  });

  test('without keys, nothing listens for them', () => {
    const flow = flowOf(ONE_KEY.replace('keys: { "1": person }', 'keys: {}'));
    const { state } = enqueued(flow);
    expect((handleQueueWait(flow, state, CALL, wait()).actions[0] as Hold).keys).toBeNull();
  });

  test('at the longest wait the caller is taken out, and why is recorded', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const step = handleQueueWait(flow, state, CALL, wait({ waitSec: 120 }));
    expect(step.actions).toEqual([{ kind: 'leave' }]);
    expect(step.events[1]).toStrictEqual({ type: 'queue.leaving', nodeId: 'queue', queueId: '0', queue: 'vaxeln', reason: 'max-wait' });
    expect(handleQueueWait(flow, state, CALL, wait({ waitSec: 119 })).actions[0].kind).toBe('hold');
  });
});

describe('queue node: keys while waiting', () => {
  test('a key the node offers takes the caller out; the reason carries the key', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const step = handleQueueKey(flow, state, CALL, '1');
    expect(step.actions).toEqual([{ kind: 'leave' }]);
    expect(step.events).toEqual([{ type: 'queue.leaving', nodeId: 'queue', queueId: '0', queue: 'vaxeln', reason: 'key', digits: '1' }]);
  });

  test('any other key is refused and the caller keeps their place', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const step = handleQueueKey(flow, state, CALL, '7');
    expect(says(step.actions)).toEqual(['Det valet finns inte.']);
    expect(step.actions[1]).toEqual({ kind: 'redirect', next: { handler: 'queue-wait', state } });
    expect(types(step.events)).toEqual(['input.invalid']);
  });
});

describe('queue node: leaving', () => {
  const exit = (over: Partial<QueueExit>): QueueExit => ({ result: 'bridged', waitSec: 40, callerHungUp: false, leftBy: null, ...over });

  test('answered and still on the line: the survey follows', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const step = handleQueueResult(flow, state, CALL, exit({}));
    expect(types(step.events)).toEqual(['queue.left', 'survey.offered']);
    expect(step.events[0]).toEqual({ type: 'queue.left', nodeId: 'queue', queueId: '0', queue: 'vaxeln', result: 'bridged', waitSec: 40, callerHungUp: false });
  });

  test('a caller who hung up gets nothing more, whatever the result', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    for (const result of ['bridged', 'hangup', 'queue-full'] as const) {
      const step = handleQueueResult(flow, state, CALL, exit({ result, callerHungUp: true }));
      expect(step.actions).toEqual([]);
      expect(types(step.events)).toEqual(['queue.left']);
    }
  });

  test('a full queue and a queue error are fallbacks of the queue along onFull', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    for (const [result, reason] of [['queue-full', 'queue-full'], ['error', 'failed'], ['system-error', 'failed']] as const) {
      const step = handleQueueResult(flow, state, CALL, exit({ result, waitSec: 0 }));
      expect(step.events[1]).toEqual({ type: 'fallback.taken', nodeId: 'queue', transferId: '0', target: 'vaxeln', targetKind: 'operator', reason, route: 'closed' });
      expect(says(step.actions)).toEqual(['Hej då.']);
    }
  });

  test('a leave this instance remembers: the key’s route, or the longest wait’s fallback with its sentence', () => {
    const flow = flowOf(TWO_KEYS);
    const { state } = enqueued(flow);
    const byKey = handleQueueResult(flow, state, CALL, exit({ result: 'leave', leftBy: { reason: 'key', digits: '2' } }));
    expect(says(byKey.actions)).toEqual(['Vi ringer upp.', 'Hej då.']);
    expect(byKey.events.find((e) => e.type === 'input.digits')).toMatchObject({ nodeId: 'queue', digits: '2' });
    const byWait = handleQueueResult(flow, state, CALL, exit({ result: 'leave', waitSec: 120, leftBy: { reason: 'max-wait' } }));
    expect(byWait.events[1]).toMatchObject({ type: 'fallback.taken', reason: 'max-wait', route: 'closed' });
    expect(says(byWait.actions)).toEqual(['Ingen kunde svara.', 'Hej då.']);
  });

  test('a leave nobody remembers: the limit when the wait reached it, the one key when there is one, else the caller is asked', () => {
    const one = flowOf(ONE_KEY);
    const s1 = enqueued(one).state;
    expect(handleQueueResult(one, s1, CALL, exit({ result: 'leave', waitSec: 125 })).events[1]).toMatchObject({ type: 'fallback.taken', reason: 'max-wait' });
    expect(handleQueueResult(one, s1, CALL, exit({ result: 'leave', waitSec: 30 })).actions.some((a) => a.kind === 'gather')).toBe(true);
    expect(types(handleQueueResult(one, s1, CALL, exit({ result: 'leave', waitSec: 30 })).events)).toContain('input.digits');

    const two = flowOf(TWO_KEYS);
    const s2 = enqueued(two).state;
    const asked = handleQueueResult(two, s2, CALL, exit({ result: 'leave', waitSec: 30 }));
    const gather = asked.actions.find((a): a is Gather => a.kind === 'gather')!;
    expect(gather.say.map((s) => s.text)).toEqual(['Tryck 1 för att söka en person.']);
    expect(gather).toMatchObject({ numDigits: 1, timeoutSeconds: 6, finishOnKey: '' });
    expect(gather.next.state).toMatchObject({ n: 'queue', t: '0' });
    const chosen = handleInput(two, gather.next.state, CALL, '2');
    expect(says(chosen.actions)).toEqual(['Vi ringer upp.', 'Hej då.']);
    const silent = handleInput(two, gather.next.state, CALL, '');
    expect(silent.events.find((e) => e.type === 'fallback.taken')).toMatchObject({ transferId: '0', reason: 'max-wait' });
  });

  test('a call the REST API moved, or one that hung up while waiting, is left alone', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    expect(handleQueueResult(flow, state, CALL, exit({ result: 'redirected' })).actions).toEqual([]);
    expect(handleQueueResult(flow, state, CALL, exit({ result: 'hangup' })).actions).toEqual([]);
  });
});

describe('queue node: what the loader cannot rule out', () => {
  test('a flow whose queue went missing fails as an engine fault; a queue name falls back to its key', () => {
    const flow = flowOf(ONE_KEY);
    const broken = { ...flow, queues: {} };
    expect(() => startCall(broken, call)).toThrow(EngineFault);
    expect(() => startCall(broken, call)).toThrow('unknown queue "vaxeln"');
    expect(twilioQueueName(flow, 'elsewhere')).toBe('elsewhere');
  });

  test('a state without the stay’s id takes it from the step before', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    const { t: _t, ...withoutStay } = state;
    expect(handleQueueWait(flow, withoutStay, CALL, wait()).events[0]).toMatchObject({ queueId: String(state.k - 1) });
  });

  test('silence at the key prompt is no wrong key', () => {
    const flow = flowOf(ONE_KEY);
    const { state } = enqueued(flow);
    expect(handleQueueKey(flow, state, CALL, '').events).toStrictEqual([{ type: 'input.timeout', nodeId: 'queue' }]);
  });

  test('a remembered key the node no longer has is asked again; a wait exactly at the limit was the limit', () => {
    const flow = flowOf(TWO_KEYS);
    const { state } = enqueued(flow);
    const exit = (over: Partial<QueueExit>): QueueExit => ({ result: 'leave', waitSec: 30, callerHungUp: false, leftBy: null, ...over });
    expect(handleQueueResult(flow, state, CALL, exit({ leftBy: { reason: 'key', digits: '7' } })).actions.some((a) => a.kind === 'gather')).toBe(true);
    expect(handleQueueResult(flow, state, CALL, exit({ waitSec: 120 })).events[1]).toMatchObject({ type: 'fallback.taken', reason: 'max-wait' });
    expect(handleQueueResult(flow, state, CALL, exit({ waitSec: 119 })).actions.some((a) => a.kind === 'gather')).toBe(true);
  });
});
