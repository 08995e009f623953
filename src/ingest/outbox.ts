import type { CallEvent } from '../journey/events';
import type { Logger } from '../log';
import type { JournalRow, OutboxJournal } from './outbox-journal';
import { yieldToIo } from '../yield-to-io';

class DeliveryTimeout extends Error {}

/** Of the events enqueued before a call to deliverEnqueued: whether they are all stored, and how many are not. */
export interface EnqueuedDelivery {
  delivered: boolean;
  /** Events enqueued before the call that are not delivered yet. */
  waiting: number;
}

export interface OutboxOptions {
  /** The local journal (see outbox-journal.ts); null keeps the events in memory only (tests). */
  journal: OutboxJournal | null;
  /** Events held in memory; beyond this they wait on disk only and are read back as the queue drains. */
  maxInMemory: number;
  batchSize?: number;
  /** Backoff after a failed delivery: doubles from min to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A delivery still unsettled after this long counts as failed and is retried (the store ignores repeats). */
  deliverTimeoutMs?: number;
  /**
   * How long a delivery waits for more events to join it, unless a batch fills first (default 20 ms).
   * Each delivery has a fixed cost (the store's writes per call, the recorded position, the journal
   * reset); delivering each webhook's events on their own paid it per webhook under load. flush() and
   * stop() do not wait.
   */
  lingerMs?: number;
  /**
   * Starts holding deliveries until release(): the store is still opening (the embedded store loads
   * its files). Events are journaled as usual meanwhile; waiting for a store that is not open yet is
   * not a failed delivery, so it neither counts nor logs as one.
   */
  held?: boolean;
  log: Logger;
}

export interface OutboxStats {
  pending: number;
  inMemory: number;
  onDiskOnly: number;
  delivered: number;
  failures: number;
  lastError: string | null;
  consecutiveFailures: number;
  /** When the deliveries began failing, as ISO time; null while the last one succeeded. */
  failingSince: string | null;
  /** Deliveries wait for the store to open. */
  held: boolean;
  /**
   * Present where the outbox runs in the ingestion thread (INGEST_THREAD), with the thread's id in
   * the operating system (Linux), to watch it in `top -H` or give it a core of its own with `taskset -p`.
   */
  thread?: { osThreadId: number | null };
}

/** Resolves after `ms` or when one of `promises` settles, whichever is first; leaves no timer behind. */
async function raceTimeout(ms: number, ...promises: Promise<unknown>[]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([...promises, new Promise<void>((r) => (timer = setTimeout(r, Math.max(0, ms))))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Events wait here between the webhook and the store. The webhook only appends (memory and the local
 * journal, see outbox-journal.ts), so a slow or absent store never delays a caller; a background loop
 * delivers in order and retries with backoff until the store accepts. The journal survives a crash:
 * on start, whatever was not delivered is delivered again, and the store's idempotent append keeps
 * one copy.
 */
export class Outbox {
  /** Undelivered journal rows, the first of them in journal order (those beyond maxInMemory wait in the journal alone). */
  private mem: JournalRow[] = [];
  /** Events that the journal could not take (disk full); delivered before anything else. */
  private memoryOnly: CallEvent[] = [];
  /** Enqueued this event-loop turn, journaled together at its end (see enqueue). */
  private unjournaled: CallEvent[] = [];
  private journaledCallbacks: (() => void)[] = [];
  private journalWriteArmed = false;
  /** Events journaled and delivered since this outbox started (never go back, so a waiter can count on them: deliverEnqueued). */
  private written = 0;
  private acked = 0;
  /** Journal position of the last delivered row: the journal is read on from there. */
  private ackedSeq = 0;
  /** Position for rows when there is no journal (tests). */
  private memorySeq = 0;
  /** Events that ever went to memoryOnly, and those of them delivered (never go back either). */
  private memoryOnlyIn = 0;
  private memoryOnlyOut = 0;
  /** Woken after every delivered batch. */
  private progressWaiters: (() => void)[] = [];
  private delivered = 0;
  private failures = 0;
  private consecutiveFailures = 0;
  private failingSince: number | null = null;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** When the armed timer fires (epoch ms): an earlier need replaces it, a later one leaves it. */
  private timerDue = 0;
  private running: Promise<void> | null = null;
  /** flush() calls in progress: while any is, deliveries go on until nothing is left. */
  private flushing = 0;
  private stopped = false;
  private held: boolean;
  private readonly journal: OutboxJournal | null;
  /** Shrinks after a delivery times out (a slow store), grows back after successes. */
  private batchSize: number;
  private readonly maxBatchSize: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;
  private readonly lingerMs: number;

  constructor(
    private readonly deliver: (events: CallEvent[]) => Promise<void>,
    private readonly opts: OutboxOptions,
  ) {
    this.batchSize = this.maxBatchSize = opts.batchSize ?? 500;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    this.lingerMs = opts.lingerMs ?? 20;
    this.held = opts.held ?? false;
    this.journal = opts.journal;
    if (this.journal) this.recover(this.journal);
  }

  /** Every row in the journal is undelivered: delivered rows are deleted. */
  private recover(journal: OutboxJournal): void {
    this.written = journal.count();
    this.mem = journal.readAfter(0, this.opts.maxInMemory);
    if (this.pending) this.opts.log.info({ pending: this.pending }, 'outbox: undelivered events recovered from journal');
  }

  get pending(): number {
    return this.written - this.acked;
  }

  /** Everything not yet delivered: journaled, held in memory only, or waiting for this turn's journal write. */
  private get undelivered(): number {
    return this.pending + this.memoryOnly.length + this.unjournaled.length;
  }

  stats(): OutboxStats {
    // What was enqueued counts from then on, not from the turn's journal write.
    this.writeJournal();
    return {
      pending: this.pending,
      inMemory: this.mem.length,
      onDiskOnly: this.pending - this.mem.length,
      delivered: this.delivered,
      failures: this.failures,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
      failingSince: this.failingSince === null ? null : new Date(this.failingSince).toISOString(),
      held: this.held,
    };
  }

  /**
   * Never throws: the webhook that calls it must answer the caller regardless. The events are
   * journaled at the end of the event-loop turn, in one transaction with every other webhook's of
   * that turn (a write per webhook was the largest single cost of answering one); `onJournaled` runs
   * once they are, or once the write has failed and memory holds them instead. A webhook answers
   * from it, so that a crash never loses the events of a step the caller has already been told.
   */
  enqueue(events: CallEvent[], onJournaled?: () => void): void {
    if (!this.journal) {
      if (events.length) {
        this.written += events.length;
        for (const event of events) this.mem.push({ seq: ++this.memorySeq, event });
        this.schedule();
      }
      onJournaled?.();
      return;
    }
    for (const e of events) this.unjournaled.push(e);
    if (onJournaled) this.journaledCallbacks.push(onJournaled);
    if (!this.journalWriteArmed) {
      this.journalWriteArmed = true;
      setImmediate(() => this.writeJournal());
    }
  }

  /** Journals what this turn's webhooks enqueued, then lets them answer. */
  private writeJournal(): void {
    this.journalWriteArmed = false;
    const events = this.unjournaled;
    const callbacks = this.journaledCallbacks;
    if (!events.length && !callbacks.length) return;
    this.unjournaled = [];
    this.journaledCallbacks = [];
    if (events.length) {
      const rows = this.appendToJournal(events);
      if (rows) {
        // Memory takes them only while nothing waits in the journal alone, so delivery stays in journal order.
        const spilled = this.pending - this.mem.length;
        this.written += rows.length;
        if (spilled === 0 && this.mem.length < this.opts.maxInMemory) {
          const room = this.opts.maxInMemory - this.mem.length;
          for (let i = 0; i < rows.length && i < room; i++) this.mem.push(rows[i]);
        }
      } else {
        // Not in the journal, so memory must hold them whatever the bound says; they are not dropped.
        for (const e of events) this.memoryOnly.push(e);
        this.memoryOnlyIn += events.length;
      }
      this.schedule();
    }
    for (const fn of callbacks) {
      try {
        fn();
      } catch (err) {
        this.opts.log.error({ err }, 'outbox: a webhook failed to answer after its events were journaled');
      }
    }
  }

  private appendToJournal(events: CallEvent[]): JournalRow[] | null {
    try {
      return this.journal!.append(events);
    } catch (err) {
      this.opts.log.error({ err, count: events.length }, 'outbox: journal write failed; events kept in memory only');
      return null;
    }
  }

  /**
   * Arms the delivery timer: after the backoff while the store is failing, at once when a full batch
   * waits, otherwise after the linger. A timer already due sooner is kept.
   */
  private schedule(): void {
    if (this.stopped || this.held || this.running || !this.undelivered) return;
    const delay = this.consecutiveFailures ? this.backoffMs() : this.undelivered >= this.batchSize ? 0 : this.lingerMs;
    const due = Date.now() + delay;
    if (this.timer) {
      if (this.timerDue <= due) return;
      clearTimeout(this.timer);
    }
    this.timerDue = due;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.startDrain();
    }, delay);
    this.timer.unref?.();
  }

  private cancelTimer(): void {
    if (!this.timer) return;
    clearTimeout(this.timer);
    this.timer = null;
  }

  private startDrain(): Promise<void> {
    if (!this.running) {
      this.running = this.drain().finally(() => {
        this.running = null;
        this.schedule();
      });
    }
    return this.running;
  }

  private backoffMs(): number {
    if (!this.consecutiveFailures) return 0;
    return Math.min(this.retryMaxMs, this.retryMinMs * 2 ** (this.consecutiveFailures - 1));
  }

  private async drain(): Promise<void> {
    for (let first = true; ; first = false) {
      // After the first batch only full ones go at once (all of them while flushing): a remainder
      // waits for the linger, so the events arriving meanwhile join it rather than go one by one.
      if (!first && !this.flushing && this.undelivered < this.batchSize) return;
      const fromMemoryOnly = this.memoryOnly.length > 0;
      const batch: CallEvent[] = fromMemoryOnly ? this.memoryOnly.slice(0, this.batchSize) : this.mem.slice(0, this.batchSize).map((r) => r.event);
      if (!batch.length) {
        if (this.pending > 0) this.refill();
        if (!this.mem.length) return;
        continue;
      }
      try {
        await this.deliverWithin(batch);
      } catch (err) {
        if (err instanceof DeliveryTimeout) this.batchSize = Math.max(10, Math.floor(this.batchSize / 2));
        this.failures++;
        this.consecutiveFailures++;
        this.failingSince ??= Date.now();
        this.lastError = (err as Error).message;
        if (this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0) {
          this.opts.log.warn({ err: this.lastError, pending: this.pending, attempt: this.consecutiveFailures }, 'outbox: store did not accept events; will retry');
        }
        return;
      }
      this.consecutiveFailures = 0;
      this.failingSince = null;
      this.batchSize = Math.min(this.maxBatchSize, this.batchSize * 2);
      this.delivered += batch.length;
      if (fromMemoryOnly) {
        this.memoryOnly.splice(0, batch.length);
        this.memoryOnlyOut += batch.length;
        this.progressed();
        continue;
      }
      const last = this.mem[batch.length - 1].seq;
      this.mem.splice(0, batch.length);
      this.acked += batch.length;
      this.ackedSeq = last;
      this.deleteDelivered(last);
      this.progressed();
      // A store that answers without I/O wait (the embedded one) would otherwise keep the event loop
      // through the whole backlog: webhooks waiting meanwhile must be answered between batches, their
      // journal write included (see yieldToIo).
      await yieldToIo();
    }
  }

  private async deliverWithin(batch: CallEvent[]): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const limit = this.opts.deliverTimeoutMs ?? 30_000;
    try {
      await Promise.race([
        this.deliver(batch),
        new Promise<never>((_r, reject) => {
          timer = setTimeout(() => reject(new DeliveryTimeout(`store did not answer within ${limit} ms`)), limit);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Reads back events that waited in the journal alone because memory was full. */
  private refill(): void {
    if (this.journal) this.mem = this.journal.readAfter(this.ackedSeq, this.opts.maxInMemory);
  }

  private deleteDelivered(seq: number): void {
    if (!this.journal) return;
    try {
      this.journal.deleteThrough(seq);
    } catch (err) {
      // Left in the journal, they are delivered again at the next start; the store ignores repeats.
      this.opts.log.error({ err }, 'outbox: could not remove delivered events from the journal; they may be delivered again (the store ignores repeats)');
    }
  }

  private progressed(): void {
    const waiters = this.progressWaiters;
    this.progressWaiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Delivers every event enqueued before this call, ahead of the linger and the backoff, and resolves
   * once they are all in the store (the ingestor has stored their journeys too: a batch counts as
   * delivered when its delivery resolved), or once `timeoutMs` has passed. Events enqueued meanwhile
   * are delivered as usual but not waited for, so steady traffic cannot keep this from resolving.
   * Resolves at once, undelivered, while deliveries are held (the store is not open) or stopped.
   */
  async deliverEnqueued(timeoutMs = 10_000): Promise<EnqueuedDelivery> {
    this.writeJournal();
    const journalTarget = this.written;
    const memoryOnlyTarget = this.memoryOnlyIn;
    const waiting = () => Math.max(0, journalTarget - this.acked) + Math.max(0, memoryOnlyTarget - this.memoryOnlyOut);
    const deadline = Date.now() + timeoutMs;
    this.flushing++;
    try {
      while (waiting() > 0 && !this.held && !this.stopped && Date.now() < deadline) {
        this.cancelTimer();
        const draining = this.startDrain().catch(() => undefined);
        await raceTimeout(deadline - Date.now(), draining, new Promise<void>((r) => this.progressWaiters.push(r)));
        // The drain ended short of them (a failed delivery): tried again soon rather than after the
        // backoff, as flush() does.
        if (waiting() > 0 && !this.running) await raceTimeout(Math.min(this.backoffMs() || 10, 500, deadline - Date.now()));
      }
    } finally {
      this.flushing--;
      // Deliveries that were hurried for this go back to their usual pace.
      if (!this.running) this.schedule();
    }
    const left = waiting();
    return { delivered: left === 0, waiting: left };
  }

  /**
   * After an erasure: delivered events are deleted from the journal as they are delivered, their
   * bytes zeroed; what may still hold a copy of them is the journal's WAL, which this empties into
   * the (zeroed) database file. Events still waiting for delivery are left: they were recorded after
   * the erasure was asked for and are stored as new records, as the store's deleteCalls describes.
   * Never throws: a failure is logged, and SQLite checkpoints the WAL again at a later commit.
   */
  purgeDelivered(): void {
    try {
      this.journal?.purgeWal();
    } catch (err) {
      this.opts.log.error({ err: (err as Error).message }, 'outbox: could not empty the journal\'s WAL after an erasure; SQLite empties it at a later checkpoint');
    }
  }

  /** Starts delivering what waited (and what comes) once the store is open. */
  release(): void {
    this.held = false;
    this.schedule();
  }

  /**
   * Delivers everything now; resolves when empty or when the store keeps failing (or is not open yet)
   * past the deadline.
   */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    this.writeJournal();
    this.flushing++;
    try {
      while (this.undelivered > 0 && Date.now() < deadline) {
        if (this.held) {
          await new Promise((r) => setTimeout(r, Math.min(50, deadline - Date.now())));
          continue;
        }
        this.cancelTimer();
        await this.startDrain();
        if (this.undelivered > 0) await new Promise((r) => setTimeout(r, Math.min(this.backoffMs() || 10, 500)));
      }
    } finally {
      this.flushing--;
    }
    return this.undelivered === 0;
  }

  /**
   * Delivers what it can in time, then stops delivering and closes the journal; what is left stays
   * in it for the next start. The service stops taking webhooks before it stops the outbox.
   */
  async stop(timeoutMs = 10_000): Promise<boolean> {
    const ok = await this.flush(timeoutMs);
    this.stopped = true;
    this.writeJournal();
    this.cancelTimer();
    if (this.running) await this.running;
    await this.journal?.close();
    return ok;
  }
}
