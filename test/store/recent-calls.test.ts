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
