import type { TargetKind } from '../flow/schema';
import type { FallbackReason } from '../journey/events';
import { Deadlines } from './deadlines';
import { emptyLiveQueues, queueBoards, type CameFrom, type LiveQueues, type QueueBoard, type QueueTargetInfo } from './queue-state';

/**
 * The live view's data: what the dashboard shows of each call, today's counters and fallbacks, the
 * rules they follow, and the snapshot a client starts from. How events change it is in live-state.ts.
 */
export type LivePhase = 'menu' | 'ringing' | 'queued' | 'talking' | 'survey' | 'ended';
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
  /** The node as staff know it (see flow/node-label.ts); null when the flow is not loaded. */
  nodeLabel: string | null;
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
  /** The node the fallback sent the caller to, and its label as staff know it (null when the flow is not loaded). */
  route: string;
  routeLabel: string | null;
  fate: FallbackFate;
  /** When the phone nobody answered began to ring (epoch ms): the time lost runs from here. */
  ringStartedAt: number;
  /** From ringStartedAt until a human answered or the call ended; null while pending. */
  lostMs: number | null;
}

/** A call with what the live view needs to apply further events to it; never sent as such (see callView). */
export interface TrackedCall extends LiveCallView {
  currentTransfer: string | null;
  /** When the current transfer began to ring: the time lost to its fallback starts there. */
  currentTransferAt: number | null;
  ivrHungUp: boolean;
  /** Met closed opening hours: ending without a human is the IVR's doing, not the caller giving up. */
  outsideHours: boolean;
  surveyed: boolean;
  /** The transfers whose fallback was counted, so a repeated webhook counts once. */
  fallbackTransfers: string[];
  /** The latest fallback, for where a caller in a queue came from. */
  lastFallback: CameFrom | null;
  /** The day the call was counted on, or null when it started before this state knew it. */
  countedOn: string | null;
  lastEventAt: number;
  /** Event ids already applied: ids are deterministic, so a redelivered webhook is recognised. */
  seen: Set<string>;
  /** When the call leaves the screen (see dueAt); NaN until scheduled. Its entry in the deadlines with this instant is the current one. */
  dueAt: number;
}

/**
 * The live view's state. One hub owns it, and applyEvents and expire change it in place: a copy per
 * webhook would cost O(calls on screen), and the screen holds thousands of calls under load (ended
 * ones linger). Anything else only reads it.
 */
export interface LiveState {
  day: string;
  counters: DayCounters;
  readonly calls: Map<string, TrackedCall>;
  /** Today's, newest first, at most maxFallbacks. */
  fallbacks: LiveFallback[];
  /** Each call's dueAt, so expiry visits only the calls that are due instead of every call. */
  readonly deadlines: Deadlines;
  /** Who waits in which queue, operators on calls, today's queue figures. */
  queues: LiveQueues;
}

export type LiveChange =
  | { type: 'call'; call: LiveCallView }
  | { type: 'call.removed'; callSid: string }
  /** A new day also empties the fallback list. */
  | { type: 'counters'; day: string; counters: DayCounters }
  | { type: 'fallback'; fallback: LiveFallback }
  /** Every queue's board, whole: few queues, and a board is read as one. */
  | { type: 'queues'; queues: QueueBoard[] }
  /** The alerts active now, whole. */
  | { type: 'alerts'; alerts: LiveAlert[] };

/** An alert as the live board shows it: its sentence, since when. */
export interface LiveAlert {
  key: string;
  kind: string;
  /** The sentence in Swedish, as the webhook sends it. */
  text: string;
  raisedAt: number;
  /** The alert's figures (label, share, target, waiting, limit…; see alerts/rules.ts), so the dashboard can say it in its own language. */
  figures?: Record<string, string | number>;
}

export interface LiveSnapshot {
  day: string;
  counters: DayCounters;
  calls: LiveCallView[];
  fallbacks: LiveFallback[];
  queues: QueueBoard[];
}

export interface LiveRules {
  /** The local calendar day of an instant, 'YYYY-MM-DD'. */
  dayOf(ms: number): string;
  /** A transfer target's label in a flow, when it has one worth showing. */
  labelOf?(flowId: string | null, flowVersion: string | null, target: string, kind: TargetKind): string | null;
  /** A node's label in a flow, for the menu a caller is in. */
  nodeLabelOf?(flowId: string | null, flowVersion: string | null, nodeId: string): string | null;
  /** A queue's label and service-level target, from the flow of a call in it. */
  queueOf?(flowId: string | null, flowVersion: string | null, queue: string): QueueTargetInfo | null;
  /** An operator's name, from the queue's `operators`. */
  operatorNameOf?(flowId: string | null, flowVersion: string | null, queue: string, operator: string): string | null;
  /** A person's name from the directory, for where a queued caller came from. */
  personNameOf?(flowId: string | null, flowVersion: string | null, extension: string): string | null;
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
  // Formatting costs microseconds and every event asks, mostly about the same minute. Today's zone
  // offsets are whole minutes, so a UTC minute never straddles a local midnight.
  let minute = NaN;
  let day = '';
  return (ms) => {
    const m = Math.floor(ms / 60_000);
    if (m !== minute) {
      minute = m;
      day = f.format(ms);
    }
    return day;
  };
}

export const zeroCounters = (): DayCounters => ({ calls: 0, answered: 0, abandoned: 0, fallbacks: 0, surveys: 0 });

export function emptyLiveState(day: string): LiveState {
  return { day, counters: zeroCounters(), calls: new Map(), fallbacks: [], deadlines: new Deadlines(), queues: emptyLiveQueues() };
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
    nodeLabel: c.nodeLabel,
    keyPresses: c.keyPresses,
    fallbacks: c.fallbacks,
    answered: c.answered,
    endedAt: c.endedAt,
    ending: c.ending,
  };
}

/** A queue no call has told about: its id as label, the common 80 % within 60 s. */
export const DEFAULT_QUEUE_TARGET = (queue: string): QueueTargetInfo => ({ label: queue, seconds: 60, share: 0.8 });

/** `now` bounds the boards' last half hour; absent, every settled stay the state still holds counts. */
export function snapshotOf(state: LiveState, now = -Infinity): LiveSnapshot {
  return {
    day: state.day,
    counters: { ...state.counters },
    calls: [...state.calls.values()].map(callView).sort((a, b) => a.startedAt - b.startedAt),
    fallbacks: [...state.fallbacks],
    queues: queueBoards(state.queues, now, DEFAULT_QUEUE_TARGET),
  };
}

export function newCall(callSid: string, at: number): TrackedCall {
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
    nodeLabel: null,
    keyPresses: 0,
    fallbacks: 0,
    answered: false,
    endedAt: null,
    ending: null,
    currentTransfer: null,
    currentTransferAt: null,
    ivrHungUp: false,
    outsideHours: false,
    surveyed: false,
    fallbackTransfers: [],
    lastFallback: null,
    countedOn: null,
    lastEventAt: at,
    seen: new Set(),
    dueAt: NaN,
  };
}

/** When a call leaves the screen: an ended call after lingering, any call once silent for staleMs. */
export function dueAt(c: TrackedCall, rules: LiveRules): number {
  return Math.min(c.endedAt === null ? Infinity : c.endedAt + rules.endedLingerMs, c.lastEventAt + rules.staleMs);
}
