import type { SimScheduler } from '../../src/sim/sim-scheduler';
import { VirtualCaller } from '../../src/sim/virtual-caller';
import type { VirtualOperator } from '../../src/sim/virtual-operator';
import type { VirtualQueues } from '../../src/sim/virtual-queues';
import { AUTH_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { AGENT_NUMBER, LENA, QUEUE_FLOWS as FLOWS, queueSim } from '../helpers/queue-sim';

/** Several callers in the switchboard's queue at once, and an operator taking the one at its head, all through the real webhooks. */
describe('the operator queue end to end', () => {
  let h: Harness;
  let sched: SimScheduler;
  let queues: VirtualQueues;
  let caller: VirtualCaller;
  let operator: VirtualOperator;
  let after: ReturnType<typeof queueSim>['after'];

  beforeEach(async () => {
    h = await startHarness({ env: { FLOWS_DIR: FLOWS } });
    ({ sched, queues, caller, operator, after } = queueSim(h));
  });
  afterEach(async () => {
    await h.close();
  });

  const journey = (callSid: string) => h.journey(callSid);

  test('one caller is answered by an operator, one hangs up in the queue, one leaves it by a key', async () => {
    const start = sched.now();
    const [answered, abandoned, leaver, op, board] = await Promise.all([
      after(0, () => caller.call({ digits: ['0'], survey: ['5', '4', '1'], thinkMs: 2000 })),
      after(5_000, () => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 40 }, thinkMs: 2000 })),
      after(10_000, () => caller.call({ digits: ['0', '4711'], queue: { key: { digit: '1', afterSec: 20 } }, dials: [{ answer: true, ringMs: 5000, talkMs: 30_000 }], thinkMs: 2000 })),
      after(45_000, () => operator.call({ from: LENA, agentNumber: AGENT_NUMBER, talkMs: 60_000, callers: 1 })),
      after(30_000, async () => h.service.live.snapshot().queues),
    ]);

    for (const t of [answered, abandoned, leaver]) expect(t.requests.every((r) => r.status === 200)).toBe(true);
    expect(op.requests.every((r) => r.status === 200)).toBe(true);
    expect(op.took).toEqual([answered.callSid]);
    // Before taking the call the operator hears how many wait and how long the first has.
    expect(op.said).toHaveLength(1);
    expect(op.said[0]).toMatch(/^(2|3) väntar i kön\. Nästa har väntat \d+ sekunder\.$/);
    // The live board half a minute in: all three waiting, in the order they joined.
    expect(board).toHaveLength(1);
    expect(board[0]).toMatchObject({ queue: 'vaxeln', label: 'Växeln', onCalls: [], today: { offered: 3, answered: 0 } });
    expect(board[0].waiting.map((w: { callSid: string }) => w.callSid)).toEqual([answered.callSid, abandoned.callSid, leaver.callSid]);
    expect(board[0].longestWaitingSince).toBe(board[0].waiting[0].joinedAt);
    const after45 = h.service.live.snapshot().queues[0];
    expect(after45.waiting).toEqual([]);
    expect(after45.today).toMatchObject({ offered: 3, answered: 1, answeredWithin: 1, abandoned: 1, serviceLevel: 1 / 3 });
    // Each caller heard their place: the first is first, the second second.
    expect(answered.said).toContain('Du är först i kön.');
    expect(abandoned.said).toContain('Du är nummer 2 i kön.');
    expect(answered.said).toContain('Du kopplas nu till växeln.');

    const a = await journey(answered.callSid);
    expect(a.outcome).toBe('answered_by_operator');
    expect(a.path).toEqual(['main', 'operator']);
    expect(a.transfers).toHaveLength(1);
    const stay = a.transfers[0];
    expect(stay).toMatchObject({ nodeId: 'operator', target: 'vaxeln', targetKind: 'operator', result: 'completed' });
    expect(stay.queue).toMatchObject({ queue: 'vaxeln', result: 'bridged', operator: 'lena' });
    // The operator called 45 s after the first call began and took the caller once the context was said: the whole wait counts in the time to a human.
    const joinedAt = Date.parse(stay.attemptedAt);
    const bridgeAt = start + 45_000 + op.said[0].length * 60;
    expect(Date.parse(a.humanAnsweredAt)).toBe(bridgeAt);
    // Twilio counts the wait from the Enqueue verb, after the sentence said before it (60 ms a character here).
    const sayMs = 'Du står nu i kö till växeln.'.length * 60;
    expect(stay.queue.waitSec).toBe(Math.floor((bridgeAt - joinedAt - sayMs) / 1000));
    expect(stay.queue.waitSec).toBeLessThanOrEqual(60);
    expect(a.timeToHumanMs).toBe(bridgeAt - Date.parse(a.startedAt));
    expect(a.survey).toMatchObject({ bemotande: 5, enkelhet: 4, answered: true });

    const b = await journey(abandoned.callSid);
    expect(b.outcome).toBe('abandoned_in_queue');
    expect(b.humanAnsweredAt).toBeNull();
    expect(b.transfers[0].queue).toMatchObject({ result: 'hangup', waitSec: 40, operator: null });

    const c = await journey(leaver.callSid);
    expect(c.path).toEqual(['main', 'operator', 'person']);
    expect(c.transfers[0].queue).toMatchObject({ result: 'leave', leftBy: { reason: 'key', digits: '1' } });
    expect(c.outcome).toBe('answered_by_person');
    expect(c.fallbacks).toEqual([]);

    // The contact-centre figures from the rollups: three offered, one answered within the 60 s target.
    const range = 'from=2026-03-02T08:00:00Z&to=2026-03-02T10:00:00Z';
    const { body } = await h.api(`/api/metrics/queues?${range}`);
    expect(body.queues).toHaveLength(1);
    expect(body.queues[0]).toMatchObject({
      queue: 'vaxeln',
      label: 'Växeln',
      offered: 3,
      answered: 1,
      abandoned: 1,
      shortAbandoned: 0,
      leftByKey: 1,
      maxWait: 0,
      serviceLevel: { seconds: 60, target: 0.8, answeredWithin: 1, share: 1 / 3, met: false },
      speedOfAnswerSec: { count: 1, mean: stay.queue.waitSec },
      abandonWaitSec: { count: 1, mean: 40 },
    });
    expect(body.queues[0].waitSec.count).toBe(3);
    const csv = await h.api(`/api/metrics/queues.csv?${range}`);
    expect(csv.body).toContain('vaxeln');
    // Monday 2 March 2026, 09 Swedish time: the hour they joined.
    const heat = await h.api(`/api/metrics/queues/vaxeln/heatmap?${range}`);
    expect(heat.body.cells).toEqual([{ weekday: 1, hour: 9, offered: 3, answered: 1, answeredWithin: 1, serviceLevel: 1 / 3 }]);
    expect((await h.api(`/api/metrics/queues/nosuch/heatmap?${range}`)).status).toBe(404);
  });

  test('a caller kept past the longest wait is taken out along onMaxWait, measured as a fallback of the queue', async () => {
    const t = await sched.actor(() => caller.call({ digits: ['0'] }));
    expect(t.said).toContain('Växeln kan inte svara just nu.');
    expect(t.ending).toBe('hangup-verb');
    const j = await journey(t.callSid);
    expect(j.transfers[0].queue).toMatchObject({ result: 'leave', leftBy: { reason: 'max-wait' } });
    expect(j.fallbacks).toEqual([expect.objectContaining({ nodeId: 'operator', target: 'vaxeln', reason: 'max-wait', route: 'operator_closed', outcome: 'ended_by_ivr' })]);
    // 300 s in the queue, then the IVR's goodbye.
    expect(j.transfers[0].ringMs).toBeGreaterThanOrEqual(300_000);
  });

  test('an unknown number calling the agent number is refused and takes nobody from the queue', async () => {
    const [waiting, stranger] = await Promise.all([
      sched.actor(() => caller.call({ digits: ['0'], queue: { hangUpAfterSec: 60 } })),
      after(10_000, () => operator.call({ from: '+46709999999', agentNumber: AGENT_NUMBER })),
    ]);
    expect(stranger.said).toEqual(['Det här numret är bara för växelns telefonister. Hej då.']);
    expect(stranger.took).toEqual([]);
    expect((await journey(waiting.callSid)).outcome).toBe('abandoned_in_queue');
  });

  test('the same queue callbacks delivered twice count once and get the same answer', async () => {
    const sent: { url: string; headers: Record<string, string>; body: string }[] = [];
    const recording = new VirtualCaller({
      authToken: AUTH_TOKEN,
      publicBaseUrl: h.baseUrl,
      clock: { now: () => sched.now(), sleep: (ms) => sched.sleep(ms), nap: (ms, w) => sched.nap(ms, w) },
      queues,
      post: async (url, headers, body) => {
        sent.push({ url, headers, body });
        const res = await fetch(url, { method: 'POST', headers, body });
        return { status: res.status, body: await res.text() };
      },
    });
    const t = await sched.actor(() => recording.call({ digits: ['0'], queue: { hangUpAfterSec: 40 } }));
    const before = await journey(t.callSid);
    // Twilio retries a callback it got no answer to: the same URL, the same body, the same signature.
    const again = async (path: string) => {
      const r = sent.filter((x) => new URL(x.url).pathname === path).pop()!;
      const res = await fetch(r.url, { method: 'POST', headers: r.headers, body: r.body });
      return res.text();
    };
    const firstWait = sent.find((x) => new URL(x.url).pathname === '/twilio/queue-wait')!;
    const waitAnswers = await Promise.all([0, 1].map(() => fetch(firstWait.url, { method: 'POST', headers: firstWait.headers, body: firstWait.body }).then((r) => r.text())));
    expect(waitAnswers[1]).toBe(waitAnswers[0]);
    expect(await again('/twilio/queue-result')).toBe(await again('/twilio/queue-result'));
    const after = await journey(t.callSid);
    expect(after.transfers).toEqual(before.transfers);
    expect(after.outcome).toBe('abandoned_in_queue');
    const events = await h.service.store.eventsForCall(t.callSid);
    expect(events.filter((e) => e.type === 'queue.left')).toHaveLength(1);
    expect(after.eventCount).toBe(before.eventCount);
    expect(events).toHaveLength(before.eventCount);
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
  });
});
