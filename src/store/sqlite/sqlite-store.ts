import fs from 'node:fs';
import path from 'node:path';
import type { CallEvent } from '../../journey/events';
import type { Journey } from '../../journey/journey';
import type { FlowVersionRecord, NewStoredCallback, JourneyQuery, JourneyWrite, RollupDelta, RollupDoc, RollupIntent, RollupQuery, Store } from '../store';
import { Checkpointer, type CheckpointerOptions } from './checkpointer';
import { RecentCalls } from './recent-calls';
import { checkpointTruncate, openDatabase, type Db } from './database';
import type { CommentQuery, StoredComment } from '../../reception/comments';
import { CommentsTable } from './comments-table';
import { CallbacksTable } from './callbacks-table';
import type { CallbackChange, CallbackQuery, StoredCallback } from '../../reception/callbacks';
import { EventsTable } from './events-table';
import { SqliteIdentityStore } from './identity-tables';
import { JourneysTable } from './journeys-table';
import { NoticesTable } from './notices-table';
import type { Notice } from '../../reception/notice';
import { RollupsTable } from './rollups-table';
import { STORE_MIGRATIONS } from './schema';
import { yieldToIo } from '../../yield-to-io';

/** The store's database file in DATA_DIR. */
export const STORE_FILE = 'callpath.sqlite';

/**
 * Calls deleted per transaction by retention and erasure. SQLite in this binding runs on the event
 * loop, so a deletion of 200 000 calls is cut into transactions short enough that webhooks are
 * answered between them.
 */
const DELETE_CHUNK_CALLS = 100;
/**
 * A WAL file this large during a deletion has not started over for a while (database.ts keeps the
 * file at 64 MiB when it does): the deletion waits for a checkpoint (see betweenChunks).
 */
const DELETION_WAL_BYTES = 72 * 2 ** 20;
/** Calls whose parsed events and journey are held (see RecentCalls): a few hundred are in progress at the busiest hour. */
const RECENT_CALLS = 2000;
/** Events read per page while streaming every call's events (a rebuild). */
const EVENTS_PER_PAGE = 4000;

export interface SqliteStoreOptions {
  /** Calls per deletion transaction (tests make it small to see the chunks). */
  deleteChunkCalls?: number;
  /** WAL file size past which a deletion waits for a checkpoint between chunks (default DELETION_WAL_BYTES). */
  deletionWalBytes?: number;
  /** When the worker checkpoints the WAL (tests make it small to see it happen). */
  checkpoint?: CheckpointerOptions;
  /** Audit entries per page and per pruning transaction (see identity-tables.ts; tests make it small). */
  auditPageSize?: number;
  /**
   * Calls whose parsed events and journey are held (default RECENT_CALLS). 0 where another connection
   * writes the calls (the ingestion thread, see ingest/thread): what this one held could be stale.
   */
  recentCalls?: number;
}

/**
 * The default store: one SQLite database file in DATA_DIR, no server. Every write is one
 * transaction (a deletion, one per chunk of calls), so a crash leaves each call whole as of the last
 * write that returned. Held in memory: SQLite's own page cache (its default, 2 MiB) and the parsed
 * events and journeys of the RECENT_CALLS most recently used calls (see RecentCalls).
 */
export class SqliteStore implements Store {
  readonly kind = 'embedded' as const;
  readonly identity: SqliteIdentityStore;
  private readonly events: EventsTable;
  private readonly journeys: JourneysTable;
  private readonly rollups: RollupsTable;
  private readonly notices: NoticesTable;
  private readonly comments: CommentsTable;
  private readonly callbacks: CallbacksTable;
  private readonly deleteChunkCalls: number;
  private readonly deletionWalBytes: number;
  private readonly checkpointer: Checkpointer;
  private readonly recent: RecentCalls;
  private readonly insertFlowVersion;
  private readonly allFlowVersions;
  private closed = false;

  private constructor(
    readonly db: Db,
    readonly file: string,
    opts: SqliteStoreOptions,
  ) {
    this.recent = new RecentCalls(opts.recentCalls ?? RECENT_CALLS);
    this.events = new EventsTable(db);
    this.journeys = new JourneysTable(db);
    this.rollups = new RollupsTable(db);
    this.notices = new NoticesTable(db);
    this.comments = new CommentsTable(db);
    this.callbacks = new CallbacksTable(db);
    this.identity = new SqliteIdentityStore(db, () => this.check(), { auditPageSize: opts.auditPageSize });
    this.deleteChunkCalls = opts.deleteChunkCalls ?? DELETE_CHUNK_CALLS;
    this.deletionWalBytes = opts.deletionWalBytes ?? DELETION_WAL_BYTES;
    this.checkpointer = new Checkpointer(db, file, opts.checkpoint);
    this.insertFlowVersion = db.prepare('INSERT OR IGNORE INTO flow_versions (flow_id, version, source, flow, archived_at) VALUES (?, ?, ?, ?, ?)');
    this.allFlowVersions = db.prepare('SELECT flow_id, version, source, flow, archived_at FROM flow_versions ORDER BY flow_id, archived_at, version').raw();
  }

  /** Opens (creating when absent) the store in `dataDir`. */
  static open(dataDir: string, opts: SqliteStoreOptions = {}): SqliteStore {
    return SqliteStore.openFile(path.join(dataDir, STORE_FILE), opts);
  }

  static openFile(file: string, opts: SqliteStoreOptions = {}): SqliteStore {
    return new SqliteStore(openDatabase(file, STORE_MIGRATIONS), file, opts);
  }

  private check(): void {
    if (this.closed) throw new Error('store is closed');
  }

  async appendEvents(events: readonly CallEvent[]): Promise<number> {
    this.check();
    if (!events.length) return 0;
    // A call with nothing stored before is held whole from what this append adds: the ingestor reads
    // it back at once, and would otherwise parse from JSON what it just handed over.
    const firsts = new Set<string>();
    const added = this.db.transaction(() => {
      // Each call looked up once, not once per event.
      for (const sid of new Set(events.map((e) => e.callSid))) if (!this.recent.holdsEvents(sid) && !this.events.hasCall(sid)) firsts.add(sid);
      return this.events.append(events);
    })();
    this.recent.appended(added);
    if (firsts.size) {
      const byCall = new Map<string, CallEvent[]>([...firsts].map((sid) => [sid, []]));
      for (const e of added) byCall.get(e.callSid)?.push(e);
      for (const [sid, list] of byCall) {
        this.recent.setEvents(sid, list);
        // Journeys are written after their events: a call without events has none.
        this.recent.setNoJourney(sid);
      }
    }
    return added.length;
  }

  async eventsForCall(callSid: string): Promise<CallEvent[]> {
    this.check();
    return (await this.eventsForCalls([callSid])).get(callSid) ?? [];
  }

  async eventsForCalls(callSids: readonly string[]): Promise<Map<string, CallEvent[]>> {
    this.check();
    return heldThenRead(
      callSids,
      (sid) => this.recent.events(sid),
      (sids) => this.events.forCalls(sids),
      (sid, list) => {
        this.recent.setEvents(sid, list);
        return list.slice();
      },
    );
  }

  /** A page of calls at a time: the statement is not held open between pages, so writes go on meanwhile. */
  async *eventsByCall(): AsyncIterable<CallEvent[]> {
    for (let after = ''; ; ) {
      this.check();
      const calls = this.events.callsAfterSid(after, EVENTS_PER_PAGE);
      if (!calls.length) return;
      yield* calls;
      after = calls[calls.length - 1][0].callSid;
    }
  }

  async putJourney(journey: Journey, expectedEventCount?: number | null): Promise<boolean> {
    this.check();
    if (expectedEventCount === undefined) {
      this.journeys.put(journey);
      this.recent.setJourney(journey);
      return true;
    }
    return (await this.putJourneys([{ journey, expectedEventCount }])).size === 1;
  }

  async putJourneys(writes: readonly JourneyWrite[]): Promise<Set<string>> {
    this.check();
    const stored = this.db.transaction(() => {
      const done: Journey[] = [];
      for (const { journey, expectedEventCount } of writes) {
        const held = this.recent.journey(journey.callSid);
        const count = held === undefined ? this.journeys.eventCount(journey.callSid) : (held?.eventCount ?? null);
        if (count !== expectedEventCount) continue;
        this.journeys.put(journey);
        done.push(journey);
      }
      return done;
    })();
    for (const j of stored) this.recent.setJourney(j);
    return new Set(stored.map((j) => j.callSid));
  }

  async getJourney(callSid: string): Promise<Journey | null> {
    this.check();
    return (await this.getJourneys([callSid])).get(callSid) ?? null;
  }

  async getJourneys(callSids: readonly string[]): Promise<Map<string, Journey>> {
    this.check();
    return heldThenRead(
      callSids,
      (sid) => this.recent.journey(sid),
      (sids) => this.journeys.getMany(sids),
      (_sid, j) => (this.recent.setJourney(j), j),
    );
  }

  async listJourneys(query: JourneyQuery): Promise<Journey[]> {
    this.check();
    return this.journeys.list(query);
  }

  async journeysOfCaller(caller: string): Promise<Journey[]> {
    this.check();
    return this.journeys.ofCaller(caller);
  }

  async journeysOfCallers(callers: readonly string[], startedSince: string): Promise<Journey[]> {
    this.check();
    return this.journeys.ofCallersSince(callers, startedSince);
  }

  async applyRollups(deltas: readonly RollupDelta[]): Promise<void> {
    this.check();
    if (deltas.length) this.db.transaction(() => this.rollups.apply(deltas))();
  }

  async queryRollups(query: RollupQuery): Promise<RollupDoc[]> {
    this.check();
    return this.rollups.query(query);
  }

  async clearRollups(): Promise<void> {
    this.check();
    this.rollups.clear();
  }

  async writeRollupIntents(put: readonly RollupIntent[], clear: readonly string[]): Promise<void> {
    this.check();
    if (put.length || clear.length) this.db.transaction(() => this.rollups.writeIntents(put, clear))();
  }

  async listRollupIntents(): Promise<RollupIntent[]> {
    this.check();
    return this.rollups.intents();
  }

  async rollupScopeVersions(scopes: readonly string[]): Promise<Map<string, number>> {
    this.check();
    return this.rollups.scopeVersions(scopes);
  }

  async claimRollupScope(scope: string, expected: number): Promise<boolean> {
    this.check();
    return this.rollups.claim(scope, expected);
  }

  async putComments(comments: readonly StoredComment[]): Promise<void> {
    this.check();
    if (comments.length) this.db.transaction(() => this.comments.put(comments))();
  }

  async commentsOf(callSids: readonly string[]): Promise<StoredComment[]> {
    this.check();
    return this.comments.ofCalls([...new Set(callSids)]);
  }

  async listComments(query: CommentQuery): Promise<StoredComment[]> {
    this.check();
    return this.comments.list(query);
  }

  async putCallbacks(callbacks: readonly NewStoredCallback[]): Promise<void> {
    this.check();
    if (callbacks.length) this.db.transaction(() => this.callbacks.put(callbacks))();
  }

  async getCallback(id: string): Promise<StoredCallback | null> {
    this.check();
    return this.callbacks.get(id);
  }

  async callbacksOf(callSids: readonly string[]): Promise<StoredCallback[]> {
    this.check();
    return this.callbacks.ofCalls([...new Set(callSids)]);
  }

  async listCallbacks(query: CallbackQuery): Promise<StoredCallback[]> {
    this.check();
    return this.callbacks.list(query);
  }

  async changeCallback(id: string, change: CallbackChange): Promise<StoredCallback | null> {
    this.check();
    return this.db.transaction(() => this.callbacks.change(id, change))();
  }

  async expireCallbacks(now: string): Promise<StoredCallback[]> {
    this.check();
    return this.db.transaction(() =>
      this.callbacks
        .expiringAt(now)
        .map((cb) => this.callbacks.change(cb.id, { at: now, action: 'expired', by: null }))
        .filter((cb): cb is StoredCallback => cb !== null),
    )();
  }

  /** With their history, then the WAL emptied as for a deletion of calls: the sealed numbers are gone from the files. */
  async deleteCallbacksClosedBefore(cutoff: string): Promise<number> {
    this.check();
    const removed = this.db.transaction(() => this.callbacks.deleteIds(this.callbacks.closedBeforeIds(cutoff)))();
    if (removed) await this.purgeWal();
    return removed;
  }

  /** One statement (comments are few: a share of the surveyed calls), then the WAL emptied as for a deletion of calls. */
  async deleteCommentsBefore(cutoff: string): Promise<number> {
    this.check();
    const removed = this.comments.deleteMadeBefore(cutoff);
    if (removed) await this.purgeWal();
    return removed;
  }

  /**
   * Deleted in transactions of a few calls, the event loop free in between; with secure_delete the
   * rows' bytes are zeroed, and the WAL is checkpointed and emptied at the end, so the calls are gone
   * from the database file and its WAL when this resolves. Events of these calls stored afterwards
   * are new records, kept like any other.
   */
  async deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }> {
    this.check();
    const unique = [...new Set(callSids)];
    const removed = { journeys: 0, events: 0 };
    for (let i = 0; i < unique.length; i += this.deleteChunkCalls) {
      if (i > 0) await this.betweenChunks();
      this.check();
      this.deleteNow(unique.slice(i, i + this.deleteChunkCalls), removed);
    }
    if (unique.length) await this.purgeWal();
    return removed;
  }

  /** See Store.deleteCallsBefore. Found and deleted a chunk at a time, like deleteCalls (comments with their calls). */
  async deleteCallsBefore(cutoff: string): Promise<{ journeys: number; events: number }> {
    this.check();
    const cutoffMs = Date.parse(cutoff);
    const removed = { journeys: 0, events: 0 };
    for (;;) {
      const sids = this.journeys.startedBeforeCutoff(cutoff, this.deleteChunkCalls);
      if (!sids.length) break;
      this.deleteNow(sids, removed);
      await this.betweenChunks();
      this.check();
    }
    for (let after = ''; ; ) {
      const sids = this.journeys.withoutStartBefore(cutoffMs, after, this.deleteChunkCalls);
      if (!sids.length) break;
      this.deleteNow(sids, removed);
      after = sids[sids.length - 1];
      await this.betweenChunks();
      this.check();
    }
    if (removed.journeys || removed.events) await this.purgeWal();
    return removed;
  }

  /**
   * The event loop's turn between two chunks of a deletion. Deleting with secure_delete writes pages
   * faster than the worker's timed checkpoints catch up, and a WAL left to grow to the writer's
   * backstop was checkpointed on this thread (a 100 ms pause in a retention run of 100 000 calls):
   * past deletionWalBytes the next chunk waits for a checkpoint on the worker instead.
   */
  private async betweenChunks(): Promise<void> {
    await yieldToIo();
    if (walBytes(this.file) > this.deletionWalBytes) await this.checkpointer.catchUp();
  }

  private deleteNow(callSids: readonly string[], removed: { journeys: number; events: number }): void {
    this.db.transaction(() => {
      removed.events += this.events.delete(callSids);
      removed.journeys += this.journeys.delete(callSids);
      this.comments.delete(callSids);
      this.callbacks.deleteOfCalls(callSids);
    })();
    this.recent.forget(callSids);
  }

  /**
   * Empties the WAL into the database file (see checkpointTruncate), on the checkpoint worker: for a
   * large deletion that is hundreds of MB of pages, which on the event loop held webhooks for a
   * quarter of a second. Should the worker not manage (a reader in another process, a backup under
   * way, holding part of the WAL), this connection tries once itself; SQLite then empties it at a
   * later checkpoint, and the next deletion tries again.
   */
  private async purgeWal(): Promise<void> {
    if (!(await this.checkpointer.truncate()) && !this.closed) checkpointTruncate(this.db);
  }

  async archiveFlowVersions(records: readonly FlowVersionRecord[]): Promise<number> {
    this.check();
    return this.db.transaction(() => records.reduce((n, r) => n + this.insertFlowVersion.run(r.flowId, r.version, r.source, JSON.stringify(r.flow), r.archivedAt).changes, 0))();
  }

  async listFlowVersions(): Promise<FlowVersionRecord[]> {
    this.check();
    return (this.allFlowVersions.all() as [string, string, string, string, string][]).map(([flowId, version, source, flow, archivedAt]) => ({ flowId, version, source, flow: JSON.parse(flow), archivedAt }));
  }

  async putNotice(notice: Notice): Promise<void> {
    this.check();
    this.notices.put(notice);
  }

  async deleteNotice(person: string): Promise<boolean> {
    this.check();
    return this.notices.delete(person);
  }

  async listNotices(): Promise<Notice[]> {
    this.check();
    return this.notices.list();
  }

  /** Drops the calls held in memory: another connection deleted calls (retention on the service's own). */
  forgetHeldCalls(): void {
    this.recent.clear();
  }

  /** Runs `fn` over the tables in one transaction: bulk loads (the import of an old data folder). */
  write(fn: (tables: { events: EventsTable; journeys: JourneysTable; rollups: RollupsTable }) => void): void {
    this.check();
    this.recent.clear();
    this.db.transaction(() => fn({ events: this.events, journeys: this.journeys, rollups: this.rollups }))();
  }

  async ping(): Promise<void> {
    this.check();
    this.db.prepare('SELECT 1').get();
  }

  /** SQLite's online backup of the whole store into `file`, while the service goes on writing. */
  async backup(file: string): Promise<void> {
    this.check();
    await this.db.backup(file);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.checkpointer.stop();
    this.db.close();
  }
}

/** What is held of these calls, and the rest read in one query, each passed through `keep` (which holds it). */
/** What is held for each call (null: known to have none, undefined: not known here), the rest read in one request. */
function heldThenRead<T>(callSids: readonly string[], held: (sid: string) => T | null | undefined, read: (sids: string[]) => Map<string, T>, keep: (sid: string, value: T) => T): Map<string, T> {
  const out = new Map<string, T>();
  const unheld: string[] = [];
  for (const sid of callSids) {
    const value = held(sid);
    if (value === undefined) unheld.push(sid);
    else if (value !== null) out.set(sid, value);
  }
  for (const [sid, value] of read(unheld)) out.set(sid, keep(sid, value));
  return out;
}

function walBytes(file: string): number {
  try {
    return fs.statSync(`${file}-wal`).size;
  } catch {
    return 0;
  }
}
