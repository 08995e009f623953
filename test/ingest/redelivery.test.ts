import { Ingestor } from '../../src/ingest/ingestor';
import type { Journey } from '../../src/journey/journey';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { RollupDelta, Store } from '../../src/store/store';
import { callEvents } from '../store/store-contract';
import { tempDir } from '../helpers/harness';

const contribution = (j: Journey): RollupDelta[] =>
  j.ended ? [{ flowId: 'vaxel', flowVersion: 'v1', hour: '2026-03-02T08:00:00.000Z', dim: 'call', counts: { calls: 1, [`outcome:${j.outcome}`]: 1, events: j.eventCount } }] : [];
const hour = { from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' };

test('a crash after the events were stored but before the journey was: the redelivery repairs journey and rollups, counted once', async () => {
  const dir = tempDir('callpath-redelivery-');
  const store = SqliteStore.open(dir);
  const callSid = 'CA' + '9'.repeat(32);
  const events = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z'));
  await new Ingestor({ store, contribution }).ingest(events.slice(0, 3));
  // The next delivery stores its events, then the process dies before writing the journey.
  const dying: Store = Object.create(store);
  dying.putJourneys = async () => {
    throw new Error('process died');
  };
  await expect(new Ingestor({ store: dying, contribution }).ingest(events.slice(3))).rejects.toThrow('process died');
  await store.close();
  // After the restart the outbox delivers that batch again, to an ingestor that remembers nothing.
  const reopened = SqliteStore.open(dir);
  expect(await reopened.eventsForCall(callSid)).toHaveLength(5);
  // The stored journey is the one from before the crash: behind its events, so the redelivery projects again.
  expect(await reopened.getJourney(callSid)).toMatchObject({ eventCount: 3, ended: false });
  await new Ingestor({ store: reopened, contribution }).ingest(events.slice(3));
  expect(await reopened.getJourney(callSid)).toMatchObject({ eventCount: 5, ended: true, outcome: 'abandoned_in_menu' });
  expect((await reopened.queryRollups(hour))[0].counts).toEqual({ calls: 1, 'outcome:abandoned_in_menu': 1, events: 5 });
});

test('a redelivery of events already reflected in the journey writes nothing', async () => {
  const store = SqliteStore.open(tempDir('callpath-redelivery-'));
  const callSid = 'CA' + 'a'.repeat(32);
  const events = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z'));
  await new Ingestor({ store, contribution }).ingest(events);
  const writes: string[] = [];
  const watched: Store = Object.create(store);
  watched.putJourneys = async (...a) => (writes.push('journey'), store.putJourneys(...a));
  watched.applyRollups = async (d) => (writes.push('rollups'), store.applyRollups(d));
  await new Ingestor({ store: watched, contribution }).ingest(events);
  expect(writes).toEqual([]);
  expect((await store.queryRollups(hour))[0].counts).toEqual({ calls: 1, 'outcome:abandoned_in_menu': 1, events: 5 });
  await store.close();
});
