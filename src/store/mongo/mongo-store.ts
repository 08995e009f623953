import mongoose, { type Connection, type mongo } from 'mongoose';
import type { CallEvent } from '../../journey/events';
import type { Journey } from '../../journey/journey';
import type { Logger } from '../../log';
import { rollupScopesOfHours } from '../../metrics/grains';
import { rollupId, type FlowVersionRecord, type JourneyQuery, type JourneyWrite, type RollupDelta, type RollupDoc, type RollupIntent, type RollupQuery, type Store, type NewStoredCallback } from '../store';
import { endDriverWritesOnSocketClose } from './driver-write-guard';
import { createIdentityIndexes, MongoIdentityStore, registerIdentityModels, type IdentityModels } from './identity-collections';
import type { CommentQuery, StoredComment } from '../../reception/comments';
import type { CallbackChange, CallbackQuery, CallbackState, StoredCallback } from '../../reception/callbacks';
import type { TargetKind } from '../../flow/schema';
import { eventOfDoc, registerModels, type CallbackDocument, type CommentDocument, type EventDoc, type JourneyDoc, type Models } from './models';
import { tailEvents } from './tail-events';
import { MongoNotices, registerNoticeModel } from './notices-collection';
import type { Notice } from '../../reception/notice';

const DUPLICATE_KEY = 11000;
const BULK_BATCH = 50;
/** The _id prefix of a rollup scope's version in the rollup intents collection (see writeRollupIntents). */
const SCOPE_VERSION = 'scope-version:';
/** A find's batch size that asks for every document in its first answer (see eventsForCalls). */
const ONE_BATCH = 100_000;

/**
 * How long one request to the database may go unanswered before the driver gives it up and closes its
 * connection. A host that vanishes without closing its connections (a frozen VM, a failover behind a
 * NAT) otherwise leaves a request waiting for TCP keepalive, a quarter of an hour, and the delivery
 * that sent it holds its calls in the ingestor all that time: every later delivery of those calls
 * waits behind it. Below the outbox's 30 s delivery timeout, so that the retry finds them free. Not
 * applied to index builds and full scans (a rebuild), which may rightly take longer; a timeoutMS in
 * the connection string applies to everything instead.
 */
const OPERATION_TIMEOUT_MS = 20_000;
const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Counter names become field paths under `counts`; these characters would change the path's meaning. */
function checkCounterName(name: string): void {
  if (name.includes('.') || name.startsWith('$') || name.includes('\0')) throw new Error(`invalid rollup counter name "${name}"`);
}


/** Whether the connection string sets the option itself (option names in a MongoDB URI are case-insensitive). */
function uriSetsOption(uri: string, option: string): boolean {
  const query = uri.includes('?') ? uri.slice(uri.indexOf('?') + 1) : '';
  return [...new URLSearchParams(query).keys()].some((k) => k.toLowerCase() === option.toLowerCase());
}

/**
 * Positions, in an unordered insert, of the documents refused because their _id is stored already;
 * throws the error again when anything else failed (or it does not say which were refused), a write
 * concern the inserted ones missed included.
 */
function duplicatePositions(err: unknown): Set<number> {
  type WriteError = { index?: number; code?: number; err?: { code?: number } };
  const e = err as { writeErrors?: WriteError[] | WriteError; result?: { getWriteConcernError?: () => unknown } };
  const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
  if (!writeErrors.length || !writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY && typeof w.index === 'number')) throw err;
  if (e.result?.getWriteConcernError?.()) throw err;
  return new Set(writeErrors.map((w) => w.index!));
}

function toJourney(d: JourneyDoc): Journey {
  const { _id, ...rest } = d;
  return rest as unknown as Journey;
}

export interface MongoConnectOptions {
  serverSelectionTimeoutMS?: number;
  operationTimeoutMS?: number;
  /**
   * Called as the driver sends each command and as its answer comes (its command monitoring, off
   * without this): each command is one round trip to the database. For benches and diagnostics; the
   * index builds at connect count too.
   */
  onCommand?: (event: mongo.CommandStartedEvent | mongo.CommandSucceededEvent | mongo.CommandFailedEvent) => void;
  /** Audit entries per page when reading the whole trail (see identity-collections.ts; tests make it small). */
  auditPageSize?: number;
}

/**
 * The production store on MongoDB. Only plain CRUD, range queries, $inc upserts and unique indexes
 * (_id, the API tokens' hash) are used: no transactions, $facet, $lookup or TTL indexes, so it runs
 * on MongoDB and on FerretDB alike.
 */
export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly identity: MongoIdentityStore;
  private readonly notices: MongoNotices;

  private constructor(
    private readonly conn: Connection,
    private readonly m: Models,
    identityModels: IdentityModels,
    private readonly log: Logger,
    /** Options of every bounded request (see OPERATION_TIMEOUT_MS). */
    private readonly op: { timeoutMS?: number },
    auditPageSize: number | undefined,
  ) {
    this.identity = new MongoIdentityStore(identityModels, { op, auditPageSize });
    this.notices = new MongoNotices(registerNoticeModel(conn), op);
  }

  static async connect(uri: string, log: Logger, opts: MongoConnectOptions = {}): Promise<MongoStore> {
    endDriverWritesOnSocketClose(log);
    // The driver lets an option given here override the URI's: the default must not hide an operator's setting.
    const serverSelectionTimeoutMS = opts.serverSelectionTimeoutMS ?? (uriSetsOption(uri, 'serverSelectionTimeoutMS') ? undefined : 5000);
    // bufferCommands off: when the database is away an operation fails at once and the outbox retries,
    // instead of piling up inside the driver.
    const conn = mongoose.createConnection(uri, {
      ...(serverSelectionTimeoutMS === undefined ? {} : { serverSelectionTimeoutMS }),
      ...(opts.onCommand ? { monitorCommands: true } : {}),
      bufferCommands: false,
      autoIndex: false,
    });
    if (opts.onCommand) for (const event of ['commandStarted', 'commandSucceeded', 'commandFailed'] as const) conn.getClient().on(event, opts.onCommand);
    let m: Models;
    let identityModels: IdentityModels;
    try {
      await conn.asPromise();
      m = registerModels(conn);
      identityModels = registerIdentityModels(conn);
      await Promise.all([
        m.Event.createIndexes(),
        m.Journey.createIndexes(),
        m.Rollup.createIndexes(),
        m.RollupIntent.createIndexes(),
        m.FlowVersion.createIndexes(),
        m.Comment.createIndexes(),
        m.Callback.createIndexes(),
        createIdentityIndexes(identityModels),
      ]);
    } catch (err) {
      // The service tries again (see store/open.ts): a failed attempt must not leave its pool behind.
      await conn.close().catch(() => undefined);
      throw err;
    }
    log.info({ db: conn.name }, 'connected to MongoDB');
    // The connection string's timeoutMS, when it has one, is the driver's default for every request already.
    const op = uriSetsOption(uri, 'timeoutMS') ? {} : { timeoutMS: opts.operationTimeoutMS ?? OPERATION_TIMEOUT_MS };
    return new MongoStore(conn, m, identityModels, log, op, opts.auditPageSize);
  }

  async appendEvents(events: readonly CallEvent[]): Promise<number> {
    if (!events.length) return 0;
    // _r: when this copy was stored, so other instances' live views can tail new events by time.
    const storedAt = Date.now();
    const docs = events.map(({ id, ...rest }) => ({ _id: id, ...rest, _r: storedAt }));
    try {
      const r = await this.m.Event.collection.insertMany(docs as never[], { ordered: false, ...this.op });
      return r.insertedCount;
    } catch (err) {
      // ordered:false inserts every new event and reports the known ones as duplicate keys.
      type WriteError = { code?: number; err?: { code?: number } };
      const e = err as { writeErrors?: WriteError[] | WriteError; result?: { insertedCount?: number }; insertedCount?: number; code?: number };
      const writeErrors = Array.isArray(e.writeErrors) ? e.writeErrors : e.writeErrors ? [e.writeErrors] : [];
      const onlyDuplicates = writeErrors.length > 0 && writeErrors.every((w) => (w.code ?? w.err?.code) === DUPLICATE_KEY);
      if (!onlyDuplicates && e.code !== DUPLICATE_KEY) throw err;
      return e.insertedCount ?? e.result?.insertedCount ?? events.length - writeErrors.length;
    }
  }

  async eventsForCall(callSid: string): Promise<CallEvent[]> {
    const docs = await this.m.Event.find({ callSid }).sort({ at: 1, step: 1, seq: 1 }).setOptions(this.op).lean<EventDoc[]>();
    return docs.map(eventOfDoc);
  }

  async eventsForCalls(callSids: readonly string[]): Promise<Map<string, CallEvent[]>> {
    const out = new Map<string, CallEvent[]>();
    if (!callSids.length) return out;
    // Every event in the first batch, one round trip: the driver's default batch of 101 took a group's
    // events in two or three. The server still ends a batch at 16 MiB.
    const docs = await this.m.Event.find({ callSid: { $in: callSids } })
      .sort({ callSid: 1, at: 1, step: 1, seq: 1 })
      .batchSize(ONE_BATCH)
      .setOptions(this.op)
      .lean<EventDoc[]>();
    for (const d of docs) {
      const e = eventOfDoc(d);
      const list = out.get(e.callSid);
      if (list) list.push(e);
      else out.set(e.callSid, [e]);
    }
    return out;
  }

  async *eventsByCall(): AsyncIterable<CallEvent[]> {
    const cursor = this.m.Event.find({}).sort({ callSid: 1, at: 1, step: 1, seq: 1 }).lean<EventDoc[]>().cursor({ batchSize: 2000 });
    let current: CallEvent[] = [];
    for await (const d of cursor) {
      const e = eventOfDoc(d as unknown as EventDoc);
      if (current.length && current[0].callSid !== e.callSid) {
        yield current;
        current = [];
      }
      current.push(e);
    }
    if (current.length) yield current;
  }

  watchEvents(listener: (events: CallEvent[]) => void): () => void {
    return tailEvents(this.m, listener, this.log, this.op);
  }

  async putJourney(journey: Journey, expectedEventCount?: number | null): Promise<boolean> {
    const doc = { ...journey } as never;
    if (expectedEventCount === undefined) {
      await this.m.Journey.collection.replaceOne({ _id: journey.callSid } as never, doc, { upsert: true, ...this.op });
      return true;
    }
    if (expectedEventCount === null) {
      try {
        await this.m.Journey.collection.insertOne({ _id: journey.callSid, ...journey } as never, this.op);
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === DUPLICATE_KEY) return false;
        throw err;
      }
    }
    const r = await this.m.Journey.collection.replaceOne({ _id: journey.callSid, eventCount: expectedEventCount } as never, doc, this.op);
    return r.matchedCount === 1;
  }

  /**
   * The ingestor must know exactly which writes held, to move exactly those calls' rollups. Journeys
   * of calls not stored yet go in one unordered insert, one round trip: each one stored meanwhile is
   * refused with a duplicate-key error that names its position. The conditional replaces of stored
   * journeys go one per journey, sent together: an update command answers how many matched, not
   * which. (An upsert would turn a refusal into a duplicate-key error on _id, but FerretDB's update
   * command stops at its first error and names the wrong position, and the upsert would write back a
   * journey deleted meanwhile.)
   */
  async putJourneys(writes: readonly JourneyWrite[]): Promise<Set<string>> {
    const fresh = writes.filter((w) => w.expectedEventCount === null).map((w) => w.journey);
    const stored = writes.filter((w) => w.expectedEventCount !== null);
    const [inserted, replaced] = await Promise.all([this.insertJourneys(fresh), Promise.all(stored.map((w) => this.putJourney(w.journey, w.expectedEventCount)))]);
    const accepted = new Set(inserted);
    stored.forEach((w, i) => replaced[i] && accepted.add(w.journey.callSid));
    return accepted;
  }

  /** Inserts journeys of calls that have none stored; returns the callSids of those inserted (one already stored is left as it is). */
  private async insertJourneys(journeys: readonly Journey[]): Promise<string[]> {
    if (!journeys.length) return [];
    const docs = journeys.map((j) => ({ _id: j.callSid, ...j }));
    try {
      await this.m.Journey.collection.insertMany(docs as never[], { ordered: false, ...this.op });
      return journeys.map((j) => j.callSid);
    } catch (err) {
      const refused = duplicatePositions(err);
      return journeys.filter((_j, i) => !refused.has(i)).map((j) => j.callSid);
    }
  }

  async getJourneys(callSids: readonly string[]): Promise<Map<string, Journey>> {
    const out = new Map<string, Journey>();
    if (!callSids.length) return out;
    const docs = await this.m.Journey.find({ _id: { $in: callSids } }).setOptions(this.op).lean<JourneyDoc[]>();
    for (const d of docs) {
      const j = toJourney(d);
      out.set(j.callSid, j);
    }
    return out;
  }

  async getJourney(callSid: string): Promise<Journey | null> {
    const d = await this.m.Journey.findById(callSid).setOptions(this.op).lean<JourneyDoc>();
    return d ? toJourney(d) : null;
  }

  async listJourneys(q: JourneyQuery): Promise<Journey[]> {
    const filter: Record<string, unknown> = {};
    const started: Record<string, string> = {};
    if (q.from) started.$gte = q.from;
    if (q.to) started.$lt = q.to;
    if (Object.keys(started).length) filter.startedAt = started;
    if (q.flowId) filter.flowId = q.flowId;
    if (q.before) {
      filter.$or = [{ startedAt: { ...started, $lt: q.before.startedAt } }, { startedAt: q.before.startedAt, _id: { $lt: q.before.callSid } }];
    }
    const docs = await this.m.Journey.find(filter).sort({ startedAt: -1, _id: -1 }).limit(q.limit ?? 100).setOptions(this.op).lean<JourneyDoc[]>();
    return docs.map(toJourney);
  }

  async journeysOfCaller(caller: string): Promise<Journey[]> {
    const docs = await this.m.Journey.find({ caller }).setOptions(this.op).lean<JourneyDoc[]>();
    return docs.map(toJourney);
  }

  async journeysOfCallers(callers: readonly string[], startedSince: string): Promise<Journey[]> {
    if (!callers.length) return [];
    const docs = await this.m.Journey.find({ caller: { $in: [...callers] }, startedAt: { $gte: startedSince } }).setOptions(this.op).lean<JourneyDoc[]>();
    return docs.map(toJourney);
  }

  async applyRollups(deltas: readonly RollupDelta[]): Promise<void> {
    if (!deltas.length) return;
    const ops = deltas.map((d) => {
      const inc: Record<string, number> = {};
      for (const [k, v] of Object.entries(d.counts)) {
        checkCounterName(k);
        inc[`counts.${k}`] = v;
      }
      return {
        updateOne: {
          filter: { _id: rollupId(d) },
          update: { $inc: inc, $setOnInsert: { flowId: d.flowId, flowVersion: d.flowVersion, hour: d.hour, dim: d.dim } },
          upsert: true,
        },
      };
    });
    // Small batches: FerretDB (SQLite) holds one pooled connection per matched statement and stalls
    // on a single command of 100+ updates; real MongoDB is indifferent to the split.
    for (let i = 0; i < ops.length; i += BULK_BATCH) {
      await this.m.Rollup.collection.bulkWrite(ops.slice(i, i + BULK_BATCH) as never[], { ordered: true, ...this.op });
    }
  }

  async queryRollups(q: RollupQuery): Promise<RollupDoc[]> {
    const filter: Record<string, unknown> = { hour: { $gte: q.from, $lt: q.to } };
    if (q.flowId) filter.flowId = q.flowId;
    if (q.flowVersions) filter.flowVersion = { $in: q.flowVersions };
    if (q.dimPrefix) filter.dim = { $regex: `^${escapeRegex(q.dimPrefix)}` };
    const docs = await this.m.Rollup.find(filter).setOptions(this.op).lean();
    return docs.map((d) => ({ flowId: d.flowId, flowVersion: d.flowVersion, hour: d.hour, dim: d.dim, counts: dropZeros(d.counts ?? {}) }));
  }

  async clearRollups(): Promise<void> {
    await this.m.Rollup.deleteMany({});
  }

  /**
   * One ordered bulk write: the clears, then the new intents, then the bumps of their scopes' versions,
   * which live in the same collection so that the intents and the bumps go in one update command, one
   * round trip (two with clears). The write concern is the connection's (majority on a replica set by
   * default), so a resolved write survives a failover.
   */
  async writeRollupIntents(put: readonly RollupIntent[], clear: readonly string[]): Promise<void> {
    const ops: unknown[] = [];
    if (clear.length) ops.push({ deleteMany: { filter: { _id: { $in: [...clear] } } } });
    for (const p of put) ops.push({ replaceOne: { filter: { _id: p.id }, replacement: { owner: p.owner, at: p.at, hours: [...p.hours] }, upsert: true } });
    for (const scope of rollupScopesOfHours(put.flatMap((p) => p.hours))) {
      ops.push({ updateOne: { filter: { _id: SCOPE_VERSION + scope }, update: { $inc: { n: 1 } }, upsert: true } });
    }
    if (ops.length) await this.m.RollupIntent.collection.bulkWrite(ops as never[], { ordered: true, ...this.op });
  }

  async rollupScopeVersions(scopes: readonly string[]): Promise<Map<string, number>> {
    const out = new Map(scopes.map((s) => [s, 0]));
    if (!scopes.length) return out;
    const docs = await this.m.RollupIntent.collection.find({ _id: { $in: scopes.map((s) => SCOPE_VERSION + s) } } as never, this.op).toArray();
    for (const d of docs as unknown as { _id: string; n: number }[]) out.set(d._id.slice(SCOPE_VERSION.length), d.n);
    return out;
  }

  async claimRollupScope(scope: string, expected: number): Promise<boolean> {
    const result = await this.m.RollupIntent.collection.updateOne({ _id: SCOPE_VERSION + scope, n: expected } as never, { $inc: { n: 1 } }, this.op);
    return result.modifiedCount === 1;
  }

  /** One unordered bulk of upserts that set only on insert: a version kept already is left as it is. */
  async archiveFlowVersions(records: readonly FlowVersionRecord[]): Promise<number> {
    if (!records.length) return 0;
    const ops = records.map((r) => ({
      updateOne: { filter: { _id: `${r.flowId}@${r.version}` }, update: { $setOnInsert: { flowId: r.flowId, version: r.version, source: r.source, flow: r.flow, archivedAt: r.archivedAt } }, upsert: true },
    }));
    const result = await this.m.FlowVersion.collection.bulkWrite(ops as never[], { ordered: false, ...this.op });
    return result.upsertedCount;
  }

  async listFlowVersions(): Promise<FlowVersionRecord[]> {
    const docs = await this.m.FlowVersion.find({}).sort({ flowId: 1, archivedAt: 1, version: 1 }).setOptions(this.op).lean();
    return docs.map((d) => ({ flowId: d.flowId, version: d.version, source: d.source, flow: d.flow, archivedAt: d.archivedAt }));
  }

  async listRollupIntents(): Promise<RollupIntent[]> {
    // The scope versions share the collection; they have no owner.
    const docs = await this.m.RollupIntent.find({ owner: { $exists: true } }).setOptions(this.op).lean();
    return docs.map((d) => ({ id: d._id, owner: d.owner, at: d.at, hours: [...(d.hours ?? [])] }));
  }

  /** One unordered insert; the ids stored already are refused as duplicate keys and left as they are. */
  async putComments(comments: readonly StoredComment[]): Promise<void> {
    if (!comments.length) return;
    const docs = comments.map((c) => ({ _id: c.id, callSid: c.callSid, at: c.at, flowId: c.flowId, language: c.language, confidence: c.confidence, text: c.text }));
    try {
      await this.m.Comment.collection.insertMany(docs as never[], { ordered: false, ...this.op });
    } catch (err) {
      duplicatePositions(err);
    }
  }

  async commentsOf(callSids: readonly string[]): Promise<StoredComment[]> {
    if (!callSids.length) return [];
    const docs = await this.m.Comment.find({ callSid: { $in: [...callSids] } }).sort({ at: 1, _id: 1 }).setOptions(this.op).lean<CommentDocument[]>();
    return docs.map(commentOfDoc);
  }

  async listComments(q: CommentQuery): Promise<StoredComment[]> {
    const filter: Record<string, unknown> = {};
    const at: Record<string, string> = {};
    if (q.from) at.$gte = q.from;
    if (q.to) at.$lt = q.to;
    if (Object.keys(at).length) filter.at = at;
    if (q.flowId) filter.flowId = q.flowId;
    if (q.before) filter.$or = [{ at: { ...at, $lt: q.before.at } }, { at: q.before.at, _id: { $lt: q.before.id } }];
    const docs = await this.m.Comment.find(filter).sort({ at: -1, _id: -1 }).limit(q.limit ?? 100).setOptions(this.op).lean<CommentDocument[]>();
    return docs.map(commentOfDoc);
  }

  async putCallbacks(callbacks: readonly NewStoredCallback[]): Promise<void> {
    if (!callbacks.length) return;
    const docs = callbacks.map((c) => ({
      _id: c.id,
      callSid: c.callSid,
      flowId: c.flowId,
      caller: c.caller,
      nodeId: c.nodeId,
      target: c.target,
      targetKind: c.targetKind,
      source: c.source,
      language: c.language,
      requestedAt: c.requestedAt,
      deadline: c.deadline,
      expires: c.expires,
      sealed: c.sealed,
      state: 'open',
      assignedTo: null,
      tries: 0,
      closedAt: null,
      history: [],
    }));
    try {
      await this.m.Callback.collection.insertMany(docs as never[], { ordered: false, ...this.op });
    } catch (err) {
      duplicatePositions(err);
    }
  }

  async getCallback(id: string): Promise<StoredCallback | null> {
    const d = await this.m.Callback.findById(id).setOptions(this.op).lean<CallbackDocument>();
    return d ? callbackOfDoc(d) : null;
  }

  async callbacksOf(callSids: readonly string[]): Promise<StoredCallback[]> {
    if (!callSids.length) return [];
    const docs = await this.m.Callback.find({ callSid: { $in: [...callSids] } }).sort({ requestedAt: 1, _id: 1 }).setOptions(this.op).lean<CallbackDocument[]>();
    return docs.map(callbackOfDoc);
  }

  async listCallbacks(q: CallbackQuery): Promise<StoredCallback[]> {
    const filter: Record<string, unknown> = {};
    if (q.states?.length) filter.state = { $in: q.states };
    if (q.flowId) filter.flowId = q.flowId;
    const at: Record<string, string> = {};
    if (q.from) at.$gte = q.from;
    if (q.to) at.$lt = q.to;
    if (Object.keys(at).length) filter.requestedAt = at;
    const docs = await this.m.Callback.find(filter).sort({ requestedAt: 1, _id: 1 }).limit(q.limit ?? 500).setOptions(this.op).lean<CallbackDocument[]>();
    return docs.map(callbackOfDoc);
  }

  /** One conditional update: the state still open, the change pushed onto the history with it. */
  async changeCallback(id: string, change: CallbackChange): Promise<StoredCallback | null> {
    const set: Record<string, unknown> = {};
    const inc: Record<string, number> = {};
    if (change.action === 'assigned') set.assignedTo = change.assignedTo ?? null;
    if (change.action === 'tried') inc.tries = 1;
    if (change.action === 'done' || change.action === 'expired') Object.assign(set, { state: change.action, closedAt: change.at });
    const entry = { at: change.at, action: change.action, by: change.by, ...(change.assignedTo ? { assignedTo: change.assignedTo } : {}), ...(change.note ? { note: change.note } : {}) };
    const update: Record<string, unknown> = { $push: { history: entry } };
    if (Object.keys(set).length) update.$set = set;
    if (Object.keys(inc).length) update.$inc = inc;
    const d = await this.m.Callback.findOneAndUpdate({ _id: id, state: 'open' }, update, { new: true, ...this.op }).lean<CallbackDocument>();
    return d ? callbackOfDoc(d) : null;
  }

  async expireCallbacks(now: string): Promise<StoredCallback[]> {
    const due = await this.m.Callback.find({ state: 'open', expires: { $lte: now } }, { _id: 1 }).setOptions(this.op).lean<{ _id: string }[]>();
    const expired: StoredCallback[] = [];
    for (const { _id } of due) {
      const cb = await this.changeCallback(_id, { at: now, action: 'expired', by: null });
      if (cb) expired.push(cb);
    }
    return expired;
  }

  async deleteCallbacksClosedBefore(cutoff: string): Promise<number> {
    return (await this.m.Callback.deleteMany({ state: { $ne: 'open' }, closedAt: { $lt: cutoff } }).setOptions(this.op)).deletedCount ?? 0;
  }

  async deleteCommentsBefore(cutoff: string): Promise<number> {
    return (await this.m.Comment.deleteMany({ at: { $lt: cutoff } }).setOptions(this.op)).deletedCount ?? 0;
  }

  /** The comments first: a deletion cut short by a failure never leaves a call's words behind its events. */
  async deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }> {
    let journeys = 0;
    let events = 0;
    for (let i = 0; i < callSids.length; i += 1000) {
      const ids = callSids.slice(i, i + 1000);
      await this.m.Comment.deleteMany({ callSid: { $in: ids } }).setOptions(this.op);
      await this.m.Callback.deleteMany({ callSid: { $in: ids } }).setOptions(this.op);
      events += (await this.m.Event.deleteMany({ callSid: { $in: ids } }).setOptions(this.op)).deletedCount ?? 0;
      journeys += (await this.m.Journey.deleteMany({ _id: { $in: ids } }).setOptions(this.op)).deletedCount ?? 0;
    }
    return { journeys, events };
  }

  /**
   * Calls with a start time by the startedAt index; calls without one (see Store.deleteCallsBefore)
   * by the same index's null entries, then by the latest of their events (the events' callSid index).
   */
  async deleteCallsBefore(cutoff: string): Promise<{ journeys: number; events: number }> {
    const removed = { journeys: 0, events: 0 };
    const remove = async (ids: string[]) => {
      const r = await this.deleteCalls(ids);
      removed.journeys += r.journeys;
      removed.events += r.events;
    };
    // In chunks, so a year's worth of expired calls never becomes one enormous $in.
    for (;;) {
      const batch = await this.m.Journey.find({ startedAt: { $lt: cutoff } }, { _id: 1 }).limit(1000).setOptions(this.op).lean<{ _id: string }[]>();
      if (!batch.length) break;
      await remove(batch.map((b) => b._id));
    }
    const cutoffMs = Date.parse(cutoff);
    for (let after = ''; ; ) {
      const batch = await this.m.Journey.find({ startedAt: null, _id: { $gt: after } }, { _id: 1 }).sort({ _id: 1 }).limit(1000).setOptions(this.op).lean<{ _id: string }[]>();
      if (!batch.length) break;
      const ids = batch.map((b) => b._id);
      after = ids[ids.length - 1];
      // Their times only, read through the events' callSid index (FerretDB has no $max accumulator);
      // such calls are few and short (a lost start, late callbacks), so this reads little.
      const times = await this.m.Event.find({ callSid: { $in: ids } }, { _id: 0, callSid: 1, at: 1 }).setOptions(this.op).lean<{ callSid: string; at: number }[]>();
      const latestAt = new Map<string, number>();
      for (const t of times) latestAt.set(t.callSid, Math.max(t.at, latestAt.get(t.callSid) ?? -Infinity));
      const expired = ids.filter((id) => (latestAt.get(id) ?? -Infinity) < cutoffMs);
      if (expired.length) await remove(expired);
    }
    return removed;
  }

  async putNotice(notice: Notice): Promise<void> {
    return this.notices.put(notice);
  }

  async deleteNotice(person: string): Promise<boolean> {
    return this.notices.delete(person);
  }

  async listNotices(): Promise<Notice[]> {
    return this.notices.list();
  }

  async ping(): Promise<void> {
    if (!this.conn.db) throw new Error('not connected');
    await this.conn.db.command({ ping: 1 }, this.op);
  }

  async close(): Promise<void> {
    await this.conn.close();
  }
}

function callbackOfDoc(d: CallbackDocument): StoredCallback {
  return {
    id: d._id,
    callSid: d.callSid,
    flowId: d.flowId ?? null,
    caller: d.caller ?? null,
    nodeId: d.nodeId,
    target: d.target ?? null,
    targetKind: (d.targetKind ?? null) as TargetKind | null,
    source: d.source as StoredCallback['source'],
    language: d.language,
    requestedAt: d.requestedAt,
    deadline: d.deadline ?? null,
    expires: d.expires,
    sealed: d.sealed,
    state: d.state as CallbackState,
    assignedTo: d.assignedTo ?? null,
    tries: d.tries ?? 0,
    closedAt: d.closedAt ?? null,
    history: (d.history ?? []).map((h) => ({
      at: h.at,
      action: h.action as CallbackChange['action'],
      by: h.by ?? null,
      ...(h.assignedTo ? { assignedTo: h.assignedTo } : {}),
      ...(h.note ? { note: h.note } : {}),
    })),
  };
}

function commentOfDoc(d: CommentDocument): StoredComment {
  return { id: d._id, callSid: d.callSid, at: d.at, text: d.text, confidence: d.confidence ?? null, language: d.language, flowId: d.flowId ?? null };
}

function dropZeros(counts: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(counts)) if (v !== 0) out[k] = v;
  return out;
}
