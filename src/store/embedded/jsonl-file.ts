import fs from 'node:fs';

/**
 * An append-only file of JSON lines. Appends go straight to the OS (a crash of the process loses
 * nothing already appended); a torn last line from a power cut is skipped when read back.
 */
export class JsonlFile<T> {
  constructor(readonly path: string) {}

  readAll(onRecord: (r: T) => void): { lines: number; torn: number } {
    if (!fs.existsSync(this.path)) return { lines: 0, torn: 0 };
    const text = fs.readFileSync(this.path, 'utf8');
    let lines = 0;
    let torn = 0;
    let start = 0;
    while (start < text.length) {
      let end = text.indexOf('\n', start);
      if (end === -1) end = text.length;
      const line = text.slice(start, end);
      start = end + 1;
      if (!line) continue;
      try {
        onRecord(JSON.parse(line) as T);
        lines++;
      } catch {
        torn++;
      }
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
