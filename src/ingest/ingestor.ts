import type { CallEvent } from '../journey/events';
import type { Journey } from '../journey/journey';
import { projectJourney } from '../journey/projector';
import { findRepeats, repeatEvent, REPEAT_WINDOW_MS } from '../journey/repeats';
import { contributionDelta } from '../metrics/delta';
import { grainOfDim } from '../metrics/grains';
import { repairRollupHours, type RepairOptions, type RepairResult } from '../metrics/repair';
import { splitComments } from '../reception/comments';
import { splitCallbacks } from '../reception/callbacks';
import type { JourneyWrite, RollupDelta, RollupIntent, Store } from '../store/store';
import { GroupGate } from './group-gate';
import { RollupIntents } from './rollup-intents';
import { yieldToIo } from '../yield-to-io';

/**
 * Calls refreshed together: their journeys read, written and their rollups merged in one request
 * each. Rollups of calls ending in the same hour share most of their documents, so merging cuts the
 * rollup writes several-fold; a store across the network answers a group in about one round trip.
 */
const CALLS_PER_GROUP = 64;

/**
 * Longest the ingestor works before it lets the event loop take waiting webhooks. A store that
 * answers without I/O (the embedded one) would otherwise hold the loop for a whole batch, several
 * milliseconds at a few hundred calls, and every webhook arriving meanwhile would wait that long.
 */
const MAX_BUSY_MS = 2;

/** Attempts at a call whose conditional journey write keeps losing to another instance. */
const MAX_ATTEMPTS = 20;

export type RollupContribution = (journey: Journey) => RollupDelta[];

/** Another instance's intent this old is taken as left by an instance gone for good (a group takes milliseconds). */
const STALE_INTENT_MS = 3_600_000;

export interface IngestorDeps {
  store: Store;
  /** What a journey adds to the rollups; absent means no rollups are kept. */
  contribution?: RollupContribution;
  onJourney?: (journey: Journey) => void;
  /**
   * Who this service instance is, the same across its restarts (see instance-id.ts): its rollup
   * intents carry it, so that at start each instance repairs what it left and not what the others
   * are doing. Default "local", enough where one instance uses the store.
   */
  instanceId?: string;
  now?: () => number;
  /** How long a finished group's intent clear waits to ride along with the next group's intent. */
  clearIntentsAfterMs?: number;
  /** How long a repair waits for other instances' writes over the same hours (tests shorten it). */
  repair?: Pick<RepairOptions, 'maxAttempts' | 'sleep'>;
  /**
   * How far back a call's caller is looked up when the call is first found ended, for the repeat
   * callers (journey/repeats.ts): default 7 days; 0 looks up nothing.
   */
  repeatWindowMs?: number;
}

export interface RollupRepairReport extends RepairResult {
  /** Intents repaired and cleared. */
  intents: number;
}

/** What the rollups still owe a call: the difference from `journey` to the call's stored journey. */
interface RollupBasis {
  journey: Journey | null;
  /** Intents of the failed attempts that left this owed: not repaired until it is paid. */
  intents: string[];
}

/**
 * Delivers events to the store and keeps each touched call's journey and the rollups in step.
 * Safe to repeat: events are stored once, the journey is re-projected from all stored events, and
 * rollups receive only the difference from the journey's previous contribution.
 */
export class Ingestor {
  private readonly intents: RollupIntents;
  private readonly now: () => number;

  constructor(private readonly deps: IngestorDeps) {
    this.now = deps.now ?? Date.now;
    this.intents = new RollupIntents(deps.store, deps.instanceId ?? 'local', this.now, deps.clearIntentsAfterMs);
  }

  async ingest(delivered: readonly CallEvent[]): Promise<void> {
    // A spoken comment's words leave the event here, before it is stored (see reception/comments.ts).
    // So does a callback's sealed number (see reception/callbacks.ts).
    const split = splitComments(delivered);
    const { events, callbacks } = splitCallbacks(split.events);
    const comments = split.comments;
    await this.deps.store.appendEvents(events);
    const callSids = [...new Set(events.map((e) => e.callSid))];
    const journeys = new Map<string, Journey>();
    for (let i = 0; i < callSids.length; i += CALLS_PER_GROUP) {
      for (const [sid, j] of await this.refresh(callSids.slice(i, i + CALLS_PER_GROUP))) journeys.set(sid, j);
      await this.yieldIfBusy();
    }
    // After the events and journeys: should this fail, the outbox delivers the batch again, the events
    // and journeys are found stored, and the comments are written then (each once, by its event's id).
    if (comments.length) await this.deps.store.putComments(comments.map((c) => ({ ...c, flowId: journeys.get(c.callSid)?.flowId ?? null })));
    if (callbacks.length) {
      await this.deps.store.putCallbacks(callbacks.map((c) => ({ ...c, flowId: journeys.get(c.callSid)?.flowId ?? null, caller: journeys.get(c.callSid)?.caller ?? null })));
    }
  }

  private busySince = performance.now();

  private async yieldIfBusy(): Promise<void> {
    if (performance.now() - this.busySince < MAX_BUSY_MS) return;
    await yieldToIo();
    this.busySince = performance.now();
  }

  /**
   * Journeys whose rollup delta has not been applied yet, with the journey the rollups still
   * reflect. Kept so that a retry after a failed rollup write applies the right difference.
   */
  private readonly rollupBasis = new Map<string, RollupBasis>();

  /** The refresh each call is in, so that one call is refreshed by one group at a time in this process. */
  private readonly inFlight = new Map<string, Promise<void>>();

  /**
   * Re-projects calls from their stored events and moves the rollups by the difference. Journey
   * writes are conditional on the version read, so when another instance updates a call at the same
   * moment, the loser re-reads and projects again: the newest events always win, and rollups get
   * each change exactly once.
   */
  async refresh(callSids: readonly string[]): Promise<Map<string, Journey>> {
    return this.gate.shared(async () => {
      const release = await this.lock(callSids);
      try {
        return await this.refreshLocked(callSids);
      } finally {
        release();
      }
    });
  }

  private readonly gate = new GroupGate();

  /**
   * Deletes calls (an erasure) while no group of this process refreshes any of them, and waits for
   * the groups already at them. A group that had read a call's events and journey before the deletion
   * would otherwise write the journey back after it: with the caller's pseudonym, and with no events
   * left to be found or deleted by. Groups of these calls that come later find only what was stored
   * after the deletion.
   */
  async deleteCalls(callSids: readonly string[]): Promise<{ journeys: number; events: number }> {
    return this.gate.shared(async () => {
      const release = await this.lock(callSids);
      try {
        return await this.deps.store.deleteCalls(callSids);
      } finally {
        release();
      }
    });
  }

  /**
   * Waits for earlier refreshes of any of these calls (a delivery retried after a timeout may
   * overlap the first attempt). A group claims all its calls at once, before waiting, so every
   * group waits only on groups that claimed earlier: no cycle, no deadlock.
   */
  private async lock(callSids: readonly string[]): Promise<() => void> {
    let release!: () => void;
    const mine = new Promise<void>((resolve) => (release = resolve));
    const earlier: Promise<void>[] = [];
    for (const sid of callSids) {
      const before = this.inFlight.get(sid);
      if (before) earlier.push(before);
      this.inFlight.set(sid, mine);
    }
    await Promise.all(earlier);
    return () => {
      for (const sid of callSids) if (this.inFlight.get(sid) === mine) this.inFlight.delete(sid);
      release();
    };
  }

  private async refreshLocked(callSids: readonly string[]): Promise<Map<string, Journey>> {
    const { store, contribution, onJourney } = this.deps;
    const result = new Map<string, Journey>();
    /** Calls whose rollups must move to their journey in `result`. */
    const moved: string[] = [];
    const changed: Journey[] = [];
    /** For each call written: the contribution the rollups hold for it, and its new one. */
    const contributed = new Map<string, { before: RollupDelta[]; after: RollupDelta[] }>();
    const intent = { id: '', hours: new Set<string>() };
    /**
     * The merged delta the first attempt's intent was computed from. When those writes all landed and
     * nothing else moves, it is the group's delta too, and merging it again would cost as much.
     */
    let firstDelta: { delta: RollupDelta[]; calls: number } | null = null;
    try {
      let todo = callSids;
      for (let attempt = 1; todo.length; attempt++) {
        if (attempt > MAX_ATTEMPTS) throw new Error(`journeys kept changing under concurrent updates: ${todo.join(', ')}`);
        const [stored, events] = await Promise.all([store.getJourneys(todo), store.eventsForCalls(todo)]);
        const writes: JourneyWrite[] = [];
        const replaced = new Map<string, Journey | null>();
        for (const callSid of todo) {
          const previous = stored.get(callSid) ?? null;
          const all = events.get(callSid) ?? [];
          if (!all.length) {
            // Deleted (erased) after this delivery stored its events: nothing to project, and a journey
            // written now would have no event to expire by. What the rollups still owed it is left to
            // the repair of its intents, which counts the stored journeys, without this one.
            this.rollupBasis.delete(callSid);
            continue;
          }
          // The projection depends on the events alone, and a call's stored events only ever grow, so a
          // stored journey that counted as many events as are stored now was projected from exactly these.
          // A redelivery after a crash before the journey was written finds a count behind and repairs it.
          if (previous !== null && previous.eventCount === all.length) {
            result.set(callSid, previous);
            if (this.rollupBasis.has(callSid)) moved.push(callSid);
            continue;
          }
          writes.push({ journey: projectJourney(callSid, all), expectedEventCount: previous ? previous.eventCount : null });
          replaced.set(callSid, previous);
        }
        await this.noteRepeats(writes, replaced, events);
        if (contribution && writes.length) {
          const delta = await this.recordIntent(intent, writes, replaced, contributed, contribution);
          if (attempt === 1) firstDelta = { delta, calls: writes.length };
        }
        const accepted = writes.length ? await store.putJourneys(writes) : new Set<string>();
        const lost: string[] = [];
        for (const { journey } of writes) {
          if (!accepted.has(journey.callSid)) {
            lost.push(journey.callSid);
            contributed.delete(journey.callSid);
            continue;
          }
          // The rollups reflect the journey just replaced, unless an earlier attempt left its delta unapplied.
          if (contribution && !this.rollupBasis.has(journey.callSid)) this.rollupBasis.set(journey.callSid, { journey: replaced.get(journey.callSid)!, intents: [] });
          result.set(journey.callSid, journey);
          changed.push(journey);
          moved.push(journey.callSid);
        }
        // A retry's writes, or a call that only owed a delta, make the moved set differ from the first attempt's writes.
        if (lost.length) firstDelta = null;
        todo = lost;
      }
      if (contribution) {
        // moved holds the first attempt's accepted writes and any call that only owed a delta: equal counts, no such call.
        const delta = firstDelta && firstDelta.calls === moved.length ? firstDelta.delta : this.groupDelta(moved, result, contributed, contribution);
        if (delta.length) await store.applyRollups(delta);
        for (const callSid of moved) this.rollupBasis.delete(callSid);
      }
    } catch (err) {
      if (intent.id) {
        this.intents.abandon(intent.id);
        // The calls whose delta is still owed hold the intent: it must not be repaired before the retry
        // pays it (the repair would count their journeys, the retry again). Once paid it is repaired,
        // which also undoes a rollup write that failed half-way and was then applied whole.
        for (const callSid of moved) this.rollupBasis.get(callSid)?.intents.push(intent.id);
      }
      throw err;
    }
    if (intent.id) this.intents.done(intent.id);
    for (const j of changed) onJourney?.(j);
    return result;
  }

  /**
   * Repeat callers. A call found ended for the first time (its stored journey absent or not ended) with
   * a caller is compared with that caller's calls of the window before it (journey/repeats.ts), and
   * what it sought again is kept as its call.repeat event, appended before its journey is written and
   * projected into it. From then on the fact is one of the call's events: the contribution stays a
   * function of the one journey, re-projections, repairs and rebuilds find it, and a later change to
   * the caller's other calls (a late webhook, retention) does not move a figure already counted.
   * Should the process stop between the event and the journey, the redelivery projects the event
   * stored and looks nothing up again. One request per group (journeysOfCallers, the callers' calls of
   * the window), made only when the group holds a call just ended with a caller.
   */
  private async noteRepeats(writes: JourneyWrite[], replaced: ReadonlyMap<string, Journey | null>, events: ReadonlyMap<string, CallEvent[]>): Promise<void> {
    const windowMs = this.deps.repeatWindowMs ?? REPEAT_WINDOW_MS;
    if (windowMs <= 0) return;
    const due = writes.filter(({ journey: j }) => j.ended && j.caller && j.startedAt && !replaced.get(j.callSid)?.ended && !events.get(j.callSid)!.some((e) => e.type === 'call.repeat'));
    if (!due.length) return;
    const callers = [...new Set(due.map((w) => w.journey.caller!))];
    const since = new Date(Math.min(...due.map((w) => Date.parse(w.journey.startedAt!))) - windowMs).toISOString();
    const stored = new Map<string, Journey[]>(callers.map((c) => [c, []]));
    for (const o of await this.deps.store.journeysOfCallers(callers, since)) stored.get(o.caller!)?.push(o);
    // This group's projections are newer than the stored journeys: an earlier call of the same caller may be among them.
    const projected = new Map(writes.map((w) => [w.journey.callSid, w.journey]));
    const noted: CallEvent[] = [];
    for (const w of due) {
      const j = w.journey;
      const others = [...stored.get(j.caller!)!.filter((o) => !projected.has(o.callSid)), ...[...projected.values()].filter((o) => o.caller === j.caller)];
      const repeats = findRepeats(j, others, windowMs);
      if (!repeats.length) continue;
      const all = events.get(j.callSid)!;
      const e = repeatEvent(j.callSid, all, repeats, windowMs);
      noted.push(e);
      w.journey = projectJourney(j.callSid, [...all, e]);
    }
    if (noted.length) await this.deps.store.appendEvents(noted);
  }

  /** One merged difference for the group: what the calls add, minus what their old versions had added. */
  private groupDelta(
    moved: readonly string[],
    result: ReadonlyMap<string, Journey>,
    contributed: ReadonlyMap<string, { before: RollupDelta[]; after: RollupDelta[] }>,
    contribution: RollupContribution,
  ): RollupDelta[] {
    const before: RollupDelta[] = [];
    const after: RollupDelta[] = [];
    for (const callSid of moved) {
      // Written calls were contributed against their basis already; a call only owed a delta is not written again.
      const c = contributed.get(callSid);
      if (c) {
        before.push(...c.before);
        after.push(...c.after);
        continue;
      }
      const basis = this.rollupBasis.get(callSid)!.journey;
      if (basis) before.push(...contribution(basis));
      after.push(...contribution(result.get(callSid)!));
    }
    return contributionDelta(before, after);
  }

  /**
   * Before journeys are written: records durably which rollup hours their delta will move (old
   * contribution against new), so that if the process stops before the delta is applied, those hours
   * are recomputed at the next start. Written only when the group moves rollups (most webhooks are
   * of calls still in progress, which contribute nothing), and again only when a retry of lost
   * writes needs hours the intent does not name yet. Returns the writes' merged delta.
   */
  private async recordIntent(
    intent: { id: string; hours: Set<string> },
    writes: readonly JourneyWrite[],
    replaced: ReadonlyMap<string, Journey | null>,
    contributed: Map<string, { before: RollupDelta[]; after: RollupDelta[] }>,
    contribution: RollupContribution,
  ): Promise<RollupDelta[]> {
    const before: RollupDelta[] = [];
    const after: RollupDelta[] = [];
    for (const { journey } of writes) {
      const basis = this.rollupBasis.has(journey.callSid) ? this.rollupBasis.get(journey.callSid)!.journey : replaced.get(journey.callSid)!;
      const c = { before: basis ? contribution(basis) : [], after: contribution(journey) };
      contributed.set(journey.callSid, c);
      before.push(...c.before);
      after.push(...c.after);
    }
    const delta = contributionDelta(before, after);
    let wider = false;
    for (const d of delta) {
      if (grainOfDim(d.dim) !== 'hour' || intent.hours.has(d.hour)) continue;
      intent.hours.add(d.hour);
      wider = true;
    }
    if (!wider) return delta;
    intent.id ||= this.intents.newId();
    await this.intents.record(intent.id, intent.hours);
    return delta;
  }

  /**
   * Recomputes the rollup hours of intents nobody is working on: left by this instance before a crash
   * or after a failed write (once the retry has paid what it owed), or by another instance gone for
   * over an hour. This process's groups wait meanwhile; other instances' groups in flight over the
   * same hours are waited for (see repair.ts). Returns null when there was nothing to repair; throws
   * RollupRepairBusyError when those hours kept moving (the intents stay for the next try).
   */
  async repairRollups(): Promise<RollupRepairReport | null> {
    const { store, contribution } = this.deps;
    if (!contribution) return null;
    // Looked for before pausing this process's groups: nearly always there is nothing to repair, and a
    // group hung on a store that stopped answering must not stop every other group once a minute.
    if (this.owedIntents().size || !this.leftovers(await store.listRollupIntents()).length) return null;
    return this.gate.exclusive(async () => {
      // A delta still owed here (a failed write the outbox will retry) moves rollups of its hours, and
      // of their days and months, after any repair of them: repair once it is paid.
      if (this.owedIntents().size) return null;
      await this.intents.flush();
      const leftovers = this.leftovers(await store.listRollupIntents());
      if (!leftovers.length) return null;
      const ids = new Set(leftovers.map((i) => i.id));
      // Every other intent is another instance's group in flight (this process runs none now).
      const busyHours = async () => new Set((await store.listRollupIntents()).filter((i) => !ids.has(i.id)).flatMap((i) => i.hours));
      const hours = [...new Set(leftovers.flatMap((i) => i.hours))];
      const claimant = { owner: this.intents.owner, newId: () => this.intents.newId(), now: this.now };
      const repaired = await repairRollupHours(store, hours, { ...this.deps.repair, contribution, busyHours, claimant });
      await store.writeRollupIntents([], [...ids]);
      return { ...repaired, intents: ids.size };
    });
  }

  /** Intents of failed groups whose delta a retry still owes. */
  private owedIntents(): Set<string> {
    return new Set([...this.rollupBasis.values()].flatMap((b) => b.intents));
  }

  private leftovers(all: readonly RollupIntent[]): RollupIntent[] {
    const now = this.now();
    return all.filter((i) => !this.intents.isHeld(i.id) && (i.owner === this.intents.owner || now - i.at > STALE_INTENT_MS));
  }

  /** Writes the intent clears still waiting; call before closing the store. */
  async close(): Promise<void> {
    await this.intents.flush();
  }
}
