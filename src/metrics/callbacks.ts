import type { StoredCallback } from '../reception/callbacks';

/**
 * Callback figures (pure), from the callbacks' times, states and tries alone: nothing here reads a
 * number, a pseudonym, a note or who worked on it.
 *  - requests: asked for in the range;
 *  - done, doneWithinPromise, shareDoneWithinPromise: done at or before the deadline, of those done
 *    that had a deadline (a request promised "as soon as we can" has none to keep);
 *  - timeToCallback: from the request to done, median and 90th percentile (nearest rank), in ms;
 *  - triesPerRequest: calls made per closed request (tries that reached nobody, plus the one that did);
 *  - expired, open, overdue (open past the deadline at `now`).
 */
export type CallbackFigures = ReturnType<typeof callbackFigures>;

export function nearestRank(sorted: readonly number[], p: number): number | null {
  if (!sorted.length) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

type Figures = Pick<StoredCallback, 'requestedAt' | 'deadline' | 'state' | 'closedAt' | 'tries'>;

export function callbackFigures(callbacks: readonly Figures[], now: number) {
  const done = callbacks.filter((c) => c.state === 'done' && c.closedAt);
  const promised = done.filter((c) => c.deadline !== null);
  const withinPromise = promised.filter((c) => c.closedAt! <= c.deadline!);
  const times = done.map((c) => Date.parse(c.closedAt!) - Date.parse(c.requestedAt)).sort((a, b) => a - b);
  const closed = callbacks.filter((c) => c.state !== 'open');
  const calls = closed.reduce((n, c) => n + c.tries + (c.state === 'done' ? 1 : 0), 0);
  return {
    requests: callbacks.length,
    done: done.length,
    doneWithinPromise: withinPromise.length,
    shareDoneWithinPromise: promised.length ? withinPromise.length / promised.length : null,
    timeToCallback: { medianMs: nearestRank(times, 0.5), p90Ms: nearestRank(times, 0.9) },
    triesPerRequest: closed.length ? calls / closed.length : null,
    expired: callbacks.filter((c) => c.state === 'expired').length,
    open: callbacks.filter((c) => c.state === 'open').length,
    overdue: callbacks.filter((c) => c.state === 'open' && c.deadline !== null && Date.parse(c.deadline) <= now).length,
  };
}
