import fs from 'node:fs';
import type { CallEvent } from '../../src/journey/events';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { tempDir } from '../helpers/harness';
import { RecentCalls } from '../../src/store/sqlite/recent-calls';
import { projectJourney } from '../../src/journey/projector';
import { callEvents, sid } from './store-contract';

const T0 = Date.parse('2026-03-02T08:00:00Z');

describe('the SQLite store\'s recent calls', () => {
  test('hold at most their bound, the least recently used leaving first', () => {
    const recent = new RecentCalls(2);
    const [a, b, c] = [sid(), sid(), sid()];
    recent.setEvents(a, callEvents(a, T0));
    recent.setEvents(b, callEvents(b, T0));
    expect(recent.events(a)).toHaveLength(5); // a is now the most recently used
    recent.setEvents(c, callEvents(c, T0));
    expect(recent.events(b)).toBeUndefined();
    expect(recent.events(a)).toHaveLength(5);
    expect(recent.events(c)).toHaveLength(5);
  });

  test('hand out copies in event order, take appended events only for a call held whole, and forget deleted calls', () => {
    const recent = new RecentCalls(10);
    const [a, b] = [sid(), sid()];
    const ev = callEvents(a, T0);
    recent.setEvents(a, ev.slice(0, 3).reverse());
    const got = recent.events(a)!;
    expect(got.map((e) => e.id)).toEqual(ev.slice(0, 3).map((e) => e.id));
    got.push(ev[4]);
    expect(recent.events(a)).toHaveLength(3);
    recent.appended([ev[3], ...callEvents(b, T0)]);
    expect(recent.events(a)).toHaveLength(4);
    expect(recent.events(b)).toBeUndefined();
    recent.setJourney(projectJourney(a, ev));
    expect(recent.journey(a)?.eventCount).toBe(5);
    recent.forget([a]);
    expect(recent.events(a)).toBeUndefined();
    expect(recent.journey(a)).toBeUndefined();
  });
});

describe('the SQLite store holding calls it first stores', () => {
  test('a call with no stored events is held whole from its first append; one stored before is read from the file', async () => {
    const dir = tempDir('callpath-recent-');
    const store = SqliteStore.open(dir);
    try {
      const reads: string[][] = [];
      const table = (store as unknown as { events: { forCalls(s: readonly string[]): Map<string, CallEvent[]> } }).events;
      const forCalls = table.forCalls.bind(table);
      table.forCalls = (sids) => (reads.push([...sids]), forCalls(sids));
      const [fresh, known] = [sid(), sid()];
      await store.appendEvents(callEvents(known, T0).slice(0, 2));
      // Another handle on the file: what the first one does not hold must come from the file.
      const other = SqliteStore.open(dir);
      const late = callEvents(known, T0);
      const second = [...callEvents(fresh, T0), ...late.slice(2)];
      const otherTable = (other as unknown as { events: typeof table }).events;
      const otherForCalls = otherTable.forCalls.bind(otherTable);
      const otherReads: string[][] = [];
      otherTable.forCalls = (sids) => (otherReads.push([...sids]), otherForCalls(sids));
      await other.appendEvents(second);
      const back = await other.eventsForCalls([fresh, known]);
      expect(back.get(fresh)).toEqual(callEvents(fresh, T0));
      expect(back.get(known)).toEqual(late);
      expect(otherReads).toEqual([[known]]);
      await other.close();
      expect(reads).toEqual([]);
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

test('a call first stored has no journey to read: neither getJourneys nor a first conditional write asks the file', async () => {
  const dir = tempDir('callpath-recent-');
  const store = SqliteStore.open(dir);
  try {
    type Journeys = { getMany(s: string[]): Map<string, unknown>; eventCount(s: string): number | null };
    const [fresh, known] = [sid(), sid()];
    const ev = callEvents(known, T0);
    await store.appendEvents(ev.slice(0, 2));
    await store.putJourney(projectJourney(known, ev.slice(0, 2)), null);
    await store.close();

    const again = SqliteStore.open(dir);
    // A new handle holds nothing: what it knows of `known` comes from the file.
    const table = (again as unknown as { journeys: Journeys }).journeys;
    const getMany2 = table.getMany.bind(table);
    const eventCount2 = table.eventCount.bind(table);
    const asked2: string[] = [];
    table.getMany = (sids) => (asked2.push(...sids), getMany2(sids));
    table.eventCount = (s) => (asked2.push(s), eventCount2(s));
    await again.appendEvents([...callEvents(fresh, T0), ...ev.slice(2)]);
    const stored = await again.getJourneys([fresh, known]);
    expect([...stored.keys()]).toEqual([known]);
    expect(asked2).toEqual([known]);
    // The conditional writes hold: none stored for the fresh call, two events for the known one.
    const accepted = await again.putJourneys([
      { journey: projectJourney(fresh, callEvents(fresh, T0)), expectedEventCount: null },
      { journey: projectJourney(known, ev), expectedEventCount: 2 },
    ]);
    expect([...accepted].sort()).toEqual([fresh, known].sort());
    expect(asked2).toEqual([known]);
    expect((await again.getJourney(fresh))?.eventCount).toBe(5);
    await again.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
