import type { Store } from '../../src/store/store';

/**
 * The store as an instance sees it that stalls once, right after its first read of events, until
 * released. `stalled` resolves once that read has happened and the instance waits: a test awaits it
 * before letting another instance run, so the overlap it sets up is certain, not a matter of timing.
 */
export function stallingFirstRead(store: Store): { slowStore: Store; release: () => void; stalled: Promise<void> } {
  let release!: () => void;
  const released = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const stalled = new Promise<void>((r) => (reached = r));
  let stallNext = true;
  const slowStore: Store = Object.create(store);
  slowStore.eventsForCalls = async (sids) => {
    const found = await store.eventsForCalls(sids);
    if (stallNext) {
      stallNext = false;
      reached();
      await released;
    }
    return found;
  };
  return { slowStore, release, stalled };
}
