import { OperatorRinger, type OutboundCalls } from '../../src/queue/operator-ringer';
import { FlowRegistry } from '../../src/flow/registry';
import { loadFlowDir } from '../../src/flow/loader';
import { createLogger } from '../../src/log';
import { parseTwiml } from '../../src/sim/twiml-parse';
import type { CallEvent } from '../../src/journey/events';
import { startHarness, type Harness } from '../helpers/harness';
import { AGENT_NUMBER, LENA, QUEUE_FLOWS as FLOWS, queueSim } from '../helpers/queue-sim';

type Created = Parameters<OutboundCalls['create']>[0];

function standInRest(fail = false): { calls: OutboundCalls; created: Created[] } {
  const created: Created[] = [];
  return {
    created,
    calls: {
      create: async (opts) => {
        created.push(opts);
        if (fail) throw new Error('Twilio said 401');
        return { sid: `CA${String(created.length).padStart(32, '0')}` };
      },
    },
  };
}

describe('ringing the operators when a caller joins an unattended queue', () => {
  const registry = new FlowRegistry(loadFlowDir(FLOWS));
  const joined = (callSid: string, at = 0): CallEvent[] => [
    { id: `${callSid}:j`, callSid, at, step: 1, seq: 0, type: 'queue.joined', nodeId: 'operator', queueId: '1', queue: 'vaxeln' } as CallEvent,
  ];
  const ringer = (rest: OutboundCalls, onCall = 0, now = { t: 0 }) =>
    new OperatorRinger({ calls: rest, registry, publicBaseUrl: 'https://callpath.kommun.se', log: createLogger('silent'), now: () => now.t, operatorsOnCall: () => onCall });

  test('every operator of the queue is rung from the agent number, with a URL that takes the head of the queue as that operator', () => {
    const rest = standInRest();
    ringer(rest.calls).onEvents(joined('CA1'));
    expect(rest.created).toEqual([
      { to: '+46701110001', from: AGENT_NUMBER, url: 'https://callpath.kommun.se/twilio/agent?f=vaxel-ko&q=vaxeln&o=lena', method: 'POST', timeout: 20 },
      { to: '+46701110002', from: AGENT_NUMBER, url: 'https://callpath.kommun.se/twilio/agent?f=vaxel-ko&q=vaxeln&o=omar', method: 'POST', timeout: 20 },
    ]);
  });

  test('nobody is rung while an operator is on a call, nor twice within a minute; a failure leaves the caller waiting', async () => {
    const busy = standInRest();
    ringer(busy.calls, 1).onEvents(joined('CA1'));
    expect(busy.created).toEqual([]);
    const rest = standInRest();
    const now = { t: 0 };
    const r = ringer(rest.calls, 0, now);
    r.onEvents(joined('CA1'));
    now.t = 59_000;
    r.onEvents(joined('CA2'));
    expect(rest.created).toHaveLength(2);
    now.t = 61_000;
    r.onEvents(joined('CA3'));
    expect(rest.created).toHaveLength(4);
    const failing = standInRest(true);
    ringer(failing.calls).onEvents(joined('CA1'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(failing.created).toHaveLength(2);
  });
});

describe('operator ringing end to end', () => {
  let h: Harness;
  const rest = standInRest();
  beforeEach(async () => {
    h = await startHarness({
      env: { FLOWS_DIR: FLOWS, RING_OPERATORS: 'true', TWILIO_ACCOUNT_SID: `AC${'1'.repeat(32)}` },
      options: { outboundCalls: rest.calls },
    });
  });
  afterEach(async () => {
    await h.close();
  });

  test('a caller joins an empty queue, the operators’ phones ring, and the one who answers takes the caller', async () => {
    const { sched, queues, caller, operator, after } = queueSim(h);
    const [t, took] = await Promise.all([
      sched.actor(() => caller.call({ digits: ['0'], survey: ['5', '5', '1'] })),
      after(15_000, async () => {
        // Twilio calls Lena's phone as asked, and requests the URL once she answers.
        const ring = rest.created.find((c) => c.to === LENA)!;
        const url = new URL(ring.url);
        const base = { CallSid: `CA${'2'.repeat(32)}`, AccountSid: `AC${'1'.repeat(32)}`, From: ring.from, To: ring.to, Direction: 'outbound-api' };
        const answered = await h.signedPost(`${url.pathname}${url.search}`, { ...base, CallStatus: 'in-progress' });
        const trace = { callSid: base.CallSid, said: [], took: [], requests: [] };
        const leg = await operator.pickUp({ from: LENA, agentNumber: AGENT_NUMBER }, trace, parseTwiml(answered.text), base);
        const head = queues.takeHead(leg!.queue.text)!;
        await operator.bridge(leg!, head, 20_000);
        await sched.sleep(20_000 + head.bridge!.verbs.reduce((s, v) => s + v.text.length * 60, 0));
        await operator.hangUp(leg!, head, false);
        return trace.took;
      }),
    ]);
    expect(rest.created.map((c) => c.to)).toEqual(['+46701110001', '+46701110002']);
    expect(took).toEqual([t.callSid]);
    await h.settle();
    const j = (await h.api(`/api/calls/${t.callSid}`)).body;
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.transfers[0].queue).toMatchObject({ result: 'bridged', operator: 'lena' });
  });
});
