/**
 * Instants at which keys fall due, earliest first: a binary min-heap, so that finding what is due
 * costs O(log n) per due entry instead of a scan of every key.
 *
 * Entries are never changed or removed in place. A key whose instant moves gets a second entry, and
 * the owner recognises the outdated one when it comes out (its instant is no longer the key's); when
 * outdated entries pile up the owner rebuilds the heap from its keys (`reset`).
 */
export class Deadlines {
  private readonly at: number[] = [];
  private readonly keys: string[] = [];

  get size(): number {
    return this.at.length;
  }

  /** The earliest instant, Infinity when empty. */
  peek(): number {
    return this.at.length ? this.at[0] : Infinity;
  }

  push(at: number, key: string): void {
    this.at.push(at);
    this.keys.push(key);
    this.up(this.at.length - 1);
  }

  /** Takes out the earliest entry. */
  pop(): { at: number; key: string } | undefined {
    if (!this.at.length) return undefined;
    const top = { at: this.at[0], key: this.keys[0] };
    const lastAt = this.at.pop()!;
    const lastKey = this.keys.pop()!;
    if (this.at.length) {
      this.at[0] = lastAt;
      this.keys[0] = lastKey;
      this.down(0);
    }
    return top;
  }

  /** Replaces every entry; O(n). */
  reset(entries: Iterable<readonly [at: number, key: string]>): void {
    this.at.length = 0;
    this.keys.length = 0;
    for (const [at, key] of entries) {
      this.at.push(at);
      this.keys.push(key);
    }
    for (let i = (this.at.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.at[parent] <= this.at[i]) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private down(i: number): void {
    const n = this.at.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let min = i;
      if (l < n && this.at[l] < this.at[min]) min = l;
      if (r < n && this.at[r] < this.at[min]) min = r;
      if (min === i) return;
      this.swap(i, min);
      i = min;
    }
  }

  private swap(i: number, j: number): void {
    const at = this.at[i];
    const key = this.keys[i];
    this.at[i] = this.at[j];
    this.keys[i] = this.keys[j];
    this.at[j] = at;
    this.keys[j] = key;
  }
}
