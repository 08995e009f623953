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
