import { ErrorCodes } from '../../src/errors';
import { Ingestor, type IngestorDeps } from '../../src/ingest/ingestor';
import type { CallEvent } from '../../src/journey/events';
import { createRollupContribution } from '../../src/metrics/contribution';
import { grainOfDim } from '../../src/metrics/grains';
import { rebuildRollups } from '../../src/metrics/rebuild';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { rollupId, type Store } from '../../src/store/store';
import { tempDir } from '../helpers/harness';
import { stallingFirstRead } from '../helpers/stalling-store';
import { embeddedAndMongoStores } from '../helpers/store-factories';
import { callEvents } from '../store/store-contract';

/**
 * The rollups' crash window: a group's journeys are stored, then its one merged rollup delta is
 * applied. A process that dies anywhere in between (or just after, before the intent is cleared)
 * must, after its restart's repair and the outbox's redelivery, leave rollups equal to a full rebuild
 * from the events: nothing lost, nothing counted twice. Runs on the embedded store, and on MongoDB
 * (FerretDB, started by npm test).
 */
const contribution = createRollupContribution({ timeZone: 'Europe/Stockholm' });
const INSTANCE = 'instance-a';
const EVERYTHING = { from: '2000-01-01T00:00:00.000Z', to: '2100-01-01T00:00:00.000Z' };

const stores = embeddedAndMongoStores('callpath-rollup-crash-', 'callpath_crash');

const sidOf = (i: number) => `CA${i.toString(16).padStart(32, '0')}`;

/** A survey answer arriving after the call ended: an ended journey changes, so its old contribution is taken back. */
function lateAnswer(callSid: string, start: number): CallEvent {
  return { id: `${callSid}:s:0`, callSid, at: start + 10_000, step: 100, seq: 0, type: 'survey.answer', question: 'bemotande', value: 4 } as CallEvent;
}

/**
 * Calls over a month's end and several days and hours. `before` is what was delivered earlier; `batch`
 * the delivery the process dies in: the end of calls in progress, late answers to ended calls, and
 * new calls (more than one group's worth when `calls` is large).
 */
function traffic(calls: number): { before: CallEvent[]; batch: CallEvent[] } {
  const starts = ['2026-02-28T23:10:00Z', '2026-03-01T00:20:00Z', '2026-03-02T08:05:00Z', '2026-03-02T09:40:00Z'].map(Date.parse);
  const before: CallEvent[] = [];
  const batch: CallEvent[] = [];
  for (let i = 0; i < calls; i++) {
    const sid = sidOf(i + 1);
    const start = starts[i % starts.length] + i * 7_000;
    const ev = callEvents(sid, start, `k1:caller-${i % 5}`);
    if (i % 3 === 0) {
      before.push(...ev.slice(0, 3));
      batch.push(...ev.slice(3));
    } else if (i % 3 === 1) {
      before.push(...ev);
      batch.push(lateAnswer(sid, start));
    } else batch.push(...ev);
  }
  return { before, batch };
}

type CrashPoint = 'intent' | 'journeys' | 'rollups' | 'clear';

/**
 * The store as the dying process sees it: the `nth` call at the crash point throws, or never answers,
 * and so does every write after it (the process is gone: nothing more reaches the store).
 */
function dying(store: Store, at: CrashPoint, how: 'throw' | 'hang', nth = 1): { store: Store; died: Promise<void> } {
  let dead = false;
  let markDied!: () => void;
  const died = new Promise<void>((r) => (markDied = r));
  const die = (): Promise<never> => {
    dead = true;
    markDied();
    return how === 'throw' ? Promise.reject(new Error('process died')) : new Promise<never>(() => undefined);
  };
  let calls = 0;
  const hit = () => ++calls === nth;
  const d: Store = Object.create(store);
  d.writeRollupIntents = async (put, clear) => {
    if (dead) return die();
    if (at === 'intent' && put.length && hit()) return die();
    if (at === 'clear' && clear.length && hit()) return die();
    return store.writeRollupIntents(put, clear);
  };
  d.putJourneys = async (w) => (dead || (at === 'journeys' && hit()) ? die() : store.putJourneys(w));
  d.applyRollups = async (r) => (dead || (at === 'rollups' && hit()) ? die() : store.applyRollups(r));
  return { store: d, died };
}

/** Every rollup, in a comparable form (rollups whose counters all went back to zero are as good as absent). */
async function allRollups(store: Store): Promise<Record<string, Record<string, number>>> {
  const out: Record<string, Record<string, number>> = {};
  for (const d of (await store.queryRollups(EVERYTHING)).sort((a, b) => (rollupId(a) < rollupId(b) ? -1 : 1))) {
    const counts = Object.fromEntries(Object.entries(d.counts).filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : 1)));
    if (Object.keys(counts).length) out[rollupId(d)] = counts;
  }
  return out;
}

/** What a full rebuild from the stored events gives (it replaces the rollups: call last). */
async function rebuilt(store: Store): Promise<Record<string, Record<string, number>>> {
  await rebuildRollups(store, { contribution });
  return allRollups(store);
}

const ingestor = (store: Store, more: Partial<IngestorDeps> = {}) => new Ingestor({ store, contribution, instanceId: INSTANCE, ...more });

/** An earlier delivery that completed, its intents cleared. */
async function delivered(store: Store, events: CallEvent[]): Promise<void> {
  const one = ingestor(store);
  await one.ingest(events);
  await one.close();
}

describe.each(stores)('rollups after a crash in a group’s refresh ($name store)', (sut) => {
  let store: Store;
  beforeEach(async () => {
    store = await sut.open();
  });
  afterEach(async () => {
    await store.close();
    await sut.cleanup();
  });

  /** Delivers `before`, dies delivering `batch`, restarts: repair, then the outbox delivers `batch` again. */
  async function crashAndRestart(at: CrashPoint, how: 'throw' | 'hang', calls = 24, nth = 1): Promise<void> {
    const { before, batch } = traffic(calls);
    await delivered(store, before);
    const d = dying(store, at, how, nth);
    const doomed = ingestor(d.store);
    const delivery = doomed.ingest(batch).then(() => doomed.close());
    delivery.catch(() => undefined);
    await d.died;
    store = await sut.reopen(store);
    const restarted = ingestor(store);
    await restarted.repairRollups();
    await restarted.ingest(batch);
    await restarted.close();
    expect(await store.listRollupIntents()).toEqual([]);
  }

  test.each([
    ['intent', 'throw'],
    ['journeys', 'throw'],
    ['journeys', 'hang'],
    ['rollups', 'throw'],
    ['rollups', 'hang'],
    ['clear', 'throw'],
  ] as const)('dies at %s (%s): after the restart, rollups equal a rebuild from the events', async (at, how) => {
    await crashAndRestart(at, how);
    const repaired = await allRollups(store);
    expect(Object.keys(repaired).length).toBeGreaterThan(0);
    expect(repaired).toEqual(await rebuilt(store));
  });

  test('dies in the second group’s rollup write, after the first group completed', async () => {
    await crashAndRestart('rollups', 'throw', 140, 2);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });

  test('without the repair the same crash leaves rollups wrong for good (what the intent is for)', async () => {
    const { before, batch } = traffic(24);
    await delivered(store, before);
    const d = dying(store, 'rollups', 'throw');
    await expect(ingestor(d.store).ingest(batch)).rejects.toThrow('process died');
    store = await sut.reopen(store);
    await delivered(store, batch);
    expect(await store.listRollupIntents()).toHaveLength(1);
    expect(await allRollups(store)).not.toEqual(await rebuilt(store));
  });

  test('a rollup write that fails is paid by the retry in this process, and its intent repaired after', async () => {
    const { before, batch } = traffic(24);
    let failNext = 0;
    const flaky: Store = Object.create(store);
    flaky.applyRollups = async (r) => {
      if (failNext === 1) {
        failNext = 0;
        throw new Error('connection reset');
      }
      if (failNext === 2) {
        // Half the rollups land, then the connection drops: the retry applies the whole delta again.
        failNext = 0;
        await store.applyRollups(r.slice(0, Math.ceil(r.length / 2)));
        throw new Error('connection reset mid-write');
      }
      return store.applyRollups(r);
    };
    const one = ingestor(flaky);
    await one.ingest(before);
    failNext = 1;
    await expect(one.ingest(batch.slice(0, 20))).rejects.toThrow('connection reset');
    // While the retry still owes the delta, its intent is not repaired (that would count it twice).
    expect(await one.repairRollups()).toBeNull();
    await one.ingest(batch.slice(0, 20));
    failNext = 2;
    await expect(one.ingest(batch.slice(20))).rejects.toThrow('mid-write');
    await one.ingest(batch.slice(20));
    expect(await store.listRollupIntents()).toHaveLength(2);
    const report = await one.repairRollups();
    expect(report).toMatchObject({ intents: 2 });
    await one.close();
    expect(await store.listRollupIntents()).toEqual([]);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });

  test('another instance’s group in flight over the same hours: the repair waits, and gives up with a typed error', async () => {
    const { before, batch } = traffic(12);
    await delivered(store, before);
    const d = dying(store, 'rollups', 'throw');
    await expect(ingestor(d.store).ingest(batch)).rejects.toThrow('process died');
    const [left] = await store.listRollupIntents();
    await store.writeRollupIntents([{ id: 'instance-b:1', owner: 'instance-b', at: Date.now(), hours: [left.hours[0]] }], []);
    const sleeps: number[] = [];
    const restarted = ingestor(store, { repair: { maxAttempts: 3, sleep: async (ms) => void sleeps.push(ms) } });
    await expect(restarted.repairRollups()).rejects.toMatchObject({ code: ErrorCodes.ROLLUP_REPAIR_BUSY });
    expect(sleeps).toHaveLength(2);
    expect((await store.listRollupIntents()).map((i) => i.id).sort()).toEqual([left.id, 'instance-b:1'].sort());
    // Instance B finishes its group; the next try repairs.
    await store.writeRollupIntents([], ['instance-b:1']);
    expect(await restarted.repairRollups()).toMatchObject({ intents: 1 });
    await restarted.ingest(batch);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });

  /**
   * The repair's crash window left by instance A, then a repair that meets instance B's whole group
   * (intent, journeys, rollups, clear) between reading the scope's rollups and reading its journeys:
   * what the intents alone cannot see, as B's intent is gone again before the repair checks.
   */
  async function repairMeetingAWholeGroup(): Promise<{ report: unknown; reads: number }> {
    const { before, batch } = traffic(12);
    await delivered(store, before);
    const d = dying(store, 'rollups', 'throw');
    await expect(ingestor(d.store).ingest(batch)).rejects.toThrow('process died');
    const [left] = await store.listRollupIntents();
    const hour = Date.parse(left.hours[0]);
    const theirs = callEvents(sidOf(900), hour + 25 * 60_000, 'k1:caller-b');
    let ranTheirs = false;
    let rollupsRead!: () => void;
    const afterRollupsRead = new Promise<void>((r) => (rollupsRead = r));
    let reads = 0;
    const watched: Store = Object.create(store);
    watched.queryRollups = async (q) => {
      const docs = await store.queryRollups(q);
      rollupsRead();
      return docs;
    };
    watched.listJourneys = async (q) => {
      reads++;
      if (!ranTheirs) {
        ranTheirs = true;
        await afterRollupsRead;
        const b = ingestor(store, { instanceId: 'instance-b' });
        await b.ingest(theirs);
        await b.close();
        expect(await store.listRollupIntents()).toEqual([left]);
      }
      return store.listJourneys(q);
    };
    const report = await ingestor(watched, { repair: { sleep: async () => undefined } }).repairRollups();
    expect(ranTheirs).toBe(true);
    await ingestor(store).ingest(batch);
    return { report, reads };
  }

  test('another instance’s group that starts and ends while the repair reads the same hour is counted once', async () => {
    const { report, reads } = await repairMeetingAWholeGroup();
    expect(report).toMatchObject({ intents: 1 });
    // The hour was read again: its version had moved though no intent was left to see.
    expect(reads).toBeGreaterThan(1);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });

  test('two instances repairing the same hours at once apply each difference once', async () => {
    const { before, batch } = traffic(12);
    await delivered(store, before);
    const gone = dying(store, 'rollups', 'throw');
    await expect(ingestor(gone.store, { instanceId: 'instance-gone', now: () => Date.now() - 2 * 3_600_000 }).ingest(batch)).rejects.toThrow('process died');
    // Both read every scope before either writes: each holds at its claim until the other reached its own.
    const arrived: Array<() => void> = [];
    const barrier = (): Promise<void> =>
      new Promise<void>((r) => {
        arrived.push(r);
        if (arrived.length === 2) arrived.splice(0).forEach((go) => go());
      });
    let claims = 0;
    const held: Store = Object.create(store);
    held.claimRollupScope = async (scope, expected) => {
      if (++claims <= 2) await barrier();
      return store.claimRollupScope(scope, expected);
    };
    const [one, two] = await Promise.all([
      ingestor(held, { instanceId: 'instance-b', repair: { sleep: async () => undefined } }).repairRollups(),
      ingestor(held, { instanceId: 'instance-c', repair: { sleep: (ms) => new Promise((r) => setTimeout(r, ms * 3)) } }).repairRollups(),
    ]);
    expect(claims).toBeGreaterThan(2);
    expect([one, two]).toEqual([expect.objectContaining({ intents: 1 }), expect.objectContaining({ intents: 1 })]);
    expect(await store.listRollupIntents()).toEqual([]);
    await ingestor(store).ingest(batch);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });

  test('an intent another instance left over an hour ago is repaired (that instance is gone); a fresh one is left to its owner', async () => {
    const { before, batch } = traffic(12);
    await delivered(store, before);
    const gone = dying(store, 'rollups', 'throw');
    await expect(ingestor(gone.store, { instanceId: 'instance-gone', now: () => Date.now() - 2 * 3_600_000 }).ingest(batch)).rejects.toThrow('process died');
    await store.writeRollupIntents([{ id: 'instance-c:1', owner: 'instance-c', at: Date.now(), hours: ['2020-01-01T00:00:00.000Z'] }], []);
    expect(await ingestor(store).repairRollups()).toMatchObject({ intents: 1 });
    expect((await store.listRollupIntents()).map((i) => i.id)).toEqual(['instance-c:1']);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
  });
});

describe('what the intents cost on the ingest path', () => {
  test('calls still in progress move no rollups and write no intent; a group of ended calls writes one, its clear rides along with the next', async () => {
    const store = SqliteStore.open(tempDir('callpath-intent-cost-'));
    const writes: { put: number; clear: number }[] = [];
    const counted: Store = Object.create(store);
    counted.writeRollupIntents = async (put, clear) => (writes.push({ put: put.length, clear: clear.length }), store.writeRollupIntents(put, clear));
    const one = new Ingestor({ store: counted, contribution, instanceId: INSTANCE, clearIntentsAfterMs: 60_000 });
    const a = callEvents(sidOf(1), Date.parse('2026-03-02T08:00:00Z'));
    const b = callEvents(sidOf(2), Date.parse('2026-03-02T08:01:00Z'));
    await one.ingest([...a.slice(0, 3), ...b.slice(0, 3)]);
    expect(writes).toEqual([]);
    await one.ingest(a.slice(3));
    await one.ingest(b.slice(3));
    expect(writes).toEqual([{ put: 1, clear: 0 }, { put: 1, clear: 1 }]);
    await one.close();
    expect(writes[2]).toEqual({ put: 0, clear: 1 });
    expect(await store.listRollupIntents()).toEqual([]);
    await store.close();
  });

  test('the rollups applied equal those without intents: the delta is computed once, as before', async () => {
    const store = SqliteStore.open(tempDir('callpath-intent-cost-'));
    const { before, batch } = traffic(100);
    const one = new Ingestor({ store, contribution, instanceId: INSTANCE });
    await one.ingest(before);
    await one.ingest(batch);
    await one.close();
    const applied = await allRollups(store);
    expect(applied).toEqual(await rebuilt(store));
    await store.close();
  });
});



/**
 * The store as one instance uses it, failing a rollup write that moves an hour none of the instance's
 * open intents names: a crash right before it would leave that hour wrong, and no repair would know.
 */
function intentsCoverRollups(store: Store): Store {
  const open = new Map<string, readonly string[]>();
  const checked: Store = Object.create(store);
  checked.writeRollupIntents = async (put, clear) => {
    await store.writeRollupIntents(put, clear);
    for (const id of clear) open.delete(id);
    for (const p of put) open.set(p.id, [...p.hours]);
  };
  checked.applyRollups = async (deltas) => {
    const named = new Set([...open.values()].flat());
    const missed = deltas.filter((d) => grainOfDim(d.dim) === 'hour' && !named.has(d.hour)).map((d) => d.hour);
    if (missed.length) throw new Error(`rollup hours moved without an intent: ${[...new Set(missed)].join(', ')}`);
    return store.applyRollups(deltas);
  };
  return checked;
}

/** Another answer a caller gives after the call: the journey changes again, in the same hours. */
function laterAnswer(callSid: string, question: 'enkelhet' | 'answered' = 'enkelhet'): CallEvent {
  const step = question === 'enkelhet' ? 101 : 102;
  return { id: `${callSid}:s:${step}`, callSid, at: Date.parse('2026-03-03T00:00:00Z') + step, step, seq: 0, type: 'survey.answer', question, value: 1 } as CallEvent;
}

describe('the delta a group applies is the one its intent named', () => {
  const sids = (events: readonly CallEvent[]) => [...new Set(events.map((e) => e.callSid))];

  test('writes lost to another instance are retried: the first attempt’s delta is not applied, the retry’s is', async () => {
    const store = SqliteStore.open(tempDir('callpath-intent-delta-'));
    const { before, batch } = traffic(24);
    await delivered(store, before);
    // A reads its group, then stalls; B meanwhile changes some of those calls, so A's writes of them lose.
    const { slowStore: slow, release, stalled } = stallingFirstRead(intentsCoverRollups(store));
    const a = ingestor(slow);
    const first = a.ingest(batch);
    await stalled;
    const changed = sids(batch).filter((_, i) => i % 4 === 0);
    await delivered(intentsCoverRollups(store), changed.map((s) => laterAnswer(s)));
    // A third delivery's events are stored, not yet projected: A's retry writes those calls again.
    await store.appendEvents(changed.map((s) => laterAnswer(s, 'answered')));
    const written: number[] = [];
    slow.putJourneys = async (w) => (written.push(w.length), store.putJourneys(w));
    release();
    await first;
    await a.close();
    expect(written).toEqual([sids(batch).length, changed.length]);
    expect(await allRollups(store)).toEqual(await rebuilt(store));
    await store.close();
  });

  test('a retry that writes some calls and only pays what the others owed applies both', async () => {
    const store = SqliteStore.open(tempDir('callpath-intent-delta-'));
    const { before, batch } = traffic(24);
    await delivered(store, before);
    let fail = true;
    const flaky = intentsCoverRollups(store);
    const checkedApply = flaky.applyRollups.bind(flaky);
    flaky.applyRollups = async (r) => {
      if (fail) {
        fail = false;
        throw new Error('connection reset');
      }
      return checkedApply(r);
    };
    const one = ingestor(flaky);
    await expect(one.ingest(batch)).rejects.toThrow('connection reset');
    // The redelivery brings one more event for some of the calls: those are written again, the rest only paid.
    await one.ingest([...batch, ...sids(batch).filter((_, i) => i % 3 === 0).map((s) => laterAnswer(s))]);
    await one.close();
    // Compared before any repair of the failed group's intent, which would hide a wrong delta.
    const applied = await allRollups(store);
    expect(applied).toEqual(await rebuilt(store));
    await store.close();
  });
});
