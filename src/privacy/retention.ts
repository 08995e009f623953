import type { Logger } from '../log';
import type { Store } from '../store/store';

const DAY_MS = 86_400_000;

/**
 * Deletes journeys and events older than the retention period. Rollups are not touched: they hold
 * only counts per hour, nothing about any one caller.
 */
export async function applyRetention(store: Store, now: number, retentionDays: number): Promise<{ cutoff: string; journeys: number; events: number }> {
  const cutoff = new Date(now - retentionDays * DAY_MS).toISOString();
  const removed = await store.deleteCallsBefore(cutoff);
  return { cutoff, ...removed };
}

/** Runs retention now and then every interval; a failure is logged and tried again next time. */
export function scheduleRetention(opts: { store: Store; now: () => number; retentionDays: number; log: Logger; intervalMs?: number }): () => void {
  const run = async () => {
    try {
      const r = await applyRetention(opts.store, opts.now(), opts.retentionDays);
      if (r.journeys || r.events) opts.log.info(r, 'retention: deleted calls past the retention period');
    } catch (err) {
      opts.log.warn({ err: (err as Error).message }, 'retention run failed; will try again');
    }
  };
  const first = setTimeout(run, 5_000);
  const timer = setInterval(run, opts.intervalMs ?? 3_600_000);
  first.unref();
  timer.unref();
  return () => {
    clearTimeout(first);
    clearInterval(timer);
  };
}
