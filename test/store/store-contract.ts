import type { CallEvent } from '../../src/journey/events';
import type { Journey } from '../../src/journey/journey';
import { projectJourney } from '../../src/journey/projector';
import type { StoredComment } from '../../src/reception/comments';
import type { NewStoredCallback } from '../../src/store/store';
import type { RollupDelta, Store } from '../../src/store/store';

/**
 * The behaviour every Store must have. Each implementation's test file calls this with a factory;
 * `reopen` (where the store is durable) must return a store over the same data.
 */
export interface StoreFactory {
  name: string;
  open(): Promise<Store>;
  reopen?(previous: Store): Promise<Store>;
  cleanup?(): Promise<void>;
}

let sidCounter = 0;
export function sid(): string {
  return `CA${(++sidCounter).toString(16).padStart(8, '0')}${'0'.repeat(24)}`;
}

const T0 = Date.parse('2026-03-02T08:00:00Z');

export function callEvents(callSid: string, startMs: number, caller = 'k1:abc'): CallEvent[] {
  const base = { callSid, seq: 0 };
  return [
    { ...base, id: `${callSid}:a:0`, at: startMs, step: 0, type: 'call.started', flowId: 'vaxel', flowVersion: 'v1', caller, to: '+46101300000', language: 'sv-SE' },
    { ...base, id: `${callSid}:a:1`, at: startMs, step: 0, seq: 1, type: 'node.entered', nodeId: 'main', nodeType: 'menu' },
    { ...base, id: `${callSid}:b:0`, at: startMs + 4000, step: 1, type: 'input.digits', nodeId: 'main', digits: '1', purpose: 'menu' },
    { ...base, id: `${callSid}:b:1`, at: startMs + 4000, step: 1, seq: 1, type: 'node.entered', nodeId: 'skola', nodeType: 'transfer' },
    { ...base, id: `${callSid}:z:0`, at: startMs + 9000, step: 99, type: 'call.ended', status: 'completed', durationSec: 9 },
  ] as CallEvent[];
}

function journeyOf(events: CallEvent[]): Journey {
  return projectJourney(events[0].callSid, events);
}

export function runStoreContract(factory: StoreFactory): void {
  describe(`Store contract: ${factory.name}`, () => {
    let store: Store;
    beforeEach(async () => {
      store = await factory.open();
    });
    afterEach(async () => {
      await store.close();
      await factory.cleanup?.();
    });

    test('appends events once per id, however often they are delivered', async () => {
      const s = sid();
      const ev = callEvents(s, T0);
      expect(await store.appendEvents(ev)).toBe(5);
      expect(await store.appendEvents(ev)).toBe(0);
      expect(await store.appendEvents([...ev.slice(0, 2), ...ev.slice(0, 2)])).toBe(0);
      const back = await store.eventsForCall(s);
      expect(back.map((e) => e.id)).toEqual(ev.map((e) => e.id));
      expect(back[0]).toMatchObject({ type: 'call.started', flowId: 'vaxel', caller: 'k1:abc' });
    });

    test('a batch with new and known events stores only the new ones', async () => {
      const s = sid();
      const ev = callEvents(s, T0);
      await store.appendEvents(ev.slice(0, 3));
      expect(await store.appendEvents(ev)).toBe(2);
      expect(await store.eventsForCall(s)).toHaveLength(5);
    });

    test('returns a call’s events in the order they happened', async () => {
      const s = sid();
      const ev = callEvents(s, T0);
      await store.appendEvents([...ev].reverse());
      expect((await store.eventsForCall(s)).map((e) => e.id)).toEqual(ev.map((e) => e.id));
      expect(await store.eventsForCall(sid())).toEqual([]);
    });

    test('streams every call’s events for rebuilds', async () => {
      const a = sid();
      const b = sid();
      await store.appendEvents([...callEvents(a, T0), ...callEvents(b, T0 + 1000)]);
      const seen = new Map<string, number>();
      for await (const list of store.eventsByCall()) {
        expect(new Set(list.map((e) => e.callSid)).size).toBe(1);
        seen.set(list[0].callSid, list.length);
      }
      expect(seen.get(a)).toBe(5);
      expect(seen.get(b)).toBe(5);
    });

    test('upserts journeys by callSid', async () => {
      const s = sid();
      const ev = callEvents(s, T0);
      const first = journeyOf(ev.slice(0, 2));
      await store.putJourney(first);
      const full = journeyOf(ev);
      await store.putJourney(full);
      const back = await store.getJourney(s);
      expect(back).toEqual(full);
      expect(await store.getJourney(sid())).toBeNull();
    });

    test('a conditional journey write succeeds only over the version it expects', async () => {
      const s = sid();
      const ev = callEvents(s, T0);
      const two = journeyOf(ev.slice(0, 2));
      const five = journeyOf(ev);
      expect(await store.putJourney(two, null)).toBe(true);
      expect(await store.putJourney(two, null)).toBe(false);
      expect(await store.putJourney(five, 3)).toBe(false);
      expect((await store.getJourney(s))?.eventCount).toBe(2);
      expect(await store.putJourney(five, 2)).toBe(true);
      expect(await store.putJourney(two, 2)).toBe(false);
      expect((await store.getJourney(s))?.eventCount).toBe(5);
    });

    test('conditional journey writes for several calls at once: each stored or refused on its own condition', async () => {
      const [a, b, c] = [sid(), sid(), sid()];
      const ev = { a: callEvents(a, T0), b: callEvents(b, T0), c: callEvents(c, T0) };
      await store.putJourney(journeyOf(ev.b.slice(0, 2)), null);
      await store.putJourney(journeyOf(ev.c.slice(0, 3)), null);
      const accepted = await store.putJourneys([
        { journey: journeyOf(ev.a), expectedEventCount: null }, // nothing stored yet: written
        { journey: journeyOf(ev.b), expectedEventCount: 2 }, // over the version it expects: written
        { journey: journeyOf(ev.c), expectedEventCount: 2 }, // another instance moved it to 3: refused
      ]);
      expect([...accepted].sort()).toEqual([a, b].sort());
      const back = await store.getJourneys([a, b, c, sid()]);
      expect([...back.keys()].sort()).toEqual([a, b, c].sort());
      expect(back.get(a)).toEqual(journeyOf(ev.a));
      expect(back.get(b)?.eventCount).toBe(5);
      expect(back.get(c)?.eventCount).toBe(3);
      expect(await store.putJourneys([])).toEqual(new Set());
      expect(await store.getJourneys([])).toEqual(new Map());
    });

    test('first journey writes of several calls at once: one stored meanwhile by another instance is refused alone and left as it was', async () => {
      const calls = [sid(), sid(), sid(), sid(), sid()];
      const ev = new Map(calls.map((s) => [s, callEvents(s, T0)]));
      // Another instance stored two of them first (the first and the fourth: refusals before and after accepted writes).
      const theirs = [calls[0], calls[3]];
      for (const s of theirs) await store.putJourney(journeyOf(ev.get(s)!.slice(0, 3)), null);
      const accepted = await store.putJourneys(calls.map((s) => ({ journey: journeyOf(ev.get(s)!), expectedEventCount: null })));
      expect([...accepted].sort()).toEqual(calls.filter((s) => !theirs.includes(s)).sort());
      const back = await store.getJourneys(calls);
      for (const s of calls) expect(back.get(s)).toEqual(journeyOf(theirs.includes(s) ? ev.get(s)!.slice(0, 3) : ev.get(s)!));
      // All refused: nothing written, nothing thrown.
      expect(await store.putJourneys(theirs.map((s) => ({ journey: journeyOf(ev.get(s)!), expectedEventCount: null })))).toEqual(new Set());
    });

    test('a conditional journey write over a journey deleted meanwhile is refused and writes nothing back', async () => {
      const [a, b] = [sid(), sid()];
      const ev = { a: callEvents(a, T0), b: callEvents(b, T0) };
      await store.putJourney(journeyOf(ev.a.slice(0, 2)), null);
      await store.putJourney(journeyOf(ev.b.slice(0, 2)), null);
      await store.deleteCalls([a]);
      const accepted = await store.putJourneys([
        { journey: journeyOf(ev.a), expectedEventCount: 2 },
        { journey: journeyOf(ev.b), expectedEventCount: 2 },
      ]);
      expect([...accepted]).toEqual([b]);
      expect(await store.getJourney(a)).toBeNull();
    });

    test('events of several calls at once, each call in order, calls without events absent', async () => {
      const [a, b] = [sid(), sid()];
      const ea = callEvents(a, T0);
      const eb = callEvents(b, T0 + 5000);
      // Stored out of order and interleaved: the answer must put each call back in its order.
      await store.appendEvents([eb[3], ea[4], ea[0], eb[0], ...ea.slice(1, 4), ...eb.slice(1, 3), eb[4]]);
      const got = await store.eventsForCalls([a, b, sid()]);
      expect([...got.keys()].sort()).toEqual([a, b].sort());
      expect(got.get(a)).toEqual(await store.eventsForCall(a));
      expect(got.get(a)!.map((e) => e.id)).toEqual(ea.map((e) => e.id));
      expect(got.get(b)!.map((e) => e.id)).toEqual(eb.map((e) => e.id));
      expect(await store.eventsForCalls([])).toEqual(new Map());
    });

    test('lists journeys newest first, filtered by time and flow, paged by cursor', async () => {
      const sids: string[] = [];
      for (let i = 0; i < 5; i++) {
        const s = sid();
        sids.push(s);
        await store.putJourney(journeyOf(callEvents(s, T0 + i * 60_000)));
      }
      const all = await store.listJourneys({ limit: 10 });
      const mine = all.filter((j) => sids.includes(j.callSid));
      expect(mine.map((j) => j.callSid)).toEqual([...sids].reverse());
      const ranged = await store.listJourneys({ from: new Date(T0 + 60_000).toISOString(), to: new Date(T0 + 3 * 60_000).toISOString() });
      expect(ranged.map((j) => j.callSid)).toEqual([sids[2], sids[1]]);
      expect(await store.listJourneys({ flowId: 'other' })).toEqual([]);
      const page1 = await store.listJourneys({ limit: 2, from: new Date(T0).toISOString(), to: new Date(T0 + 10 * 60_000).toISOString() });
      const last = page1[1];
      const page2 = await store.listJourneys({ limit: 2, from: new Date(T0).toISOString(), to: new Date(T0 + 10 * 60_000).toISOString(), before: { startedAt: last.startedAt!, callSid: last.callSid } });
      expect([...page1, ...page2].map((j) => j.callSid)).toEqual([sids[4], sids[3], sids[2], sids[1]]);
    });

    test('finds the journeys of one pseudonymised caller', async () => {
      const a = sid();
      const b = sid();
      await store.putJourney(journeyOf(callEvents(a, T0, 'k1:caller-one')));
      await store.putJourney(journeyOf(callEvents(b, T0, 'k1:caller-two')));
      expect((await store.journeysOfCaller('k1:caller-one')).map((j) => j.callSid)).toEqual([a]);
    });

    test('finds the journeys of several callers started since a time, in one request', async () => {
      const [a, b, c, d] = [sid(), sid(), sid(), sid()];
      await store.putJourney(journeyOf(callEvents(a, T0, 'k1:caller-one')));
      await store.putJourney(journeyOf(callEvents(b, T0 + 3_600_000, 'k1:caller-one')));
      await store.putJourney(journeyOf(callEvents(c, T0 + 3_600_000, 'k1:caller-two')));
      await store.putJourney(journeyOf(callEvents(d, T0 + 3_600_000, 'k1:caller-three')));
      const since = new Date(T0 + 60_000).toISOString();
      const found = await store.journeysOfCallers(['k1:caller-one', 'k1:caller-two'], since);
      expect(found.map((j) => j.callSid).sort()).toEqual([b, c].sort());
      expect((await store.journeysOfCallers(['k1:caller-one'], new Date(T0).toISOString())).map((j) => j.callSid).sort()).toEqual([a, b].sort());
      expect(await store.journeysOfCallers([], since)).toEqual([]);
    });

    test('adds rollup deltas, including negative ones, and queries by hour range, flow, version and dimension', async () => {
      const h8 = '2026-03-02T08:00:00.000Z';
      const h9 = '2026-03-02T09:00:00.000Z';
      const d = (hour: string, dim: string, counts: Record<string, number>, flowVersion = 'v1'): RollupDelta => ({ flowId: 'vaxel', flowVersion, hour, dim, counts });
      await store.applyRollups([d(h8, 'call', { calls: 1, 'tth:12': 1 }), d(h9, 'call', { calls: 2 }), d(h8, 'node:main', { entries: 3 })]);
      await store.applyRollups([d(h8, 'call', { calls: 1, 'tth:12': -1, 'tth:13': 1 }), d(h8, 'call', { calls: 1 }, 'v2')]);
      const h8docs = await store.queryRollups({ from: h8, to: h9, flowId: 'vaxel', flowVersions: ['v1'], dimPrefix: 'call' });
      expect(h8docs).toHaveLength(1);
      expect(h8docs[0]).toMatchObject({ flowId: 'vaxel', flowVersion: 'v1', hour: h8, dim: 'call' });
      expect(h8docs[0].counts.calls).toBe(2);
      expect(h8docs[0].counts['tth:13']).toBe(1);
      expect(h8docs[0].counts['tth:12'] ?? 0).toBe(0);
      const both = await store.queryRollups({ from: h8, to: '2026-03-02T10:00:00.000Z' });
      expect(both).toHaveLength(4);
      const nodeDocs = await store.queryRollups({ from: h8, to: h9, dimPrefix: 'node:' });
      expect(nodeDocs.map((x) => x.counts.entries)).toEqual([3]);
      // Many updates of existing rollups at once (a busy hour's journeys in one delivery).
      const many = Array.from({ length: 240 }, (_, i) => d(h8, `node:n${i % 120}`, { entries: 1 }));
      await store.applyRollups(many);
      await store.applyRollups(many);
      const nodes = await store.queryRollups({ from: h8, to: h9, dimPrefix: 'node:n' });
      expect(nodes).toHaveLength(120);
      expect(nodes.every((x) => x.counts.entries === 4)).toBe(true);
      await store.clearRollups();
      expect(await store.queryRollups({ from: h8, to: '2026-03-03T00:00:00.000Z' })).toEqual([]);
    });

    test('queries rollups of every grain by hour range, and of one grain or dimension family by prefix', async () => {
      const d = (hour: string, dim: string, calls: number): RollupDelta => ({ flowId: 'vaxel', flowVersion: 'v1', hour, dim, counts: { calls } });
      const day = '2026-03-02T00:00:00.000Z';
      const h8 = '2026-03-02T08:00:00.000Z';
      const month = '2026-03-01T00:00:00.000Z';
      await store.applyRollups([d(h8, 'call', 1), d(h8, 'node:main', 2), d(h8, 'nodeX', 7), d(day, 'd/call', 3), d(day, 'd/node:main', 4), d(month, 'm/call', 5)]);
      const dims = (docs: { dim: string }[]) => docs.map((x) => x.dim).sort();
      expect(dims(await store.queryRollups({ from: month, to: '2026-03-03T00:00:00.000Z' }))).toEqual(['call', 'd/call', 'd/node:main', 'm/call', 'node:main', 'nodeX']);
      expect(dims(await store.queryRollups({ from: day, to: '2026-03-03T00:00:00.000Z', dimPrefix: 'd/' }))).toEqual(['d/call', 'd/node:main']);
      expect(dims(await store.queryRollups({ from: month, to: '2026-04-01T00:00:00.000Z', dimPrefix: 'm/' }))).toEqual(['m/call']);
      expect(dims(await store.queryRollups({ from: day, to: '2026-03-03T00:00:00.000Z', dimPrefix: 'node' }))).toEqual(['node:main', 'nodeX']);
      expect(dims(await store.queryRollups({ from: day, to: '2026-03-03T00:00:00.000Z', dimPrefix: 'node:' }))).toEqual(['node:main']);
      expect(dims(await store.queryRollups({ from: '2026-03-02T09:00:00.000Z', to: '2026-03-03T00:00:00.000Z', dimPrefix: 'node:' }))).toEqual([]);
    });

    test('keeps each flow version once, as first archived, and lists them by flow', async () => {
      const v = (flowId: string, version: string, at: string, greeting = 'Välkommen') => ({ flowId, version, source: `/flows/${flowId}.yaml`, flow: { id: flowId, greeting, nodes: { main: { type: 'menu' } } }, archivedAt: at });
      expect(await store.listFlowVersions()).toEqual([]);
      expect(await store.archiveFlowVersions([v('vaxel', 'a1', '2026-03-01T08:00:00.000Z'), v('skola', 's1', '2026-03-01T09:00:00.000Z')])).toBe(2);
      // The same version again (a restart, another instance) changes nothing, even with other fields.
      expect(await store.archiveFlowVersions([v('vaxel', 'a1', '2026-03-05T08:00:00.000Z', 'Hej'), v('vaxel', 'b2', '2026-03-02T08:00:00.000Z')])).toBe(1);
      expect(await store.archiveFlowVersions([])).toBe(0);
      expect(await store.listFlowVersions()).toEqual([v('skola', 's1', '2026-03-01T09:00:00.000Z'), v('vaxel', 'a1', '2026-03-01T08:00:00.000Z'), v('vaxel', 'b2', '2026-03-02T08:00:00.000Z')]);
    });

    test('keeps one absence notice per person: set, replaced whole, listed by person, removed', async () => {
      const anna = { person: '+46101304711', reason: 'other' as const, until: '2026-03-02T13:00:00.000Z', text: 'På utbildning', setBy: 'user:reception@kommun.se', setAt: '2026-03-02T08:00:00.000Z' };
      const johan = { person: '+46101304712', reason: 'leave' as const, until: null, setBy: 'user:johan@kommun.se', setAt: '2026-03-02T08:01:00.000Z' };
      expect(await store.listNotices()).toEqual([]);
      await store.putNotice(johan);
      await store.putNotice(anna);
      expect(await store.listNotices()).toEqual([anna, johan]);
      // Set again without a text: the old text must not linger.
      const again = { person: anna.person, reason: 'meeting' as const, until: '2026-03-02T14:00:00.000Z', setBy: 'user:anna@kommun.se', setAt: '2026-03-02T09:00:00.000Z' };
      await store.putNotice(again);
      expect(await store.listNotices()).toEqual([again, johan]);
      expect(await store.deleteNotice(johan.person)).toBe(true);
      expect(await store.deleteNotice(johan.person)).toBe(false);
      expect(await store.listNotices()).toEqual([again]);
    });

    test('records rollup intents, replaces one by id, clears several, and does both in one write', async () => {
      const h = (n: number) => new Date(T0 + n * 3_600_000).toISOString();
      const a = { id: 'i1:a', owner: 'i1', at: T0, hours: [h(0)] };
      const b = { id: 'i1:b', owner: 'i1', at: T0 + 1, hours: [h(0), h(1)] };
      const c = { id: 'i2:c', owner: 'i2', at: T0 + 2, hours: [h(2)] };
      expect(await store.listRollupIntents()).toEqual([]);
      await store.writeRollupIntents([a], []);
      await store.writeRollupIntents([b], []);
      await store.writeRollupIntents([c], ['unknown-id']);
      const byId = (xs: { id: string }[]) => [...xs].sort((x, y) => (x.id < y.id ? -1 : 1));
      expect(byId(await store.listRollupIntents())).toEqual([a, b, c]);
      // A group that needs more hours on a retry rewrites its intent under the same id.
      const wider = { ...a, hours: [h(0), h(3)] };
      await store.writeRollupIntents([wider], []);
      expect(byId(await store.listRollupIntents())).toEqual([wider, b, c]);
      // The next group's intent carries the clears of the groups before it.
      const d = { id: 'i1:d', owner: 'i1', at: T0 + 3, hours: [h(4)] };
      await store.writeRollupIntents([d], ['i1:a', 'i1:b']);
      expect(byId(await store.listRollupIntents())).toEqual([d, c]);
      await store.writeRollupIntents([], ['i2:c', 'i1:d']);
      await store.writeRollupIntents([], []);
      expect(await store.listRollupIntents()).toEqual([]);
    });

    test('an intent bumps the versions of its hours, their days and months, once per write; a claim is a compare-and-set', async () => {
      // Two hours of one day and one of the next month's first day.
      const [h1, h2, h3] = ['2026-03-31T08:00:00.000Z', '2026-03-31T09:00:00.000Z', '2026-04-01T00:00:00.000Z'];
      const scopes = ['hour:' + h1, 'hour:' + h2, 'hour:' + h3, 'day:2026-03-31T00:00:00.000Z', 'day:2026-04-01T00:00:00.000Z', 'month:2026-03-01T00:00:00.000Z', 'month:2026-04-01T00:00:00.000Z'];
      const versions = async () => Object.fromEntries(await store.rollupScopeVersions(scopes));
      expect(Object.values(await versions())).toEqual([0, 0, 0, 0, 0, 0, 0]);
      await store.writeRollupIntents([{ id: 'v:a', owner: 'v', at: T0, hours: [h1, h2] }], []);
      expect(Object.values(await versions())).toEqual([1, 1, 0, 1, 0, 1, 0]);
      // Two intents of one write that share a day bump it once; a clear alone bumps nothing.
      await store.writeRollupIntents([{ id: 'v:b', owner: 'v', at: T0, hours: [h2] }, { id: 'v:c', owner: 'v', at: T0, hours: [h2, h3] }], ['v:a']);
      await store.writeRollupIntents([], ['v:b', 'v:c']);
      expect(Object.values(await versions())).toEqual([1, 2, 1, 2, 1, 2, 1]);
      // The versions are no intents.
      expect(await store.listRollupIntents()).toEqual([]);
      expect(await store.claimRollupScope('day:2026-03-31T00:00:00.000Z', 1)).toBe(false);
      expect(await store.claimRollupScope('day:2026-03-31T00:00:00.000Z', 2)).toBe(true);
      expect(await store.claimRollupScope('day:2026-03-31T00:00:00.000Z', 2)).toBe(false);
      expect(await store.claimRollupScope('hour:2020-01-01T00:00:00.000Z', 0)).toBe(false);
      expect((await store.rollupScopeVersions(['day:2026-03-31T00:00:00.000Z'])).get('day:2026-03-31T00:00:00.000Z')).toBe(3);
    });

    test('deletes calls that started before the retention cutoff, with their events', async () => {
      const old = sid();
      const recent = sid();
      await store.appendEvents([...callEvents(old, T0 - 400 * 86_400_000), ...callEvents(recent, T0)]);
      await store.putJourney(journeyOf(callEvents(old, T0 - 400 * 86_400_000)));
      await store.putJourney(journeyOf(callEvents(recent, T0)));
      const removed = await store.deleteCallsBefore(new Date(T0 - 365 * 86_400_000).toISOString());
      expect(removed).toEqual({ journeys: 1, events: 5 });
      expect(await store.getJourney(old)).toBeNull();
      expect(await store.eventsForCall(old)).toEqual([]);
      expect(await store.getJourney(recent)).not.toBeNull();
      expect(await store.eventsForCall(recent)).toHaveLength(5);
      // A deleted event id may be stored again (e.g. a late redelivery): it is a new record then.
      expect(await store.appendEvents(callEvents(old, T0 - 400 * 86_400_000).slice(0, 1))).toBe(1);
    });

    test('retention deletes a call with no start time once its latest event is past the cutoff, and one with no events left', async () => {
      const DAY = 86_400_000;
      const old = T0 - 400 * DAY;
      // Its call.started lost: the rest of the call, all long ago.
      const lostStart = sid();
      // Only a late status callback, stored after its call had been erased.
      const lateEnd = sid();
      // No start time either, begun long ago but with an event inside the retention period.
      const stillActive = sid();
      // No start time, recent.
      const recent = sid();
      // A journey whose events are gone (nothing in it is an event time).
      const empty = sid();
      const calls: [string, CallEvent[]][] = [
        [lostStart, callEvents(lostStart, old).slice(1)],
        [lateEnd, callEvents(lateEnd, old).slice(4)],
        [stillActive, [...callEvents(stillActive, old).slice(1, 3), ...callEvents(stillActive, T0).slice(4)]],
        [recent, callEvents(recent, T0).slice(1)],
      ];
      for (const [s, events] of calls) {
        await store.appendEvents(events);
        await store.putJourney(projectJourney(s, events));
        expect((await store.getJourney(s))?.startedAt).toBeNull();
      }
      await store.putJourney(projectJourney(empty, []));
      const removed = await store.deleteCallsBefore(new Date(T0 - 365 * DAY).toISOString());
      expect(removed).toEqual({ journeys: 3, events: 5 });
      for (const s of [lostStart, lateEnd, empty]) {
        expect(await store.getJourney(s)).toBeNull();
        expect(await store.eventsForCall(s)).toEqual([]);
      }
      expect(await store.eventsForCall(stillActive)).toHaveLength(3);
      expect(await store.getJourney(stillActive)).not.toBeNull();
      expect(await store.eventsForCall(recent)).toHaveLength(4);
      expect(await store.getJourney(recent)).not.toBeNull();
    });

    test('erases named calls with their events, leaving others', async () => {
      const a = sid();
      const b = sid();
      await store.appendEvents([...callEvents(a, T0), ...callEvents(b, T0)]);
      await store.putJourney(journeyOf(callEvents(a, T0)));
      await store.putJourney(journeyOf(callEvents(b, T0)));
      expect(await store.deleteCalls([a, sid()])).toEqual({ journeys: 1, events: 5 });
      expect(await store.getJourney(a)).toBeNull();
      expect(await store.eventsForCall(a)).toEqual([]);
      expect(await store.eventsForCall(b)).toHaveLength(5);
    });

    const comment = (callSid: string, at: string, text: string, extra: Partial<StoredComment> = {}): StoredComment => ({
      id: `${callSid}:c:${at}`,
      callSid,
      at,
      text,
      confidence: 0.9,
      language: 'sv-SE',
      flowId: 'vaxel',
      ...extra,
    });

    test('keeps spoken comments once per id, reads them by call and lists them newest first with filters and pages', async () => {
      const [a, b, c] = [sid(), sid(), sid()];
      const ca = comment(a, '2026-03-02T08:10:00.000Z', 'Bra bemötande i växeln.');
      const cb = comment(b, '2026-03-02T09:10:00.000Z', 'Det tog lång tid, ingen svarade på bygglov.', { confidence: null, language: 'en-GB' });
      const cb2 = comment(b, '2026-03-02T09:10:00.000Z', 'Samma tid, annat id.', { id: `${b}:c:z` });
      const cc = comment(c, '2026-03-03T10:00:00.000Z', 'Skolan svarade direkt.', { flowId: 'skola' });
      await store.putComments([ca, cb, cb2, cc]);
      // A redelivery changes nothing, even with other words.
      await store.putComments([{ ...ca, text: 'ändrad' }]);
      await store.putComments([]);
      expect(await store.commentsOf([a, b, sid()])).toEqual([ca, cb, cb2]);
      expect(await store.commentsOf([])).toEqual([]);
      expect(await store.listComments({})).toEqual([cc, cb2, cb, ca]);
      expect(await store.listComments({ from: '2026-03-02T09:00:00.000Z', to: '2026-03-03T00:00:00.000Z' })).toEqual([cb2, cb]);
      expect(await store.listComments({ flowId: 'vaxel' })).toEqual([cb2, cb, ca]);
      const first = await store.listComments({ limit: 2 });
      expect(first).toEqual([cc, cb2]);
      expect(await store.listComments({ limit: 2, before: { at: first[1].at, id: first[1].id } })).toEqual([cb, ca]);
      expect(await store.listComments({ flowId: 'vaxel', from: '2026-03-02T08:00:00.000Z', before: { at: cb.at, id: cb.id } })).toEqual([ca]);
    });

    test('comments go with their calls (erasure, retention) and on their own shorter retention, leaving the calls', async () => {
      const DAY = 86_400_000;
      const [erased, old, recent] = [sid(), sid(), sid()];
      for (const [s, start] of [[erased, T0], [old, T0 - 400 * DAY], [recent, T0]] as const) {
        await store.appendEvents(callEvents(s, start));
        await store.putJourney(journeyOf(callEvents(s, start)));
        await store.putComments([comment(s, new Date(start + 5000).toISOString(), `Kommentar om ${s}`)]);
      }
      const olderComment = comment(recent, new Date(T0 - 100 * DAY).toISOString(), 'En gammal kommentar', { id: `${recent}:old` });
      await store.putComments([olderComment]);
      await store.deleteCalls([erased]);
      expect(await store.commentsOf([erased])).toEqual([]);
      await store.deleteCallsBefore(new Date(T0 - 365 * DAY).toISOString());
      expect(await store.commentsOf([old])).toEqual([]);
      expect(await store.commentsOf([recent])).toHaveLength(2);
      // Comments' own retention: 90 days here; the call and its newer comment stay.
      expect(await store.deleteCommentsBefore(new Date(T0 - 90 * DAY).toISOString())).toBe(1);
      expect((await store.commentsOf([recent])).map((c) => c.text)).toEqual([`Kommentar om ${recent}`]);
      expect(await store.getJourney(recent)).not.toBeNull();
      expect(await store.eventsForCall(recent)).toHaveLength(5);
      expect(await store.deleteCommentsBefore(new Date(T0 - 90 * DAY).toISOString())).toBe(0);
    });

    const newCallback = (callSid: string, requestedAt: string, extra: Partial<NewStoredCallback> = {}): NewStoredCallback => ({
      id: `${callSid}:cb`,
      callSid,
      flowId: 'vaxel',
      caller: 'k1:abc',
      nodeId: 'callback',
      target: '4711',
      targetKind: 'person',
      source: 'caller',
      language: 'sv-SE',
      requestedAt,
      deadline: new Date(Date.parse(requestedAt) + 4 * 3_600_000).toISOString(),
      expires: new Date(Date.parse(requestedAt) + 5 * 86_400_000).toISOString(),
      sealed: 'k1.c2VhbGVk',
      ...extra,
    });

    test('keeps callbacks once per id, changes only open ones with a history, lists them by state', async () => {
      const [a, b] = [sid(), sid()];
      const at = new Date(T0).toISOString();
      await store.putCallbacks([newCallback(a, at), newCallback(b, new Date(T0 + 1000).toISOString(), { source: 'keyed', target: null, targetKind: null })]);
      await store.putCallbacks([newCallback(a, at, { sealed: 'k1.b3RoZXI' })]);
      const got = await store.getCallback(`${a}:cb`);
      expect(got).toMatchObject({ callSid: a, sealed: 'k1.c2VhbGVk', state: 'open', assignedTo: null, tries: 0, closedAt: null, history: [], caller: 'k1:abc' });
      expect(await store.getCallback('nope')).toBeNull();

      const assigned = await store.changeCallback(`${a}:cb`, { at: new Date(T0 + 60_000).toISOString(), action: 'assigned', by: 'r@kommun.se', assignedTo: 'k@kommun.se' });
      expect(assigned).toMatchObject({ assignedTo: 'k@kommun.se', state: 'open' });
      await store.changeCallback(`${a}:cb`, { at: new Date(T0 + 120_000).toISOString(), action: 'tried', by: 'k@kommun.se', note: 'Inget svar' });
      const done = await store.changeCallback(`${a}:cb`, { at: new Date(T0 + 180_000).toISOString(), action: 'done', by: 'k@kommun.se' });
      expect(done).toMatchObject({ state: 'done', tries: 1, closedAt: new Date(T0 + 180_000).toISOString() });
      expect(await store.changeCallback(`${a}:cb`, { at: new Date(T0 + 240_000).toISOString(), action: 'done', by: 'k@kommun.se' })).toBeNull();
      // A redelivery leaves reception's work as it is.
      await store.putCallbacks([newCallback(a, at)]);
      const back = await store.getCallback(`${a}:cb`);
      expect(back!.history).toEqual([
        { at: new Date(T0 + 60_000).toISOString(), action: 'assigned', by: 'r@kommun.se', assignedTo: 'k@kommun.se' },
        { at: new Date(T0 + 120_000).toISOString(), action: 'tried', by: 'k@kommun.se', note: 'Inget svar' },
        { at: new Date(T0 + 180_000).toISOString(), action: 'done', by: 'k@kommun.se' },
      ]);
      expect((await store.listCallbacks({ states: ['open'] })).map((c) => c.callSid)).toEqual([b]);
      expect((await store.listCallbacks({ states: ['done'] })).map((c) => c.callSid)).toEqual([a]);
      expect((await store.listCallbacks({})).map((c) => c.callSid)).toEqual([a, b]);
      expect((await store.callbacksOf([b])).map((c) => c.source)).toEqual(['keyed']);
    });

    test('callbacks expire, are deleted after their retention once closed, and go with their calls', async () => {
      const DAY = 86_400_000;
      const [erased, expiring, kept] = [sid(), sid(), sid()];
      for (const s of [erased, expiring, kept]) {
        await store.appendEvents(callEvents(s, T0));
        await store.putJourney(journeyOf(callEvents(s, T0)));
      }
      await store.putCallbacks([newCallback(erased, new Date(T0).toISOString()), newCallback(expiring, new Date(T0).toISOString()), newCallback(kept, new Date(T0 + 6 * DAY).toISOString())]);
      await store.deleteCalls([erased]);
      expect(await store.callbacksOf([erased])).toEqual([]);
      const expired = await store.expireCallbacks(new Date(T0 + 5 * DAY).toISOString());
      expect(expired.map((c) => c.callSid)).toEqual([expiring]);
      expect(expired[0]).toMatchObject({ state: 'expired', history: [{ action: 'expired', by: null }] });
      expect(await store.expireCallbacks(new Date(T0 + 5 * DAY).toISOString())).toEqual([]);
      expect(await store.deleteCallbacksClosedBefore(new Date(T0 + 5 * DAY).toISOString())).toBe(0);
      expect(await store.deleteCallbacksClosedBefore(new Date(T0 + 36 * DAY).toISOString())).toBe(1);
      expect(await store.getCallback(`${expiring}:cb`)).toBeNull();
      // Open ones stay, whatever their age.
      expect(await store.getCallback(`${kept}:cb`)).not.toBeNull();
      expect(await store.getJourney(expiring)).not.toBeNull();
    });

    if (factory.reopen) {
      test('keeps everything across a restart', async () => {
        const s = sid();
        const ev = callEvents(s, T0);
        await store.appendEvents(ev);
        await store.putJourney(journeyOf(ev));
        await store.applyRollups([{ flowId: 'vaxel', flowVersion: 'v1', hour: '2026-03-02T08:00:00.000Z', dim: 'call', counts: { calls: 7 } }]);
        const left = { id: 'i1:left', owner: 'i1', at: T0, hours: ['2026-03-02T08:00:00.000Z'] };
        await store.writeRollupIntents([left, { ...left, id: 'i1:cleared' }], []);
        await store.writeRollupIntents([], ['i1:cleared']);
        const notice = { person: '+46101304711', reason: 'meeting' as const, until: '2026-03-02T13:00:00.000Z', setBy: 'user:reception@kommun.se', setAt: '2026-03-02T08:00:00.000Z' };
        await store.putNotice(notice);
        store = await factory.reopen!(store);
        expect(await store.listNotices()).toEqual([notice]);
        expect(await store.listRollupIntents()).toEqual([left]);
        expect(await store.eventsForCall(s)).toHaveLength(5);
        expect(await store.appendEvents(ev)).toBe(0);
        expect((await store.getJourney(s))?.callSid).toBe(s);
        const r = await store.queryRollups({ from: '2026-03-02T08:00:00.000Z', to: '2026-03-02T09:00:00.000Z', dimPrefix: 'call' });
        expect(r.map((x) => x.counts.calls)).toEqual([7]);
      });

      test('a deletion holds across a restart; an event of the deleted call stored afterwards is kept across it too', async () => {
        const [gone, late, kept] = [sid(), sid(), sid()];
        for (const s of [gone, late, kept]) {
          await store.appendEvents(callEvents(s, T0));
          await store.putJourney(journeyOf(callEvents(s, T0)));
        }
        await store.putComments([comment(gone, '2026-03-02T08:01:00.000Z', 'Borta efter radering'), comment(kept, '2026-03-02T08:01:00.000Z', 'Kvar')]);
        await store.deleteCalls([gone, late]);
        const lateEnd = callEvents(late, T0).slice(4);
        await store.appendEvents(lateEnd);
        store = await factory.reopen!(store);
        expect(await store.commentsOf([gone])).toEqual([]);
        expect(await store.getJourney(gone)).toBeNull();
        expect(await store.eventsForCall(gone)).toEqual([]);
        expect(await store.getJourney(late)).toBeNull();
        expect(await store.eventsForCall(late)).toEqual(lateEnd);
        expect(await store.eventsForCall(kept)).toHaveLength(5);
        expect((await store.commentsOf([kept])).map((c) => c.text)).toEqual(['Kvar']);
        expect(await store.getJourney(kept)).toEqual(journeyOf(callEvents(kept, T0)));
      });
    }
  });
}
