import fs from 'node:fs';
import path from 'node:path';
import { JsonlFile } from '../../src/files/jsonl-file';
import { tempDir } from '../helpers/harness';

const read = (f: JsonlFile<{ n: number }>) => {
  const out: number[] = [];
  const { torn } = f.readAll((r) => out.push(r.n));
  return { out, torn };
};

describe('JSON-lines file', () => {
  test('appends through the open file are readable at once, by another reader', () => {
    const file = new JsonlFile<{ n: number }>(path.join(tempDir('callpath-jsonl-'), 'a.jsonl'));
    file.append([{ n: 1 }, { n: 2 }]);
    file.append([{ n: 3 }]);
    expect(read(new JsonlFile(file.path))).toEqual({ out: [1, 2, 3], torn: 0 });
    file.close();
  });

  test('a torn last line (power cut mid-append) stays apart: the next record is not joined to it and lost', () => {
    const p = path.join(tempDir('callpath-jsonl-'), 'a.jsonl');
    fs.writeFileSync(p, '{"n":1}\n{"n":');
    const file = new JsonlFile<{ n: number }>(p);
    file.append([{ n: 2 }]);
    expect(read(file)).toEqual({ out: [1, 2], torn: 1 });
    file.close();
  });

  test('after a rewrite, appends go to the new file, not the replaced one', () => {
    const file = new JsonlFile<{ n: number }>(path.join(tempDir('callpath-jsonl-'), 'a.jsonl'));
    file.append([{ n: 1 }, { n: 2 }]);
    file.rewrite([{ n: 2 }]);
    file.append([{ n: 3 }]);
    expect(read(file).out).toEqual([2, 3]);
    file.close();
  });

  test('truncate empties the file and later appends start from the beginning', () => {
    const file = new JsonlFile<{ n: number }>(path.join(tempDir('callpath-jsonl-'), 'a.jsonl'));
    file.append([{ n: 1 }]);
    file.truncate();
    expect(fs.readFileSync(file.path, 'utf8')).toBe('');
    file.append([{ n: 2 }]);
    expect(fs.readFileSync(file.path, 'utf8')).toBe('{"n":2}\n');
    file.close();
  });

  test('a failed append leaves no partial line, and the file takes appends again afterwards', () => {
    const file = new JsonlFile<{ n: number }>(path.join(tempDir('callpath-jsonl-'), 'a.jsonl'));
    file.append([{ n: 1 }]);
    // A write that stops half-way, as on a full disk.
    const realWrite = fs.writeSync;
    const spy = jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, data: string) => {
      realWrite(fd, data.slice(0, Math.floor(data.length / 2)));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => file.append([{ n: 2 }, { n: 3 }])).toThrow(/ENOSPC/);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    file.append([{ n: 4 }]);
    expect(read(file)).toEqual({ out: [1, 4], torn: 0 });
    file.close();
  });

  test('a write the system cuts short is finished, and a failed append cuts back by bytes, not characters', () => {
    const file = new JsonlFile<{ s: string }>(path.join(tempDir('callpath-jsonl-'), 'a.jsonl'));
    const realWrite = fs.writeSync;
    // A short write (a signal, a nearly full disk) reports fewer bytes than it was given.
    const short = jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, data: string) => realWrite(fd, Buffer.from(data).subarray(0, 5))) as unknown as typeof fs.writeSync);
    file.append([{ s: 'Växeln' }, { s: 'Förskola' }]);
    expect(short).toHaveBeenCalled();
    short.mockRestore();
    // The size kept for cutting back must be the file's in bytes ("ä" and "ö" are two each).
    const failing = jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, data: string) => {
      realWrite(fd, data.slice(0, 4));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => file.append([{ s: 'Återvinning' }])).toThrow(/ENOSPC/);
    failing.mockRestore();
    file.append([{ s: 'Skola' }]);
    expect(fs.readFileSync(file.path, 'utf8')).toBe('{"s":"Växeln"}\n{"s":"Förskola"}\n{"s":"Skola"}\n');
    file.close();
  });

  test('a durable append reaches the disk before it returns, the file and then its folder; a plain append syncs nothing', () => {
    const dir = fs.realpathSync(tempDir('callpath-jsonl-'));
    const file = new JsonlFile<{ n: number }>(path.join(dir, 'a.jsonl'));
    const synced: string[] = [];
    const realSync = fs.fsyncSync;
    // Linux names each open descriptor's file under /proc/self/fd.
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      realSync(fd);
    });
    file.append([{ n: 1 }]);
    expect(synced).toEqual([]);
    file.appendDurably([{ n: 2 }]);
    expect(synced).toEqual([file.path, dir]);
    jest.restoreAllMocks();
    expect(read(file)).toEqual({ out: [1, 2], torn: 0 });
    file.close();
  });

  test('rewriteRecords maps each record by its index, torn lines dropped; appends made during it follow unmapped; synced, then the folder', async () => {
    const dir = fs.realpathSync(tempDir('callpath-jsonl-'));
    const p = path.join(dir, 'a.jsonl');
    // Larger than one read chunk, with a torn line in the middle.
    const big = 'x'.repeat(1000);
    fs.writeFileSync(p, Array.from({ length: 600 }, (_, n) => JSON.stringify({ n, s: big }) + (n === 300 ? '\n{"n":' : '')).join('\n') + '\n');
    const file = new JsonlFile<{ n: number; s?: string }>(p);
    const indexes: number[] = [];
    const synced: string[] = [];
    const realSync = fs.fsyncSync;
    jest.spyOn(fs, 'fsyncSync').mockImplementation((fd) => {
      synced.push(fs.readlinkSync(`/proc/self/fd/${fd}`));
      realSync(fd);
    });
    const rewriting = file.rewriteRecords(
      (r, i) => {
        indexes.push(i);
        return r.n % 2 ? { n: -r.n } : r;
      },
      { atSnapshot: () => file.append([{ n: 1000 }]) },
    );
    // Before the rewrite's turn (it starts on a later tick): in the file it reads, so mapped too.
    file.append([{ n: 1001 }]);
    await rewriting;
    jest.restoreAllMocks();
    expect(indexes).toEqual(Array.from({ length: 601 }, (_, i) => i));
    const { out, torn } = read(file as JsonlFile<{ n: number }>);
    expect(torn).toBe(0);
    expect(out).toEqual([...Array.from({ length: 600 }, (_, n) => (n % 2 ? -n : n)), -1001, 1000]);
    expect(synced.slice(-1)).toEqual([dir]);
    expect(synced).toContain(file.path + '.tmp');
    file.close();
  });

  describe('asynchronous read', () => {
    const readAsync = async (f: JsonlFile<{ n: number; s?: string }>, opts: Parameters<JsonlFile<unknown>['readAllAsync']>[1] = {}) => {
      const out: number[] = [];
      const { torn, lines } = await f.readAllAsync((r) => out.push(r.n), opts);
      return { out, torn, lines };
    };

    test('finds what the synchronous read finds, whatever the chunk size: lines and multi-byte characters cut across chunks, torn lines skipped', async () => {
      const p = path.join(tempDir('callpath-jsonl-'), 'a.jsonl');
      const records = Array.from({ length: 300 }, (_, n) => JSON.stringify({ n, s: 'åäö€'.repeat(n % 7) }));
      // A torn line in the middle (a crash, then appends resumed on a new line) and one at the end.
      fs.writeFileSync(p, records.slice(0, 150).join('\n') + '\n{"n":99\n' + records.slice(150).join('\n') + '\n{"n":');
      const file = new JsonlFile<{ n: number; s?: string }>(p);
      const sync: number[] = [];
      const expected = { ...file.readAll((r) => sync.push(r.n)), out: sync };
      expect(expected).toEqual({ out: Array.from({ length: 300 }, (_, n) => n), torn: 2, lines: 300 });
      for (const chunkBytes of [1, 7, 64, 4096, 1 << 20]) expect(await readAsync(file, { chunkBytes })).toEqual(expected);
    });

    test('a missing file reads as empty', async () => {
      const file = new JsonlFile<{ n: number }>(path.join(tempDir('callpath-jsonl-'), 'none.jsonl'));
      expect(await readAsync(file)).toEqual({ out: [], torn: 0, lines: 0 });
    });

    test('reports progress after each chunk, and an aborted signal stops it before the next chunk', async () => {
      const p = path.join(tempDir('callpath-jsonl-'), 'a.jsonl');
      fs.writeFileSync(p, Array.from({ length: 1000 }, (_, n) => JSON.stringify({ n })).join('\n') + '\n');
      const size = fs.statSync(p).size;
      const file = new JsonlFile<{ n: number }>(p);
      const seen: number[] = [];
      await readAsync(file, { chunkBytes: 1024, onChunk: (n) => void seen.push(n) });
      expect(seen[seen.length - 1]).toBe(size);
      expect(seen.length).toBe(Math.ceil(size / 1024));

      const stop = new AbortController();
      let chunks = 0;
      const reading = readAsync(file, {
        chunkBytes: 1024,
        signal: stop.signal,
        onChunk: () => {
          if (++chunks === 3) stop.abort(new Error('stopping'));
        },
      });
      await expect(reading).rejects.toThrow('stopping');
      expect(chunks).toBe(3);
    });
  });
});
