import fs from 'node:fs';
import fsp, { type FileHandle } from 'node:fs/promises';

/** About a millisecond or two of JSON.stringify: the longest a chunk holds the event loop. */
const CHUNK_CHARS = 256 * 1024;
const CHUNK_RECORDS = 1000;
/** Appends left over below this are written in the final synchronous step, with the rename. */
const SMALL_TAIL_BYTES = 64 * 1024;
const CATCH_UP_ROUNDS = 4;

/** Text of JSON lines, cut into chunks small enough to serialise between two turns of the event loop. */
export function* linesInChunks<T>(items: readonly T[], line: (item: T) => string = (r) => JSON.stringify(r)): Generator<string> {
  let text = '';
  let n = 0;
  for (const item of items) {
    text += line(item) + '\n';
    if (++n >= CHUNK_RECORDS || text.length >= CHUNK_CHARS) {
      yield text;
      text = '';
      n = 0;
    }
  }
  if (text) yield text;
}

/** Appends made to the live file after the snapshot: they belong after it in the new file. */
export class AppendCapture {
  private buffers: Buffer[] = [];
  private bytes = 0;

  add(bytes: Buffer): void {
    this.buffers.push(bytes);
    this.bytes += bytes.length;
  }

  get size(): number {
    return this.bytes;
  }

  take(): Buffer {
    const all = Buffer.concat(this.buffers);
    this.buffers = [];
    this.bytes = 0;
    return all;
  }
}

/** A rewrite given up on purpose (the store is closing): the old file is in place, whole, and no temporary file is left. */
export class RewriteAbandoned extends Error {
  constructor(path: string) {
    super(`${path}: rewrite abandoned`);
    this.name = 'RewriteAbandoned';
  }
}

export interface RewriteOptions {
  /** false for files whose appends are not synced either. */
  sync?: boolean;
  /**
   * Aborting it gives the rewrite up at its next step (between two chunks, or before the rename),
   * with RewriteAbandoned. A rewrite is never abandoned once the rename has begun.
   */
  signal?: AbortSignal;
}

export interface RewriteHooks {
  /**
   * Takes the snapshot and starts capturing appends, in one synchronous step: an append between the
   * two would be in neither. Returns the snapshot's text, produced lazily chunk by chunk.
   */
  begin(capture: AppendCapture): Iterable<string>;
  /** Stops capturing; after a rename, in the same tick, so that the next append opens the new file. */
  end(renamed: boolean): void;
}

/**
 * Replaces `path` with a snapshot plus whatever is appended meanwhile, without holding the event loop
 * for more than a chunk at a time: the text is written aside with asynchronous I/O, synced, and
 * renamed over the file. Until the rename the old file stays complete (appends still go to it), so a
 * crash at any point loses nothing; the temporary file it leaves is garbage.
 */
export async function rewriteInChunks(path: string, hooks: RewriteHooks, { sync = true, signal }: RewriteOptions = {}): Promise<void> {
  const tmp = `${path}.tmp`;
  const goOn = () => {
    if (signal?.aborted) throw new RewriteAbandoned(path);
  };
  // Abandoned while queued: no snapshot, no temporary file.
  goOn();
  const fh = await fsp.open(tmp, 'w');
  let renamed = false;
  let begun = false;
  // The next chunk is serialised while the previous one is being written.
  let writing: Promise<void> | null = null;
  try {
    const capture = new AppendCapture();
    begun = true;
    const chunks = hooks.begin(capture);
    let pos = 0;
    for (const text of chunks) {
      goOn();
      const bytes = Buffer.from(text, 'utf8');
      if (writing) await writing;
      writing = writeAt(fh, bytes, pos);
      pos += bytes.length;
    }
    if (writing) await writing;
    // Appends keep coming while their predecessors are written: catch up a bounded number of times,
    // so that a steady stream cannot keep the rewrite from ever finishing.
    const catchUp = async () => {
      for (let round = 0; round < CATCH_UP_ROUNDS && capture.size > SMALL_TAIL_BYTES; round++) {
        goOn();
        const more = capture.take();
        await writeAt(fh, more, pos);
        pos += more.length;
      }
    };
    await catchUp();
    // The bulk reaches the disk off the event loop; the synchronous sync below then has little left.
    let synced = 0;
    if (sync) {
      await fh.sync();
      synced = pos;
    }
    await catchUp();
    goOn();
    // From here to the rename nothing may be appended unseen: one synchronous step.
    const rest = capture.take();
    for (let off = 0; off < rest.length; ) off += fs.writeSync(fh.fd, rest, off, rest.length - off, pos + off);
    pos += rest.length;
    // Whatever the catch-up after the sync wrote counts too: an append made durably to the old file
    // (a deletion) may be among it, and must not be renamed into place unsynced.
    if (sync && pos > synced) fs.fsyncSync(fh.fd);
    // Freeing the replaced file's blocks (a gigabyte of them, some tens of milliseconds) happens when
    // its last descriptor closes: hold one across the rename and close it off the event loop.
    const old = openIfExists(path);
    fs.renameSync(tmp, path);
    renamed = true;
    if (old !== null) fs.close(old, () => undefined);
  } finally {
    if (begun) hooks.end(renamed);
    // A write still in flight when the snapshot failed must not outlive the file handle.
    await writing?.catch(() => undefined);
    await fh.close().catch(() => undefined);
    if (!renamed) fs.rmSync(tmp, { force: true });
  }
}

function openIfExists(path: string): number | null {
  try {
    return fs.openSync(path, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** A write may be cut short (a full disk, a signal): the rest follows or the error is thrown. */
async function writeAt(fh: FileHandle, bytes: Buffer, pos: number): Promise<void> {
  for (let off = 0; off < bytes.length; ) {
    const { bytesWritten } = await fh.write(bytes, off, bytes.length - off, pos + off);
    off += bytesWritten;
  }
}
