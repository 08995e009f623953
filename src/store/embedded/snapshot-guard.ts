/**
 * A snapshot for a chunked file rewrite without copying everything up front: the objects are
 * serialised one chunk at a time, after the snapshot was taken, so for the few changed in place
 * meanwhile it keeps what they held at the snapshot. Their changes are appended to the file after the
 * snapshot as well, and serialising the changed object would count them twice.
 */
export class SnapshotGuard<K, V> {
  private before: Map<K, V> | null = null;

  /** Call before changing `key` in place; `current` gives what it holds now. */
  changing(key: K, current: () => V): void {
    if (this.before && !this.before.has(key)) this.before.set(key, current());
  }

  /** What `key` held when the snapshot was taken. */
  atSnapshot(key: K, now: V): V {
    const was = this.before?.get(key);
    return was === undefined ? now : was;
  }

  /** Starts keeping what changed objects held; returns the stop for this snapshot only. */
  start(): () => void {
    const before = new Map<K, V>();
    this.before = before;
    return () => {
      if (this.before === before) this.before = null;
    };
  }
}
