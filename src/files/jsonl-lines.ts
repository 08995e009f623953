/** What a read of a JSON-lines file found: records passed on, and lines that could not be read. */
export interface JsonlReadResult {
  lines: number;
  /**
   * Lines that are not a record: a torn last line from a power cut, which stays a line of its own
   * once appends resume after it (see JsonlFile.openForAppend), so it may sit anywhere in the file.
   */
  torn: number;
}

/**
 * Splits a file's bytes, fed in chunks of any size, into lines and parses each: the one parser behind
 * the synchronous and the asynchronous read, so both skip the same lines. Works on bytes, never on a
 * whole-file string (V8's string limit is about 512 MiB).
 */
export class JsonlParser<T> {
  private rest: Buffer = Buffer.alloc(0);
  private lines = 0;
  private torn = 0;

  constructor(private readonly onRecord: (r: T) => void) {}

  /** Parses every whole line in `bytes` (after what was left of the previous chunk); keeps the unfinished tail. */
  push(bytes: Buffer): void {
    // A newline byte never occurs inside a multi-byte UTF-8 character, so splitting bytes is safe.
    const data = this.rest.length ? Buffer.concat([this.rest, bytes]) : bytes;
    let start = 0;
    let end: number;
    while ((end = data.indexOf(0x0a, start)) !== -1) {
      this.parse(data.subarray(start, end));
      start = end + 1;
    }
    // Copied: the caller reuses its read buffer for the next chunk.
    this.rest = Buffer.from(data.subarray(start));
  }

  /** Parses the last line (one without a newline, possibly torn) and returns the counts. */
  end(): JsonlReadResult {
    this.parse(this.rest);
    this.rest = Buffer.alloc(0);
    return { lines: this.lines, torn: this.torn };
  }

  private parse(bytes: Buffer): void {
    if (!bytes.length) return;
    try {
      this.onRecord(JSON.parse(bytes.toString('utf8')) as T);
      this.lines++;
    } catch {
      this.torn++;
    }
  }
}
