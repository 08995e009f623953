import type { QueueBoard } from '../live/queue-state';

/**
 * The conditions reception is alerted to, as pure rules over the live queue boards and the
 * no-answer streaks: each true condition is one alert with a stable key, so the tracker can raise
 * it once and clear it once.
 */
export interface AlertSettings {
  /** A caller waiting longer than this raises "long wait". */
  waitMinutes: number;
  /** More callers waiting than this raises "queue length". */
  queueLength: number;
  /** This many no-answers in a row from one person or department raises "no answers". */
  noAnswerStreak: number;
  /** The last half hour's service level is judged only with at least this many stays settled. */
  serviceLevelMinCalls: number;
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = { waitMinutes: 5, queueLength: 5, noAnswerStreak: 3, serviceLevelMinCalls: 5 };

export type Alert =
  | { key: string; kind: 'service-level'; queue: string; label: string; share: number; target: number; seconds: number; settled: number }
  | { key: string; kind: 'long-wait'; queue: string; label: string; waitedMs: number; limitMs: number }
  | { key: string; kind: 'queue-length'; queue: string; label: string; waiting: number; limit: number }
  | { key: string; kind: 'no-answers'; target: string; label: string; count: number; limit: number }
  /** Callback requests still open past their promise's deadline (reception/callback-watch.ts). */
  | { key: string; kind: 'callbacks-overdue'; label: string; count: number; oldestDeadline: string };

/** The overdue callbacks now: how many, and the deadline of the longest overdue. */
export interface OverdueCallbacks {
  count: number;
  oldestDeadline: string | null;
}

export interface NoAnswerStreak {
  target: string;
  label: string;
  count: number;
}

export function currentAlerts(
  input: { now: number; boards: readonly QueueBoard[]; streaks: readonly NoAnswerStreak[]; callbacks?: OverdueCallbacks },
  s: AlertSettings,
): Alert[] {
  const out: Alert[] = [];
  for (const b of input.boards) {
    const recent = b.lastHalfHour;
    if (recent.serviceLevel !== null && recent.settled >= s.serviceLevelMinCalls && recent.serviceLevel < b.target.share) {
      out.push({ key: `service-level:${b.queue}`, kind: 'service-level', queue: b.queue, label: b.label, share: recent.serviceLevel, target: b.target.share, seconds: b.target.seconds, settled: recent.settled });
    }
    const limitMs = s.waitMinutes * 60_000;
    if (b.longestWaitingSince !== null && input.now - b.longestWaitingSince > limitMs) {
      out.push({ key: `long-wait:${b.queue}`, kind: 'long-wait', queue: b.queue, label: b.label, waitedMs: input.now - b.longestWaitingSince, limitMs });
    }
    if (b.waiting.length > s.queueLength) {
      out.push({ key: `queue-length:${b.queue}`, kind: 'queue-length', queue: b.queue, label: b.label, waiting: b.waiting.length, limit: s.queueLength });
    }
  }
  for (const st of input.streaks) {
    if (st.count >= s.noAnswerStreak) out.push({ key: `no-answers:${st.target}`, kind: 'no-answers', target: st.target, label: st.label, count: st.count, limit: s.noAnswerStreak });
  }
  // One alert for all overdue callbacks: raised at the first, cleared when none is left; its figures follow the count.
  const cb = input.callbacks;
  if (cb && cb.count > 0 && cb.oldestDeadline) out.push({ key: 'callbacks-overdue', kind: 'callbacks-overdue', label: 'Återuppringningar', count: cb.count, oldestDeadline: cb.oldestDeadline });
  return out;
}
