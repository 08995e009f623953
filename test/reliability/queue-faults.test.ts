import path from 'node:path';
import { SimScheduler } from '../../src/sim/sim-scheduler';
import { VirtualCaller, type SimClock } from '../../src/sim/virtual-caller';
import { VirtualOperator } from '../../src/sim/virtual-operator';
import { VirtualQueues } from '../../src/sim/virtual-queues';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { FaultyStore } from '../helpers/faulty-store';
import { AUTH_TOKEN, startHarness, tempDir, type Harness } from '../helpers/harness';

const FLOWS = path.join(__dirname, '../fixtures/flows/queue');

/** A caller waiting in the queue hears their place whatever the store does, and nothing they did is lost. */
describe('queue webhooks with the store down', () => {
  let h: Harness;
  let store: FaultyStore;
  beforeEach(async () => {
    store = new FaultyStore(SqliteStore.open(tempDir('callpath-queue-faulty-')));
    h = await startHarness({ store, env: { FLOWS_DIR: FLOWS } });
  });
  afterEach(async () => {
    store.heal();
    await h.close();
  });

  test.each(['down', 'slow'] as const)('with the store %s, the wait, the bridge and the leaving all answer TwiML; healed, the journey is whole', async (fault) => {
    store.fault = fault;
    const sched = new SimScheduler(h.clock);
    const queues = new VirtualQueues();
    const clock: SimClock = { now: () => sched.now(), sleep: (ms) => sched.sleep(ms), nap: (ms, w) => sched.nap(ms, w) };
    const caller = new VirtualCaller({ authToken: AUTH_TOKEN, publicBaseUrl: h.baseUrl, clock, queues });
    const operator = new VirtualOperator({ publicBaseUrl: h.baseUrl, clock, queues, signer: caller });
    const [t, op] = await Promise.all([
      sched.actor(() => caller.call({ digits: ['0'], survey: ['4', '4', '1'] })),
      sched.actor(async () => {
        await sched.sleep(95_000);
        return operator.call({ from: '+46701110002', agentNumber: '+46101300199', talkMs: 30_000 });
      }),
    ]);
    expect(t.ending).toBe('hangup-verb');
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    const paths = t.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/twilio/queue-wait').length).toBeGreaterThanOrEqual(3);
    expect(paths).toContain('/twilio/queue-result');
    expect(t.said).toContain('Du är först i kön.');
    expect(op.requests.every((r) => r.status === 200)).toBe(true);
    expect(h.service.outbox.stats().pending).toBeGreaterThan(0);

    store.heal();
    expect(await h.service.outbox.flush(10_000)).toBe(true);
    const j = (await h.api(`/api/calls/${t.callSid}`)).body;
    expect(j).toMatchObject({ outcome: 'answered_by_operator', survey: { bemotande: 4, enkelhet: 4, answered: true } });
    expect(j.transfers[0].queue).toMatchObject({ result: 'bridged', operator: 'omar' });
  });
});
