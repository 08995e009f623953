import { startFerret, waitForPort } from '../helpers/ferret';
import { ferretBinary } from '../helpers/prerequisites';
import { freePort, startHarness, tempDir } from '../helpers/harness';

/**
 * MongoDB goes through the same "not open yet" path as the embedded store's load: a database that
 * is not reachable when the service starts (it starts later, or slowly) is connected to once it is,
 * while webhooks are answered and their events wait in the outbox.
 */
ferretBinary();

describe('MongoDB not reachable at start-up', () => {
  test('webhooks are answered, the API says STORE_LOADING, and the events are stored once the database comes up', async () => {
    const port = await freePort();
    const h = await startHarness({
      waitForStore: false,
      env: { STORE: 'mongo', MONGODB_URI: `mongodb://127.0.0.1:${port}/callpath_slow_start?maxPoolSize=1&serverSelectionTimeoutMS=500` },
    });
    let ferret: ReturnType<typeof startFerret> | null = null;
    try {
      const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 4000, talkMs: 20_000 }], survey: ['5', '5', '1'] });
      expect(t.requests.every((r) => r.status === 200)).toBe(true);
      expect(t.ending).toBe('hangup-verb');
      expect(h.service.storeStatus().state).toBe('loading');
      const api = await h.api('/api/calls');
      expect(api.status).toBe(503);
      expect(api.body.error.code).toBe('STORE_LOADING');

      ferret = startFerret(port, tempDir('callpath-ferret-slow-'));
      await waitForPort(port);
      await h.service.ready;
      expect(await h.service.outbox.flush(60_000)).toBe(true);
      const journey = await h.api(`/api/calls/${t.callSid}`);
      expect(journey.status).toBe(200);
      expect(journey.body).toMatchObject({ outcome: 'answered_by_department', survey: { bemotande: 5, enkelhet: 5 } });
      expect(h.service.outbox.stats().failures).toBe(0);
    } finally {
      await h.close();
      ferret?.kill('SIGKILL');
    }
  }, 120_000);
});
