import { createLogger } from '../../src/log';
import type { CallEvent } from '../../src/journey/events';
import { MongoStore } from '../../src/store/mongo/mongo-store';
import { callEvents, sid } from './store-contract';
import { mongoTestUri } from '../helpers/prerequisites';

/** Several instances share MongoDB: each sees the events the others store (live view past one machine). */
const uri = mongoTestUri();
const log = createLogger('silent');

describe('events stored by another instance', () => {
  test('reach this instance’s listener, once each, grouped by call', async () => {
    const u = new URL(uri!);
    u.pathname = `/callpath_tail_${process.pid}`;
    const a = await MongoStore.connect(u.toString(), log);
    const b = await MongoStore.connect(u.toString(), log);
    const seen: CallEvent[][] = [];
    const stop = b.watchEvents((events) => seen.push(events));
    try {
      const one = sid();
      const two = sid();
      await a.appendEvents(callEvents(one, Date.parse('2026-03-02T08:00:00Z')));
      await a.appendEvents(callEvents(two, Date.parse('2026-03-02T08:01:00Z')));
      await a.appendEvents(callEvents(one, Date.parse('2026-03-02T08:00:00Z')));
      const deadline = Date.now() + 10_000;
      while (seen.flat().length < 10 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      await new Promise((r) => setTimeout(r, 1_000));
      const ids = seen.flat().map((e) => e.id);
      expect(ids).toHaveLength(10);
      expect(new Set(ids).size).toBe(10);
      for (const batch of seen) expect(new Set(batch.map((e) => e.callSid)).size).toBe(1);
      expect(seen.flat().find((e) => e.type === 'call.started')).toMatchObject({ flowId: 'vaxel', caller: 'k1:abc' });
      expect(Object.keys(seen[0][0])).not.toContain('_r');
    } finally {
      stop();
      await a.close();
      await b.close();
    }
  });
});
