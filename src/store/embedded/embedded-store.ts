import fs from 'node:fs';
import path from 'node:path';
import { inEventOrder, type CallEvent } from '../../journey/events';
import type { Journey } from '../../journey/journey';
import { projectJourney } from '../../journey/projector';
import { rollupId, type JourneyQuery, type JourneyWrite, type RollupDelta, type RollupDoc, type RollupIntent, type RollupQuery, type Store } from '../store';
import { JsonlFile, type AsyncReadOptions } from '../../files/jsonl-file';
import type { Logger } from '../../log';
import { linesInChunks, RewriteAbandoned } from '../../files/chunked-rewrite';
import type { JsonlReadResult } from '../../files/jsonl-lines';
import { StoreLoadError } from '../../errors';
import { SnapshotGuard } from './snapshot-guard';
import { callsDeletedLines, isCallsDeleted, type CallsDeletedLine } from './calls-deleted';

const MIN_JOURNEY_LINES_TO_COMPACT = 20_000;
const MIN_ROLLUP_LINES_TO_COMPACT = 50_000;
/** Unreadable lines a file may hold and still load: each torn line is one crash mid-append. */
const MAX_UNREADABLE_LINES = 100;

export interface EmbeddedLoadOptions {
  log?: Pick<Logger, 'error'> | null;
  signal?: AbortSignal;
  /** Bytes read and parsed between two turns of the event loop (default 256 KiB). */
  chunkBytes?: number;
  /** After each chunk (a test may hold the load here by returning a promise). */
  onProgress?: (p: LoadProgress) => void | Promise<void>;
}

export interface LoadProgress {
  bytesRead: number;
  bytesTotal: number;
}

/** What a load found, for the start-up log: counts only, nothing about any caller. */
export interface LoadReport {
  calls: number;
  eventLines: number;
  journeys: number;
  rollupDocs: number;
  unreadableLines: number;
}

const MIN_INTENT_LINES_TO_COMPACT = 10_000;

/** A line of the intents file: an intent recorded, or intents cleared. */
type IntentLine = { put: RollupIntent } | { clear: string[] };
type EventLine = CallEvent | CallsDeletedLine;
type JourneyLine = Journey | CallsDeletedLine;

/**
 * The default store: no server, everything in memory, made durable by append-only files in one
 * folder. Journeys of ended calls are appended on every change and compacted when the file grows
 * to several times the live set; a call in progress keeps its journey in memory only (see
 * putJourneys) and has it projected again from its events when the store opens.
 */
export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const;
  private readonly eventsFile: JsonlFile<EventLine>;
  private readonly journeysFile: JsonlFile<JourneyLine>;
  private readonly rollupsFile: JsonlFile<RollupDelta>;
  private readonly intentsFile: JsonlFile<IntentLine>;
  private readonly intents = new Map<string, RollupIntent>();
  private intentLines = 0;
  private readonly events = new Map<string, CallEvent[]>();
  private readonly journeys = new Map<string, Journey>();
  /** hour → rollup id → doc, so a range query touches only the hours in range. */
  private readonly rollups = new Map<string, Map<string, RollupDoc>>();
  /**
   * dim → its docs in hour order, so a query for one dimension family reads only that family: a
   * year of metrics is twelve month rollups per dimension, not a scan of every rollup in the year.
   */
  private readonly rollupsByDim = new Map<string, RollupDoc[]>();
  private journeyLines = 0;
  private rollupLines = 0;
  private rollupDocs = 0;
  private closed = false;
  /** Deletion lines the load read in each file: the calls' records are still in it, to be rewritten away. */
  private readonly deletionLinesAtLoad = { events: 0, journeys: 0 };
  loadReport: LoadReport | null = null;
  /** A call's event list only grows: its length at a rewrite's snapshot is all the snapshot writes. */
  private readonly eventListsAtSnapshot = new SnapshotGuard<CallEvent[], number>();
  /** Rollup docs are summed in place: their counts at a rewrite's snapshot, deltas after it follow in the file. */
  private readonly rollupCountsAtSnapshot = new SnapshotGuard<RollupDoc, Record<string, number>>();

  private constructor(
    readonly dir: string,
    private readonly log: Pick<Logger, 'error'> | null,
  ) {
    this.eventsFile = new JsonlFile(path.join(dir, 'events.jsonl'));
    this.journeysFile = new JsonlFile(path.join(dir, 'journeys.jsonl'));
    this.rollupsFile = new JsonlFile(path.join(dir, 'rollups.jsonl'));
    this.intentsFile = new JsonlFile(path.join(dir, 'rollup-intents.jsonl'));
  }

  /**
   * Opens the folder synchronously (scripts, tests, benches). `log` hears of a background compaction
   * that failed (without one, a process warning on stderr).
   */
  static open(dir: string, log: Pick<Logger, 'error'> | null = null): EmbeddedStore {
    const s = EmbeddedStore.prepare(dir, log);
    s.loaded(s.loaders().map((l) => l.read()));
    return s;
  }

  /**
   * Opens the folder like open(), reading the files in small chunks with asynchronous I/O so that the
   * service answers webhooks meanwhile (a year of a large municipality takes minutes). An aborted
   * `signal` stops the load before its next chunk, throwing the signal's reason.
   */
  static async load(dir: string, opts: EmbeddedLoadOptions = {}): Promise<EmbeddedStore> {
    const s = EmbeddedStore.prepare(dir, opts.log ?? null);
    const loaders = s.loaders();
    const bytesTotal = loaders.reduce((sum, l) => sum + sizeOf(l.path), 0);
    let before = 0;
    const results: JsonlReadResult[] = [];
    for (const l of loaders) {
      let read = 0;
      results.push(
        await l.readAsync({
          chunkBytes: opts.chunkBytes,
          signal: opts.signal,
          onChunk: (n) => {
            read = n;
            return opts.onProgress?.({ bytesRead: before + n, bytesTotal: Math.max(bytesTotal, before + n) });
          },
        }),
      );
      before += read;
    }
    s.loaded(results);
    return s;
  }

  private static prepare(dir: string, log: Pick<Logger, 'error'> | null): EmbeddedStore {
    fs.mkdirSync(dir, { recursive: true });
    const s = new EmbeddedStore(dir, log);
    for (const f of [s.eventsFile, s.journeysFile, s.rollupsFile, s.intentsFile]) f.removeLeftoverTemp();
    return s;
  }

  /** Each file and what its records go into, in load order: the one description open() and load() both follow. */
  private loaders(): FileLoader[] {
    return [
      loaderOf(this.eventsFile, (l) => {
        if (!isCallsDeleted(l)) return void this.indexEvent(l);
        this.deletionLinesAtLoad.events++;
        for (const sid of l.deletedCalls) this.events.delete(sid);
      }),
      loaderOf(this.journeysFile, (l) => {
        if (!isCallsDeleted(l)) return void this.journeys.set(l.callSid, l);
        this.deletionLinesAtLoad.journeys++;
        for (const sid of l.deletedCalls) this.journeys.delete(sid);
      }),
      loaderOf(this.rollupsFile, (r) => this.addRollup(r)),
      loaderOf(this.intentsFile, (l) => this.applyIntentLine(l)),
    ];
  }

  /**
   * After the files were read (in loaders() order). A torn line or two is what power cuts leave; more
   * than a few hundred unreadable lines is a damaged or foreign file, and starting on the rest would
   * silently lose calls: the load fails instead, loudly.
   */
  private loaded([events, journeys, rollups, intents]: JsonlReadResult[]): void {
    const files = [
      { file: this.eventsFile, r: events },
      { file: this.journeysFile, r: journeys },
      { file: this.rollupsFile, r: rollups },
      { file: this.intentsFile, r: intents },
    ];
    for (const { file, r } of files) {
      if (r.torn > MAX_UNREADABLE_LINES) {
        throw new StoreLoadError(`${file.path}: ${r.torn} of ${r.lines + r.torn} lines unreadable; the file is damaged. Restore it from a backup, or move it aside to start without its records.`, {
          file: file.path,
          unreadable: r.torn,
          lines: r.lines,
        });
      }
    }
    this.projectCallsInProgress();
    this.journeyLines = journeys.lines;
    this.rollupLines = rollups.lines;
    this.intentLines = intents.lines;
    this.loadReport = {
      calls: this.events.size,
      eventLines: events.lines,
      journeys: this.journeys.size,
      rollupDocs: this.rollupDocs,
      unreadableLines: events.torn + journeys.torn + rollups.torn + intents.torn,
    };
    // A deletion whose rewrite never finished (the process was killed, the rewrite failed): the load
    // left its calls out, but their records are still in the file.
    void this.rewriteWithoutDeleted(this.deletionLinesAtLoad.events > 0, this.deletionLinesAtLoad.journeys > 0);
    this.compactIfLarge();
  }

  /**
   * The journeys file holds ended calls only, so a call that was in progress when the store closed
   * has no journey or an older one: projected here from its events, as the ingestor would. Only a
   * projection still in progress is taken. One that has ended was cut off between its events and its
   * journey write: the outbox delivers those events again, and the ingestor then moves the rollups by
   * it (taking it here would make the ingestor see it as written, and the rollups would never count it).
   */
  private projectCallsInProgress(): void {
    for (const [callSid, list] of this.events) {
      const known = this.journeys.get(callSid);
      if (known && (known.ended || known.eventCount === list.length)) continue;
      const journey = projectJourney(callSid, list);
      if (!journey.ended) this.journeys.set(callSid, journey);
    }
  }

  /**
   * Known ids are looked up among the call's own events: an id comes from one webhook delivery, so
   * it always belongs to the same call. (One Set of every id would stop at V8's limit of 2^24
   * entries, about 950 000 calls: less than a year of a large municipality.)
   */
  private indexEvent(e: CallEvent): boolean {
    const list = this.events.get(e.callSid);
    if (!list) {
      this.events.set(e.callSid, [e]);
      return true;
    }
    for (const known of list) if (known.id === e.id) return false;
    this.eventListsAtSnapshot.changing(list, () => list.length);
    list.push(e);
    return true;
  }

  private addRollup(d: RollupDelta): void {
    let hour = this.rollups.get(d.hour);
    if (!hour) this.rollups.set(d.hour, (hour = new Map()));
    const id = rollupId(d);
    let doc = hour.get(id);
    if (!doc) {
      hour.set(id, (doc = { flowId: d.flowId, flowVersion: d.flowVersion, hour: d.hour, dim: d.dim, counts: {} }));
      this.rollupDocs++;
      const ofDim = this.rollupsByDim.get(d.dim);
      if (!ofDim) this.rollupsByDim.set(d.dim, [doc]);
      else if (ofDim[ofDim.length - 1].hour <= d.hour) ofDim.push(doc);
      else ofDim.splice(firstAtOrAfter(ofDim, d.hour), 0, doc);
    } else {
      const counts = doc.counts;
      this.rollupCountsAtSnapshot.changing(doc, () => ({ ...counts }));
    }
    for (const [k, v] of Object.entries(d.counts)) {
      const n = (doc.counts[k] ?? 0) + v;
      if (n === 0) delete doc.counts[k];
      else doc.counts[k] = n;
    }
  }

  private check(): void {
    if (this.closed) throw new Error('store is closed');
  }

  async appendEvents(events: readonly CallEvent[]): Promise<number> {
    this.check();
    const fresh: CallEvent[] = [];
    for (const e of events) if (this.indexEvent(e)) fresh.push(e);
    this.eventsFile.append(fresh);
    return fresh.length;
  }

  async eventsForCall(callSid: string): Promise<CallEvent[]> {
    this.check();
    return inOrder(this.events.get(callSid) ?? []);
  }

  async eventsForCalls(callSids: readonly string[]): Promise<Map<string, CallEvent[]>> {
    this.check();
    const out = new Map<string, CallEvent[]>();
    for (const sid of callSids) {
      const list = this.events.get(sid);
      if (list) out.set(sid, inOrder(list));
    }
    return out;
  }

  async *eventsByCall(): AsyncIterable<CallEvent[]> {
    for (const list of [...this.events.values()]) yield inOrder(list);
  }

  async putJourney(journey: Journey, expectedEventCount?: number | null): Promise<boolean> {
    // Without a condition, the one that always holds: whatever is stored now.
    const expected = expectedEventCount === undefined ? (this.journeys.get(journey.callSid)?.eventCount ?? null) : expectedEventCount;
    return (await this.putJourneys([{ journey, expectedEventCount: expected }])).size === 1;
  }

  /**
   * All the journeys that go to the file in one write: one system call per group of calls, not per call.
   *
   * Only ended calls' journeys are written. A call in progress changes with nearly every webhook, and
   * writing each version made the journeys file most of what the store wrote (about 1.4 kB a webhook,
   * against 0.3 kB of events), and most of its compactions. Its journey is derived from its events,
   * which are on file, and it adds nothing to the rollups (createRollupContribution counts ended calls
   * only), so the version on file, whatever it is, still matches the rollups after a crash: the
   * ingestor's crash safety needs only the journeys that count to be on file before their rollups are.
   * A call never stops being ended once it is (the projector's "ended" only turns on).
   */
  async putJourneys(writes: readonly JourneyWrite[]): Promise<Set<string>> {
    this.check();
    const stored = writes.filter((w) => (this.journeys.get(w.journey.callSid)?.eventCount ?? null) === w.expectedEventCount).map((w) => w.journey);
    const toFile = stored.filter((j) => j.ended);
    // On disk first: a failed write (disk full) must not leave memory ahead of the file.
    this.journeysFile.append(toFile);
    for (const j of stored) this.journeys.set(j.callSid, j);
    this.journeyLines += toFile.length;
    this.compactIfLarge();
    return new Set(stored.map((j) => j.callSid));
  }

  async getJourney(callSid: string): Promise<Journey | null> {
    this.check();
    return this.journeys.get(callSid) ?? null;
  }

  async getJourneys(callSids: readonly string[]): Promise<Map<string, Journey>> {
    this.check();
    const out = new Map<string, Journey>();
    for (const sid of callSids) {
      const j = this.journeys.get(sid);
      if (j) out.set(sid, j);
    }
    return out;
  }

  async listJourneys(q: JourneyQuery): Promise<Journey[]> {
    this.check();
    const limit = q.limit ?? 100;
    const matches: Journey[] = [];
    for (const j of this.journeys.values()) {
      const t = j.startedAt ?? '';
      if (q.from && t < q.from) continue;
      if (q.to && t >= q.to) continue;
      if (q.flowId && j.flowId !== q.flowId) continue;
      if (q.before && (t > q.before.startedAt || (t === q.before.startedAt && j.callSid >= q.before.callSid))) continue;
      matches.push(j);
    }
    matches.sort((a, b) => ((a.startedAt ?? '') < (b.startedAt ?? '') ? 1 : (a.startedAt ?? '') > (b.startedAt ?? '') ? -1 : a.callSid < b.callSid ? 1 : -1));
    return matches.slice(0, limit);
  }

  async journeysOfCaller(caller: string): Promise<Journey[]> {
    this.check();
    return [...this.journeys.values()].filter((j) => j.caller === caller);
  }

  async applyRollups(deltas: readonly RollupDelta[]): Promise<void> {
    this.check();
    // On disk first: a failed write (disk full) must not leave memory ahead of the file, or a retry
    // would count twice in memory what the file holds once.
    this.rollupsFile.append(deltas);
    for (const d of deltas) this.addRollup(d);
    this.rollupLines += deltas.length;
    this.compactIfLarge();
  }

  private applyIntentLine(l: IntentLine): void {
    if ('put' in l) this.intents.set(l.put.id, l.put);
    else for (const id of l.clear) this.intents.delete(id);
  }

  /** One append of one or two lines: on disk (to the OS) before it resolves, like every other write here. */
  async writeRollupIntents(put: readonly RollupIntent[], clear: readonly string[]): Promise<void> {
    this.check();
    const lines: IntentLine[] = [];
    if (clear.length) lines.push({ clear: [...clear] });
    for (const p of put) lines.push({ put: { ...p, hours: [...p.hours] } });
    if (!lines.length) return;
    this.intentsFile.append(lines);
    for (const l of lines) this.applyIntentLine(l);
    this.intentLines += lines.length;
    this.compactIfLarge();
  }

  async listRollupIntents(): Promise<RollupIntent[]> {
    this.check();
    return [...this.intents.values()].map((i) => ({ ...i, hours: [...i.hours] }));
  }

  async queryRollups(q: RollupQuery): Promise<RollupDoc[]> {
    this.check();
    const out: RollupDoc[] = [];
    const wanted = (d: RollupDoc) => (!q.flowId || d.flowId === q.flowId) && (!q.flowVersions || q.flowVersions.includes(d.flowVersion));
    if (q.dimPrefix) {
      for (const [dim, docs] of this.rollupsByDim) {
        if (!dim.startsWith(q.dimPrefix)) continue;
        for (let i = firstAtOrAfter(docs, q.from); i < docs.length && docs[i].hour < q.to; i++) {
          if (wanted(docs[i])) out.push({ ...docs[i], counts: { ...docs[i].counts } });
        }
      }
      return out;
    }
    for (const [hour, docs] of this.rollups) {
      if (hour < q.from || hour >= q.to) continue;
      for (const d of docs.values()) if (wanted(d)) out.push({ ...d, counts: { ...d.counts } });
    }
    return out;
  }

  /** Waits for a rollups compaction still running; rollups applied meanwhile are cleared with the rest. */
  async clearRollups(): Promise<void> {
    this.check();
    await this.rollupsFile.rewriteInChunks(() => {
      this.rollups.clear();
      this.rollupsByDim.clear();
      this.rollupLines = 0;
      this.rollupDocs = 0;
      return [];
    });
  }

  /** A call with no start time (see Store.deleteCallsBefore) goes by the latest of its events, and at once when it has none. */
  async deleteCallsBefore(cutoff: string): Promise<{ journeys: number; events: number }> {
    this.check();
    const cutoffMs = Date.parse(cutoff);
    const expired: string[] = [];
    for (const j of this.journeys.values()) {
      if (j.startedAt !== null ? j.startedAt < cutoff : latestAt(this.events.get(j.callSid)) < cutoffMs) expired.push(j.callSid);
    }
    return this.deleteCalls(expired);
  }

  /**
   * The deletion holds once this resolves, across a crash or a power cut: a line naming the calls is
   * appended to the events and the journeys file and synced before the calls leave memory (see
   * calls-deleted.ts). Then the two files are rewritten without the calls' records (after any rewrite
   * already running) and this resolves once they are; a rewrite that fails is logged, the deletion
   * still holds, and the records leave the file at its next rewrite (the next deletion, compaction
   * or start).
   *
   * Events of a deleted call that arrive afterwards (a late status callback, a redelivery) are stored
   * as new records, in memory and in the file after the deletion line, so a restart finds what the
   * running store had. An erasure erases what is held when it is asked for, as on MongoDB; refusing
   * later events would mean keeping the erased calls' ids for ever, itself a record of the resident's
   * calls.
   */
  async deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }> {
    this.check();
    const unique = [...new Set(callSids)];
    const withEvents = unique.filter((sid) => this.events.has(sid));
    const withJourney = unique.filter((sid) => this.journeys.has(sid));
    const events = withEvents.reduce((n, sid) => n + this.events.get(sid)!.length, 0);
    // Each file's line on disk before its records leave memory, in the same turn of the event loop
    // (no rewrite's snapshot falls in between). A failed write (disk full) throws with memory as it
    // was; a failed sync may leave the line in the file, and the deletion asked for then applies at
    // the next start. Journeys last: a resident's calls are found by their journeys, so calls left
    // by a failure in between are found again when the request is repeated.
    this.eventsFile.appendDurably(callsDeletedLines(withEvents));
    for (const sid of withEvents) this.events.delete(sid);
    const journeyLines = callsDeletedLines(withJourney);
    this.journeysFile.appendDurably(journeyLines);
    for (const sid of withJourney) this.journeys.delete(sid);
    this.journeyLines += journeyLines.length;
    await this.rewriteWithoutDeleted(withEvents.length > 0, withJourney.length > 0);
    return { journeys: withJourney.length, events };
  }

  /**
   * Takes deleted calls' records out of the files. Not abandonable, so close() waits for it and the
   * records of an erasure leave the disk before the process does; the deletion itself holds without
   * it. Never rejects: a failure leaves the old file, whose deletion lines keep the calls out.
   */
  private async rewriteWithoutDeleted(events: boolean, journeys: boolean): Promise<void> {
    const rewrites: { file: string; done: Promise<void> }[] = [];
    if (events) rewrites.push({ file: 'events', done: this.rewriteEvents() });
    if (journeys) rewrites.push({ file: 'journeys', done: this.rewriteJourneys(false) });
    const results = await Promise.allSettled(rewrites.map((r) => r.done));
    results.forEach((r, i) => {
      if (r.status === 'fulfilled') return;
      const file = rewrites[i].file;
      const err = r.reason as Error;
      if (this.log) this.log.error({ err: err.message, file }, 'embedded store: rewriting a file without deleted calls failed; the deletion holds, their records stay in the file until its next rewrite');
      else process.emitWarning(`embedded store: rewriting ${file} without deleted calls failed: ${err.message}`, 'DeletionRewriteWarning');
    });
  }

  /*
   * Each rewrite takes its snapshot when its turn comes (after any rewrite of the same file still
   * running), so it holds every deletion made until then. A snapshot is a copy of the list of live
   * objects, serialised chunk by chunk as it is written.
   */

  private rewriteEvents(): Promise<void> {
    let stop = () => {};
    return this.eventsFile
      .rewriteInChunks(() => {
        const lists = [...this.events.values()];
        stop = this.eventListsAtSnapshot.start();
        return linesInChunks(lists, (list) => {
          const n = this.eventListsAtSnapshot.atSnapshot(list, list.length);
          let text = JSON.stringify(list[0]);
          for (let i = 1; i < n; i++) text += '\n' + JSON.stringify(list[i]);
          return text;
        });
      })
      .finally(() => stop());
  }

  /** Journeys are replaced, never changed in place; a later version is appended after the snapshot and wins at load. */
  private rewriteJourneys(abandonable: boolean): Promise<void> {
    return this.journeysFile.rewriteInChunks(
      () => {
        const live = [...this.journeys.values()].filter((j) => j.ended);
        this.journeyLines = live.length;
        return linesInChunks(live);
      },
      { abandonable },
    );
  }

  private rewriteRollups(): Promise<void> {
    let stop = () => {};
    return this.rollupsFile
      .rewriteInChunks(() => {
        const docs: RollupDoc[] = [];
        for (const hour of this.rollups.values()) for (const doc of hour.values()) docs.push(doc);
        this.rollupLines = docs.length;
        stop = this.rollupCountsAtSnapshot.start();
        return linesInChunks(docs, (doc) => JSON.stringify({ ...doc, counts: this.rollupCountsAtSnapshot.atSnapshot(doc, doc.counts) }));
      }, { abandonable: true })
      .finally(() => stop());
  }

  /** Intents are replaced, never changed in place: the live ones are all a rewrite needs. */
  private rewriteIntents(): Promise<void> {
    return this.intentsFile.rewriteInChunks(() => {
      const live = [...this.intents.values()].map((put): IntentLine => ({ put }));
      this.intentLines = live.length;
      return linesInChunks(live);
    });
  }

  /** A failed compaction leaves the old file in place, whole, and is tried again as the file grows. */
  private inBackground(what: string, rewrite: Promise<void>): void {
    rewrite.catch((err: Error) => {
      // Given up by close(): the old file holds the same records, the next start compacts again.
      if (err instanceof RewriteAbandoned) return;
      if (this.log) this.log.error({ err: err.message, file: what }, 'embedded store: compaction failed; the old file stays in use');
      else process.emitWarning(`embedded store: compacting ${what} failed: ${err.message}`, 'CompactionWarning');
    });
  }

  /** Until every rewrite of the files, running or queued, has ended. */
  async settled(): Promise<void> {
    await Promise.all([this.eventsFile.idle(), this.journeysFile.idle(), this.rollupsFile.idle(), this.intentsFile.idle()]);
  }

  /**
   * Rewrites a file once most of its lines are superseded. The floors keep a small store (a fresh
   * install, the first days) from compacting every few thousand webhooks: each rewrite ends with an
   * fsync, which waits for every file's pending writes and holds up the webhooks meanwhile, while a
   * few tens of thousands of stale lines cost only a fraction of a second when the store opens.
   */
  private compactIfLarge(): void {
    if (!this.journeysFile.rewriting && this.journeyLines > MIN_JOURNEY_LINES_TO_COMPACT && this.journeyLines > 4 * this.journeys.size) {
      this.inBackground('journeys', this.rewriteJourneys(true));
    }
    if (!this.rollupsFile.rewriting && this.rollupLines > MIN_ROLLUP_LINES_TO_COMPACT && this.rollupLines > 4 * this.rollupDocs) {
      this.inBackground('rollups', this.rewriteRollups());
    }
    // Every group that moves rollups adds a line and clears it again: the live set stays tiny.
    if (!this.intentsFile.rewriting && this.intentLines > MIN_INTENT_LINES_TO_COMPACT && this.intentLines > 4 * this.intents.size) {
      this.inBackground('rollup intents', this.rewriteIntents());
    }
  }

  async ping(): Promise<void> {
    this.check();
  }

  /**
   * Gives up a compaction under way (on a large store it can outlast a container's stop timeout; the
   * old file holds the same records and stays whole) but waits for a rewrite that carries a deletion
   * (retention, erasure), so that the deleted calls' records leave the disk (the deletion holds
   * either way). clearRollups' rewrite is waited for too.
   */
  async close(): Promise<void> {
    this.closed = true;
    for (const f of [this.eventsFile, this.journeysFile, this.rollupsFile, this.intentsFile]) f.abandonRewrites();
    await this.settled();
    // The files stay open between appends (see JsonlFile).
    this.eventsFile.close();
    this.journeysFile.close();
    this.rollupsFile.close();
    this.intentsFile.close();
  }
}

/**
 * A copy of a call's events in the order they happened, the caller's to keep. (The list itself stays
 * in arrival order: a rewrite's snapshot relies on it only growing at its end.)
 */
function inOrder(list: readonly CallEvent[]): CallEvent[] {
  const ordered = inEventOrder(list);
  return ordered === list ? list.slice() : (ordered as CallEvent[]);
}

/** The time of a call's latest event (epoch ms); -Infinity for none. */
function latestAt(list: readonly CallEvent[] | undefined): number {
  let latest = -Infinity;
  for (const e of list ?? []) if (e.at > latest) latest = e.at;
  return latest;
}

/** Index of the first doc at or after the hour in a list ordered by hour. */
function firstAtOrAfter(docs: readonly RollupDoc[], hour: string): number {
  let lo = 0;
  let hi = docs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid].hour < hour) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** One file's read, synchronous or not, into the store's memory. */
interface FileLoader {
  path: string;
  read(): JsonlReadResult;
  readAsync(opts: AsyncReadOptions): Promise<JsonlReadResult>;
}

function loaderOf<T>(file: JsonlFile<T>, onRecord: (r: T) => void): FileLoader {
  return { path: file.path, read: () => file.readAll(onRecord), readAsync: (opts) => file.readAllAsync(onRecord, opts) };
}

function sizeOf(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}
