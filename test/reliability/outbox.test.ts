import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { Outbox } from '../../src/ingest/outbox';
import { OUTBOX_FILE, OutboxJournal, openServiceJournal } from '../../src/ingest/outbox-journal';
import type { CallEvent } from '../../src/journey/events';
import { createLogger } from '../../src/log';
import { startHarness, tempDir } from '../helpers/harness';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const log = createLogger('silent');
/** What the journal file holds, read through a connection of its own (as another process would). */
function journalIds(dir: string): string[] {
  const db = new Database(path.join(dir, OUTBOX_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT body FROM journal ORDER BY seq').pluck().all() as string[]).map((b) => JSON.parse(b).id);
  } finally {
    db.close();
  }
}
const event = (i: number): CallEvent => ({ id: `e${i}`, callSid: 'CA' + '0'.repeat(32), at: i, step: i, seq: 0, type: 'input.timeout', nodeId: 'main' });

describe('outbox', () => {
  test('events not yet delivered survive a crash and are delivered, in order, after restart', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered: string[] = [];
    let storeUp = false;
    const deliver = async (events: CallEvent[]) => {
      if (!storeUp) throw new Error('store down');
      delivered.push(...events.map((e) => e.id));
    };
    // The first process never reaches its store; after the "crash" its timers must not deliver either.
    let crashed = false;
    const first = new Outbox(async (events) => {
      if (crashed || !storeUp) throw new Error('store down');
      await deliver(events);
    }, { journal: OutboxJournal.open(dir), maxInMemory: 1000, log, retryMinMs: 5, retryMaxMs: 20 });
    for (let i = 0; i < 30; i++) first.enqueue([event(i)]);
    await new Promise((r) => setTimeout(r, 30));
    expect(first.stats().pending).toBe(30);
    // The process dies here: no flush, no stop. A new process opens the same folder.
    crashed = true;
    storeUp = true;
    const second = new Outbox(deliver, { journal: OutboxJournal.open(dir), maxInMemory: 1000, log });
    expect(second.stats().pending).toBe(30);
    expect(await second.flush()).toBe(true);
    expect(delivered).toEqual(Array.from({ length: 30 }, (_, i) => `e${i}`));
    await second.stop();
    void first;
  });

  test('a webhook\'s callback runs once its events are in the journal file; a turn\'s webhooks share one write, in order', async () => {
    const dir = tempDir('callpath-outbox-');
    const box = new Outbox(async () => undefined, { journal: OutboxJournal.open(dir), maxInMemory: 1000, held: true, log });
    const journal = () => journalIds(dir);
    const seen: string[][] = [];
    for (let i = 0; i < 5; i++) box.enqueue([event(2 * i), event(2 * i + 1)], () => seen.push(journal()));
    // Not yet: the journal is written at the end of the turn.
    expect(seen).toEqual([]);
    await new Promise((r) => setImmediate(r));
    const all = Array.from({ length: 10 }, (_, i) => `e${i}`);
    expect(seen).toEqual(Array.from({ length: 5 }, () => all));
    expect(box.stats()).toMatchObject({ pending: 10, inMemory: 10 });
    await box.stop(0);
  });

  test('a journal write that fails (the disk full) still lets the webhooks answer, and their events are delivered from memory', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered: string[] = [];
    const journal = OutboxJournal.open(dir);
    const box = new Outbox(async (events) => void delivered.push(...events.map((e) => e.id)), { journal, maxInMemory: 10, log });
    // The file may not grow by a page: SQLite's own "database or disk is full".
    journal.db.pragma(`max_page_count = ${journal.db.pragma('page_count', { simple: true })}`);
    const big = (i: number) => ({ ...event(i), nodeId: 'x'.repeat(20_000) }) as CallEvent;
    let answered = 0;
    box.enqueue([big(1)], () => answered++);
    box.enqueue([big(2)], () => answered++);
    await new Promise((r) => setImmediate(r));
    expect(answered).toBe(2);
    expect(journalIds(dir)).toEqual([]);
    expect(await box.flush()).toBe(true);
    expect(delivered).toEqual(['e1', 'e2']);
    await box.stop();
  });

  test('held while the store opens: events are journaled, not delivered, and no failure is counted or logged; release delivers them in order', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered: string[] = [];
    const lines: string[] = [];
    const box = new Outbox(async (events) => void delivered.push(...events.map((e) => e.id)), {
      journal: OutboxJournal.open(dir),
      maxInMemory: 1000,
      held: true,
      lingerMs: 1,
      log: createLogger('info', { write: (l: string) => void lines.push(l) }),
    });
    for (let i = 0; i < 20; i++) box.enqueue([event(i)]);
    await new Promise((r) => setTimeout(r, 30));
    expect(box.stats()).toMatchObject({ pending: 20, delivered: 0, failures: 0, held: true });
    // flush waits for the release up to its deadline, then says what is left.
    expect(await box.flush(60)).toBe(false);
    expect(delivered).toEqual([]);
    const flushing = box.flush(5000);
    box.release();
    expect(await flushing).toBe(true);
    expect(delivered).toEqual(Array.from({ length: 20 }, (_, i) => `e${i}`));
    expect(lines).toEqual([]);
    await box.stop();
  });

  test('stopped while held: stop(0) returns at once and the journal keeps every event for the next start', async () => {
    const dir = tempDir('callpath-outbox-');
    const box = new Outbox(async () => undefined, { journal: OutboxJournal.open(dir), maxInMemory: 1000, held: true, log });
    for (let i = 0; i < 10; i++) box.enqueue([event(i)]);
    expect(await box.stop(0)).toBe(false);
    const delivered: string[] = [];
    const next = new Outbox(async (events) => void delivered.push(...events.map((e) => e.id)), { journal: OutboxJournal.open(dir), maxInMemory: 1000, log });
    expect(await next.flush()).toBe(true);
    expect(delivered).toHaveLength(10);
    await next.stop();
  });

  test('holds at most maxInMemory events in memory; the rest wait on disk and are all delivered', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered: string[] = [];
    let up = false;
    const box = new Outbox(async (events) => {
      if (!up) throw new Error('down');
      delivered.push(...events.map((e) => e.id));
    }, { journal: OutboxJournal.open(dir), maxInMemory: 100, batchSize: 40, log, retryMinMs: 5, retryMaxMs: 10 });
    for (let i = 0; i < 1000; i++) box.enqueue([event(i)]);
    expect(box.stats()).toMatchObject({ pending: 1000, inMemory: 100, onDiskOnly: 900 });
    up = true;
    expect(await box.flush()).toBe(true);
    expect(delivered).toEqual(Array.from({ length: 1000 }, (_, i) => `e${i}`));
    // Delivered rows are deleted: the journal holds only what waits.
    expect(journalIds(dir)).toEqual([]);
    await box.stop();
  });

  test('graceful stop finishes the outbox: everything recorded is in the store afterwards', async () => {
    const dataDir = tempDir('callpath-stop-');
    const storeDir = tempDir('callpath-stop-store-');
    const h = await startHarness({ dataDir, store: SqliteStore.open(storeDir) });
    const t = await h.caller.call({ digits: ['2'], dials: [{ answer: true }], survey: ['5', '4', '1'] });
    await h.close();
    const reopened = SqliteStore.open(storeDir);
    const events = await reopened.eventsForCall(t.callSid);
    expect(events.map((e) => e.type)).toContain('call.ended');
    expect((await reopened.getJourney(t.callSid))?.survey.bemotande).toBe(5);
  });
});

test('a delivery that never settles is abandoned after the timeout and tried again', async () => {
  const delivered: string[] = [];
  let attempts = 0;
  const box = new Outbox(
    async (events) => {
      if (++attempts === 1) return new Promise<void>(() => undefined);
      delivered.push(...events.map((e) => e.id));
    },
    { journal: null, maxInMemory: 10, log, deliverTimeoutMs: 50, retryMinMs: 5 },
  );
  box.enqueue([event(7)]);
  expect(await box.flush(5_000)).toBe(true);
  expect(attempts).toBe(2);
  expect(delivered).toEqual(['e7']);
  expect(box.stats().failures).toBe(1);
  await box.stop();
});

test('after a delivery times out, smaller batches are tried, and the size grows back once the store keeps up', async () => {
  const sizes: number[] = [];
  let slow = true;
  const box = new Outbox(
    async (events) => {
      sizes.push(events.length);
      if (slow && events.length > 50) return new Promise<void>(() => undefined);
    },
    { journal: null, maxInMemory: 10_000, batchSize: 400, log, deliverTimeoutMs: 30, retryMinMs: 1, retryMaxMs: 2 },
  );
  for (let i = 0; i < 1000; i++) box.enqueue([event(i)]);
  expect(await box.flush(5_000)).toBe(true);
  expect(sizes.slice(0, 4)).toEqual([400, 200, 100, 50]);
  slow = false;
  for (let i = 1000; i < 2000; i++) box.enqueue([event(i)]);
  expect(await box.flush(5_000)).toBe(true);
  expect(Math.max(...sizes.slice(-3))).toBe(400);
  await box.stop();
});

describe('outbox batching', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  async function until(cond: () => boolean, ms = 3_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!cond() && Date.now() < deadline) await sleep(5);
  }

  test('events enqueued one by one wait for the linger and are delivered together', async () => {
    const batches: number[] = [];
    const box = new Outbox(async (events) => void batches.push(events.length), { journal: null, maxInMemory: 1000, batchSize: 50, lingerMs: 300, log });
    for (let i = 0; i < 10; i++) box.enqueue([event(i)]);
    await sleep(30);
    expect(batches).toEqual([]);
    await until(() => batches.length > 0);
    expect(batches).toEqual([10]);
    await box.stop();
  });

  test('a full batch does not wait for the linger, and flush delivers at once', async () => {
    const delivered: string[] = [];
    const box = new Outbox(async (events) => void delivered.push(...events.map((e) => e.id)), { journal: null, maxInMemory: 1000, batchSize: 20, lingerMs: 60_000, log });
    for (let i = 0; i < 20; i++) box.enqueue([event(i)]);
    await until(() => delivered.length === 20);
    expect(delivered).toHaveLength(20);
    box.enqueue([event(20)]);
    const started = Date.now();
    expect(await box.flush()).toBe(true);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(delivered).toHaveLength(21);
    await box.stop();
  });

  test('under steady load the journal holds just the undelivered events, and nothing once all are delivered', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered: string[] = [];
    let next = 0;
    let longest = 0;
    const box: Outbox = new Outbox(
      async (events) => {
        delivered.push(...events.map((e) => e.id));
        // The batch in flight and what arrived meanwhile; the batches before it are gone.
        const inJournal = journalIds(dir);
        expect(inJournal[0]).toBe(events[0].id);
        longest = Math.max(longest, inJournal.length);
        // A webhook arrives while each delivery is in flight, so something always waits.
        if (next < 1000) box.enqueue([event(next++)]);
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 10_000, lingerMs: 0, log },
    );
    box.enqueue([event(next++)]);
    expect(await box.flush()).toBe(true);
    expect(delivered).toEqual(Array.from({ length: 1000 }, (_, i) => `e${i}`));
    expect(longest).toBeLessThanOrEqual(3);
    expect(journalIds(dir)).toEqual([]);
    await box.stop();
  });

  test('webhooks that arrive during a delivery are journaled and answered before the next batch of a backlog starts', async () => {
    const dir = tempDir('callpath-outbox-');
    // Webhooks arrive as network I/O does: their enqueue runs in the event loop's poll phase, after the batch.
    const channel = new MessageChannel();
    const deliveredWhenAnswered: number[] = [];
    let deliveries = 0;
    channel.port2.on('message', (i: number) => box.enqueue([event(1000 + i)], () => deliveredWhenAnswered.push(deliveries)));
    const box: Outbox = new Outbox(
      async () => {
        // A store that answers without waiting for I/O (the embedded one): the batch holds the event loop.
        deliveries++;
        if (deliveries <= 2) channel.port1.postMessage(deliveries);
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 10_000, batchSize: 10, lingerMs: 0, log, held: true },
    );
    try {
      for (let i = 0; i < 50; i++) box.enqueue([event(i)]);
      await new Promise((r) => setImmediate(r));
      box.release();
      expect(await box.flush()).toBe(true);
      // Each webhook was answered right after the batch it arrived in, not after the one that followed.
      expect(deliveredWhenAnswered).toEqual([1, 2]);
    } finally {
      channel.port1.close();
      await box.stop();
    }
  });

  test('a crash under steady load loses and repeats nothing', async () => {
    const dir = tempDir('callpath-outbox-');
    const first: string[] = [];
    let next = 0;
    let deliveries = 0;
    const box: Outbox = new Outbox(
      async (events) => {
        // The process dies at the 300th delivery: nothing is delivered or recorded from then on.
        if (++deliveries >= 300) throw new Error('crashed');
        first.push(...events.map((e) => e.id));
        box.enqueue([event(next++)]);
        box.enqueue([event(next++)]);
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 10_000, lingerMs: 0, log, retryMinMs: 5, retryMaxMs: 10 },
    );
    box.enqueue([event(next++)]);
    await until(() => deliveries >= 300);
    expect(first).toEqual(Array.from({ length: first.length }, (_, i) => `e${i}`));
    expect(first.length).toBeGreaterThan(500);
    // A second process on the same file while the first is still "running" (killed, its file left as it was).
    const second: string[] = [];
    const restarted = new Outbox(async (events) => void second.push(...events.map((e) => e.id)), { journal: OutboxJournal.open(dir), maxInMemory: 10_000, log });
    expect(restarted.stats().pending).toBe(next - first.length);
    expect(await restarted.flush()).toBe(true);
    expect(second).toEqual(Array.from({ length: next - first.length }, (_, i) => `e${first.length + i}`));
    await restarted.stop();
    await box.stop(0);
  });
});

describe('outbox: delivering what was enqueued before a moment (an erasure)', () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  test('resolves once the events enqueued before it are delivered, though new ones keep arriving', async () => {
    const dir = tempDir('callpath-outbox-');
    const delivered = new Set<string>();
    let next = 0;
    const box: Outbox = new Outbox(
      async (events) => {
        await sleep(1);
        for (const e of events) delivered.add(e.id);
        // Traffic: two webhooks arrive during every delivery, so the outbox is never empty.
        box.enqueue([event(next++)]);
        box.enqueue([event(next++)]);
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 10_000, batchSize: 10, lingerMs: 50, log },
    );
    for (; next < 200; ) box.enqueue([event(next++)]);
    const started = Date.now();
    const r = await box.deliverEnqueued(10_000);
    expect(r).toEqual({ delivered: true, waiting: 0 });
    expect(Date.now() - started).toBeLessThan(5_000);
    for (let i = 0; i < 200; i++) expect(delivered.has(`e${i}`)).toBe(true);
    expect(box.stats().pending).toBeGreaterThan(0);
    await box.stop(0);
  });

  test('says how many of them still wait when the store does not take them in time, and does not wait while deliveries are held', async () => {
    let up = false;
    const box = new Outbox(
      async () => {
        if (!up) throw new Error('store down');
      },
      { journal: OutboxJournal.open(tempDir('callpath-outbox-')), maxInMemory: 1000, retryMinMs: 5, retryMaxMs: 20, log },
    );
    for (let i = 0; i < 7; i++) box.enqueue([event(i)]);
    expect(await box.deliverEnqueued(200)).toEqual({ delivered: false, waiting: 7 });
    up = true;
    expect(await box.deliverEnqueued(2000)).toEqual({ delivered: true, waiting: 0 });
    await box.stop();
    const held = new Outbox(async () => undefined, { journal: OutboxJournal.open(tempDir('callpath-outbox-')), maxInMemory: 1000, held: true, log });
    held.enqueue([event(1)]);
    const started = Date.now();
    expect(await held.deliverEnqueued(5000)).toEqual({ delivered: false, waiting: 1 });
    expect(Date.now() - started).toBeLessThan(1000);
    await held.stop(0);
  });

  test('after purgeDelivered neither the journal file nor its WAL holds a delivered event; the one still waiting stays', async () => {
    const dir = tempDir('callpath-outbox-');
    const marked = (i: number) => ({ ...event(i), nodeId: `marker-${i}-` + 'm'.repeat(40) }) as CallEvent;
    let open!: () => void;
    const later = new Promise<void>((r) => (open = r));
    const box = new Outbox(
      async (events) => {
        if (events[0].id === 'e9') await later;
      },
      { journal: OutboxJournal.open(dir), maxInMemory: 1000, lingerMs: 0, log },
    );
    box.enqueue([marked(1), marked(2), marked(3)]);
    expect(await box.deliverEnqueued(2000)).toEqual({ delivered: true, waiting: 0 });
    box.enqueue([marked(9)]);
    expect(await box.deliverEnqueued(100)).toEqual({ delivered: false, waiting: 1 });
    const files = () => [OUTBOX_FILE, `${OUTBOX_FILE}-wal`].map((f) => (fs.existsSync(path.join(dir, f)) ? fs.readFileSync(path.join(dir, f)).toString('latin1') : '')).join('');
    // Deleted, but an older version of their page is still in the WAL: what the purge is for.
    const holds = (text: string) => [1, 2, 3, 9].filter((i) => text.includes(`marker-${i}-`));
    expect(holds(files())).toContain(1);
    box.purgeDelivered();
    expect(holds(files())).toEqual([9]);
    open();
    expect(await box.flush()).toBe(true);
    await box.stop();
  });

  test('an earlier version\'s journal folder is moved into the new journal once: the undelivered events after its position, in order, its erasure placeholders left out', async () => {
    const dataDir = tempDir('callpath-outbox-');
    const legacy = path.join(dataDir, 'outbox');
    fs.mkdirSync(legacy);
    const lines = [event(0), { erased: true }, event(1), { erased: true }, event(2), event(3)];
    fs.writeFileSync(path.join(legacy, 'outbox.jsonl'), lines.map((l) => JSON.stringify(l) + '\n').join('') + '{"torn');
    fs.writeFileSync(path.join(legacy, 'outbox.ack'), JSON.stringify({ acked: 2 }));
    const journal = openServiceJournal(dataDir, log)!;
    expect(fs.existsSync(legacy)).toBe(false);
    expect(fs.existsSync(`${legacy}.imported`)).toBe(true);
    const delivered: string[] = [];
    const box = new Outbox(async (events) => void delivered.push(...events.map((e) => e.id)), { journal, maxInMemory: 1000, log });
    expect(await box.flush()).toBe(true);
    expect(delivered).toEqual(['e1', 'e2', 'e3']);
    await box.stop();
    // Not again at the next start.
    const again = openServiceJournal(dataDir, log)!;
    expect(again.count()).toBe(0);
    await again.close();
  });
});
