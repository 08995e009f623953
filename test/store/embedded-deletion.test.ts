import fs from 'node:fs';
import path from 'node:path';
import { JsonlFile } from '../../src/files/jsonl-file';
import type { CallEvent } from '../../src/journey/events';
import { projectJourney } from '../../src/journey/projector';
import type { Logger } from '../../src/log';
import { EmbeddedStore } from '../../src/store/embedded/embedded-store';
import { tempDir } from '../helpers/harness';
import { callEvents, sid } from './store-contract';

/**
 * A deletion (erasure on request, retention) holds from the moment deleteCalls resolves, whatever
 * becomes of the rewrite that takes the calls' records out of the files. A process killed with
 * SIGKILL leaves the files as the OS holds them (its page cache outlives the process): a copy of the
 * folder taken at some moment is what the next start would read had the process been killed then.
 */

const T0 = Date.parse('2026-03-02T08:00:00Z');
const FILES = ['events.jsonl', 'journeys.jsonl'];

const copyOf = (dir: string): string => {
  const copy = tempDir('callpath-killed-');
  fs.cpSync(dir, copy, { recursive: true });
  return copy;
};
const textOf = (dir: string, file: string) => fs.readFileSync(path.join(dir, file), 'utf8');

const openers = {
  open: async (dir: string) => EmbeddedStore.open(dir),
  load: (dir: string) => EmbeddedStore.load(dir, { chunkBytes: 4096 }),
};

/**
 * Calls `hook` with the file's name each time a rewrite of a file has taken its snapshot, in the same
 * turn of the event loop: appends made by the hook follow the snapshot in the new file.
 */
function afterEachSnapshot(hook: (file: string) => void): void {
  const realRewrite = JsonlFile.prototype.rewriteInChunks;
  jest.spyOn(JsonlFile.prototype, 'rewriteInChunks').mockImplementation(function (this: JsonlFile<unknown>, snapshot, opts) {
    return realRewrite.call(
      this,
      () => {
        const text = snapshot();
        hook(path.basename(this.path));
        return text;
      },
      opts,
    );
  });
}
afterEach(() => jest.restoreAllMocks());

async function storeWithCalls(n: number, log: Pick<Logger, 'error'> | null = null) {
  const dir = tempDir('callpath-deletion-');
  const store = EmbeddedStore.open(dir, log);
  const calls = Array.from({ length: n }, (_, i) => {
    const s = sid();
    return { sid: s, events: callEvents(s, T0 + i * 60_000) };
  });
  await store.appendEvents(calls.flatMap((c) => c.events));
  await store.putJourneys(calls.map((c) => ({ journey: projectJourney(c.sid, c.events), expectedEventCount: null })));
  return { dir, store, calls };
}

/** The store over `dir` holds none of `gone` and every one of `kept` as it was. */
async function expectOnly(store: EmbeddedStore, gone: string[], kept: { sid: string; events: CallEvent[] }[]): Promise<void> {
  expect((await store.getJourneys(gone)).size).toBe(0);
  expect((await store.eventsForCalls(gone)).size).toBe(0);
  const sids = kept.map((c) => c.sid);
  expect(await store.getJourneys(sids)).toEqual(new Map(kept.map((c) => [c.sid, projectJourney(c.sid, c.events)])));
  expect(await store.eventsForCalls(sids)).toEqual(new Map(kept.map((c) => [c.sid, c.events])));
}

/** No record of `gone` and no deletion line left in the files: the rewrites have taken both out. */
function expectNoTrace(dir: string, gone: string[]): void {
  for (const f of FILES) {
    const text = textOf(dir, f);
    for (const s of gone) expect(text).not.toContain(s);
    expect(text).not.toContain('deletedCalls');
  }
}

describe('embedded store: a deletion holds once deleteCalls resolves', () => {
  test.each(Object.keys(openers) as (keyof typeof openers)[])(
    'a process killed while the deletion rewrites its files: the next start (%s) has the calls gone, the others intact, and finishes the rewrite',
    async (opener) => {
      const { dir, store, calls } = await storeWithCalls(300);
      const gone = calls.slice(0, 10).map((c) => c.sid);
      let killed: string | null = null;
      afterEachSnapshot(() => void (killed ??= copyOf(dir)));
      expect(await store.deleteCalls(gone)).toEqual({ journeys: 10, events: 50 });
      await store.close();
      // Killed before either file was replaced: both still hold the calls' records.
      for (const f of FILES) expect(textOf(killed!, f)).toContain(gone[0]);
      jest.restoreAllMocks();

      const again = await openers[opener](killed!);
      await expectOnly(again, gone, calls.slice(10));
      await again.settled();
      expectNoTrace(killed!, gone);
      await again.close();
      const third = EmbeddedStore.open(killed!);
      await expectOnly(third, gone, calls.slice(10));
      await third.close();
    },
  );

  test('events that arrive after the deletion (a late status callback) are kept, by the running store and after a restart alike', async () => {
    const { dir, store, calls } = await storeWithCalls(50);
    const [victim] = calls;
    // A redelivery of an event the deletion removed, and one the call never had before.
    const late = [victim.events[4], { ...victim.events[4], id: `${victim.sid}:late`, at: victim.events[4].at + 1000 }] as CallEvent[];
    const lateJourney = projectJourney(victim.sid, late);
    let killed: string | null = null;
    afterEachSnapshot(() => {
      if (killed) return;
      void store.appendEvents(late);
      void store.putJourney(lateJourney);
      killed = copyOf(dir);
    });
    await store.deleteCalls([victim.sid]);
    jest.restoreAllMocks();
    expect(textOf(killed!, 'events.jsonl')).toContain(`${victim.sid}:late`);

    const running = { events: await store.eventsForCall(victim.sid), journey: await store.getJourney(victim.sid) };
    expect(running).toEqual({ events: late, journey: lateJourney });
    await store.close();
    for (const d of [dir, killed!]) {
      const again = EmbeddedStore.open(d);
      expect({ events: await again.eventsForCall(victim.sid), journey: await again.getJourney(victim.sid) }).toEqual(running);
      await again.close();
    }
  });

  test('a deletion made while an earlier deletion rewrites the files keeps its calls out when the earlier rewrite completes before its own', async () => {
    const { dir, store, calls } = await storeWithCalls(300);
    const first = calls.slice(0, 10).map((c) => c.sid);
    const second = calls.slice(10, 20).map((c) => c.sid);
    let secondDeletion: Promise<unknown> | null = null;
    let betweenRewrites: string | null = null;
    let eventSnapshots = 0;
    afterEachSnapshot((file) => {
      if (file !== 'events.jsonl') return;
      // The first deletion's snapshot still holds the second's calls.
      if (++eventSnapshots === 1) secondDeletion = store.deleteCalls(second);
      // The first rewrite has replaced the file; the second has only just taken its snapshot.
      else if (eventSnapshots === 2) betweenRewrites = copyOf(dir);
    });
    await store.deleteCalls(first);
    await secondDeletion;
    jest.restoreAllMocks();
    expect(eventSnapshots).toBe(2);
    const events = textOf(betweenRewrites!, 'events.jsonl');
    expect(events).not.toContain(first[0]);
    expect(events).toContain(second[0]);

    const again = EmbeddedStore.open(betweenRewrites!);
    await expectOnly(again, [...first, ...second], calls.slice(20));
    await again.settled();
    await again.close();
    expectNoTrace(dir, [...first, ...second]);
    await store.close();
  });

  test('a deletion whose rewrite fails still holds: logged, the calls kept out at the next start, which rewrites them away', async () => {
    const errors: unknown[] = [];
    const { dir, store, calls } = await storeWithCalls(50, { error: (...a: unknown[]) => void errors.push(a) } as never);
    // The temporary files cannot be created (a directory stands in their way): both rewrites fail.
    for (const f of FILES) fs.mkdirSync(path.join(dir, `${f}.tmp`));
    const gone = calls.slice(0, 5).map((c) => c.sid);
    expect(await store.deleteCalls(gone)).toEqual({ journeys: 5, events: 25 });
    expect(errors).toHaveLength(2);
    expect(JSON.stringify(errors)).toContain('the deletion holds');
    await expectOnly(store, gone, calls.slice(5));
    await store.close();
    for (const f of FILES) {
      expect(textOf(dir, f)).toContain(gone[0]);
      fs.rmdirSync(path.join(dir, `${f}.tmp`));
    }

    const again = EmbeddedStore.open(dir);
    await expectOnly(again, gone, calls.slice(5));
    await again.settled();
    expectNoTrace(dir, gone);
    await again.close();
  });

  test('a deletion the disk refuses (full) fails and changes nothing, in memory or after a restart', async () => {
    const { dir, store, calls } = await storeWithCalls(5);
    const realWrite = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, buf: Buffer, off: number, len: number) => {
      realWrite(fd, buf, off, Math.floor(len / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    await expect(store.deleteCalls([calls[0].sid])).rejects.toThrow(/ENOSPC/);
    jest.restoreAllMocks();
    await expectOnly(store, [], calls);
    await store.close();
    const again = EmbeddedStore.open(dir);
    await expectOnly(again, [], calls);
    await again.close();
  });
});
