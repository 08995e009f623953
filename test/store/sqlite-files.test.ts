import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { loadFlowDir } from '../../src/flow/loader';
import { importLegacyArchive, loadArchivedFlows } from '../../src/flow/replay/archive';
import { projectJourney } from '../../src/journey/projector';
import { createLogger } from '../../src/log';
import { openStore } from '../../src/store/open';
import { importLegacyStore } from '../../src/store/sqlite/legacy-import';
import { SqliteStore, STORE_FILE } from '../../src/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';
import { callEvents, sid } from './store-contract';

const T0 = Date.parse('2026-03-02T08:00:00Z');
const DAY = 86_400_000;

async function storeWithCalls(dir: string, count: number, startMs: number, opts = {}): Promise<{ store: SqliteStore; sids: string[] }> {
  const store = SqliteStore.open(dir, opts);
  const sids = Array.from({ length: count }, () => sid());
  for (const s of sids) {
    const ev = callEvents(s, startMs);
    await store.appendEvents(ev);
    await store.putJourney(projectJourney(s, ev));
  }
  return { store, sids };
}

describe('the SQLite store file', () => {
  test('is in WAL mode with secure_delete, and a file of a newer schema than this version knows is refused, naming the file', async () => {
    const dir = tempDir('callpath-sqlite-');
    const store = SqliteStore.open(dir);
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('secure_delete', { simple: true })).toBe(1);
    const version = store.db.pragma('user_version', { simple: true }) as number;
    expect(version).toBeGreaterThan(0);
    await store.close();
    const raw = new Database(path.join(dir, STORE_FILE));
    raw.pragma(`user_version = ${version + 1}`);
    raw.close();
    expect(() => SqliteStore.open(dir)).toThrow(`${path.join(dir, STORE_FILE)}: schema version ${version + 1} is newer than this version of callpath knows (${version})`);
  });

  test('a worker thread moves the WAL into the database file, so the writer never checkpoints on the event loop', async () => {
    const dir = tempDir('callpath-sqlite-');
    const store = SqliteStore.open(dir, { checkpoint: { walBytes: 256 * 1024, intervalMs: 10 } });
    expect(store.db.pragma('wal_autocheckpoint', { simple: true })).toBeGreaterThan(10_000);
    const size = (f: string) => fs.statSync(path.join(dir, f)).size;
    const before = size(STORE_FILE);
    for (let i = 0; i < 400; i++) await store.appendEvents(callEvents(sid(), T0 + i * 1000));
    // The pages the writer committed reach the database file without it checkpointing itself.
    const deadline = Date.now() + 10_000;
    while (size(STORE_FILE) < before + 256 * 1024 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(size(STORE_FILE)).toBeGreaterThanOrEqual(before + 256 * 1024);
    await store.close();
  });

  test('a deletion that outruns the timed checkpoints waits between chunks for one on the worker', async () => {
    const dir = tempDir('callpath-sqlite-');
    // Timed checkpoints off: only the deletion's own requests move the WAL.
    const { store } = await storeWithCalls(dir, 300, T0, { deleteChunkCalls: 10, deletionWalBytes: 64 * 1024, checkpoint: { walBytes: 2 ** 40, intervalMs: 60_000 } });
    const checkpointer = (store as unknown as { checkpointer: { catchUp(): Promise<boolean> } }).checkpointer;
    const catchUp = checkpointer.catchUp.bind(checkpointer);
    const answers: boolean[] = [];
    checkpointer.catchUp = async () => {
      const ok = await catchUp();
      answers.push(ok);
      return ok;
    };
    expect(await store.deleteCallsBefore(new Date(T0 + 1000).toISOString())).toEqual({ journeys: 300, events: 1500 });
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((ok) => ok)).toBe(true);
    await store.close();
    // The default leaves a small deletion alone.
    const other = await storeWithCalls(tempDir('callpath-sqlite-'), 30, T0, { deleteChunkCalls: 10 });
    const spied = (other.store as unknown as { checkpointer: { catchUp(): Promise<boolean> } }).checkpointer;
    let calls = 0;
    spied.catchUp = async () => (calls++, true);
    await other.store.deleteCallsBefore(new Date(T0 + 1000).toISOString());
    expect(calls).toBe(0);
    await other.store.close();
  });

  test('retention deletes in short transactions with the event loop free between them', async () => {
    const { store, sids } = await storeWithCalls(tempDir('callpath-sqlite-'), 45, T0 - 400 * DAY, { deleteChunkCalls: 10 });
    const recent = sid();
    await store.appendEvents(callEvents(recent, T0));
    await store.putJourney(projectJourney(recent, callEvents(recent, T0)));
    let turns = 0;
    let deleting = true;
    const tick = () => {
      turns++;
      if (deleting) setImmediate(tick);
    };
    setImmediate(tick);
    const removed = await store.deleteCallsBefore(new Date(T0 - 365 * DAY).toISOString());
    deleting = false;
    expect(removed).toEqual({ journeys: 45, events: 225 });
    // Five chunks of at most ten calls: timers ran between them.
    expect(turns).toBeGreaterThanOrEqual(4);
    expect(await store.getJourneys([...sids, recent])).toEqual(new Map([[recent, projectJourney(recent, callEvents(recent, T0))]]));
    await store.close();
  });

  test('killed between two chunks of a deletion, the files open whole: integrity_check ok, each call entirely there or entirely gone', async () => {
    const dir = tempDir('callpath-sqlite-');
    const { store, sids } = await storeWithCalls(dir, 30, T0 - 400 * DAY, { deleteChunkCalls: 10 });
    const deleting = store.deleteCallsBefore(new Date(T0 - 365 * DAY).toISOString());
    // The first chunk ran before the first turn: the files as a process killed now leaves them.
    const copy = tempDir('callpath-sqlite-killed-');
    for (const f of fs.readdirSync(dir)) fs.copyFileSync(path.join(dir, f), path.join(copy, f));
    await deleting;
    await store.close();
    fs.rmSync(path.join(copy, `${STORE_FILE}-shm`), { force: true });
    const killed = SqliteStore.open(copy);
    expect(killed.db.pragma('integrity_check', { simple: true })).toBe('ok');
    const journeys = await killed.getJourneys(sids);
    const events = await killed.eventsForCalls(sids);
    expect(journeys.size).toBe(20);
    for (const s of sids) expect(events.get(s)?.length ?? 0).toBe(journeys.has(s) ? 5 : 0);
    await killed.close();
  });

  test('streams every call whole, also a call longer than the page of events read at once, and calls cut by a page', async () => {
    const store = SqliteStore.open(tempDir('callpath-sqlite-'));
    const long = sid();
    const base = callEvents(long, T0)[1];
    const longEvents = Array.from({ length: 4500 }, (_, i) => ({ ...base, id: `${long}:x:${i}`, at: T0 + i, step: i }));
    const others = Array.from({ length: 900 }, () => sid());
    await store.appendEvents(longEvents);
    for (const s of others) await store.appendEvents(callEvents(s, T0));
    const seen = new Map<string, number>();
    for await (const list of store.eventsByCall()) {
      expect(seen.has(list[0].callSid)).toBe(false);
      seen.set(list[0].callSid, list.length);
    }
    expect(seen.get(long)).toBe(4500);
    expect(seen.size).toBe(901);
    expect(others.every((s) => seen.get(s) === 5)).toBe(true);
    await store.close();
  });

  test('an online backup is a complete database while writes go on', async () => {
    const dir = tempDir('callpath-sqlite-');
    const { store, sids } = await storeWithCalls(dir, 20, T0);
    const file = path.join(tempDir('callpath-sqlite-backup-'), 'copy.sqlite');
    const backup = store.backup(file);
    const later = sid();
    await store.appendEvents(callEvents(later, T0));
    await backup;
    await store.close();
    const copy = SqliteStore.openFile(file);
    expect(copy.db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((await copy.getJourneys(sids)).size).toBe(20);
    await copy.close();
  });
});

describe('a data folder of an earlier version', () => {
  const jsonl = (records: unknown[]) => records.map((r) => JSON.stringify(r)).join('\n') + '\n';

  /** DATA_DIR/store as the JSON-lines store wrote it: ended journeys only, deletion lines, rollup deltas, intent lines. */
  function legacyFolder(): { dataDir: string; ended: string; inProgress: string; erased: string; late: string } {
    const dataDir = tempDir('callpath-legacy-');
    const dir = path.join(dataDir, 'store');
    fs.mkdirSync(dir);
    const [ended, inProgress, erased, late] = [sid(), sid(), sid(), sid()];
    const endedEvents = callEvents(ended, T0);
    const liveEvents = callEvents(inProgress, T0).slice(0, 3);
    const lateEnd = callEvents(late, T0).slice(4);
    fs.writeFileSync(
      path.join(dir, 'events.jsonl'),
      jsonl([...endedEvents, ...liveEvents, ...callEvents(erased, T0), ...callEvents(late, T0).slice(0, 4), { deletedCalls: [erased, late] }, ...lateEnd]) + '{"id":"torn',
    );
    fs.writeFileSync(
      path.join(dir, 'journeys.jsonl'),
      jsonl([projectJourney(ended, endedEvents.slice(0, 4)), projectJourney(erased, callEvents(erased, T0)), projectJourney(ended, endedEvents), { deletedCalls: [erased] }]),
    );
    const h = '2026-03-02T08:00:00.000Z';
    fs.writeFileSync(
      path.join(dir, 'rollups.jsonl'),
      jsonl([
        { flowId: 'vaxel', flowVersion: 'v1', hour: h, dim: 'call', counts: { calls: 2, 'tth:12': 1 } },
        { flowId: 'vaxel', flowVersion: 'v1', hour: h, dim: 'call', counts: { calls: 1, 'tth:12': -1 } },
        { flowId: 'vaxel', flowVersion: 'v1', hour: h, dim: 'd/call', counts: { calls: 3 } },
      ]),
    );
    fs.writeFileSync(
      path.join(dir, 'rollup-intents.jsonl'),
      jsonl([{ put: { id: 'i:a', owner: 'i', at: T0, hours: [h] } }, { put: { id: 'i:b', owner: 'i', at: T0, hours: [h] } }, { clear: ['i:a'] }]),
    );
    return { dataDir, ended, inProgress, erased, late };
  }

  test('is imported as the old store read it: deletions applied, the latest journey kept, calls in progress projected, rollups summed, intents replayed', async () => {
    const { dataDir, ended, inProgress, erased, late } = legacyFolder();
    const report = await importLegacyStore(dataDir);
    expect(report).toMatchObject({ events: 5 + 3 + 5 + 4 + 1, unreadableLines: 1, intents: 1 });
    expect(fs.existsSync(path.join(dataDir, 'store'))).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'store.imported')).sort()).toEqual(['events.jsonl', 'journeys.jsonl', 'rollup-intents.jsonl', 'rollups.jsonl']);
    const store = SqliteStore.open(dataDir);
    expect(await store.getJourney(ended)).toEqual(projectJourney(ended, callEvents(ended, T0)));
    expect(await store.getJourney(inProgress)).toEqual(projectJourney(inProgress, callEvents(inProgress, T0).slice(0, 3)));
    expect(await store.getJourney(erased)).toBeNull();
    expect(await store.eventsForCall(erased)).toEqual([]);
    // Stored after its call's deletion: kept, as the old store kept it.
    expect(await store.eventsForCall(late)).toEqual(callEvents(late, T0).slice(4));
    const rollups = await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z' });
    expect(rollups.map((r) => [r.dim, r.counts])).toEqual(expect.arrayContaining([['call', { calls: 3 }], ['d/call', { calls: 3 }]]));
    expect((await store.listRollupIntents()).map((i) => i.id)).toEqual(['i:b']);
    await store.close();
  });

  test('its flow-version archive folder is moved into the store once, and the versions load back as flows', async () => {
    const dataDir = tempDir('callpath-legacy-');
    const [flow] = loadFlowDir(path.join(__dirname, '../../ivr-flows'));
    const { version, source, ...rest } = flow;
    fs.mkdirSync(path.join(dataDir, 'flow-versions'));
    fs.writeFileSync(path.join(dataDir, 'flow-versions', `${flow.id}@${version}.json`), JSON.stringify({ id: flow.id, version, source, flow: rest }));
    const store = SqliteStore.open(dataDir);
    expect(await importLegacyArchive(dataDir, store)).toBe(1);
    expect(fs.existsSync(path.join(dataDir, 'flow-versions'))).toBe(false);
    expect(fs.existsSync(path.join(dataDir, 'flow-versions.imported'))).toBe(true);
    expect(await importLegacyArchive(dataDir, store)).toBe(0);
    const { flows, problems } = await loadArchivedFlows(store);
    expect(problems).toEqual([]);
    expect(flows).toEqual([flow]);
    await store.close();
  });

  test('tools refuse to start on it and name the command that imports it', async () => {
    const { dataDir } = legacyFolder();
    await expect(openStore({ store: 'embedded', dataDir }, createLogger('silent'))).rejects.toMatchObject({
      code: 'STORE_LOAD_FAILED',
      message: expect.stringContaining('npm run store:import'),
    });
  });

  test('is not imported over an existing SQLite store, and a damaged file fails the import leaving no half-imported store', async () => {
    const { dataDir } = legacyFolder();
    await (await SqliteStore.open(dataDir)).close();
    await expect(importLegacyStore(dataDir)).rejects.toThrow('Move one of them aside');
    const damaged = legacyFolder().dataDir;
    fs.appendFileSync(path.join(damaged, 'store', 'journeys.jsonl'), 'garbage\n'.repeat(200));
    await expect(importLegacyStore(damaged)).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED', message: expect.stringContaining('200 of 204 lines unreadable') });
    expect(fs.readdirSync(damaged).sort()).toEqual(['store']);
  });
});
