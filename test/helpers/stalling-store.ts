import type { Store } from '../../src/store/store';

/** The store as an instance sees it that stalls once, right after its first read of events, until released. */
export function stallingFirstRead(store: Store): { slowStore: Store; release: () => void } {
  let release!: () => void;
  const stalled = new Promise<void>((r) => (release = r));
  let stallNext = true;
  const slowStore: Store = Object.create(store);
  slowStore.eventsForCalls = async (sids) => {
    const found = await store.eventsForCalls(sids);
    if (stallNext) {
      stallNext = false;
      await stalled;
    }
    return found;
  };
  return { slowStore, release };
}
