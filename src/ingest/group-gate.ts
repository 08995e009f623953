/**
 * Groups of calls are refreshed side by side; a rollup repair runs alone. While a repair waits or
 * runs, new groups wait for it, and it starts once the groups already running are done: a repair
 * reads journeys and rollups and then moves the rollups by the difference, which one of this
 * process's own groups landing in between would make wrong.
 */
export class GroupGate {
  /** Groups running, or waiting for their calls' lock. */
  private active = 0;
  private readonly idle: (() => void)[] = [];
  private closed: Promise<void> | null = null;

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    this.active++;
    try {
      return await work();
    } finally {
      if (--this.active === 0) this.idle.splice(0).forEach((wake) => wake());
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    while (this.closed) await this.closed;
    let open!: () => void;
    this.closed = new Promise<void>((r) => (open = r));
    try {
      while (this.active) await new Promise<void>((r) => this.idle.push(r));
      return await work();
    } finally {
      this.closed = null;
      open();
    }
  }
}
