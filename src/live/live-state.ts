import type { TargetKind } from '../flow/schema';
import type { CallEvent, FallbackReason } from '../journey/events';
import type { Journey } from '../journey/journey';

/**
 * What the live view shows, derived from call events as the webhooks produce them. Pure: every
 * function takes a state and returns a new one plus the changes to send, so the hub only moves
 * data. A webhook that Twilio delivers twice counts once: event ids are deterministic and each
 * call remembers the ids it applied; counters also move only on transitions (a call becomes
 * answered, ended, surveyed), which keeps them right for calls rebuilt from journeys.
 */

export type LivePhase = 'menu' | 'ringing' | 'talking' | 'survey' | 'ended';
export type LiveEnding = 'answered' | 'abandoned' | 'ivr';

/** One call as the dashboard shows it. Never the caller's number, nor even its pseudonym. */
export interface LiveCallView {
  callSid: string;
  /** The last six characters of the call id: enough to tell calls apart on a screen. */
  shortId: string;
  flowId: string | null;
  flowVersion: string | null;
  language: string | null;
  startedAt: number;
  phase: LivePhase;
  phaseSince: number;
  /** Who is being rung or talked to (ringing and talking only). */
  party: TargetKind | null;
  /** The target's label from the flow (a department, the operator); a person shows as the extension. */
  partyLabel: string | null;
  nodeId: string | null;
  keyPresses: number;
  fallbacks: number;
  answered: boolean;
  endedAt: number | null;
  ending: LiveEnding | null;
}

export interface DayCounters {
  calls: number;
  answered: number;
  abandoned: number;
  fallbacks: number;
  /** Calls with at least one survey answer. */
  surveys: number;
}

export type FallbackFate = 'pending' | 'answered' | 'abandoned' | 'ivr';

export interface LiveFallback {
  /** callSid and transferId: stable, so a later update replaces the row. */
  key: string;
  callSid: string;
  shortId: string;
  at: number;
  nodeId: string;
  target: string;
  targetLabel: string | null;
  targetKind: TargetKind;
  reason: FallbackReason;
  route: string;
  fate: FallbackFate;
  /** From the fallback until a human answered or the call ended; null while pending. */
  lostMs: number | null;
}

interface TrackedCall extends LiveCallView {
  currentTransfer: string | null;
  ivrHungUp: boolean;
  surveyed: boolean;
  /** The transfers whose fallback was counted, so a repeated webhook counts once. */
  fallbackTransfers: string[];
  /** The day the call was counted on, or null when it started before this state knew it. */
  countedOn: string | null;
  lastEventAt: number;
  /** Event ids already applied: ids are deterministic, so a redelivered webhook is recognised. */
  seen: Set<string>;
}

export interface LiveState {
  day: string;
  counters: DayCounters;
  calls: ReadonlyMap<string, TrackedCall>;
  /** Today's, newest first. */
  fallbacks: readonly LiveFallback[];
}

export type LiveChange =
  | { type: 'call'; call: LiveCallView }
  | { type: 'call.removed'; callSid: string }
  /** A new day also empties the fallback list. */
  | { type: 'counters'; day: string; counters: DayCounters }
  | { type: 'fallback'; fallback: LiveFallback };

export interface LiveSnapshot {
  day: string;
  counters: DayCounters;
  calls: LiveCallView[];
  fallbacks: LiveFallback[];
}

export interface LiveRules {
  /** The local calendar day of an instant, 'YYYY-MM-DD'. */
  dayOf(ms: number): string;
  /** A transfer target's label in a flow, when it has one worth showing. */
  labelOf?(flowId: string | null, flowVersion: string | null, target: string, kind: TargetKind): string | null;
  /** How long an ended call stays on screen. */
  endedLingerMs: number;
  /** A call with no event for this long lost its status callback; it is dropped. */
  staleMs: number;
  /** How many recent fallbacks are kept. */
  maxFallbacks: number;
}

export const DEFAULT_RULES: Omit<LiveRules, 'dayOf'> = {
  endedLingerMs: 60_000,
  staleMs: 4 * 3_600_000,
  maxFallbacks: 25,
};

/** 'YYYY-MM-DD' in a time zone; the dashboard's "today" is the municipality's, not UTC's. */
export function dayIn(timeZone: string): (ms: number) => string {
  const f = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
  return (ms) => f.format(ms);
}

const zeroCounters = (): DayCounters => ({ calls: 0, answered: 0, abandoned: 0, fallbacks: 0, surveys: 0 });

export function emptyLiveState(day: string): LiveState {
  return { day, counters: zeroCounters(), calls: new Map(), fallbacks: [] };
}

export const shortIdOf = (callSid: string): string => callSid.slice(-6).toUpperCase();

export function callView(c: TrackedCall): LiveCallView {
  return {
    callSid: c.callSid,
    shortId: c.shortId,
    flowId: c.flowId,
    flowVersion: c.flowVersion,
    language: c.language,
    startedAt: c.startedAt,
    phase: c.phase,
    phaseSince: c.phaseSince,
    party: c.party,
    partyLabel: c.partyLabel,
    nodeId: c.nodeId,
    keyPresses: c.keyPresses,
    fallbacks: c.fallbacks,
    answered: c.answered,
    endedAt: c.endedAt,
    ending: c.ending,
  };
}

export function snapshotOf(state: LiveState): LiveSnapshot {
  return {
    day: state.day,
    counters: { ...state.counters },
    calls: [...state.calls.values()].map(callView).sort((a, b) => a.startedAt - b.startedAt),
    fallbacks: [...state.fallbacks],
  };
}

function newCall(callSid: string, at: number): TrackedCall {
  return {
    callSid,
    shortId: shortIdOf(callSid),
    flowId: null,
    flowVersion: null,
    language: null,
    startedAt: at,
    phase: 'menu',
    phaseSince: at,
    party: null,
    partyLabel: null,
    nodeId: null,
    keyPresses: 0,
    fallbacks: 0,
    answered: false,
    endedAt: null,
    ending: null,
    currentTransfer: null,
    ivrHungUp: false,
    surveyed: false,
    fallbackTransfers: [],
    countedOn: null,
    lastEventAt: at,
    seen: new Set(),
  };
}

/** A working copy of a state: copies on first write, collects the changes to send. */
class Draft {
  day: string;
  counters: DayCounters;
  countersChanged = false;
  /** The calls map is copied only when first written: most webhooks touch one call, copying all would cost O(calls). */
  private readonly base: ReadonlyMap<string, TrackedCall>;
  private own: Map<string, TrackedCall> | null = null;
  private readonly touched = new Set<string>();
  private readonly removed = new Set<string>();
  fallbacks: LiveFallback[];
  private readonly touchedFallbacks = new Set<string>();

  constructor(state: LiveState, private readonly rules: LiveRules) {
    this.day = state.day;
    this.counters = { ...state.counters };
    this.base = state.calls;
    this.fallbacks = [...state.fallbacks];
  }

  /** Moves to a later day: today's counters and fallbacks start again from nothing. */
  rollTo(day: string): void {
    if (day <= this.day) return;
    this.day = day;
    this.counters = zeroCounters();
    this.countersChanged = true;
    this.fallbacks = [];
  }

  get calls(): ReadonlyMap<string, TrackedCall> {
    return this.own ?? this.base;
  }

  private writable(): Map<string, TrackedCall> {
    return (this.own ??= new Map(this.base));
  }

  count(key: keyof DayCounters, at: number): void {
    if (this.rules.dayOf(at) !== this.day) return;
    this.counters[key]++;
    this.countersChanged = true;
  }

  /** The call, copied for writing. */
  call(callSid: string, at: number): TrackedCall {
    const existing = this.calls.get(callSid);
    let c: TrackedCall;
    if (!existing) c = newCall(callSid, at);
    else if (this.touched.has(callSid)) c = existing;
    else c = { ...existing, fallbackTransfers: [...existing.fallbackTransfers], seen: new Set(existing.seen) };
    this.writable().set(callSid, c);
    this.touched.add(callSid);
    this.removed.delete(callSid);
    return c;
  }

  remove(callSid: string): void {
    if (this.calls.has(callSid)) {
      this.writable().delete(callSid);
      this.removed.add(callSid);
      this.touched.delete(callSid);
    }
  }

  putFallback(f: LiveFallback): void {
    this.fallbacks = [f, ...this.fallbacks.filter((x) => x.key !== f.key)].sort((a, b) => b.at - a.at).slice(0, this.rules.maxFallbacks);
    this.touchedFallbacks.add(f.key);
  }

  /**
   * Settles a call's pending fallbacks once a human answers or the call ends. Events apply in
   * arrival order, so every pending fallback came before; provider timestamps have whole seconds,
   * hence the floor at zero.
   */
  settleFallbacks(callSid: string, fate: Exclude<FallbackFate, 'pending'>, at: number): void {
    for (const f of this.fallbacks) {
      if (f.callSid === callSid && f.fate === 'pending') this.putFallback({ ...f, fate, lostMs: Math.max(0, at - f.at) });
    }
  }

  finish(): { state: LiveState; changes: LiveChange[] } {
    const changes: LiveChange[] = [];
    for (const callSid of this.removed) changes.push({ type: 'call.removed', callSid });
    for (const callSid of this.touched) changes.push({ type: 'call', call: callView(this.calls.get(callSid)!) });
    for (const f of [...this.fallbacks].reverse()) if (this.touchedFallbacks.has(f.key)) changes.push({ type: 'fallback', fallback: f });
    if (this.countersChanged) changes.push({ type: 'counters', day: this.day, counters: { ...this.counters } });
    return { state: { day: this.day, counters: this.counters, calls: this.own ?? this.base, fallbacks: this.fallbacks }, changes };
  }
}

const setPhase = (c: TrackedCall, phase: LivePhase, at: number, party: TargetKind | null = null, partyLabel: string | null = null) => {
  if (c.phase === phase && c.party === party) return;
  c.phase = phase;
  c.phaseSince = Math.max(at, c.startedAt);
  c.party = party;
  c.partyLabel = partyLabel;
};

function end(d: Draft, c: TrackedCall, at: number): void {
  if (c.endedAt !== null) return;
  c.endedAt = at;
  c.ending = c.answered ? 'answered' : c.ivrHungUp ? 'ivr' : 'abandoned';
  setPhase(c, 'ended', at);
  if (c.ending === 'abandoned' && c.countedOn === d.day) d.count('abandoned', at);
  d.settleFallbacks(c.callSid, c.ivrHungUp ? 'ivr' : 'abandoned', at);
}

function apply(d: Draft, rules: LiveRules, e: CallEvent): void {
  if (d.calls.get(e.callSid)?.seen.has(e.id)) return;
  const eventDay = rules.dayOf(e.at);
  d.rollTo(eventDay);
  const c = d.call(e.callSid, e.at);
  c.seen.add(e.id);
  c.lastEventAt = Math.max(c.lastEventAt, e.at);
  const ended = c.endedAt !== null;
  const label = (target: string, kind: TargetKind) => (kind === 'person' ? target : (rules.labelOf?.(c.flowId, c.flowVersion, target, kind) ?? target));

  switch (e.type) {
    case 'call.started':
      c.flowId = e.flowId;
      c.flowVersion = e.flowVersion;
      c.language = e.language;
      c.startedAt = Math.min(c.startedAt, e.at);
      if (c.countedOn === null && eventDay === d.day) {
        c.countedOn = eventDay;
        d.count('calls', e.at);
      }
      break;
    case 'language.chosen':
      c.language = e.language;
      break;
    case 'node.entered':
      c.nodeId = e.nodeId;
      if (!ended && c.phase !== 'survey' && e.nodeType !== 'transfer') setPhase(c, 'menu', e.at);
      break;
    case 'input.digits':
    case 'input.invalid':
      c.keyPresses += e.digits.length;
      break;
    case 'transfer.attempted':
      c.nodeId = e.nodeId;
      c.currentTransfer = e.transferId;
      if (!ended) setPhase(c, 'ringing', e.at, e.targetKind, label(e.target, e.targetKind));
      break;
    case 'leg.progress':
      // Child-leg callbacks arrive out of order; only an answer moves the call on, and only for the transfer ringing now.
      if ((e.status === 'in-progress' || e.status === 'answered') && e.transferId === c.currentTransfer && c.phase === 'ringing') setPhase(c, 'talking', e.at, c.party, c.partyLabel);
      break;
    case 'human.answered':
      if (!ended && e.transferId === c.currentTransfer) setPhase(c, 'talking', e.at, e.targetKind, label(e.target, e.targetKind));
      d.settleFallbacks(c.callSid, 'answered', e.at);
      if (!c.answered) {
        c.answered = true;
        if (c.countedOn === d.day) d.count('answered', e.at);
      }
      break;
    case 'transfer.result':
      if (!ended && e.transferId === c.currentTransfer && e.status !== 'completed' && e.status !== 'answered') setPhase(c, 'menu', e.at);
      break;
    case 'fallback.taken':
      if (!c.fallbackTransfers.includes(e.transferId)) {
        c.fallbackTransfers.push(e.transferId);
        c.fallbacks++;
        if (c.countedOn === d.day) d.count('fallbacks', e.at);
        if (eventDay === d.day)
          d.putFallback({
          key: `${e.callSid}:${e.transferId}`,
          callSid: e.callSid,
          shortId: c.shortId,
          at: e.at,
          nodeId: e.nodeId,
          target: e.target,
          targetLabel: e.targetKind === 'person' ? null : label(e.target, e.targetKind),
          targetKind: e.targetKind,
          reason: e.reason,
          route: e.route,
          fate: 'pending',
          lostMs: null,
        });
      }
      break;
    case 'survey.offered':
      if (!ended) setPhase(c, 'survey', e.at);
      break;
    case 'survey.answer':
      if (!c.surveyed) {
        c.surveyed = true;
        if (c.countedOn === d.day) d.count('surveys', e.at);
      }
      break;
    case 'ivr.hangup':
      c.ivrHungUp = true;
      end(d, c, e.at);
      break;
    case 'call.ended':
      end(d, c, e.at);
      break;
    case 'input.timeout':
    case 'survey.declined':
    case 'survey.invalid':
    case 'survey.skipped':
    case 'survey.completed':
    case 'engine.error':
      break;
  }
}

/** Folds one webhook's events into the state. */
export function applyEvents(state: LiveState, events: readonly CallEvent[], rules: LiveRules): { state: LiveState; changes: LiveChange[] } {
  const d = new Draft(state, rules);
  // Within a webhook the recorder's order is the order things happened.
  for (const e of [...events].sort((a, b) => a.step - b.step || a.seq - b.seq)) apply(d, rules, e);
  return d.finish();
}

/** Moves to the current day and drops ended calls that have lingered and calls that went silent. */
export function expire(state: LiveState, now: number, rules: LiveRules): { state: LiveState; changes: LiveChange[] } {
  const d = new Draft(state, rules);
  d.rollTo(rules.dayOf(now));
  for (const c of state.calls.values()) {
    if ((c.endedAt !== null && now - c.endedAt >= rules.endedLingerMs) || now - c.lastEventAt >= rules.staleMs) d.remove(c.callSid);
  }
  return d.finish();
}

/**
 * A state rebuilt from stored journeys (after a restart): today's counters from today's journeys,
 * and the calls still in progress as best the journey tells.
 */
export function stateFromJourneys(journeys: readonly Journey[], now: number, rules: LiveRules): LiveState {
  const day = rules.dayOf(now);
  const counters = zeroCounters();
  const calls = new Map<string, TrackedCall>();
  const fallbacks: LiveFallback[] = [];
  for (const j of journeys) {
    if (!j.startedAt) continue;
    const startedAt = Date.parse(j.startedAt);
    const today = rules.dayOf(startedAt) === day;
    if (today) fallbacks.push(...journeyFallbacks(j, rules));
    if (today) {
      counters.calls++;
      if (j.humanAnsweredAt) counters.answered++;
      if (j.outcome.startsWith('abandoned')) counters.abandoned++;
      counters.fallbacks += j.fallbacks.length;
      if (j.survey.bemotande !== null || j.survey.enkelhet !== null || j.survey.answered !== null) counters.surveys++;
    }
    const endedAt = j.endedAt ? Date.parse(j.endedAt) : null;
    const lastAt = endedAt ?? Math.max(startedAt, ...j.steps.map((s) => Date.parse(s.enteredAt)), ...j.transfers.map((t) => Date.parse(t.attemptedAt)));
    if (endedAt !== null ? now - endedAt >= rules.endedLingerMs : now - lastAt >= rules.staleMs) continue;
    const c = newCall(j.callSid, startedAt);
    c.flowId = j.flowId;
    c.flowVersion = j.flowVersion;
    c.language = j.language;
    c.nodeId = j.path[j.path.length - 1] ?? null;
    c.keyPresses = j.keyPresses;
    c.fallbacks = j.fallbacks.length;
    c.fallbackTransfers = j.transfers.filter((t) => t.result && t.result !== 'completed' && t.result !== 'answered').map((t) => t.transferId);
    c.answered = j.humanAnsweredAt !== null;
    c.surveyed = j.survey.bemotande !== null || j.survey.enkelhet !== null || j.survey.answered !== null;
    c.countedOn = today ? day : null;
    c.lastEventAt = lastAt;
    const last = j.transfers[j.transfers.length - 1];
    if (endedAt !== null) {
      c.endedAt = endedAt;
      c.ending = j.humanAnsweredAt ? 'answered' : j.outcome === 'self_service' ? 'ivr' : 'abandoned';
      c.phase = 'ended';
      c.phaseSince = endedAt;
    } else if (j.survey.offered) {
      c.phase = 'survey';
      c.phaseSince = lastAt;
    } else if (last && last.result === null) {
      const label = last.targetKind === 'person' ? last.target : (rules.labelOf?.(j.flowId, j.flowVersion, last.target, last.targetKind) ?? last.target);
      c.currentTransfer = last.transferId;
      c.phase = last.answeredAt ? 'talking' : 'ringing';
      c.phaseSince = Date.parse(last.answeredAt ?? last.attemptedAt);
      c.party = last.targetKind;
      c.partyLabel = label;
    } else {
      c.phaseSince = lastAt;
    }
    calls.set(c.callSid, c);
  }
  fallbacks.sort((a, b) => b.at - a.at);
  return { day, counters, calls, fallbacks: fallbacks.slice(0, rules.maxFallbacks) };
}

const FATES: Record<Journey['fallbacks'][number]['outcome'], FallbackFate> = {
  answered_by_operator: 'answered',
  answered_by_person: 'answered',
  answered_by_department: 'answered',
  abandoned: 'abandoned',
  ended_by_ivr: 'ivr',
  in_progress: 'pending',
};

function journeyFallbacks(j: Journey, rules: LiveRules): LiveFallback[] {
  return j.fallbacks.map((f) => {
    const at = Date.parse(f.at);
    // The transfer that failed: the key live events use for the same fallback.
    const transfer = [...j.transfers].reverse().find((t) => t.nodeId === f.nodeId && t.target === f.target && Date.parse(t.attemptedAt) <= at);
    return {
      key: `${j.callSid}:${transfer?.transferId ?? f.at}`,
      callSid: j.callSid,
      shortId: shortIdOf(j.callSid),
      at,
      nodeId: f.nodeId,
      target: f.target,
      targetLabel: f.targetKind === 'person' ? null : (rules.labelOf?.(j.flowId, j.flowVersion, f.target, f.targetKind) ?? f.target),
      targetKind: f.targetKind,
      reason: f.reason,
      route: f.route,
      fate: FATES[f.outcome],
      lostMs: f.outcome === 'in_progress' ? null : f.lostMs,
    };
  });
}
