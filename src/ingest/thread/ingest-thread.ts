import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { CallEvent } from '../../journey/events';
import type { Logger } from '../../log';
import type { RollupRepairReport } from '../ingestor';
import type { EnqueuedDelivery, OutboxStats } from '../outbox';
import type { FromThread, IngestThreadSettings, MethodName, ThreadMethods, ToThread } from './protocol';

/**
 * A turn's webhooks answer once the thread has journaled their events; should it not within this
 * long (a thread restarting, a disk that hangs), they answer anyway, well inside the 15 s Twilio
 * waits: a caller is never left on the line for the bookkeeping. The events stay here and are sent
 * to the thread again until it journals them (a crash meanwhile loses them, and the log said so).
 */
const JOURNAL_WAIT_MS = 5_000;
/** Wait before a thread that ended is started again. */
const RESTART_AFTER_MS = 1_000;

interface Batch {
  events: CallEvent[];
  callbacks: (() => void)[];
  /** The webhooks were answered before the thread journaled the events (JOURNAL_WAIT_MS). */
  answered: boolean;
  /** Gone to the thread: at the end of its turn, or earlier for a flush (see sent()). */
  sent: boolean;
  timer: NodeJS.Timeout;
}

/**
 * The outbox and the ingestor in a worker thread (INGEST_THREAD=on; see worker-main.ts), so that the
 * core answering webhooks spends nothing on journaling, projecting, rolling up or writing the store:
 * on a machine with two cores, the second does that work. The same contract as Outbox: `enqueue`
 * never throws, and its callback runs once the events are in the journal on disk.
 *
 * The thread owns the journal, the ingestor and its own connection to the store; the service keeps
 * its connection for everything else (API, dashboard, identity). A thread that ends (a crash) is
 * started again: the journal gives it what was journaled, and the batches not yet journaled are sent
 * again (the store keeps one copy of an event sent twice).
 */
export class IngestThread {
  private worker!: Worker;
  private open: Batch | null = null;
  private nextBatch = 1;
  private readonly batches = new Map<number, Batch>();
  private nextCall = 1;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private latest: OutboxStats = { pending: 0, inMemory: 0, onDiskOnly: 0, delivered: 0, failures: 0, lastError: null, consecutiveFailures: 0, failingSince: null, held: true, thread: { osThreadId: null } };
  /** What the thread was told since it started, told again to a restarted thread. */
  private storeOpen = false;
  private released = false;
  private stopping = false;
  private stopped: Promise<boolean> | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  /** Calls made while the thread is down, made once it is started again. */
  private callsWhileDown: ToThread[] = [];
  private down = false;

  constructor(
    private readonly settings: IngestThreadSettings,
    private readonly log: Logger,
  ) {
    this.start();
  }

  private start(): void {
    const entry = workerEntry();
    const worker = new Worker(entry.file, { workerData: this.settings, eval: entry.eval });
    this.worker = worker;
    worker.on('message', (message: FromThread) => this.receive(message));
    worker.on('error', (err) => this.log.error({ err: err.message }, 'ingestion thread failed'));
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.down = true;
      for (const [, call] of this.calls) call.reject(new Error('the ingestion thread ended'));
      this.calls.clear();
      if (this.stopping) return;
      this.log.error({ code }, 'ingestion thread ended; started again within a second (the journal keeps what was journaled)');
      this.restartTimer = setTimeout(() => this.restart(), RESTART_AFTER_MS);
    });
  }

  /** What the ended thread was told is told again, in order: the store, the release, the events it had not journaled, the calls made meanwhile. */
  private restart(): void {
    this.restartTimer = null;
    if (this.stopping) return;
    this.start();
    this.down = false;
    const failed = (err: Error) => this.log.error({ err: err.message }, 'ingestion thread: the store could not be opened after a restart');
    if (this.storeOpen) void this.call('storeOpened').catch(failed);
    if (this.released) void this.call('release').catch(() => undefined);
    for (const [batch, b] of this.batches) this.post({ kind: 'enqueue', batch, events: b.events });
    const calls = this.callsWhileDown;
    this.callsWhileDown = [];
    for (const message of calls) this.post(message);
  }

  private post(message: ToThread): void {
    if (!this.down) this.worker.postMessage(message);
    // Batches are all sent again at the restart; calls in the order they were made.
    else if (message.kind === 'call') this.callsWhileDown.push(message);
  }

  private receive(message: FromThread): void {
    switch (message.kind) {
      case 'journaled': {
        const b = this.batches.get(message.batch);
        if (!b) return;
        this.batches.delete(message.batch);
        clearTimeout(b.timer);
        if (!b.answered) for (const fn of b.callbacks) fn();
        return;
      }
      case 'stats':
        this.latest = message.stats;
        return;
      case 'result':
      case 'failed': {
        const call = this.calls.get(message.id);
        if (!call) return;
        this.calls.delete(message.id);
        if (message.kind === 'result') call.resolve(message.value);
        else call.reject(Object.assign(new Error(message.error.message), { code: message.error.code }));
      }
    }
  }

  private call<M extends MethodName>(method: M, ...args: Parameters<ThreadMethods[M]>): Promise<ReturnType<ThreadMethods[M]>> {
    const id = this.nextCall++;
    return new Promise((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.post({ kind: 'call', id, method, args });
    });
  }

  /** Never throws. The turn's events go to the thread together at its end; `onJournaled` runs once they are on disk there. */
  enqueue(events: CallEvent[], onJournaled?: () => void): void {
    if (!this.open) {
      const batch: Batch = { events: [], callbacks: [], answered: false, sent: false, timer: undefined as unknown as NodeJS.Timeout };
      this.open = batch;
      setImmediate(() => this.send(batch));
    }
    for (const e of events) this.open.events.push(e);
    if (onJournaled) this.open.callbacks.push(onJournaled);
  }

  private send(b: Batch): void {
    if (b.sent) return;
    b.sent = true;
    if (this.open === b) this.open = null;
    if (!b.events.length) {
      for (const fn of b.callbacks) fn();
      return;
    }
    const batch = this.nextBatch++;
    b.timer = setTimeout(() => {
      b.answered = true;
      this.log.error({ events: b.events.length }, 'ingestion thread did not journal a turn\'s events in time; the webhooks were answered, the events are held in memory until it does');
      for (const fn of b.callbacks) fn();
    }, JOURNAL_WAIT_MS);
    this.batches.set(batch, b);
    this.post({ kind: 'enqueue', batch, events: b.events });
  }

  /** The thread's figures as of its last report (at most a fifth of a second old), with what is on its way to it. */
  stats(): OutboxStats {
    let sending = this.open?.events.length ?? 0;
    for (const b of this.batches.values()) sending += b.events.length;
    return { ...this.latest, pending: this.latest.pending + sending, inMemory: this.latest.inMemory + sending };
  }

  storeOpened(): Promise<void> {
    this.storeOpen = true;
    return this.call('storeOpened');
  }

  release(): void {
    this.released = true;
    void this.call('release').catch(() => undefined);
  }

  async flush(timeoutMs = 10_000): Promise<boolean> {
    await this.sent();
    return this.call('flush', timeoutMs);
  }

  async deliverEnqueued(timeoutMs = 10_000): Promise<EnqueuedDelivery> {
    await this.sent();
    return this.call('deliverEnqueued', timeoutMs);
  }

  /** Never rejects (see Outbox.purgeDelivered); resolves once the thread has emptied the journal's WAL. */
  async purgeDelivered(): Promise<void> {
    await this.call('purgeDelivered').catch((err: Error) => this.log.error({ err: err.message }, 'outbox: could not empty the journal\'s WAL'));
  }

  repairRollups(): Promise<RollupRepairReport | null> {
    return this.call('repairRollups');
  }

  deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }> {
    return this.call('deleteCalls', [...callSids]);
  }

  forgetHeldCalls(): void {
    void this.call('forgetHeldCalls').catch(() => undefined);
  }

  /**
   * Delivers what it can in time, then closes the thread's journal, ingestor and store, and ends the
   * thread. A second call gets the first one's answer: the ended thread would never answer it again.
   */
  stop(timeoutMs = 10_000): Promise<boolean> {
    this.stopped ??= this.stopOnce(timeoutMs);
    return this.stopped;
  }

  private async stopOnce(timeoutMs: number): Promise<boolean> {
    await this.sent();
    // A thread that ended is started once more, to deliver what it can and close its files.
    if (this.restartTimer) {
      clearTimeout(this.restartTimer);
      this.restart();
    }
    this.stopping = true;
    let flushed = false;
    try {
      flushed = await this.call('stop', timeoutMs);
    } catch (err) {
      this.log.error({ err: (err as Error).message }, 'ingestion thread did not stop cleanly; the journal keeps the events for the next start');
    }
    for (const b of this.batches.values()) clearTimeout(b.timer);
    await this.worker.terminate();
    return flushed && this.batches.size === 0;
  }

  /** Resolves once the events enqueued so far have reached the thread's journal (or waited their limit). */
  private async sent(): Promise<void> {
    if (this.open) this.send(this.open);
    const waiting = [...this.batches.values()].filter((b) => !b.answered);
    await Promise.all(waiting.map((b) => new Promise<void>((resolve) => b.callbacks.push(resolve))));
  }
}

/** The compiled thread's file; under the tests (TypeScript run as is), the source through tsx. */
function workerEntry(): { file: string; eval: boolean } {
  if (!__filename.endsWith('.ts')) return { file: path.join(__dirname, 'worker-main.js'), eval: false };
  return { file: `require('tsx/cjs'); require(${JSON.stringify(path.join(__dirname, 'worker-main.ts'))});`, eval: true };
}
