import type { OverdueCallbacks } from '../alerts/rules';
import type { Store } from '../store/store';

/**
 * The open callbacks' deadlines in memory, for the overdue alert: the alert monitor checks every few
 * seconds and synchronously, so it reads these, never the store. Reloaded every minute and after
 * each change made here; a request just made has a deadline ahead of it, so a minute late is soon enough.
 */
export class CallbackWatch {
  private deadlines: number[] = [];

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const open = await this.store.listCallbacks({ states: ['open'], limit: 100_000 });
    this.deadlines = open
      .map((c) => (c.deadline === null ? NaN : Date.parse(c.deadline)))
      .filter((d) => Number.isFinite(d))
      .sort((a, b) => a - b);
  }

  overdue(now: number): OverdueCallbacks {
    const due = this.deadlines.filter((d) => d <= now);
    return { count: due.length, oldestDeadline: due.length ? new Date(due[0]).toISOString() : null };
  }
}
