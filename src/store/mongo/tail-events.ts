import type { CallEvent } from '../../journey/events';
import type { Logger } from '../../log';
import { RecentIds } from '../../recent-ids';
import { eventOfDoc, type EventDoc, type Models } from './models';

const POLL_MS = 400;
/** Instances' clocks and insert latencies differ; re-reading this far back and skipping seen ids covers it. */
const OVERLAP_MS = 3_000;

/**
 * Delivers every newly stored event, whichever instance stored it. A MongoDB change stream where the
 * server offers one (a replica set); otherwise, or when the stream fails, polling by storage time.
 */
export function tailEvents(m: Models, listener: (events: CallEvent[]) => void, log: Logger, op: { timeoutMS?: number } = {}): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;
  let stream: { close(): Promise<void> } | null = null;
  const seen = new RecentIds();
  const deliver = (docs: EventDoc[]) => {
    const fresh = docs.filter((d) => seen.firstTime(d._id));
    if (!fresh.length) return;
    // One listener call per call, in order, as the webhooks' own batches are.
    const byCall = new Map<string, CallEvent[]>();
    for (const d of fresh) {
      const list = byCall.get(d.callSid) ?? [];
      list.push(eventOfDoc(d));
      byCall.set(d.callSid, list);
    }
    for (const list of byCall.values()) listener(list);
  };

  let since = Date.now() - OVERLAP_MS;
  const poll = async () => {
    if (stopped) return;
    try {
      const docs = await m.Event.find({ _r: { $gt: since - OVERLAP_MS } }).sort({ _r: 1 }).limit(5000).setOptions(op).lean<EventDoc[]>();
      if (docs.length) since = Math.max(since, docs[docs.length - 1]._r ?? since);
      deliver(docs);
    } catch (err) {
      log.debug({ err: (err as Error).message }, 'live tail: poll failed; retrying');
    }
    if (!stopped) {
      timer = setTimeout(poll, POLL_MS);
      timer.unref();
    }
  };

  const startPolling = () => {
    if (!stopped && !timer) void poll();
  };

  try {
    const cs = m.Event.watch([{ $match: { operationType: 'insert' } }]);
    stream = cs;
    cs.on('change', (change: { fullDocument?: EventDoc }) => {
      if (change.fullDocument) deliver([change.fullDocument]);
    });
    cs.on('error', (err: Error) => {
      log.info({ reason: err.message }, 'live tail: no change stream here; polling the events collection instead');
      stream = null;
      void cs.close().catch(() => undefined);
      startPolling();
    });
  } catch (err) {
    log.info({ reason: (err as Error).message }, 'live tail: no change stream here; polling the events collection instead');
    startPolling();
  }

  return () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    void stream?.close().catch(() => undefined);
  };
}
