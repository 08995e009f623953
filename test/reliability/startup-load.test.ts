import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { OUTBOX_FILE } from '../../src/ingest/outbox-journal';
import { projectJourney } from '../../src/journey/projector';
import { createLogger } from '../../src/log';
import { openEmbedded } from '../../src/store/open';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { StoreOpener } from '../../src/store/opening-store';
import { startHarness, tempDir, type Harness } from '../helpers/harness';
import { callEvents, sid } from '../store/store-contract';

/**
 * The service answers webhooks while its store opens in the background: the one long open of the
 * embedded store is the first start on a data folder of an earlier version, whose JSON-lines files
 * are imported into SQLite. The import is held half-way by a hook (at its third progress report)
 * until the test lets it go, so "during the load" is a state the test controls, not a race against
 * a timer.
 */

const T0 = Date.parse('2026-03-02T08:00:00Z'); // the harness clock's start; 09:00 in Stockholm
const STORED_CALLS = 2000;
const TODAY_CALLS = 3;

/** A data folder in the earlier versions' format holding many calls: a few earlier today, the rest the day before. */
function dataDirWithCalls(): { dataDir: string; sids: string[] } {
  const dataDir = tempDir('callpath-startup-');
  const dir = path.join(dataDir, 'store');
  fs.mkdirSync(dir);
  const sids: string[] = [];
  const events: string[] = [];
  const journeys: string[] = [];
  for (let i = 0; i < STORED_CALLS; i++) {
    const s = sid();
    const start = i < TODAY_CALLS ? T0 - 3_600_000 + i * 60_000 : T0 - 86_400_000 - i * 10_000;
    const ev = callEvents(s, start);
    for (const e of ev) events.push(JSON.stringify(e));
    journeys.push(JSON.stringify(projectJourney(s, ev)));
    sids.push(s);
  }
  fs.writeFileSync(path.join(dir, 'events.jsonl'), events.join('\n') + '\n');
  fs.writeFileSync(path.join(dir, 'journeys.jsonl'), journeys.join('\n') + '\n');
  return { dataDir, sids };
}

/** The outbox journal's rows, read as another process would. */
function journalText(dataDir: string): string {
  const db = new Database(path.join(dataDir, OUTBOX_FILE), { readonly: true });
  try {
    return (db.prepare('SELECT body FROM journal').pluck().all() as string[]).join('\n');
  } finally {
    db.close();
  }
}

/** The embedded store's open, holding its import at the third progress report until release(); aborts like the real one. */
function heldLoad(dataDir: string, log = createLogger('silent')) {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let chunks = 0;
  let reachedHold!: () => void;
  const atHold = new Promise<void>((r) => (reachedHold = r));
  let signal: AbortSignal | null = null;
  const inner = openEmbedded(dataDir, log, {
    pace: async () => {
      if (++chunks !== 3) return;
      reachedHold();
      await Promise.race([released, new Promise((_r, reject) => signal!.addEventListener('abort', () => reject(signal!.reason)))]);
    },
  });
  const open: StoreOpener = (ctx) => {
    signal = ctx.signal;
    return inner(ctx);
  };
  return { open, release, atHold, chunks: () => chunks };
}

const digitsCall = { digits: ['1'], dials: [{ answer: true as const, ringMs: 5000, talkMs: 30_000 }], survey: ['5', '4', '1'], thinkMs: 1000 };

describe('start-up while the embedded store imports an earlier version\'s data folder', () => {
  let h: Harness | null = null;
  afterEach(async () => {
    await h?.close();
    h = null;
  });

  test('a signed webhook is answered before the load finishes; its events reach journeys and rollups once the store has loaded, with no delivery failure logged', async () => {
    const { dataDir, sids } = dataDirWithCalls();
    const lines: string[] = [];
    const logTo = { write: (l: string) => void lines.push(l) };
    const load = heldLoad(dataDir, createLogger('info', logTo));
    h = await startHarness({ dataDir, waitForStore: false, logTo, options: { openStore: load.open } });
    await load.atHold;

    const t = await h.caller.call(digitsCall);
    expect(t.requests.length).toBeGreaterThan(3);
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    expect(t.ending).toBe('hangup-verb');
    // Still loading: held at the third chunk all along.
    expect(h.service.storeStatus().state).toBe('loading');
    expect(load.chunks()).toBe(3);
    expect(h.service.outbox.stats()).toMatchObject({ held: true, failures: 0, delivered: 0 });
    expect(h.service.outbox.stats().pending).toBeGreaterThan(5);

    load.release();
    await h.service.ready;
    await h.settle();
    expect(load.chunks()).toBeGreaterThan(3);
    const journey = await h.api(`/api/calls/${t.callSid}`);
    expect(journey.status).toBe(200);
    expect(journey.body).toMatchObject({ callSid: t.callSid, outcome: 'answered_by_department', keyPresses: 1, survey: { bemotande: 5, enkelhet: 4 } });
    expect((await h.api(`/api/calls/${sids[STORED_CALLS - 1]}`)).status).toBe(200);
    const summary = await h.api('/api/metrics/summary?from=2026-03-02T08:00:00Z&to=2026-03-02T09:00:00Z');
    expect(summary.status).toBe(200);
    expect(summary.body.summary.calls).toBe(1);

    const log = lines.map((l) => JSON.parse(l));
    expect(log.filter((l) => l.level >= 40)).toEqual([]);
    const imported = log.find((l) => l.msg.startsWith('embedded store: imported'));
    expect(imported).toMatchObject({ events: STORED_CALLS * 5, journeys: STORED_CALLS, unreadableLines: 0 });
    expect(imported.durationMs).toEqual(expect.any(Number));
    expect(log.some((l) => l.msg.startsWith('embedded store: importing'))).toBe(true);
    // Imported once: the old folder is kept aside, and the next start opens the new store.
    expect(fs.existsSync(path.join(dataDir, 'store.imported', 'events.jsonl'))).toBe(true);
    expect(fs.existsSync(path.join(dataDir, 'store'))).toBe(false);
  });

  test('during the load the API answers 503 STORE_LOADING with progress; readiness is false, liveness and health answer', async () => {
    const { dataDir } = dataDirWithCalls();
    const load = heldLoad(dataDir);
    h = await startHarness({ dataDir, waitForStore: false, options: { openStore: load.open } });
    await load.atHold;

    const calls = await h.api('/api/calls');
    expect(calls.status).toBe(503);
    expect(calls.body.error).toMatchObject({ code: 'STORE_LOADING', message: expect.stringContaining('still loading') });
    expect(calls.body.error.progress.bytesRead).toBeGreaterThan(0);
    expect(calls.body.error.progress.percent).toBeGreaterThanOrEqual(0);
    expect(calls.body.error.progress.percent).toBeLessThan(100);
    expect((await h.api('/api/metrics/summary')).status).toBe(503);
    // What needs no store still works: the flows.
    expect((await h.api('/api/flows')).status).toBe(200);
    // Without a token it is still 401: the load says nothing to strangers.
    expect((await fetch(`${h.baseUrl}/api/calls`)).status).toBe(401);

    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, store: { state: 'loading', progress: { bytesRead: calls.body.error.progress.bytesRead } } });
    expect((await fetch(`${h.baseUrl}/livez`)).status).toBe(200);
    const health = await fetch(`${h.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'loading', store: 'loading', outbox: { held: true } });

    load.release();
    await h.service.ready;
    expect((await h.api('/api/calls')).status).toBe(200);
    expect((await fetch(`${h.baseUrl}/readyz`)).status).toBe(200);
    expect(await (await fetch(`${h.baseUrl}/healthz`)).json()).toMatchObject({ status: 'ok', store: 'ok' });
  });

  test('the live view shows calls during the load, and today\'s earlier calls join once it has loaded, nothing counted twice', async () => {
    const { dataDir } = dataDirWithCalls();
    const load = heldLoad(dataDir);
    h = await startHarness({ dataDir, waitForStore: false, options: { openStore: load.open } });
    await load.atHold;
    const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 5000, talkMs: 30_000 }], survey: [], thinkMs: 1000 });
    const during = h.service.live.snapshot();
    expect(during.counters).toMatchObject({ calls: 1, answered: 1 });
    expect(during.calls.map((c) => c.callSid)).toEqual([t.callSid]);

    load.release();
    await h.service.ready;
    const after = h.service.live.snapshot();
    expect(after.counters).toMatchObject({ calls: TODAY_CALLS + 1, answered: 1 });
    expect(after.calls.find((c) => c.callSid === t.callSid)).toMatchObject({ keyPresses: 1 });
    await h.settle();
    // Delivered after the seed: the view does not take the call in a second time.
    expect(h.service.live.snapshot().counters).toEqual(after.counters);
  });

  test('a stop during the load is prompt: the load stops before its next chunk, the outbox journal keeps the webhook\'s events, delivered at the next start', async () => {
    const { dataDir } = dataDirWithCalls();
    const load = heldLoad(dataDir);
    const first = await startHarness({ dataDir, waitForStore: false, options: { openStore: load.open } });
    await load.atHold;
    const t = await first.caller.call(digitsCall);
    const failed = first.service.ready.then(
      () => 'ready',
      () => 'rejected',
    );
    await first.close();
    expect(await failed).toBe('rejected');
    expect(first.service.storeStatus().state).toBe('stopped');
    expect(load.chunks()).toBe(3);
    expect(journalText(dataDir)).toContain(t.callSid);
    // The old folder is as it was, and no half-imported store is left behind: the next start imports it whole.
    expect(fs.readdirSync(path.join(dataDir, 'store')).sort()).toEqual(['events.jsonl', 'journeys.jsonl']);
    expect(fs.readdirSync(dataDir).filter((f) => f.startsWith('callpath.sqlite'))).toEqual([]);

    h = await startHarness({ dataDir });
    await h.settle();
    const journey = await h.api(`/api/calls/${t.callSid}`);
    expect(journey.status).toBe(200);
    expect(journey.body.outcome).toBe('answered_by_department');
  });

  test('a stop after the store opened but before start-up released the outbox is prompt; the journal keeps the events', async () => {
    const dataDir = tempDir('callpath-startup-held-');
    const store = SqliteStore.open(path.join(dataDir, 'store'));
    // The live view's seeding reads today's journeys: this read never answers, so start-up stays before the outbox's release.
    let seeding!: () => void;
    const seedingStarted = new Promise<void>((r) => (seeding = r));
    const stuck = Object.create(store) as SqliteStore;
    stuck.listJourneys = () => (seeding(), new Promise<never>(() => undefined));
    const first = await startHarness({ dataDir, store: stuck, waitForStore: false });
    await seedingStarted;
    const t = await first.caller.call(digitsCall);
    expect(first.service.outbox.stats()).toMatchObject({ held: true });
    const started = Date.now();
    await first.close();
    // Before: the stop waited 15 s for a delivery that the held outbox could never make.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(journalText(dataDir)).toContain(t.callSid);
  });

  test('a store that fails to load is loud: logged at fatal level, readiness false, API 503 STORE_LOAD_FAILED; calls are still answered and journaled', async () => {
    const dataDir = tempDir('callpath-startup-');
    fs.mkdirSync(path.join(dataDir, 'store'));
    fs.writeFileSync(path.join(dataDir, 'store', 'journeys.jsonl'), 'not json\n'.repeat(1000));
    const lines: string[] = [];
    h = await startHarness({ dataDir, waitForStore: false, logTo: { write: (l: string) => void lines.push(l) } });
    await expect(h.service.ready).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED' });
    const fatal = lines.map((l) => JSON.parse(l)).filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'STORE_LOAD_FAILED', err: expect.stringContaining('1000 of 1000 lines unreadable') });

    const t = await h.caller.call(digitsCall);
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    const api = await h.api('/api/calls');
    expect(api.status).toBe(503);
    expect(api.body.error).toMatchObject({ code: 'STORE_LOAD_FAILED', message: expect.stringContaining('unreadable') });
    const ready = await fetch(`${h.baseUrl}/readyz`);
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ ready: false, store: { state: 'failed', code: 'STORE_LOAD_FAILED' } });
    expect(await (await fetch(`${h.baseUrl}/healthz`)).json()).toMatchObject({ status: 'degraded', store: expect.stringMatching(/^failed: /) });
    // Nothing is delivered, and nothing is logged per attempt either.
    expect(h.service.outbox.stats()).toMatchObject({ held: true, failures: 0 });
    await h.close();
    h = null;
    expect(journalText(dataDir)).toContain(t.callSid);
    expect(lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50)).toHaveLength(1);
  });
});
