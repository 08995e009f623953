import type { CallEvent } from '../../src/journey/events';
import { listenerSetFeed } from '../../src/live/feed';
import { sharedFeed } from '../../src/live/shared-feed';

const ev = (id: string): CallEvent => ({ id, callSid: 'CA' + '1'.repeat(32), at: 0, step: 0, seq: 0, type: 'input.timeout', nodeId: 'main' });

test('passes each event on once, whether it came from this instance or through the store', () => {
  const local = new Set<(e: CallEvent[]) => void>();
  let remote: ((e: CallEvent[]) => void) | null = null;
  const feed = sharedFeed(listenerSetFeed(local), (l) => {
    remote = l;
    return () => (remote = null);
  });
  const got: string[][] = [];
  const stop = feed.subscribe((events) => got.push(events.map((e) => e.id)));
  local.forEach((l) => l([ev('a'), ev('b')]));
  remote!([ev('b'), ev('c')]);
  remote!([ev('a')]);
  expect(got).toEqual([['a', 'b'], ['c']]);
  stop();
  expect(remote).toBeNull();
  expect(local.size).toBe(0);
});
