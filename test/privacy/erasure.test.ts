import fs from 'node:fs';
import path from 'node:path';
import { Ingestor } from '../../src/ingest/ingestor';
import { Outbox } from '../../src/ingest/outbox';
import { OutboxJournal } from '../../src/ingest/outbox-journal';
import { createLogger } from '../../src/log';
import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { eraseCallerData } from '../../src/privacy/erasure';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { Store } from '../../src/store/store';
import { API_TOKEN, startHarness, tempDir, type Harness } from '../helpers/harness';
import { embeddedAndMongoStores } from '../helpers/store-factories';
import { callEvents, sid } from '../store/store-contract';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const CALLER = 'k1:abc';

/** A promise and the function that resolves it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open!: () => void;
  const opened = new Promise<void>((r) => (open = r));
  return { opened, open };
}

const factories = embeddedAndMongoStores('callpath-erasure-', 'callpath_erasure');

describe.each(factories)('an erasure while the same call is being ingested ($name store)', (factory) => {
  let store: Store;
  beforeEach(async () => {
    store = await factory.open();
  });
  afterEach(async () => {
    await store.close();
    await factory.cleanup();
  });

  /** A call stored up to its last event, whose last event is being delivered now. */
  async function callInProgress(): Promise<{ callSid: string; last: CallEvent[] }> {
    const callSid = sid();
    const events = callEvents(callSid, T0, CALLER);
    await store.appendEvents(events.slice(0, 4));
    await store.putJourney(projectJourney(callSid, events.slice(0, 4)));
    return { callSid, last: events.slice(4) };
  }

  async function expectGone(callSid: string): Promise<void> {
    expect(await store.getJourney(callSid)).toBeNull();
    expect(await store.eventsForCall(callSid)).toEqual([]);
    expect(await store.journeysOfCaller(CALLER)).toEqual([]);
  }

  test('a group that read the call before the deletion does not write its journey back, pseudonym and all', async () => {
    const { callSid, last } = await callInProgress();
    // The group reads the call's events, then its journey a moment later (two requests, as on
    // MongoDB, where the deletion can fall between them).
    const journeysRead = gate();
    const readingJourneys = gate();
    const slow: Store = Object.create(store);
    slow.getJourneys = async (sids) => {
      readingJourneys.open();
      await journeysRead.opened;
      return store.getJourneys(sids);
    };
    const ingestor = new Ingestor({ store: slow });
    const ingesting = ingestor.ingest(last);
    await readingJourneys.opened;
    const events = await store.eventsForCalls([callSid]);
    expect(events.get(callSid)).toHaveLength(5);
    const erasing = eraseCallerData({ store, deleteCalls: (s) => ingestor.deleteCalls(s) }, [CALLER]);
    await new Promise((r) => setTimeout(r, 20));
    journeysRead.open();
    await ingesting;
    expect(await erasing).toEqual({ journeys: 1, events: 5 });
    await expectGone(callSid);
  });

  test('a delivery whose events were erased between their append and its projection writes no journey', async () => {
    const { callSid, last } = await callInProgress();
    const appended = gate();
    const goOn = gate();
    const slow: Store = Object.create(store);
    slow.appendEvents = async (events) => {
      const n = await store.appendEvents(events);
      appended.open();
      await goOn.opened;
      return n;
    };
    const ingestor = new Ingestor({ store: slow });
    const ingesting = ingestor.ingest(last);
    await appended.opened;
    expect(await eraseCallerData({ store, deleteCalls: (s) => ingestor.deleteCalls(s) }, [CALLER])).toEqual({ journeys: 1, events: 5 });
    goOn.open();
    await ingesting;
    // Not even a journey without events or caller: nothing would ever expire it by time.
    await expectGone(callSid);
  });
});

describe('erasure of events still waiting in the outbox', () => {
  let h: Harness;
  /** Deliveries wait at the store's door while closed. */
  let door: { opened: Promise<void>; open: () => void } | null;
  let down: boolean;

  beforeEach(async () => {
    door = null;
    down = false;
    const inner = SqliteStore.open(tempDir('callpath-erase-pending-'));
    const store: Store = Object.create(inner);
    store.appendEvents = async (events) => {
      if (down) throw new Error('connect ECONNREFUSED 127.0.0.1:27017');
      await door?.opened;
      return inner.appendEvents(events);
    };
    h = await startHarness({ store, options: { erasureWaitMs: 1000 } });
  });
  afterEach(async () => {
    down = false;
    door?.open();
    await h.close();
  });

  const post = (path: string, body: unknown) =>
    fetch(h.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${API_TOKEN}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
      status: r.status,
      retryAfter: r.headers.get('retry-after'),
      body: (await r.json()) as any,
    }));
  const exported = async (number: string) => (await post('/api/privacy/caller-data', { number })).body.calls.map((c: any) => c.journey.callSid);

  test('a call not yet stored when the erasure is asked for is stored first, then erased with the rest', async () => {
    const stored = await h.caller.call({ from: '+46705550001', digits: ['1'], dials: [{ answer: true }] });
    await h.settle();
    door = gate();
    // Just ended; its events wait for a slow store.
    const waiting = await h.caller.call({ from: '+46705550001', digits: ['2'], dials: [{ answer: true }] });
    const other = await h.caller.call({ from: '+46705550002', digits: ['2'], dials: [{ answer: true }] });
    const erasing = post('/api/privacy/caller-data/erase', { number: '+46705550001' });
    setTimeout(() => door!.open(), 100);
    const erased = await erasing;
    expect(erased.status).toBe(200);
    expect(erased.body.erased.journeys).toBe(2);
    await h.settle();
    expect(await exported('+46705550001')).toEqual([]);
    for (const c of [stored, waiting]) expect(await h.service.store.eventsForCall(c.callSid)).toEqual([]);
    expect(await exported('+46705550002')).toEqual([other.callSid]);
  });

  test('when they cannot be stored in time, nothing is erased and the answer says why (503, stable code); a repeat once stored erases all', async () => {
    const stored = await h.caller.call({ from: '+46705550001', digits: ['1'], dials: [{ answer: true }] });
    await h.settle();
    down = true;
    const waiting = await h.caller.call({ from: '+46705550001', digits: ['2'], dials: [{ answer: true }] });
    const refused = await post('/api/privacy/caller-data/erase', { number: '+46705550001' });
    expect(refused.status).toBe(503);
    expect(refused.retryAfter).toBe('30');
    expect(refused.body.error.code).toBe('ERASURE_EVENTS_PENDING');
    expect(refused.body.error.waiting).toBeGreaterThan(0);
    expect(refused.body.error.message).toMatch(/Nothing was erased/);
    expect(JSON.stringify(refused.body)).not.toContain('5550001');
    expect(await exported('+46705550001')).toEqual([stored.callSid]);
    down = false;
    const erased = await post('/api/privacy/caller-data/erase', { number: '+46705550001' });
    expect(erased.status).toBe(200);
    expect(erased.body.erased.journeys).toBe(2);
    await h.settle();
    expect(await exported('+46705550001')).toEqual([]);
    expect(await h.service.store.eventsForCall(waiting.callSid)).toEqual([]);
  });
});

/** Every byte of the SQLite files in a folder (database and WAL), to search for what must be gone. */
function bytesOf(dir: string): string {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sqlite') || f.endsWith('.sqlite-wal'))
    .map((f) => fs.readFileSync(path.join(dir, f)).toString('latin1'))
    .join('\n');
}

describe('the files after an erasure', () => {
  test('neither the store\'s nor the outbox journal\'s database and WAL hold the erased caller\'s pseudonym or calls; the events still waiting are delivered, and a restart repeats nothing', async () => {
    const dir = tempDir('callpath-erase-files-');
    const store = SqliteStore.open(dir);
    const ingestor = new Ingestor({ store });
    const [erased, other, later] = [sid(), sid(), sid()];
    const laterStored = gate();
    const box = new Outbox(
      async (events) => {
        if (events[0].callSid === later) await laterStored.opened;
        await ingestor.ingest(events);
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 1000, lingerMs: 0, log: createLogger('silent') },
    );
    box.enqueue(callEvents(erased, T0, CALLER));
    box.enqueue(callEvents(other, T0, 'k1:other'));
    expect((await box.deliverEnqueued(5000)).delivered).toBe(true);
    const found = (text: string) => [erased, CALLER, other, later].filter((s) => text.includes(s));
    // Before the erasure the caller is in the files (else this test could not fail).
    expect(found(bytesOf(dir))).toEqual([erased, CALLER, other]);
    const erasing = eraseCallerData({ store, pending: box, deleteCalls: (s) => ingestor.deleteCalls(s) }, [CALLER]);
    // A webhook of another call arrives once the erasure was asked for: it waits in the journal.
    box.enqueue(callEvents(later, T0, 'k1:someone-else'));
    const result = await erasing;
    // Journaled at the end of its turn.
    await new Promise((r) => setImmediate(r));
    expect(result).toEqual({ journeys: 1, events: 5 });
    expect(await store.getJourney(erased)).toBeNull();
    // The other delivered call stays in the store; the call still waiting stays in the journal.
    expect(found(bytesOf(dir))).toEqual([other, later]);
    expect(box.stats().pending).toBe(5);
    // The process dies here (no stop); a new one delivers what waited, and nothing else.
    const again: string[] = [];
    const restarted = new Outbox(async (events) => void again.push(...events.map((e) => e.id)), { journal: OutboxJournal.open(dir), maxInMemory: 1000, log: createLogger('silent') });
    expect(restarted.stats().pending).toBe(5);
    expect(await restarted.flush()).toBe(true);
    expect(again).toEqual(callEvents(later, T0).map((e) => e.id));
    await restarted.stop();
    laterStored.open();
    await box.stop(0);
    await store.close();
  });
});
