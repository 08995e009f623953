import { Ingestor } from '../../src/ingest/ingestor';
import type { CallEvent } from '../../src/journey/events';
import type { Journey } from '../../src/journey/journey';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { RollupDelta, Store } from '../../src/store/store';
import { callEvents } from '../store/store-contract';
import { tempDir } from '../helpers/harness';
import { stallingFirstRead } from '../helpers/stalling-store';

/** A rollup that counts journeys per outcome and their events, enough to see double counting. */
const contribution = (j: Journey): RollupDelta[] => [
  { flowId: 'vaxel', flowVersion: 'v1', hour: '2026-03-02T08:00:00.000Z', dim: 'call', counts: { calls: 1, [`outcome:${j.outcome}`]: 1, events: j.eventCount } },
];

describe('two instances ingesting the same call at once', () => {
  test('the newer journey wins and rollups count the call once', async () => {
    const store = SqliteStore.open(tempDir('callpath-concurrent-'));
    const callSid = 'CA' + '7'.repeat(32);
    const events = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z'));
    // Instance A reads the call's events, then stalls (a GC pause, a slow network) before writing.
    const { slowStore, release, stalled } = stallingFirstRead(store);
    const accepted: number[] = [];
    slowStore.putJourneys = async (w) => {
      const stored = await store.putJourneys(w);
      accepted.push(stored.size);
      return stored;
    };
    const a = new Ingestor({ store: slowStore, contribution });
    const b = new Ingestor({ store, contribution });
    const first = a.ingest(events.slice(0, 2) as CallEvent[]);
    await stalled;
    // Instance B delivers the rest of the call meanwhile and finishes.
    await b.ingest(events.slice(2) as CallEvent[]);
    release();
    await first;
    // The race happened: A's write, made from what it read before B, was refused, and A read again.
    expect(accepted).toEqual([0]);
    const journey = await store.getJourney(callSid);
    expect(journey?.eventCount).toBe(5);
    expect(journey?.outcome).toBe('abandoned_in_menu');
    const [rollup] = await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' });
    expect(rollup.counts).toEqual({ calls: 1, 'outcome:abandoned_in_menu': 1, events: 5 });
  });
});

test('a delivery retried while the first attempt still runs (same process) counts the call once', async () => {
  const store = SqliteStore.open(tempDir('callpath-overlap-'));
  const callSid = 'CA' + '8'.repeat(32);
  const events = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z'));
  // A slow rollup write lets the overlapping attempts interleave, as on a real network.
  const slow: Store = Object.create(store);
  slow.applyRollups = async (d) => {
    await new Promise((r) => setTimeout(r, 20));
    return store.applyRollups(d);
  };
  const ingestor = new Ingestor({ store: slow, contribution });
  await Promise.all([ingestor.ingest(events as CallEvent[]), ingestor.ingest(events as CallEvent[]), ingestor.ingest(events.slice(0, 3) as CallEvent[])]);
  const [rollup] = await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' });
  expect(rollup.counts).toEqual({ calls: 1, 'outcome:abandoned_in_menu': 1, events: 5 });
});

test('in a group of calls, the one another instance wrote meanwhile is read again, not overwritten; rollups count each call once', async () => {
  const store = SqliteStore.open(tempDir('callpath-group-'));
  const sids = ['CA' + '1'.repeat(32), 'CA' + '2'.repeat(32), 'CA' + '3'.repeat(32)];
  const calls = sids.map((s, i) => callEvents(s, Date.parse('2026-03-02T08:00:00Z') + i * 1000));
  const { slowStore, release, stalled } = stallingFirstRead(store);
  const writes: string[][] = [];
  slowStore.putJourneys = async (w) => (writes.push(w.map((x) => x.journey.callSid)), store.putJourneys(w));
  const a = new Ingestor({ store: slowStore, contribution });
  // A gets the first and third calls whole and the end of the second, and stalls after reading;
  // B meanwhile gets the start of the second call and writes its journey from all five events.
  const first = a.ingest([...calls[0], ...calls[2], ...calls[1].slice(3)] as CallEvent[]);
  await stalled;
  await new Ingestor({ store, contribution }).ingest(calls[1].slice(0, 3) as CallEvent[]);
  release();
  await first;
  // A's one write carried all three; the second call's lost to B's, and on reading again it was already complete.
  expect(writes).toEqual([[sids[0], sids[2], sids[1]]]);
  for (const s of sids) expect((await store.getJourney(s))?.eventCount).toBe(5);
  const [rollup] = await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' });
  expect(rollup.counts).toEqual({ calls: 3, 'outcome:abandoned_in_menu': 3, events: 15 });
});
