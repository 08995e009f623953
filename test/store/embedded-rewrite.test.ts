import fs from 'node:fs';
import path from 'node:path';
import { JsonlFile } from '../../src/files/jsonl-file';
import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store';
import type { RollupDelta } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { callEvents, sid } from './store-contract';

/**
 * The store's file rewrites (compactions, deletions) run in chunks while writes keep arriving: what
 * is appended meanwhile must be in the new file once, after the snapshot.
 */

const T0 = Date.parse('2026-03-02T08:00:00Z');
const nextTurn = () => new Promise((r) => setImmediate(r));

/** Runs `write` on every turn of the loop until `work` is done; counts the writes made after a snapshot was taken. */
async function writeWhile(work: Promise<unknown>, write: (i: number) => Promise<unknown>): Promise<number> {
  let finished = false;
  void work.then(
    () => (finished = true),
    () => (finished = true),
  );
  let afterSnapshot = 0;
  for (let i = 0; !finished; i++) {
    await write(i);
    if (snapshots > 0) afterSnapshot++;
    await nextTurn();
  }
  await work;
  return afterSnapshot;
}

/** Counts rewrites asked for and snapshots taken, so that a test can tell its writes came after one. */
let rewrites = 0;
let snapshots = 0;
const realRewrite = JsonlFile.prototype.rewriteInChunks;
beforeEach(() => {
  rewrites = 0;
  snapshots = 0;
  jest.spyOn(JsonlFile.prototype, 'rewriteInChunks').mockImplementation(function (this: JsonlFile<unknown>, snapshot, opts) {
    rewrites++;
    return realRewrite.call(this, () => (snapshots++, snapshot()), opts);
  });
});
afterEach(() => jest.restoreAllMocks());

function callsOf(n: number, startMs = T0): { sid: string; events: CallEvent[] }[] {
  return Array.from({ length: n }, (_, i) => {
    const s = sid();
    return { sid: s, events: callEvents(s, startMs + i * 60_000) };
  });
}

async function expectSameAfterReopen(store: EmbeddedStore, dir: string, sids: string[]): Promise<void> {
  const events = await store.eventsForCalls(sids);
  const journeys = await store.getJourneys(sids);
  const rollups = await store.queryRollups({ from: '0', to: '9' });
  await store.close();
  const again = EmbeddedStore.open(dir);
  expect(await again.eventsForCalls(sids)).toEqual(events);
  expect(await again.getJourneys(sids)).toEqual(journeys);
  expect(sortRollups(await again.queryRollups({ from: '0', to: '9' }))).toEqual(sortRollups(rollups));
  await again.close();
}

/**
 * A store holding `n` calls (their events too, unless `events` is false) whose journeys were written
 * `rounds` times: the journeys file then holds enough superseded lines for a compaction to start.
 */
async function storeWithRewrittenJourneys(n: number, rounds: number, { events = true } = {}) {
  const dir = tempDir('callpath-rewrite-');
  const store = EmbeddedStore.open(dir);
  const calls = callsOf(n);
  const journeys = calls.map((c) => projectJourney(c.sid, c.events));
  if (events) await store.appendEvents(calls.flatMap((c) => c.events));
  for (let round = 0; round < rounds; round++) await store.putJourneys(journeys.map((journey) => ({ journey, expectedEventCount: round ? journey.eventCount : null })));
  return { dir, store, calls, journeys };
}

const sortRollups = (docs: RollupDelta[]) => [...docs].sort((a, b) => (a.hour + a.dim < b.hour + b.dim ? -1 : 1));

describe('embedded store rewrites while writes arrive', () => {
  test('a journeys compaction keeps every journey written during it, the latest version winning', async () => {
    const dir = tempDir('callpath-rewrite-');
    const store = EmbeddedStore.open(dir);
    const calls = callsOf(5000);
    const journeys = calls.map((c) => projectJourney(c.sid, c.events));
    await store.putJourneys(journeys.map((journey) => ({ journey, expectedEventCount: null })));
    // 4× the live set, then one more write: the compaction starts in the background.
    for (let round = 0; round < 3; round++) await store.putJourneys(journeys.map((journey) => ({ journey, expectedEventCount: journey.eventCount })));
    expect(snapshots).toBe(0);
    await store.putJourneys(journeys.slice(0, 10).map((journey) => ({ journey, expectedEventCount: journey.eventCount })));
    const fresh = callsOf(200, T0 + 10 ** 9);
    const during = writeWhile(store.settled(), async (i) => {
      // Existing calls get a newer journey (one event more), new calls arrive.
      const c = calls[(i * 37) % calls.length];
      const more = [...c.events.slice(0, 4), { ...c.events[4], id: `${c.sid}:extra:${i}`, at: c.events[4].at + i }] as CallEvent[];
      const newer = { ...projectJourney(c.sid, more), eventCount: 100 + i };
      await store.putJourney(newer);
      const f = fresh[i % fresh.length];
      await store.putJourney(projectJourney(f.sid, f.events));
    });
    expect(await during).toBeGreaterThan(0);
    const file = path.join(dir, 'journeys.jsonl');
    const lines = fs.readFileSync(file, 'utf8').split('\n').length - 1;
    expect(lines).toBeLessThan(2 * 5200);
    await expectSameAfterReopen(store, dir, [...calls, ...fresh].map((c) => c.sid));
  });

  test('a rollups compaction counts each delta applied during it exactly once', async () => {
    const dir = tempDir('callpath-rewrite-');
    const store = EmbeddedStore.open(dir);
    const docs = 5000;
    const delta = (k: number, n: number): RollupDelta => ({ flowId: 'vaxel', flowVersion: 'v1', hour: `2026-03-02T${String(k % 24).padStart(2, '0')}`, dim: `node:n${k}`, counts: { entered: n } });
    const expected = new Map<number, number>();
    const apply = async (ks: number[], n: number) => {
      await store.applyRollups(ks.map((k) => delta(k, n)));
      for (const k of ks) expected.set(k, (expected.get(k) ?? 0) + n);
    };
    const all = Array.from({ length: docs }, (_, k) => k);
    for (let round = 0; round < 10; round++) await apply(all, 1);
    expect(snapshots).toBe(0);
    await apply(all, 1); // 55 000 lines > 50 000 and > 4× 5 000 docs
    const during = writeWhile(store.settled(), async (i) => {
      // Every doc changed in place, serialised for the snapshot already or not yet, and a new doc.
      await apply([...all, docs + i], 3);
    });
    expect(await during).toBeGreaterThan(0);
    const byDim = (rs: RollupDelta[]) => new Map(rs.map((r) => [Number(r.dim.slice('node:n'.length)), r.counts.entered]));
    expect(byDim(await store.queryRollups({ from: '0', to: '9' }))).toEqual(expected);
    await store.close();
    const again = EmbeddedStore.open(dir);
    expect(byDim(await again.queryRollups({ from: '0', to: '9' }))).toEqual(expected);
    await again.close();
  });

  test('a deletion rewrites events and journeys without the calls, keeping the events appended meanwhile', async () => {
    const dir = tempDir('callpath-rewrite-');
    const store = EmbeddedStore.open(dir);
    const calls = callsOf(3000);
    await store.appendEvents(calls.flatMap((c) => c.events));
    await store.putJourneys(calls.map((c) => ({ journey: projectJourney(c.sid, c.events), expectedEventCount: null })));
    const gone = calls.slice(0, 100).map((c) => c.sid);
    const kept = calls.slice(100);
    const during = writeWhile(store.deleteCalls(gone), async (i) => {
      // A late event for every kept call (lists grow, serialised for the snapshot already or not yet) and a new call.
      await store.appendEvents(kept.map((c) => ({ ...c.events[4], id: `${c.sid}:late:${i}` }) as CallEvent));
      await store.appendEvents(callEvents(sid(), T0 + 10 ** 9 + i));
    });
    expect(await during).toBeGreaterThan(0);
    for (const f of ['events.jsonl', 'journeys.jsonl']) {
      const text = fs.readFileSync(path.join(dir, f), 'utf8');
      for (const s of gone) expect(text.includes(s)).toBe(false);
    }
    // Each event once in the file: the late ones after the snapshot only, not in it as well.
    const ids = fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id as string);
    expect(new Set(ids).size).toBe(ids.length);
    await expectSameAfterReopen(store, dir, calls.map((c) => c.sid));
  });

  test('deleteCalls returns once the calls are gone from disk, also when a compaction was running', async () => {
    const { dir, store, calls, journeys } = await storeWithRewrittenJourneys(5000, 5);
    expect(rewrites).toBe(1); // the compaction, not yet done
    const victim = calls[4999].sid;
    expect(await store.deleteCalls([victim])).toEqual({ journeys: 1, events: 5 });
    for (const f of ['events.jsonl', 'journeys.jsonl']) expect(fs.readFileSync(path.join(dir, f), 'utf8').includes(victim)).toBe(false);
    await store.close();
    const again = EmbeddedStore.open(dir);
    expect(await again.getJourney(victim)).toBeNull();
    expect(await again.eventsForCall(victim)).toEqual([]);
    expect(await again.getJourney(calls[0].sid)).toEqual(journeys[0]);
    await again.close();
  });

  test('close waits for a rewrite under way; the files load back whole', async () => {
    const dir = tempDir('callpath-rewrite-');
    const store = EmbeddedStore.open(dir);
    const calls = callsOf(3000);
    await store.appendEvents(calls.flatMap((c) => c.events));
    await store.putJourneys(calls.map((c) => ({ journey: projectJourney(c.sid, c.events), expectedEventCount: null })));
    const deleting = store.deleteCalls([calls[0].sid]);
    await nextTurn();
    await store.close();
    await deleting;
    expect(fs.readdirSync(dir).sort()).toEqual(['events.jsonl', 'journeys.jsonl']);
    const again = EmbeddedStore.open(dir);
    expect(await again.getJourney(calls[0].sid)).toBeNull();
    expect((await again.getJourneys(calls.map((c) => c.sid))).size).toBe(2999);
    await again.close();
  });

  test('close gives up a compaction under way at once: no temporary file, every journey back on reopen', async () => {
    const { dir, store, calls, journeys } = await storeWithRewrittenJourneys(5000, 4, { events: false });
    await store.putJourneys(journeys.slice(0, 10).map((journey) => ({ journey, expectedEventCount: journey.eventCount })));
    expect(rewrites).toBe(1); // the compaction, started in the background
    // Let it write a chunk or two (so a temporary file exists), then close.
    while (!fs.existsSync(path.join(dir, 'journeys.jsonl.tmp'))) await nextTurn();
    await nextTurn();
    const linesBefore = fs.readFileSync(path.join(dir, 'journeys.jsonl'), 'utf8').split('\n').length - 1;
    await store.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['journeys.jsonl']);
    // Not compacted: the old file, whole.
    expect(fs.readFileSync(path.join(dir, 'journeys.jsonl'), 'utf8').split('\n').length - 1).toBe(linesBefore);
    const again = EmbeddedStore.open(dir);
    expect(await again.getJourneys(calls.map((c) => c.sid))).toEqual(new Map(journeys.map((j) => [j.callSid, j])));
    await again.settled();
    await again.close();
  });

  test('close during a compaction with a deletion queued behind it: the compaction is given up, the deletion still reaches the disk', async () => {
    const { dir, store, calls, journeys } = await storeWithRewrittenJourneys(5000, 5);
    expect(rewrites).toBe(1); // the compaction, not yet done
    const victim = calls[42].sid;
    const deleting = store.deleteCalls([victim]);
    await store.close();
    expect(await deleting).toEqual({ journeys: 1, events: 5 });
    expect(fs.readdirSync(dir).sort()).toEqual(['events.jsonl', 'journeys.jsonl']);
    for (const f of ['events.jsonl', 'journeys.jsonl']) expect(fs.readFileSync(path.join(dir, f), 'utf8').includes(victim)).toBe(false);
    const again = EmbeddedStore.open(dir);
    expect(await again.getJourney(victim)).toBeNull();
    expect((await again.getJourneys(calls.map((c) => c.sid))).size).toBe(4999);
    await again.close();
  });

  test('a temporary file left by a crash mid-rewrite is removed at open; the old file is what loads', async () => {
    const dir = tempDir('callpath-rewrite-');
    const store = EmbeddedStore.open(dir);
    const [c] = callsOf(1);
    await store.appendEvents(c.events);
    await store.putJourney(projectJourney(c.sid, c.events));
    await store.close();
    fs.writeFileSync(path.join(dir, 'journeys.jsonl.tmp'), '{"callSid":"CAhalf');
    fs.writeFileSync(path.join(dir, 'events.jsonl.tmp'), '');
    const again = EmbeddedStore.open(dir);
    expect(fs.existsSync(path.join(dir, 'journeys.jsonl.tmp'))).toBe(false);
    expect(fs.existsSync(path.join(dir, 'events.jsonl.tmp'))).toBe(false);
    expect(await again.getJourney(c.sid)).toEqual(projectJourney(c.sid, c.events));
    expect(await again.eventsForCall(c.sid)).toHaveLength(5);
    await again.close();
  });
});

test('a compaction that fails is logged, and the store goes on with its old file', async () => {
  const dir = tempDir('callpath-compaction-fails-');
  const errors: unknown[] = [];
  const store = EmbeddedStore.open(dir, { error: (...a: unknown[]) => void errors.push(a) } as never);
  // The temporary file cannot be created (a directory stands in its way), so the rewrite fails.
  fs.mkdirSync(path.join(dir, 'journeys.jsonl.tmp'));
  const ev = callEvents('CA' + 'c'.repeat(32), Date.parse('2026-03-02T08:00:00Z'));
  const journey = projectJourney(ev[0].callSid, ev);
  // Enough lines of one journey to pass the compaction threshold.
  for (let i = 0; i < 20_001; i++) await store.putJourney(journey);
  await store.settled();
  expect(errors).toHaveLength(1);
  expect(JSON.stringify(errors[0])).toContain('compaction failed');
  await store.putJourney(journey);
  expect(await store.getJourney(journey.callSid)).toEqual(journey);
  await store.close();
  fs.rmdirSync(path.join(dir, 'journeys.jsonl.tmp'));
  const reopened = EmbeddedStore.open(dir);
  expect((await reopened.getJourney(journey.callSid))?.eventCount).toBe(5);
  await reopened.close();
});
