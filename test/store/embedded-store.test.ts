import fs from 'node:fs';
import path from 'node:path';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store';
import { tempDir } from '../helpers/harness';
import { embeddedStores } from '../helpers/store-factories';
import { projectJourney } from '../../src/journey/projector';
import { callEvents, runStoreContract, sid } from './store-contract';

runStoreContract(embeddedStores('callpath-store-'));

// The same contract on a store opened by the asynchronous load the service uses.
runStoreContract(embeddedStores('callpath-store-', { name: 'embedded, loaded asynchronously', open: (dir) => EmbeddedStore.load(dir, { chunkBytes: 512 }) }));

describe('embedded store files', () => {
  test('a torn last line (power cut mid-write) is skipped, everything before it kept', async () => {
    const d = tempDir('callpath-store-');
    const s = EmbeddedStore.open(d);
    const callSid = sid();
    await s.appendEvents(callEvents(callSid, Date.parse('2026-03-02T08:00:00Z')));
    await s.close();
    fs.appendFileSync(path.join(d, 'events.jsonl'), '{"id":"torn","callSid":"CA');
    const again = EmbeddedStore.open(d);
    expect(await again.eventsForCall(callSid)).toHaveLength(5);
  });

  test('the asynchronous load finds what open finds, reports progress, removes leftover temp files and counts what it read', async () => {
    const d = tempDir('callpath-store-');
    const s = EmbeddedStore.open(d);
    const sids = Array.from({ length: 50 }, () => sid());
    for (const [i, callSid] of sids.entries()) {
      const ev = callEvents(callSid, Date.parse('2026-03-02T08:00:00Z') + i * 60_000);
      await s.appendEvents(ev);
      await s.putJourney(projectJourney(callSid, ev));
    }
    await s.applyRollups([{ flowId: 'vaxel', flowVersion: 'v1', hour: '2026-03-02T08', dim: 'call', counts: { calls: 50 } }]);
    await s.close();
    fs.appendFileSync(path.join(d, 'events.jsonl'), '{"id":"torn","callSid":"CA');
    fs.writeFileSync(path.join(d, 'journeys.jsonl.tmp'), '{"half');
    const progress: number[] = [];
    const loaded = await EmbeddedStore.load(d, { chunkBytes: 1024, onProgress: (p) => void progress.push(p.bytesRead / p.bytesTotal) });
    const opened = EmbeddedStore.open(d);
    expect(await loaded.eventsForCalls(sids)).toEqual(await opened.eventsForCalls(sids));
    expect(await loaded.getJourneys(sids)).toEqual(await opened.getJourneys(sids));
    expect(await loaded.queryRollups({ from: '0', to: '9' })).toEqual(await opened.queryRollups({ from: '0', to: '9' }));
    expect(loaded.loadReport).toEqual({ calls: 50, eventLines: 250, journeys: 50, rollupDocs: 1, unreadableLines: 1 });
    expect(fs.existsSync(path.join(d, 'journeys.jsonl.tmp'))).toBe(false);
    expect(progress.length).toBeGreaterThan(10);
    expect(progress[progress.length - 1]).toBe(1);
    expect([...progress].sort((a, b) => a - b)).toEqual(progress);
    await loaded.close();
    await opened.close();
  });

  test('a file damaged beyond a few torn lines fails the load (open and load alike) with STORE_LOAD_FAILED, rather than starting without its records', async () => {
    const d = tempDir('callpath-store-');
    fs.writeFileSync(path.join(d, 'journeys.jsonl'), 'garbage\n'.repeat(500));
    expect(() => EmbeddedStore.open(d)).toThrow(expect.objectContaining({ code: 'STORE_LOAD_FAILED' }));
    await expect(EmbeddedStore.load(d)).rejects.toMatchObject({ code: 'STORE_LOAD_FAILED', message: expect.stringContaining('500 of 500 lines unreadable') });
  });

  test('a call in progress keeps its journey in memory only; when the store opens it is projected again from the events, the ended calls read from the file', async () => {
    const d = tempDir('callpath-store-');
    const s = EmbeddedStore.open(d);
    const t0 = Date.parse('2026-03-02T08:00:00Z');
    const [live, ended, gone] = [sid(), sid(), sid()];
    const liveEvents = callEvents(live, t0).slice(0, 3);
    const endedEvents = callEvents(ended, t0);
    for (const events of [liveEvents.slice(0, 2), liveEvents, endedEvents, callEvents(gone, t0)]) {
      await s.appendEvents(events);
      await s.putJourney(projectJourney(events[0].callSid, events));
    }
    const inProgress = projectJourney(live, liveEvents);
    expect(inProgress.ended).toBe(false);
    expect(await s.getJourney(live)).toEqual(inProgress);
    const onFile = () => fs.readFileSync(path.join(d, 'journeys.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).callSid);
    expect(onFile()).toEqual([ended, gone]);
    // A deletion rewrites the file from memory: still the ended calls alone.
    await s.deleteCalls([gone]);
    expect(onFile()).toEqual([ended]);
    await s.close();
    for (const reopened of [EmbeddedStore.open(d), await EmbeddedStore.load(d, { chunkBytes: 512 })]) {
      expect(await reopened.getJourneys([live, ended, gone])).toEqual(new Map([[live, inProgress], [ended, projectJourney(ended, endedEvents)]]));
      await reopened.close();
    }
  });

  test('an aborted load stops before its next chunk with the abort reason', async () => {
    const d = tempDir('callpath-store-');
    const s = EmbeddedStore.open(d);
    for (let i = 0; i < 100; i++) await s.appendEvents(callEvents(sid(), Date.parse('2026-03-02T08:00:00Z')));
    await s.close();
    const stop = new AbortController();
    let chunks = 0;
    const loading = EmbeddedStore.load(d, {
      chunkBytes: 1024,
      signal: stop.signal,
      onProgress: () => {
        if (++chunks === 2) stop.abort(new Error('shutting down'));
      },
    });
    await expect(loading).rejects.toThrow('shutting down');
    expect(chunks).toBe(2);
  });
});
