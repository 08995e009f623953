import { DEFAULT_QUEUE_TARGET, callView, dueAt, newCall, zeroCounters, type DayCounters, type FallbackFate, type LiveChange, type LiveFallback, type LiveRules, type LiveState, type TrackedCall } from './model';
import { forgetCall, queueBoards, type QueueBoard } from './queue-state';

/**
 * One webhook's (or one expiry's) work on a live state: changes the state in place and notes what
 * changed, so that finish() can say it to the clients. It visits only the calls it is asked about,
 * so a webhook costs O(calls it touches) however many calls are on screen.
 */
export class LiveBatch {
  private countersChanged = false;
  private readonly touched = new Set<string>();
  private readonly removed = new Set<string>();
  private readonly touchedFallbacks = new Set<string>();
  private queuesChanged = false;
  /** The latest instant this batch saw: the boards' "last half hour" ends there. */
  private latest = -Infinity;

  constructor(
    readonly state: LiveState,
    private readonly rules: LiveRules,
  ) {}

  /** Moves to a later day: today's counters and fallbacks start again from nothing. */
  rollTo(day: string): void {
    if (day <= this.state.day) return;
    this.state.day = day;
    this.state.counters = zeroCounters();
    this.countersChanged = true;
    this.state.fallbacks = [];
    if (this.state.queues.days.size) {
      this.state.queues.days.clear();
      this.queuesChanged = true;
    }
  }

  /** A queue's board changed: the boards are sent at finish(). */
  queues(at: number): void {
    this.queuesChanged = true;
    this.latest = Math.max(this.latest, at);
  }

  count(key: keyof DayCounters, at: number): void {
    if (this.rules.dayOf(at) !== this.state.day) return;
    this.state.counters[key]++;
    this.countersChanged = true;
  }

  /** The call, created if new, to change in place; it is sent at finish(). */
  call(callSid: string, at: number): TrackedCall {
    let c = this.state.calls.get(callSid);
    if (!c) {
      c = newCall(callSid, at);
      this.state.calls.set(callSid, c);
    }
    this.touched.add(callSid);
    this.removed.delete(callSid);
    return c;
  }

  remove(callSid: string): void {
    if (forgetCall(this.state.queues, callSid)) this.queuesChanged = true;
    if (this.state.calls.delete(callSid)) {
      this.removed.add(callSid);
      this.touched.delete(callSid);
    }
  }

  /** Adds or replaces a fallback row, keeping the list newest first (a newcomer before rows of the same instant) and short. */
  putFallback(f: LiveFallback): void {
    const list = this.state.fallbacks;
    const old = list.findIndex((x) => x.key === f.key);
    if (old >= 0) list.splice(old, 1);
    let i = 0;
    while (i < list.length && list[i].at > f.at) i++;
    list.splice(i, 0, f);
    if (list.length > this.rules.maxFallbacks) list.length = this.rules.maxFallbacks;
    this.touchedFallbacks.add(f.key);
  }

  /**
   * Settles a call's pending fallbacks once a human answers or the call ends. Events apply in
   * arrival order, so every pending fallback came before; provider timestamps have whole seconds,
   * hence the floor at zero.
   */
  settleFallbacks(callSid: string, fate: Exclude<FallbackFate, 'pending'>, at: number): void {
    // Rows are replaced, never changed: snapshots and sent changes hold them. Filtered first, as putFallback reorders the list.
    for (const f of this.state.fallbacks.filter((x) => x.callSid === callSid && x.fate === 'pending')) this.putFallback({ ...f, fate, lostMs: Math.max(0, at - f.ringStartedAt) });
  }

  /** Removes the calls due by now (lingered long enough, or silent); O(log n) per deadline passed. */
  removeDue(now: number): void {
    this.latest = Math.max(this.latest, now);
    const deadlines = this.state.deadlines;
    while (deadlines.peek() <= now) {
      const { at, key } = deadlines.pop()!;
      // Otherwise an outdated entry: the call has a later deadline now, or has left.
      if (this.state.calls.get(key)?.dueAt === at) this.remove(key);
    }
  }

  /** What changed, to send; also gives each touched call its new deadline. */
  finish(): LiveChange[] {
    const changes: LiveChange[] = [];
    for (const callSid of this.removed) changes.push({ type: 'call.removed', callSid });
    for (const callSid of this.touched) {
      const c = this.state.calls.get(callSid)!;
      schedule(this.state, c, this.rules);
      changes.push({ type: 'call', call: callView(c) });
    }
    if (this.touchedFallbacks.size) {
      const list = this.state.fallbacks;
      for (let i = list.length - 1; i >= 0; i--) if (this.touchedFallbacks.has(list[i].key)) changes.push({ type: 'fallback', fallback: list[i] });
    }
    if (this.countersChanged) changes.push({ type: 'counters', day: this.state.day, counters: { ...this.state.counters } });
    if (this.queuesChanged) {
      // Worked out only when read: the hub serialises changes only when someone signed in watches,
      // and under load most webhooks' changes are read by nobody.
      const { state, latest } = this;
      let boards: QueueBoard[] | undefined;
      changes.push({
        type: 'queues',
        get queues() {
          return (boards ??= queueBoards(state.queues, latest, DEFAULT_QUEUE_TARGET));
        },
      });
    }
    return changes;
  }
}

/**
 * Files a call under its current deadline. The previous entry stays in the heap, outdated (see
 * Deadlines); once outdated entries outnumber the calls by far the heap is rebuilt, which costs O(1)
 * per webhook on average.
 */
export function schedule(state: LiveState, c: TrackedCall, rules: LiveRules): void {
  const due = dueAt(c, rules);
  if (due === c.dueAt) return;
  c.dueAt = due;
  // A call with an unreadable instant is never due (no comparison with NaN holds), and NaN would break the heap's order.
  if (Number.isNaN(due)) return;
  state.deadlines.push(due, c.callSid);
  if (state.deadlines.size > 2 * state.calls.size + 1024) reindex(state);
}

/** Rebuilds the deadlines from the calls' own, dropping every outdated entry. */
export function reindex(state: LiveState): void {
  const entries: [number, string][] = [];
  for (const c of state.calls.values()) if (!Number.isNaN(c.dueAt)) entries.push([c.dueAt, c.callSid]);
  state.deadlines.reset(entries);
}
