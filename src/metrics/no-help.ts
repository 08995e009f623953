import type { Journey } from '../journey/journey';
import { C, H, family } from './dims';
import { distributionOf, readHistogram } from './histogram';
import { share, type Counters } from './measures';
import type { NoHelp } from './view-types';

/**
 * "Fick ingen hjälp": ended calls in which no human answered, whatever the way they ended (hung up
 * in a menu or while it rang, after a fallback, ended by the IVR's goodbye, outside opening hours,
 * a fault). Counted in the "call" rollup: noHuman, the histogram noHumanMs of their whole time
 * (ring time included) and noHumanRingMs, the time of theirs spent ringing with no answer.
 */

/** Time phones rang in a call without anyone answering them; one still ringing at the end rang until then. */
export function unansweredRingMs(j: Journey): number {
  const end = j.endedAt === null ? null : Date.parse(j.endedAt);
  let ms = 0;
  for (const t of j.transfers) {
    if (t.answeredAt !== null) continue;
    if (t.ringMs !== null) ms += t.ringMs;
    else if (end !== null) ms += Math.max(0, end - Date.parse(t.attemptedAt));
  }
  return ms;
}

/** Outcomes in which a human answered (or the call has not ended): never "no help". */
const HELPED = /^(answered_by_|in_progress$)/;

/** The row from merged "call" counters. */
export function noHelpFromCounters(call: Counters): NoHelp {
  const calls = call[C.noHuman] ?? 0;
  const byOutcome: Record<string, number> = {};
  const prefix = family(C.outcome, '');
  for (const [k, n] of Object.entries(call)) {
    if (!k.startsWith(prefix) || !n) continue;
    const outcome = k.slice(prefix.length);
    if (!HELPED.test(outcome)) byOutcome[outcome] = n;
  }
  return {
    calls: share(calls, call[C.calls] ?? 0),
    spentMs: distributionOf(call, H.noHumanMs),
    spentTotalMs: readHistogram(call, H.noHumanMs).sum,
    ringTotalMs: call[C.noHumanRingMs] ?? 0,
    byOutcome: Object.fromEntries(Object.entries(byOutcome).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
}
