import fs from 'node:fs';

const READ_CHUNK_BYTES = 8 * 2 ** 20;

/**
 * An append-only file of JSON lines. Appends go straight to the OS (a crash of the process loses
 * nothing already appended); a torn last line from a power cut is skipped when read back.
 */
export class JsonlFile<T> {
  constructor(readonly path: string) {}

  /**
   * Reads the file in chunks, line by line: a whole-file string would stop at V8's string limit
   * (about 512 MiB, some 100 000 calls of events), and the store could no longer start.
   */
  readAll(onRecord: (r: T) => void): { lines: number; torn: number } {
    if (!fs.existsSync(this.path)) return { lines: 0, torn: 0 };
    let lines = 0;
    let torn = 0;
    const parse = (bytes: Buffer) => {
      if (!bytes.length) return;
      try {
        onRecord(JSON.parse(bytes.toString('utf8')) as T);
        lines++;
      } catch {
        torn++;
      }
    };
    const fd = fs.openSync(this.path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(READ_CHUNK_BYTES);
      let rest: Buffer = Buffer.alloc(0);
      let n: number;
      while ((n = fs.readSync(fd, chunk, 0, chunk.length, null)) > 0) {
        // A newline byte never occurs inside a multi-byte UTF-8 character, so splitting bytes is safe.
        const data = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
        let start = 0;
        let end: number;
        while ((end = data.indexOf(0x0a, start)) !== -1) {
          parse(data.subarray(start, end));
          start = end + 1;
        }
        rest = Buffer.from(data.subarray(start));
      }
      parse(rest);
    } finally {
      fs.closeSync(fd);
    }
    return { lines, torn };
  }

  append(records: readonly T[]): void {
    if (!records.length) return;
    fs.appendFileSync(this.path, records.map((r) => JSON.stringify(r)).join('\n') + '\n');
  }

  /** Replaces the whole file atomically (write aside, then rename). */
  rewrite(records: Iterable<T>): void {
    const tmp = `${this.path}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      let buf: string[] = [];
      for (const r of records) {
        buf.push(JSON.stringify(r));
        if (buf.length >= 1000) {
          fs.writeSync(fd, buf.join('\n') + '\n');
          buf = [];
        }
      }
      if (buf.length) fs.writeSync(fd, buf.join('\n') + '\n');
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path);
  }
}
