import { Ingestor } from '../../src/ingest/ingestor';
import { Outbox } from '../../src/ingest/outbox';
import type { Journey } from '../../src/journey/journey';
import { createLogger } from '../../src/log';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import type { RollupDelta } from '../../src/store/store';
import { startSilentNetworkProxy } from '../helpers/silent-network-proxy';
import { callEvents } from '../store/store-contract';
import { mongoTestUri } from '../helpers/prerequisites';

const uri = mongoTestUri();
const log = createLogger('silent');

const contribution = (j: Journey): RollupDelta[] =>
  j.ended ? [{ flowId: 'vaxel', flowVersion: 'v1', hour: '2026-03-02T08:00:00.000Z', dim: 'call', counts: { calls: 1 } }] : [];

/**
 * The database host vanishes without closing its connections: a request in flight is never answered
 * and never fails. The delivery that sent it holds its calls in the ingestor (one refresh per call at
 * a time), so unless the store gives up on the request, every later delivery of those calls waits
 * behind it, and the outbox stays stuck after the database is reachable again.
 */
describe('the Mongo store when the network to the database goes silent', () => {
  test('a request that is never answered fails within the store’s operation timeout, and deliveries resume once the database is reachable', async () => {
    const target = new URL(uri!);
    const proxy = await startSilentNetworkProxy({ host: target.hostname, port: Number(target.port) });
    const proxied = new URL(uri!);
    proxied.port = String(proxy.port);
    proxied.pathname = `/callpath_silent_${process.pid}`;
    proxied.searchParams.set('maxPoolSize', '2');
    const store = await MongoStore.connect(proxied.toString(), log, { serverSelectionTimeoutMS: 500, operationTimeoutMS: 1000 });
    const ingestor = new Ingestor({ store, contribution });
    const outbox = new Outbox((events) => ingestor.ingest(events), { journal: null, maxInMemory: 1000, deliverTimeoutMs: 2500, retryMinMs: 50, retryMaxMs: 300, lingerMs: 0, log });
    try {
      const callSid = 'CA' + 'c'.repeat(32);
      const events = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z'));
      outbox.enqueue(events.slice(0, 2));
      expect(await outbox.flush(10_000)).toBe(true);

      proxy.cut();
      outbox.enqueue(events.slice(2, 4));
      for (const deadline = Date.now() + 10_000; outbox.stats().consecutiveFailures === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
      expect(outbox.stats().consecutiveFailures).toBeGreaterThan(0);

      proxy.restore();
      outbox.enqueue(events.slice(4));
      const drained = await outbox.flush(15_000);
      expect({ drained, lastError: drained ? null : outbox.stats().lastError }).toEqual({ drained: true, lastError: null });
      expect(await store.getJourney(callSid)).toMatchObject({ eventCount: events.length, ended: true });
      expect((await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' }))[0].counts).toEqual({ calls: 1 });
    } finally {
      await outbox.stop(1000);
      await store.close().catch(() => undefined);
      await proxy.close();
    }
  }, 60_000);
});
