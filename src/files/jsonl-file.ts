import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { RewriteAbandoned, rewriteInChunks, type AppendCapture } from './chunked-rewrite';
import { JsonlParser, type JsonlReadResult } from './jsonl-lines';

const READ_CHUNK_BYTES = 8 * 2 ** 20;
/**
 * A few milliseconds of JSON.parse: the longest an asynchronous read holds the event loop itself. At
 * 200 000 calls the longest stalls measured were 59–91 ms with 128–512 KiB (garbage collection of the
 * growing heap, not the parsing), 257 ms with 2 MiB (bench/store-load-bench.ts).
 */
const ASYNC_READ_CHUNK_BYTES = 256 * 2 ** 10;

export interface AsyncReadOptions {
  chunkBytes?: number;
  signal?: AbortSignal;
  onChunk?: (bytesReadSoFar: number) => void | Promise<void>;
}

/**
 * An append-only file of JSON lines. Appends go straight to the OS (a crash of the process loses
 * nothing already appended); a torn last line from a power cut is skipped when read back.
 *
 * The file stays open between appends (O_APPEND), so an append is one write system call rather than
 * open, write and close: the outbox journal and the embedded store append on every webhook.
 */
export class JsonlFile<T> {
  /** Open for appending once the first append happens; closed by close() and by rewrite(). */
  private fd: number | null = null;
  /** The file's length after the last whole append, where a failed append is cut back to. */
  private size = 0;
  /** Set while a chunked rewrite runs: appends made meanwhile must reach the new file too. */
  private capture: AppendCapture | null = null;
  /** Chunked rewrites run one after another: two at once would share the temporary file. */
  private queue: Promise<void> = Promise.resolve();
  private queued = 0;
  /** Shared by the abandonable rewrites running or queued now; replaced once they are abandoned. */
  private abandon = new AbortController();

  constructor(readonly path: string) {}

  /**
   * Reads the file in chunks, line by line: a whole-file string would stop at V8's string limit
   * (about 512 MiB, some 100 000 calls of events), and the store could no longer start.
   */
  readAll(onRecord: (r: T) => void): JsonlReadResult {
    const parser = new JsonlParser(onRecord);
    if (!fs.existsSync(this.path)) return parser.end();
    for (const chunk of this.chunks(READ_CHUNK_BYTES)) parser.push(chunk);
    return parser.end();
  }

  /** The file's bytes from its start, up to `upTo`, a chunk at a time (the buffer is reused: consume each before the next). */
  private *chunks(chunkBytes: number, upTo = Infinity): Generator<Buffer> {
    const fd = fs.openSync(this.path, 'r');
    try {
      const chunk = Buffer.allocUnsafe(chunkBytes);
      for (let pos = 0; pos < upTo; ) {
        const n = fs.readSync(fd, chunk, 0, Math.min(chunk.length, upTo - pos), pos);
        if (n === 0) break;
        pos += n;
        yield chunk.subarray(0, n);
      }
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * readAll without holding the event loop: small chunks, each read with asynchronous I/O, so other
   * work (webhooks) runs between two chunks and waits at most for one chunk's parsing. `onChunk`
   * hears the bytes read so far after each chunk (progress; a test may hold the read there); an
   * aborted `signal` stops the read before the next chunk, throwing its reason.
   */
  async readAllAsync(onRecord: (r: T) => void, opts: AsyncReadOptions = {}): Promise<JsonlReadResult> {
    const parser = new JsonlParser(onRecord);
    opts.signal?.throwIfAborted();
    let fh: FileHandle;
    try {
      fh = await fsp.open(this.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return parser.end();
      throw err;
    }
    try {
      const chunk = Buffer.allocUnsafe(opts.chunkBytes ?? ASYNC_READ_CHUNK_BYTES);
      let read = 0;
      for (;;) {
        opts.signal?.throwIfAborted();
        const { bytesRead } = await fh.read(chunk, 0, chunk.length, null);
        if (bytesRead === 0) break;
        parser.push(chunk.subarray(0, bytesRead));
        read += bytesRead;
        await opts.onChunk?.(read);
      }
    } finally {
      await fh.close();
    }
    return parser.end();
  }

  append(records: readonly T[]): void {
    if (!records.length) return;
    let text = '';
    for (const r of records) text += JSON.stringify(r) + '\n';
    const fd = this.openForAppend();
    let length: number;
    try {
      length = this.capture ? this.writeCaptured(fd, text) : writeText(fd, text);
    } catch (err) {
      // A write cut short (disk full) would leave half a line, and the next append would join it and
      // be unreadable: cut the file back to its last whole line.
      try {
        fs.ftruncateSync(fd, this.size);
      } catch {
        // Reopening checks the tail again (see openForAppend).
        this.close();
      }
      throw err;
    }
    this.size += length;
  }

  /** During a chunked rewrite the rewrite needs the bytes too, to carry them into the new file. */
  private writeCaptured(fd: number, text: string): number {
    const bytes = Buffer.from(text, 'utf8');
    writeAll(fd, bytes);
    this.capture!.add(bytes);
    return bytes.length;
  }

  /**
   * append(), on disk before it returns: the file synced, then its folder, so that a power cut cannot
   * undo a rename a rewrite made just before either (the replaced file would be back, without these
   * records). For the rare record whose loss would undo what a caller was told is done (a deletion):
   * the two syncs hold the event loop for milliseconds, too long for every webhook's append.
   */
  appendDurably(records: readonly T[]): void {
    if (!records.length) return;
    this.append(records);
    fs.fsyncSync(this.openForAppend());
    syncFolder(path.dirname(this.path));
  }

  /** Empties the file (records already consumed). */
  truncate(): void {
    this.assertNoChunkedRewrite();
    fs.ftruncateSync(this.openForAppend(), 0);
    this.size = 0;
  }

  /** Releases the open file; the next append opens it again. */
  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }

  private openForAppend(): number {
    if (this.fd !== null) return this.fd;
    const fd = fs.openSync(this.path, 'a+');
    try {
      let size = fs.fstatSync(fd).size;
      // A torn last line (a power cut mid-append) must stay a line of its own: the next record
      // would otherwise be joined to it and skipped with it when read back.
      if (size > 0 && lastByte(fd, size) !== 0x0a) {
        writeAll(fd, Buffer.from('\n'));
        size++;
      }
      this.size = size;
    } catch (err) {
      fs.closeSync(fd);
      throw err;
    }
    this.fd = fd;
    return fd;
  }

  /**
   * Replaces the whole file atomically (write aside, then rename). Synced to disk before the rename
   * unless `sync` is false, for files whose appends are not synced either.
   */
  rewrite(records: Iterable<T>, { sync = true }: { sync?: boolean } = {}): void {
    this.assertNoChunkedRewrite();
    // The rename puts a new file in place; appends through the old descriptor would go to the old one.
    this.close();
    const tmp = `${this.path}.tmp`;
    const fd = fs.openSync(tmp, 'w');
    try {
      let buf: string[] = [];
      for (const r of records) {
        buf.push(JSON.stringify(r));
        if (buf.length >= 1000) {
          writeAll(fd, Buffer.from(buf.join('\n') + '\n'));
          buf = [];
        }
      }
      if (buf.length) writeAll(fd, Buffer.from(buf.join('\n') + '\n'));
      if (sync) fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, this.path);
  }

  /**
   * Replaces the file like rewrite(), without holding the event loop for more than a chunk at a time
   * (see chunked-rewrite.ts). `snapshot` is called when this rewrite's turn comes, not now, and returns
   * the text of the lines; appends made from then until the rename follow it in the new file (and go
   * to the old one too, which stays whole until the rename). Queued behind any rewrite still running.
   * An `abandonable` rewrite (a compaction: the old file holds the same records) is given up by
   * abandonRewrites(); the others (a deletion) always run to the end.
   */
  rewriteInChunks(snapshot: () => Iterable<string>, opts: { sync?: boolean; abandonable?: boolean } = {}): Promise<void> {
    this.queued++;
    const signal = opts.abandonable ? this.abandon.signal : undefined;
    const run = this.queue.then(() =>
      rewriteInChunks(
        this.path,
        {
          begin: (capture) => {
            this.capture = capture;
            return snapshot();
          },
          end: (renamed) => {
            this.capture = null;
            // Appends through the old descriptor would go to the replaced file. Closed off the event
            // loop: closing the last descriptor of the replaced file frees its blocks.
            if (renamed && this.fd !== null) {
              fs.close(this.fd, () => undefined);
              this.fd = null;
            }
          },
        },
        { sync: opts.sync, signal },
      ),
    );
    const done = run.finally(() => this.queued--);
    this.queue = done.catch(() => undefined);
    return done;
  }

  /**
   * Rewrites every record through `map` with rewriteInChunks, and syncs the folder once the new file
   * is in place, so that a power cut cannot bring the old one back. The file as it is when this
   * rewrite's turn comes is read back a chunk at a time (never whole in memory); `map` gets each
   * record and its index (the number of records before it: unreadable lines count for nothing and are
   * dropped). Appends made from then on follow, unchanged (one made before its turn came is in the
   * file it reads). `atSnapshot` runs when the turn comes, before anything is read. Not abandonable.
   */
  async rewriteRecords(map: (record: T, index: number) => T, opts: { atSnapshot?: () => void } = {}): Promise<void> {
    await this.rewriteInChunks(() => {
      const size = sizeOf(this.path);
      opts.atSnapshot?.();
      return this.mappedLines(map, size);
    });
    syncFolder(path.dirname(this.path));
  }

  /** The text of the first `upTo` bytes' records through `map`, a chunk's worth at a time. */
  private *mappedLines(map: (record: T, index: number) => T, upTo: number): Generator<string> {
    if (upTo === 0) return;
    let text = '';
    let index = 0;
    const parser = new JsonlParser<T>((r) => {
      text += JSON.stringify(map(r, index++)) + '\n';
    });
    for (const chunk of this.chunks(ASYNC_READ_CHUNK_BYTES, upTo)) {
      parser.push(chunk);
      if (text) yield text;
      text = '';
    }
    parser.end();
    if (text) yield text;
  }

  /**
   * Gives up the abandonable rewrites running or queued (they reject with RewriteAbandoned at their
   * next step, leaving the old file whole); rewrites asked for later are not affected.
   */
  abandonRewrites(): void {
    this.abandon.abort(new RewriteAbandoned(this.path));
    this.abandon = new AbortController();
  }

  /** True while a chunked rewrite runs or waits for its turn. */
  get rewriting(): boolean {
    return this.queued > 0;
  }

  /** Resolves once no chunked rewrite runs or waits, whether they succeeded or not. */
  async idle(): Promise<void> {
    while (this.queued > 0) await this.queue;
  }

  /** A temporary file left by a crash mid-rewrite was never renamed into place: the file itself is whole. */
  removeLeftoverTemp(): void {
    this.assertNoChunkedRewrite();
    fs.rmSync(`${this.path}.tmp`, { force: true });
  }

  private assertNoChunkedRewrite(): void {
    if (this.queued > 0) throw new Error(`${this.path}: a chunked rewrite is running`);
  }
}

/**
 * Writes text as UTF-8 and returns its length in bytes. The string goes to the write as it is: a
 * Buffer made of it first (the usual way) was a copy in the JavaScript heap on every append, and the
 * garbage collector's work with it. A short write (rare on a file) is finished from a Buffer.
 */
function writeText(fd: number, text: string): number {
  const written = fs.writeSync(fd, text);
  const length = Buffer.byteLength(text, 'utf8');
  if (written < length) writeAll(fd, Buffer.from(text, 'utf8').subarray(written));
  return length;
}

/** fs.writeSync may write less than asked (a full disk, a signal); the rest follows or the error is thrown. */
function writeAll(fd: number, bytes: Buffer): void {
  for (let off = 0; off < bytes.length; ) off += fs.writeSync(fd, bytes, off, bytes.length - off);
}

/** Makes the folder's entries (a file created or renamed into it) survive a power cut. */
function syncFolder(dir: string): void {
  // Windows cannot open a folder to sync it; NTFS journals its entries itself.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw err;
  }
}

function lastByte(fd: number, size: number): number {
  const b = Buffer.alloc(1);
  fs.readSync(fd, b, 0, 1, size - 1);
  return b[0];
}
