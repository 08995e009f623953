import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { FaultyStore } from '../helpers/faulty-store';
import { startHarness, tempDir, type Harness } from '../helpers/harness';
import { AGENT_NUMBER, OMAR, QUEUE_FLOWS as FLOWS, queueSim } from '../helpers/queue-sim';

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
    const { sched, caller, operator, after } = queueSim(h);
    const [t, op] = await Promise.all([
      sched.actor(() => caller.call({ digits: ['0'], survey: ['4', '4', '1'] })),
      after(95_000, () => operator.call({ from: OMAR, agentNumber: AGENT_NUMBER, talkMs: 30_000 })),
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
