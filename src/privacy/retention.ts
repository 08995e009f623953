import type { Store } from '../store/store';

const DAY_MS = 86_400_000;

export interface RetentionResult {
  cutoff: string;
  journeys: number;
  events: number;
  /** Spoken comments deleted for their own, shorter retention (those of deleted calls go with them, uncounted). */
  comments: number;
  commentCutoff: string;
}

/**
 * Deletes journeys and events older than the retention period, and callers' spoken comments older
 * than theirs (COMMENT_RETENTION_DAYS, shorter by default: the words may name people and cases), the
 * calls they belong to left in place. Rollups are not touched: they hold only counts per hour,
 * nothing about any one caller.
 */
export async function applyRetention(store: Store, now: number, retentionDays: number, commentRetentionDays = retentionDays): Promise<RetentionResult> {
  const cutoff = new Date(now - retentionDays * DAY_MS).toISOString();
  const commentCutoff = new Date(now - commentRetentionDays * DAY_MS).toISOString();
  const removed = await store.deleteCallsBefore(cutoff);
  const comments = await store.deleteCommentsBefore(commentCutoff);
  return { cutoff, ...removed, comments, commentCutoff };
}

export interface CallbackRetentionResult {
  /** Open callbacks past their expiry, closed as expired now. */
  expired: number;
  /** Callbacks deleted, with their sealed numbers and history, CALLBACK_RETENTION_DAYS after they closed. */
  callbacks: number;
  callbackCutoff: string;
}

/**
 * Callbacks: open ones past their expiry are closed as expired (a row of their history), and those
 * done or expired more than CALLBACK_RETENTION_DAYS ago are deleted, their sealed number with them.
 * Open ones stay, whatever their age, until they close. Those of deleted or erased calls went with them.
 */
export async function applyCallbackRetention(store: Store, now: number, callbackRetentionDays: number): Promise<CallbackRetentionResult> {
  const expired = await store.expireCallbacks(new Date(now).toISOString());
  const callbackCutoff = new Date(now - callbackRetentionDays * DAY_MS).toISOString();
  const callbacks = await store.deleteCallbacksClosedBefore(callbackCutoff);
  return { expired: expired.length, callbacks, callbackCutoff };
}
