import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { linesInChunks, RewriteAbandoned } from '../../src/files/chunked-rewrite';
import { JsonlFile } from '../../src/files/jsonl-file';
import { tempDir } from '../helpers/harness';

type Rec = { n: number; pad?: string };
const read = (p: string) => {
  const out: number[] = [];
  new JsonlFile<Rec>(p).readAll((r) => out.push(r.n));
  return out;
};
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
const nextTurn = () => new Promise((r) => setImmediate(r));

describe('chunked rewrite of a JSON-lines file', () => {
  test('appends made after the snapshot follow it in the new file, and reach the old file until the rename', async () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    const file = new JsonlFile<Rec>(p);
    file.append(range(0, 5000).map((n) => ({ n })));
    let snapshotTaken = false;
    const kept = range(2500, 5000).map((n) => ({ n, pad: 'x'.repeat(200) }));
    const done = file.rewriteInChunks(() => {
      snapshotTaken = true;
      return linesInChunks(kept);
    });
    expect(file.rewriting).toBe(true);
    let n = 5000;
    let afterSnapshot = 0;
    let finished = false;
    void done.then(() => (finished = true));
    while (!finished) {
      file.append([{ n }]);
      if (snapshotTaken) afterSnapshot++;
      // Until the rename (which comes a moment before `done` resolves), the old file holds everything appended.
      const now = read(p);
      if (now[0] !== 2500) expect(now).toEqual(range(0, n + 1));
      n++;
      await nextTurn();
    }
    expect(afterSnapshot).toBeGreaterThan(0);
    file.append([{ n }]);
    const firstAfter = n + 1 - afterSnapshot - 1;
    expect(read(p)).toEqual([...range(2500, 5000), ...range(firstAfter, n + 1)]);
    expect(file.rewriting).toBe(false);
    expect(fs.existsSync(`${p}.tmp`)).toBe(false);
    file.close();
  });

  test('rewrites of one file run one after another, each with its own snapshot', async () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    const file = new JsonlFile<Rec>(p);
    file.append([{ n: 1 }]);
    const order: string[] = [];
    const a = file.rewriteInChunks(() => (order.push('a'), linesInChunks(range(0, 3000).map((n) => ({ n })))));
    const b = file.rewriteInChunks(() => (order.push('b'), linesInChunks([{ n: 7 }])));
    await Promise.all([a, b]);
    expect(order).toEqual(['a', 'b']);
    expect(read(p)).toEqual([7]);
    await file.idle();
    file.close();
  });

  test('a rewrite that fails half-way leaves the old file whole and no temporary file', async () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    const file = new JsonlFile<Rec>(p);
    file.append([{ n: 1 }, { n: 2 }]);
    function* failing(): Generator<string> {
      yield '{"n":9}\n'.repeat(10_000);
      throw new Error('serialisation failed');
    }
    await expect(file.rewriteInChunks(() => failing())).rejects.toThrow('serialisation failed');
    file.append([{ n: 3 }]);
    expect(read(p)).toEqual([1, 2, 3]);
    expect(fs.existsSync(`${p}.tmp`)).toBe(false);
    expect(file.rewriting).toBe(false);
    file.close();
  });

  test('everything written to the temporary file is synced before the rename, also what the catch-up after the first sync wrote', async () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    const file = new JsonlFile<Rec>(p);
    file.append([{ n: 1 }]);
    // What happens to the temporary file, in order, up to the rename.
    const ops: string[] = [];
    const onTemp = (fd: number) => fs.readlinkSync(`/proc/self/fd/${fd}`).endsWith('.tmp');
    const probe = await fsp.open(p, 'r');
    const handles = Object.getPrototypeOf(probe);
    await probe.close();
    const realWrite = handles.write;
    const realSync = handles.sync;
    let appendedDuringSync = false;
    jest.spyOn(handles, 'write').mockImplementation(function (this: { fd: number }, ...a: unknown[]) {
      if (onTemp(this.fd)) ops.push('write');
      return realWrite.apply(this, a);
    });
    jest.spyOn(handles, 'sync').mockImplementation(function (this: { fd: number }) {
      ops.push('sync');
      // More than the final synchronous step takes on its own: the catch-up after this sync writes it.
      if (!appendedDuringSync) file.append(range(2, 402).map((n) => ({ n, pad: 'x'.repeat(200) })));
      appendedDuringSync = true;
      return realSync.call(this);
    });
    const realWriteSync = fs.writeSync;
    jest.spyOn(fs, 'writeSync').mockImplementation(((fd: number, ...a: unknown[]) => {
      if (onTemp(fd)) ops.push('write');
      return (realWriteSync as (...x: unknown[]) => number)(fd, ...a);
    }) as typeof fs.writeSync);
    const realFsync = fs.fsyncSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      if (onTemp(fd)) ops.push('sync');
      realFsync(fd);
    });
    const realRename = fs.renameSync;
    jest.spyOn(fs, 'renameSync').mockImplementation((from, to) => {
      ops.push('rename');
      realRename(from, to);
    });
    await file.rewriteInChunks(() => linesInChunks([{ n: 1 }]));
    jest.restoreAllMocks();
    expect(read(p)).toEqual(range(1, 402));
    // The catch-up wrote after the first sync…
    expect(ops.slice(ops.indexOf('sync'))).toContain('write');
    // …and was synced before the rename.
    expect(ops[ops.indexOf('rename') - 1]).toBe('sync');
    file.close();
  });

  test('a temporary file left by a crash is removed at open, the file itself untouched', () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    fs.writeFileSync(p, '{"n":1}\n');
    fs.writeFileSync(`${p}.tmp`, '{"n":9}\n{"n":');
    const file = new JsonlFile<Rec>(p);
    file.removeLeftoverTemp();
    expect(fs.existsSync(`${p}.tmp`)).toBe(false);
    expect(read(p)).toEqual([1]);
  });

  test('chunks hold whole lines, a bounded number of them', () => {
    const chunks = [...linesInChunks(range(0, 2500).map((n) => ({ n })))];
    expect(chunks.length).toBe(3);
    expect(chunks.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l).n)).toEqual(range(0, 2500));
    for (const c of chunks) expect(c.endsWith('\n')).toBe(true);
  });

  test('an abandoned rewrite stops between chunks: the old file whole, no temporary file; a rewrite not abandonable runs on', async () => {
    const p = path.join(tempDir('callpath-chunked-'), 'a.jsonl');
    const file = new JsonlFile<Rec>(p);
    file.append(range(0, 10).map((n) => ({ n })));
    let chunks = 0;
    function* slow(): Generator<string> {
      for (let i = 0; i < 1000; i++) {
        chunks++;
        yield '{"n":-1}\n'.repeat(1000);
      }
    }
    const compaction = file.rewriteInChunks(() => slow(), { abandonable: true });
    const queuedCompaction = file.rewriteInChunks(() => slow(), { abandonable: true });
    const deletion = file.rewriteInChunks(() => linesInChunks(range(5, 10).map((n) => ({ n }))));
    while (chunks < 3) await nextTurn();
    file.abandonRewrites();
    await expect(compaction).rejects.toThrow(RewriteAbandoned);
    await expect(queuedCompaction).rejects.toThrow(RewriteAbandoned);
    expect(chunks).toBeLessThan(10);
    await deletion;
    expect(read(p)).toEqual(range(5, 10));
    expect(fs.existsSync(`${p}.tmp`)).toBe(false);
    // Later rewrites are not abandoned by the earlier call.
    await file.rewriteInChunks(() => linesInChunks([{ n: 7 }]), { abandonable: true });
    expect(read(p)).toEqual([7]);
    file.close();
  });
});
