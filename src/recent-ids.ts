/**
 * Remembers the most recent ids, up to a limit (oldest forgotten first), to pass on each one once
 * where the same event can arrive twice (overlapping polls, or by two routes).
 */
export class RecentIds {
  private readonly ids = new Set<string>();
  constructor(private readonly limit = 50_000) {}

  /** True the first time an id is seen. */
  firstTime(id: string): boolean {
    if (this.ids.has(id)) return false;
    this.ids.add(id);
    if (this.ids.size > this.limit) this.ids.delete(this.ids.values().next().value as string);
    return true;
  }
}
