import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { FaultyStore } from '../helpers/faulty-store';
import { startHarness, takenAfter, tempDir, type Harness } from '../helpers/harness';

/** The call comes first: whatever the store does, callers get their TwiML, and no event is lost. */
describe('store faults', () => {
  let h: Harness;
  let store: FaultyStore;
  beforeEach(async () => {
    store = new FaultyStore(SqliteStore.open(tempDir('callpath-faulty-')));
    h = await startHarness({ store });
  });
  afterEach(async () => {
    store.heal();
    await h.close();
  });

  const script = { digits: ['5', '4711', '0'], dials: [{ answer: false as const, status: 'no-answer' as const }], queue: takenAfter(10), survey: ['4', '4', '1'] };

  test('with the store hanging, a caller still hears a person’s absence notice: the webhooks read notices from memory', async () => {
    await h.service.notices.set({ person: '+46101304711', reason: 'meeting', until: '2026-03-02T13:00:00.000Z', setBy: 'user:reception@kommun.se', setAt: '2026-03-02T08:00:00.000Z' });
    store.fault = 'slow';
    const t = await h.caller.call({ digits: ['5', '4711', '0'], queue: takenAfter(5), survey: ['4', '4', '1'] });
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    expect(t.said).toContain('Anna Lind är på möte till klockan 14.');
    expect(t.requests.flatMap((r) => r.verbs)).not.toContain('Dial');
    store.heal();
  });

  test.each(['down', 'slow', 'full', 'flaky'] as const)('with the store %s, every webhook still answers TwiML and nothing is lost', async (fault) => {
    store.fault = fault;
    const traces = [];
    for (let i = 0; i < 5; i++) traces.push(await h.caller.call(script));
    for (const t of traces) {
      expect(t.ending).toBe('hangup-verb');
      expect(t.requests.every((r) => r.status === 200)).toBe(true);
      expect(t.requests.map((r) => r.path)).toContain('/twilio/dial');
    }
    if (fault !== 'flaky') expect(h.service.outbox.stats().pending).toBeGreaterThan(0);
    store.heal();
    expect(await h.service.outbox.flush(10_000)).toBe(true);
    for (const t of traces) {
      const events = await store.inner.eventsForCall(t.callSid);
      // Exactly once: ids are unique and the journey matches a clean run's shape.
      expect(new Set(events.map((e) => e.id)).size).toBe(events.length);
      expect(events.filter((e) => e.type === 'call.started')).toHaveLength(1);
      expect(events.filter((e) => e.type === 'survey.answer')).toHaveLength(3);
      const j = (await h.api(`/api/calls/${t.callSid}`)).body;
      expect(j).toMatchObject({ outcome: 'answered_by_operator', keyPresses: 6, survey: { bemotande: 4, enkelhet: 4, answered: true } });
      expect(j.fallbacks).toHaveLength(1);
    }
  });

  test('a store that answers pings but refuses events reads as degraded until the events are stored', async () => {
    store.fault = 'full';
    await h.caller.call(script);
    await h.service.outbox.flush(300);
    const failing = await h.api('/healthz');
    expect(failing.status).toBe(200);
    expect(failing.body).toMatchObject({ status: 'degraded', store: 'ok', delivery: expect.stringMatching(/^failing since \d{4}-.*ENOSPC/) });
    expect(failing.body.outbox.consecutiveFailures).toBeGreaterThan(0);
    expect(Date.parse(failing.body.outbox.failingSince)).toBeLessThanOrEqual(Date.now());
    store.heal();
    expect(await h.service.outbox.flush(10_000)).toBe(true);
    const healed = await h.api('/healthz');
    expect(healed.body).toMatchObject({ status: 'ok', store: 'ok', outbox: { consecutiveFailures: 0, failingSince: null } });
    expect(healed.body.delivery).toBeUndefined();
  });

  test('a store that never answers does not hold up the webhook', async () => {
    store.fault = 'slow';
    const started = h.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: ['5', '5', '1'] });
    const t = await started;
    // The whole call was answered while every store operation was still waiting.
    expect(t.ending).toBe('hangup-verb');
    expect(store.calls).toBeGreaterThan(0);
    expect(await store.inner.eventsForCall(t.callSid)).toEqual([]);
    const health = await h.api('/healthz');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'degraded', store: 'unavailable: no answer within 1 s' });
    expect(health.body.outbox.pending).toBeGreaterThan(0);
  });
});
