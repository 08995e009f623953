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
    const spy = jest.spyOn(fs, 'writeSync').mockImplementationOnce(((fd: number, buf: Buffer, off: number, len: number) => {
      realWrite(fd, buf, off, Math.floor(len / 2));
      throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
    }) as unknown as typeof fs.writeSync);
    expect(() => file.append([{ n: 2 }, { n: 3 }])).toThrow(/ENOSPC/);
    spy.mockRestore();
    file.append([{ n: 4 }]);
    expect(read(file)).toEqual({ out: [1, 4], torn: 0 });
    file.close();
  });
});
