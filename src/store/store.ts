import type { IdentityStore } from '../identity/model';
import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import type { Notice } from '../reception/notice';
import type { CommentQuery, StoredComment } from '../reception/comments';
import type { CallbackChange, CallbackQuery, NewCallback, StoredCallback } from '../reception/callbacks';

/** A new callback as the ingestor stores it: the request, with the call's flow and the caller's pseudonym. */
export type NewStoredCallback = NewCallback & { flowId: string | null; caller: string | null };

/**
 * The rollup unit: counters for one flow version, one hour and one dimension (the whole call,
 * a node, a fallback route, ...). Counters only ever add, so rollups merge across hours, versions
 * and instances, and can be rebuilt from the events.
 */
export interface RollupKey {
  flowId: string;
  flowVersion: string;
  /** ISO time of the start of the hour (UTC). */
  hour: string;
  dim: string;
}

export interface RollupDoc extends RollupKey {
  counts: Record<string, number>;
}

/** Increments to add to a rollup (negative when a journey's earlier contribution is taken back). */
export type RollupDelta = RollupDoc;

export function rollupId(k: RollupKey): string {
  return `${k.flowId}|${k.flowVersion}|${k.hour}|${k.dim}`;
}

export interface JourneyQuery {
  /** ISO bounds on startedAt: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  flowId?: string;
  limit?: number;
  /** Continue after this callSid in the (startedAt desc, callSid) order of a previous page. */
  before?: { startedAt: string; callSid: string };
}

export interface RollupQuery {
  from: string;
  to: string;
  flowId?: string;
  flowVersions?: string[];
  dimPrefix?: string;
}

/** A conditional journey write: stored only if the stored journey has `expectedEventCount` events (null: none stored). */
export interface JourneyWrite {
  journey: Journey;
  expectedEventCount: number | null;
}

/**
 * A note, written before a group of journeys is stored, that the rollups of these hours are about to
 * move. Cleared once the group's rollup delta is applied; one left behind means the process stopped
 * (or a write failed) in between, and those hours must be recomputed from the stored journeys.
 */
export interface RollupIntent {
  id: string;
  /** The service instance that wrote it (stable across its restarts), so each repairs its own leftovers. */
  owner: string;
  /** When it was written (epoch ms), so an instance gone for good has its leftovers repaired by another. */
  at: number;
  /** ISO starts of the UTC hours (hour grain) whose rollups the group may change; the day and month grains follow from them. */
  hours: string[];
}

/**
 * A flow version as it was served, kept so that months later a replay can compare a candidate with
 * the very version a call was made on (calls record the version; this keeps what it meant).
 */
export interface FlowVersionRecord {
  flowId: string;
  version: string;
  /** Where it was loaded from (the flow file's path). */
  source: string;
  /** The parsed flow without its version and source, as JSON. */
  flow: unknown;
  /** ISO time it was first archived. */
  archivedAt: string;
}

export interface Store {
  readonly kind: 'embedded' | 'mongo';
  /** Appends events; an id already stored is skipped, so redelivery never double counts. Returns how many were new. */
  appendEvents(events: readonly CallEvent[]): Promise<number>;
  eventsForCall(callSid: string): Promise<CallEvent[]>;
  /** eventsForCall for several calls in one request; a call with no events is absent from the map. */
  eventsForCalls(callSids: readonly string[]): Promise<Map<string, CallEvent[]>>;
  /** Every stored call's events, one call at a time (for rebuilding journeys and rollups). */
  eventsByCall(): AsyncIterable<CallEvent[]>;
  /**
   * Stores a journey. With `expectedEventCount`, only if the stored journey still has that many events
   * (null: only if none is stored), so two instances projecting the same call at once cannot overwrite
   * each other's newer journey; returns false when the condition did not hold.
   */
  putJourney(journey: Journey, expectedEventCount?: number | null): Promise<boolean>;
  /**
   * putJourney with a condition for each of several journeys (one per call), each independent of the
   * others; returns the callSids whose condition held and whose journey was stored.
   */
  putJourneys(writes: readonly JourneyWrite[]): Promise<Set<string>>;
  getJourney(callSid: string): Promise<Journey | null>;
  /** getJourney for several calls in one request; a call with no journey is absent from the map. */
  getJourneys(callSids: readonly string[]): Promise<Map<string, Journey>>;
  /** Newest first. */
  listJourneys(query: JourneyQuery): Promise<Journey[]>;
  journeysOfCaller(caller: string): Promise<Journey[]>;
  /**
   * The journeys of several callers (pseudonyms) that started at or after `startedSince` (ISO), in one
   * request, in no particular order: the ingestor's look at callers' recent calls (journey/repeats.ts).
   */
  journeysOfCallers(callers: readonly string[], startedSince: string): Promise<Journey[]>;
  applyRollups(deltas: readonly RollupDelta[]): Promise<void>;
  queryRollups(query: RollupQuery): Promise<RollupDoc[]>;
  clearRollups(): Promise<void>;
  /**
   * Records `put` (replacing an intent of the same id) and removes the intents named in `clear`, in one
   * durable write: when it resolves, the intents survive a crash of the process. Clearing an unknown
   * id is no error. Combined so that a group's intent can carry the previous groups' clears: one
   * write per group instead of two. After storing the intents (never before) it bumps the version of
   * each rollup scope their hours fall in: the hour, its day and its month (see rollupScopesOfHours).
   */
  writeRollupIntents(put: readonly RollupIntent[], clear: readonly string[]): Promise<void>;
  /** Every rollup intent stored, whoever wrote it. */
  listRollupIntents(): Promise<RollupIntent[]>;
  /**
   * How many times each rollup scope was announced by an intent (0 when never). A group writes its
   * intent before its journeys and rollups, so a reader that finds a scope's version unchanged around
   * its reads, and no intent over the scope at either end, read journeys and rollups that agree.
   */
  rollupScopeVersions(scopes: readonly string[]): Promise<Map<string, number>>;
  /** Bumps a scope's version only if it is still `expected` (compare-and-set); returns whether it did. */
  claimRollupScope(scope: string, expected: number): Promise<boolean>;
  /**
   * Deletes these calls' journeys, events, comments and callbacks (erasure on request). Once it resolves the deletion
   * survives a crash of the process: the calls do not come back at the next start. Events of one of
   * these calls stored afterwards (a late webhook) are new records, kept like any other.
   */
  deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }>;
  /**
   * Deletes journeys that started before the cutoff, and their events and comments, as deleteCalls does. A journey
   * with no start time (its call.started event was lost, or it holds only events that arrived after
   * its call was erased: a late status callback, a redelivery) is deleted once the latest of its
   * events is before the cutoff, and at once if it has no events left: no field of a journey is an
   * event time in every case (one made of a child leg's callbacks alone has none at all).
   */
  deleteCallsBefore(cutoff: string): Promise<{ journeys: number; events: number }>;
  /**
   * Stores callers' spoken comments (see reception/comments.ts); one whose id is stored already is
   * left as it is, so a redelivery never doubles one. Durable when it resolves.
   */
  putComments(comments: readonly StoredComment[]): Promise<void>;
  /** The comments of these calls, oldest first. */
  commentsOf(callSids: readonly string[]): Promise<StoredComment[]>;
  /** Comments newest first, by (at, id) descending. */
  listComments(query: CommentQuery): Promise<StoredComment[]>;
  /**
   * Deletes the comments made before the cutoff (ISO), leaving their calls (COMMENT_RETENTION_DAYS is
   * shorter than the calls' retention); returns how many. Gone from the database files when it resolves.
   */
  deleteCommentsBefore(cutoff: string): Promise<number>;
  /**
   * Stores new callback requests (see reception/callbacks.ts), open and unassigned; one whose id is
   * stored already is left as it is (a redelivery never resets reception's work). Durable when it resolves.
   */
  putCallbacks(callbacks: readonly NewStoredCallback[]): Promise<void>;
  getCallback(id: string): Promise<StoredCallback | null>;
  /** The callbacks of these calls, oldest first (the register extract). */
  callbacksOf(callSids: readonly string[]): Promise<StoredCallback[]>;
  /** Callbacks by the time they were asked for, oldest first. */
  listCallbacks(query: CallbackQuery): Promise<StoredCallback[]>;
  /**
   * Applies a change to an open callback and appends it to its history, both or neither; null when it
   * is not there or no longer open (done, expired: a second "done" changes nothing).
   */
  changeCallback(id: string, change: CallbackChange): Promise<StoredCallback | null>;
  /** Closes as expired the open callbacks whose expiry is at or before `now` (ISO); returns them, expired. */
  expireCallbacks(now: string): Promise<StoredCallback[]>;
  /**
   * Deletes callbacks done or expired before the cutoff (ISO), with their history; returns how many.
   * Gone from the database files when it resolves. Open ones stay until they close.
   */
  deleteCallbacksClosedBefore(cutoff: string): Promise<number>;
  /**
   * Where several service instances share the store: every event any of them stores, shortly after,
   * for the live view. Absent on stores that only one instance uses.
   */
  watchEvents?(listener: (events: CallEvent[]) => void): () => void;
  /** Keeps the versions not kept yet (a version never changes once kept); returns how many were new. */
  archiveFlowVersions(records: readonly FlowVersionRecord[]): Promise<number>;
  /** Every kept flow version, by flow id and then as archived. */
  listFlowVersions(): Promise<FlowVersionRecord[]>;
  /** Sets a person's absence notice, replacing the one they had (see reception/notice.ts). */
  putNotice(notice: Notice): Promise<void>;
  /** Removes a person's notice; returns whether there was one. */
  deleteNotice(person: string): Promise<boolean>;
  /** Every notice stored, by person; those whose return time has passed included (the board leaves them out). */
  listNotices(): Promise<Notice[]>;
  /** Staff users, their sessions and API tokens, sign-ins under way and the audit trail (see identity/model.ts). */
  readonly identity: IdentityStore;
  /** Throws when the store cannot serve; used by health checks. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
