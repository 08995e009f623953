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

