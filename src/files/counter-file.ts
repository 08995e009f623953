import fs from 'node:fs';

/** Every record has this length, so each write covers the whole previous one. */
const RECORD_BYTES = 32;

/**
 * One count kept in a small file as `{"<name>":N}`, rewritten often (the outbox's delivery position
 * after every batch). The file stays open and each write replaces the record in place with a single
 * write at offset 0: no open, truncate and close per write, and no new disk space needed, so the
 * position can still be recorded on a full disk. A process that dies cannot leave half of one write.
 */
export class CounterFile {
  private fd: number | null = null;

  constructor(
    readonly path: string,
    private readonly name: string,
  ) {}

  /** The stored count; 0 when the file is missing or unreadable. */
  read(): number {
    try {
      return Number(JSON.parse(fs.readFileSync(this.path, 'utf8'))[this.name]) || 0;
    } catch {
      return 0;
    }
  }

  write(n: number): void {
    // JSON allows trailing spaces, so the fixed-width record is still what read() (and earlier
    // versions, which wrote it without padding) parse.
    const record = Buffer.from(JSON.stringify({ [this.name]: n }).padEnd(RECORD_BYTES - 1) + '\n');
    if (record.length !== RECORD_BYTES) throw new Error(`count ${n} does not fit in ${this.path}`);
    const opening = this.fd === null;
    // Read-write and created if missing, but not truncated: positioned writes need no O_APPEND.
    if (opening) this.fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_CREAT, 0o666);
    try {
      if (fs.writeSync(this.fd!, record, 0, RECORD_BYTES, 0) !== RECORD_BYTES) throw new Error(`short write to ${this.path}`);
      // A longer record left by an earlier version would otherwise trail after ours.
      if (opening) fs.ftruncateSync(this.fd!, RECORD_BYTES);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** Makes the last write survive a power cut (the record is written in place: the folder is unchanged). */
  sync(): void {
    if (this.fd !== null) fs.fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    const fd = this.fd;
    this.fd = null;
    fs.closeSync(fd);
  }
}
