import type { Store } from '../store/store';

/**
 * This process's side of the rollup intents (see Store.writeRollupIntents): a group of journeys about
 * to be stored first records which rollup hours it may move, and clears that once its rollup delta is
 * applied. An intent still stored when nothing in this process holds it is a leftover to repair.
 *
 * Clears are not written on their own: they wait and ride along with the next group's intent, so a
 * busy ingestor pays one store write per group for all this, not two. flush() writes the ones still
 * waiting (at the end of a delivery, before a repair, at shutdown); a clear that never gets written
 * only costs a needless repair of hours that were right.
 */
export class RollupIntents {
  private seq = 0;
  /** Intents of groups still running here: written, delta not yet applied. */
  private readonly open = new Set<string>();
  private clears: string[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;

  /** `clearAfterMs`: how long a clear waits for the next group's intent to carry it before it is written alone. */
  constructor(
    private readonly store: Store,
    readonly owner: string,
    private readonly now: () => number = Date.now,
    private readonly clearAfterMs = 1000,
  ) {}

  /** An id unique across this owner's restarts: the time and a counter, with a random tail. */
  newId(): string {
    return `${this.owner}:${this.now().toString(36)}:${(++this.seq).toString(36)}:${Math.random().toString(36).slice(2, 8)}`;
  }

  /** Records (or widens, under the same id) a group's intent, carrying the clears that wait; durable when it resolves. */
  async record(id: string, hours: Iterable<string>): Promise<void> {
    this.open.add(id);
    const clear = this.takeClears();
    try {
      await this.store.writeRollupIntents([{ id, owner: this.owner, at: this.now(), hours: [...hours].sort() }], clear);
    } catch (err) {
      this.clears.push(...clear);
      throw err;
    }
  }

  /** The group's delta is applied: its intent may go. */
  done(id: string): void {
    this.open.delete(id);
    this.clears.push(id);
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed write keeps the clears for the next one; the intents are only repaired needlessly if none comes.
      this.flush().catch(() => undefined);
    }, this.clearAfterMs);
    this.timer.unref?.();
  }

  /** The group failed: its intent stays stored, for the ingestor's retry and then a repair. */
  abandon(id: string): void {
    this.open.delete(id);
  }

  /** Held by this process: a group still running, or done and its clear not yet written. */
  isHeld(id: string): boolean {
    return this.open.has(id) || this.clears.includes(id);
  }

  get pendingClears(): number {
    return this.clears.length;
  }

  /** Writes the clears that wait (one write); resolves when they are stored. */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    while (this.flushing) await this.flushing.catch(() => undefined);
    if (!this.clears.length) return;
    const clear = this.takeClears();
    this.flushing = this.store.writeRollupIntents([], clear).catch((err) => {
      this.clears.push(...clear);
      throw err;
    });
    try {
      await this.flushing;
    } finally {
      this.flushing = null;
    }
  }

  private takeClears(): string[] {
    const c = this.clears;
    this.clears = [];
    return c;
  }
}
