import type { TargetKind } from '../flow/schema';
import type { CallEvent } from './events';
import type { Journey, JourneyFallback, RepeatOf } from './journey';

/** A caller who calls again within this long (start to start) seeking the same target is a repeat caller. */
export const REPEAT_WINDOW_MS = 7 * 86_400_000;

/** A target the call sought: a person (directory extension) or a department (transfer target id). */
export interface SoughtTarget {
  target: string;
  targetKind: Exclude<TargetKind, 'operator'>;
}

/**
 * The people and departments a call sought, each once, in the order first sought: the transfers
 * that rang them (a backup rung for someone else, and the operator's queue, are not sought) and the
 * absence notices met instead of a ring. The operator is not a target: it is where callers go when
 * they do not know whom to seek.
 */
export function soughtTargets(j: Journey): SoughtTarget[] {
  const sought = [
    ...j.transfers.filter((t) => !t.backupFor && !t.queue).map((t) => ({ target: t.target, targetKind: t.targetKind, at: t.attemptedAt })),
    ...(j.notices ?? []).map((n) => ({ target: n.target, targetKind: n.targetKind, at: n.at })),
  ].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const seen = new Map<string, SoughtTarget>();
  for (const { target, targetKind } of sought) {
    if (targetKind === 'operator' || seen.has(`${targetKind}|${target}`)) continue;
    seen.set(`${targetKind}|${target}`, { target, targetKind });
  }
  return [...seen.values()];
}

/** The call's first fallback for a target it sought (the flow's answer when they did not answer or had a notice); null when none. */
export function firstFallbackFor(j: Journey, s: SoughtTarget): Pick<JourneyFallback, 'reason' | 'route'> | null {
  const f = j.fallbacks.find((x) => x.target === s.target && x.targetKind === s.targetKind);
  return f ? { reason: f.reason, route: f.route } : null;
}

/**
 * The targets `j` sought that the same caller had sought in an earlier call started within
 * `windowMs` before it (start to start), each with the most recent such call's first fallback for
 * it. `others` are the caller's calls (any order; `j` itself and other callers' are ignored). Pure:
 * the ingestor calls it once, when it first finds the call ended, and keeps the answer as a
 * call.repeat event (see ingest/ingestor.ts).
 */
export function findRepeats(j: Journey, others: readonly Journey[], windowMs = REPEAT_WINDOW_MS): RepeatOf[] {
  if (!j.caller || !j.startedAt) return [];
  const start = Date.parse(j.startedAt);
  const earlier = others
    .filter((o) => o.callSid !== j.callSid && o.caller === j.caller && o.startedAt !== null)
    .map((o) => ({ o, at: Date.parse(o.startedAt!) }))
    // Started before this call (the same millisecond: the smaller call id first), at most windowMs before.
    .filter(({ o, at }) => (at < start || (at === start && o.callSid < j.callSid)) && start - at <= windowMs)
    .sort((a, b) => b.at - a.at || (a.o.callSid < b.o.callSid ? 1 : -1));
  const out: RepeatOf[] = [];
  for (const s of soughtTargets(j)) {
    const match = earlier.find(({ o }) => soughtTargets(o).some((x) => x.target === s.target && x.targetKind === s.targetKind));
    if (!match) continue;
    out.push({ target: s.target, targetKind: s.targetKind, firstFallback: firstFallbackFor(match.o, s), afterMs: start - match.at });
  }
  return out;
}

/** The call.repeat event noting `repeats` on the call whose events are `events`: after its last event, with an id of its own. */
export function repeatEvent(callSid: string, events: readonly CallEvent[], repeats: RepeatOf[], windowMs = REPEAT_WINDOW_MS): CallEvent {
  let last = events[0];
  for (const e of events) if (e.at > last.at || (e.at === last.at && (e.step > last.step || (e.step === last.step && e.seq > last.seq)))) last = e;
  return { id: `${callSid}:repeat`, callSid, at: last.at, step: last.step, seq: last.seq + 1, type: 'call.repeat', windowMs, repeats };
}
