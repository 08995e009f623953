import { compareEvents, inEventOrder, type CallEvent } from '../../src/journey/events';

/** The order the projector folds a call's events in (issue 24: mutants in src/journey/events.ts). */
const T0 = Date.parse('2026-03-02T08:00:00Z');
const ev = (id: string, sec: number, step: number, seq: number): CallEvent =>
  ({ type: 'input.timeout', nodeId: 'main', id, callSid: 'CA1', at: T0 + sec * 1000, step, seq }) as CallEvent;

describe('the order of a call’s events', () => {
  test('time first: a callback with an older step that happened later comes later', () => {
    const later = ev('leg', 30, 2, 0);
    const earlier = ev('key', 10, 3, 0);
    expect(compareEvents(later, earlier)).toBeGreaterThan(0);
    expect(inEventOrder([later, earlier]).map((e) => e.id)).toEqual(['key', 'leg']);
  });

  test('within one time, the step; within one step, the position in the request', () => {
    const list = [ev('c', 5, 2, 0), ev('b', 5, 1, 1), ev('a', 5, 1, 0)];
    expect(inEventOrder(list).map((e) => e.id)).toEqual(['a', 'b', 'c']);
  });

  test('a list already in order, ties included, is returned as it is, not copied', () => {
    const list = [ev('a', 1, 0, 0), ev('b', 2, 0, 0), ev('b-again', 2, 0, 0), ev('c', 3, 1, 0)];
    expect(inEventOrder(list)).toBe(list);
  });

  test('a list out of order is sorted into a copy, leaving the given list as it was', () => {
    const list = [ev('b', 2, 0, 0), ev('a', 1, 0, 0)];
    const ordered = inEventOrder(list);
    expect(ordered).not.toBe(list);
    expect(list.map((e) => e.id)).toEqual(['b', 'a']);
  });
});
