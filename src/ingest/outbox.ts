import fs from 'node:fs';
import path from 'node:path';
import type { CallEvent } from '../journey/events';
import type { Logger } from '../log';
import { JsonlFile } from '../files/jsonl-file';

class DeliveryTimeout extends Error {}

export interface OutboxOptions {
  /** Folder for the local journal; null keeps it in memory only (tests). */
  dir: string | null;
  /** Events held in memory; beyond this they wait on disk only and are read back as the queue drains. */
  maxInMemory: number;
  batchSize?: number;
  /** Backoff after a failed delivery: doubles from min to max. */
  retryMinMs?: number;
  retryMaxMs?: number;
  /** A delivery still unsettled after this long counts as failed and is retried (the store ignores repeats). */
  deliverTimeoutMs?: number;
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
}

/**
 * Events wait here between the webhook and the store. The webhook only appends (memory and a local
 * journal file), so a slow or absent store never delays a caller; a background loop delivers in
 * order and retries with backoff until the store accepts. The journal survives a crash: on start,
 * whatever was not acknowledged is delivered again, and the store's idempotent append keeps one copy.
 */
export class Outbox {
  private mem: CallEvent[] = [];
  /** Events that the journal could not take (disk full); delivered before anything else. */
  private memoryOnly: CallEvent[] = [];
  private written = 0;
  private acked = 0;
  private delivered = 0;
  private failures = 0;
  private consecutiveFailures = 0;
  private lastError: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = false;
  private readonly journal: string | null;
  private readonly ackFile: string | null;
  /** Shrinks after a delivery times out (a slow store), grows back after successes. */
  private batchSize: number;
  private readonly maxBatchSize: number;
  private readonly retryMinMs: number;
  private readonly retryMaxMs: number;

  constructor(
    private readonly deliver: (events: CallEvent[]) => Promise<void>,
    private readonly opts: OutboxOptions,
  ) {
    this.batchSize = this.maxBatchSize = opts.batchSize ?? 500;
    this.retryMinMs = opts.retryMinMs ?? 200;
    this.retryMaxMs = opts.retryMaxMs ?? 30_000;
    if (opts.dir) {
      fs.mkdirSync(opts.dir, { recursive: true });
      this.journal = path.join(opts.dir, 'outbox.jsonl');
      this.ackFile = path.join(opts.dir, 'outbox.ack');
      this.recover();
    } else {
      this.journal = null;
      this.ackFile = null;
    }
  }

  private recover(): void {
    const acked = this.readAck();
    const { records, total } = this.readJournal(acked, this.opts.maxInMemory);
    this.written = total;
    this.acked = Math.min(acked, total);
    this.mem = records;
    if (this.pending) this.opts.log.info({ pending: this.pending }, 'outbox: undelivered events recovered from journal');
  }

  /**
   * Reads up to `max` journal records from position `from`, streaming (the journal of a long outage can
   * be larger than memory should hold); a torn last line from a power cut is skipped.
   */
  private readJournal(from: number, max: number): { records: CallEvent[]; total: number } {
    const records: CallEvent[] = [];
    if (!this.journal) return { records, total: 0 };
    let i = 0;
    new JsonlFile<CallEvent>(this.journal).readAll((e) => {
      if (i >= from && records.length < max) records.push(e);
      i++;
    });
    return { records, total: i };
  }

  private readAck(): number {
    try {
      return Number(JSON.parse(fs.readFileSync(this.ackFile!, 'utf8')).acked) || 0;
    } catch {
      return 0;
    }
  }

  get pending(): number {
    return this.written - this.acked;
  }

  stats(): OutboxStats {
    return {
      pending: this.pending,
      inMemory: this.mem.length,
      onDiskOnly: this.pending - this.mem.length,
      delivered: this.delivered,
      failures: this.failures,
      lastError: this.lastError,
      consecutiveFailures: this.consecutiveFailures,
    };
  }

  /** Synchronous and never throws: the webhook that calls it must answer the caller regardless. */
  enqueue(events: CallEvent[]): void {
    if (!events.length) return;
    if (!this.journal) {
      this.written += events.length;
      this.mem.push(...events);
    } else if (this.appendToJournal(events)) {
      // Memory takes them only while nothing waits on disk alone, so delivery stays in journal order.
      const spilled = this.pending - this.mem.length;
      this.written += events.length;
      if (spilled === 0 && this.mem.length < this.opts.maxInMemory) {
        this.mem.push(...events.slice(0, this.opts.maxInMemory - this.mem.length));
      }
    } else {
      // Not in the journal, so memory must hold them whatever the bound says; they are not dropped.
      this.memoryOnly.push(...events);
    }
    this.schedule(0);
  }

  private appendToJournal(events: CallEvent[]): boolean {
    try {
      fs.appendFileSync(this.journal!, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
      return true;
    } catch (err) {
      this.opts.log.error({ err, count: events.length }, 'outbox: journal write failed; events kept in memory only');
      return false;
    }
  }

  private schedule(ms: number): void {
    if (this.stopped || this.timer || this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.drain().finally(() => {
        this.running = null;
        if (this.pending + this.memoryOnly.length > 0 && !this.stopped) this.schedule(this.backoffMs());
      });
    }, ms);
    this.timer.unref?.();
  }

  private backoffMs(): number {
    if (!this.consecutiveFailures) return 0;
    return Math.min(this.retryMaxMs, this.retryMinMs * 2 ** (this.consecutiveFailures - 1));
  }

  private async drain(): Promise<void> {
    while (true) {
      const fromMemoryOnly = this.memoryOnly.length > 0;
      const batch = fromMemoryOnly ? this.memoryOnly.slice(0, this.batchSize) : this.mem.slice(0, this.batchSize);
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
        this.lastError = (err as Error).message;
        if (this.consecutiveFailures === 1 || this.consecutiveFailures % 20 === 0) {
          this.opts.log.warn({ err: this.lastError, pending: this.pending, attempt: this.consecutiveFailures }, 'outbox: store did not accept events; will retry');
        }
        return;
      }
      this.consecutiveFailures = 0;
      this.batchSize = Math.min(this.maxBatchSize, this.batchSize * 2);
      this.delivered += batch.length;
      if (fromMemoryOnly) {
        this.memoryOnly.splice(0, batch.length);
        continue;
      }
      this.mem.splice(0, batch.length);
      this.acked += batch.length;
      this.persistAck();
      // A store that answers without I/O (the embedded one) would otherwise keep the event loop
      // through the whole backlog: webhooks waiting meanwhile must be answered between batches.
      await new Promise<void>((resolve) => setImmediate(resolve));
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

  /** Reads back events that waited on disk only because memory was full. */
  private refill(): void {
    this.mem = this.readJournal(this.acked, this.opts.maxInMemory).records;
  }

  private persistAck(): void {
    if (!this.journal || !this.ackFile) return;
    try {
      if (this.acked === this.written) {
        // Everything delivered: start the journal afresh so it never grows without bound.
        fs.writeFileSync(this.journal, '');
        this.acked = 0;
        this.written = 0;
      }
      fs.writeFileSync(this.ackFile, JSON.stringify({ acked: this.acked }));
    } catch (err) {
      this.opts.log.error({ err }, 'outbox: could not record delivery; events may be delivered again (the store ignores repeats)');
    }
  }

  /** Delivers everything now; resolves when empty or when the store keeps failing past the deadline. */
  async flush(timeoutMs = 10_000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (this.pending + this.memoryOnly.length > 0 && Date.now() < deadline) {
      if (this.timer) {
        clearTimeout(this.timer);
        this.timer = null;
      }
      if (this.running) await this.running;
      else {
        this.running = this.drain().finally(() => (this.running = null));
        await this.running;
      }
      if (this.pending + this.memoryOnly.length > 0) await new Promise((r) => setTimeout(r, Math.min(this.backoffMs() || 10, 500)));
    }
    return this.pending + this.memoryOnly.length === 0;
  }

  async stop(timeoutMs = 10_000): Promise<boolean> {
    const ok = await this.flush(timeoutMs);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.running) await this.running;
    return ok;
  }
}
