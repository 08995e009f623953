import { Worker } from 'node:worker_threads';
import type { Db } from './database';

/**
 * Moves a database's WAL into its file from a worker thread with a connection of its own, so that the
 * copying and the fsyncs a checkpoint does never run on the event loop that answers webhooks. (SQLite
 * checkpoints on the committing connection by default, every 1 000 pages: under load that was a pause
 * with two fsyncs every few hundred calls, and the largest single cost of ingestion.) The worker runs
 * a PASSIVE checkpoint whenever the WAL has grown past `walBytes`, which never blocks the writer; the
 * writer starts the WAL over once a checkpoint has caught up. The writer's own automatic checkpoint
 * stays on at a much larger size, a backstop should the worker ever stop.
 */
export interface CheckpointerOptions {
  /** WAL size that starts a checkpoint (default 8 MiB). */
  walBytes?: number;
  /** How often the worker looks at the WAL's size (default 100 ms). */
  intervalMs?: number;
}

/** The writer's own automatic checkpoint, in pages, while a worker checkpoints (4 KiB pages: 256 MiB). */
const BACKSTOP_PAGES = 65_536;

// Plain JavaScript, run with eval: the same code under ts-jest and from dist, with no build step of its own.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 5000');
const wal = workerData.file + '-wal';
let stopping = false;
function walSize() {
  try { return fs.statSync(wal).size; } catch { return 0; }
}
function checkpoint() {
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch (err) { parentPort.postMessage({ error: String(err && err.message || err) }); }
}
const timer = setInterval(() => { if (!stopping && walSize() > workerData.walBytes) checkpoint(); }, workerData.intervalMs);
parentPort.on('message', (m) => {
  if (m && m.checkpoint !== undefined) {
    // A truncate runs a passive pass first: it copies while the writer goes on, and the truncating
    // pass that blocks writers then has only the last frames left.
    let busy = 1;
    try {
      busy = db.pragma('wal_checkpoint(PASSIVE)')[0].busy;
      if (m.truncate) busy = db.pragma('wal_checkpoint(TRUNCATE)')[0].busy;
    } catch (err) {
      parentPort.postMessage({ error: String(err && err.message || err) });
    }
    parentPort.postMessage({ checkpointed: m.checkpoint, ok: busy === 0 });
    return;
  }
  if (m !== 'stop') return;
  stopping = true;
  clearInterval(timer);
  db.close();
  parentPort.postMessage({ stopped: true });
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private stopped: Promise<void> | null = null;
  private requests = 0;
  /** Requests waiting for the worker's answer. */
  private waiting = 0;
  lastError: string | null = null;

  constructor(db: Db, file: string, opts: CheckpointerOptions = {}) {
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { driver: require.resolve('better-sqlite3'), file, walBytes: opts.walBytes ?? 8 * 2 ** 20, intervalMs: opts.intervalMs ?? 100 },
    });
    this.worker.on('message', (m: { error?: string }) => {
      if (m.error) this.lastError = m.error;
    });
    this.worker.on('error', (err) => (this.lastError = err.message));
    // A checkpointer alone must not keep the process running.
    this.worker.unref();
  }

  /**
   * Moves the whole WAL into the database file and empties it, on the worker: after a deletion, so
   * that no older copy of a deleted row's page is left in the WAL. Resolves with whether it could
   * (false when the worker has stopped, or a reader in another process held part of the WAL).
   */
  truncate(): Promise<boolean> {
    return this.request(true);
  }

  /**
   * A passive checkpoint on the worker, now, for a writer that writes faster than the timer's
   * checkpoints catch up with (a large deletion): the WAL only starts over once a checkpoint has
   * copied all of it, and left to grow past the backstop it is checkpointed on the writer's thread.
   */
  catchUp(): Promise<boolean> {
    return this.request(false);
  }

  private request(truncate: boolean): Promise<boolean> {
    if (this.stopped) return Promise.resolve(false);
    const id = ++this.requests;
    return new Promise<boolean>((resolve) => {
      const onMessage = (m: { checkpointed?: number; ok?: boolean }) => {
        if (m.checkpointed !== id) return;
        this.worker.off('message', onMessage);
        this.worker.off('exit', onExit);
        if (--this.waiting === 0) this.worker.unref();
        resolve(m.ok === true);
      };
      const onExit = () => {
        this.worker.off('message', onMessage);
        resolve(false);
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', onExit);
      // Held open until the answer comes.
      if (this.waiting++ === 0) this.worker.ref();
      this.worker.postMessage({ checkpoint: id, truncate });
    });
  }

  /** Stops the worker and closes its connection (before the writer closes, so the writer's close can checkpoint the rest). */
  stop(): Promise<void> {
    this.stopped ??= (async () => {
      const closed = new Promise<void>((resolve) => {
        const onMessage = (m: { stopped?: boolean }) => {
          if (!m.stopped) return;
          this.worker.off('message', onMessage);
          resolve();
        };
        this.worker.on('message', onMessage);
        this.worker.once('exit', () => resolve());
      });
      // Held open until the worker has closed its connection.
      this.worker.ref();
      this.worker.postMessage('stop');
      await closed;
      await this.worker.terminate();
    })();
    return this.stopped;
  }
}
