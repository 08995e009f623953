/**
 * matches (src/flow/replay/cheapest.ts): whether a dial in a flow serves an attempt of the intent. Any
 * operator serves a caller who wanted the operator; otherwise the same number, or the same kind and id.
 */
import { matches } from '../../../src/flow/replay/cheapest';

const skola = { kind: 'department' as const, id: 'skola', number: '+46101300210' };

describe('matches: the same person or department', () => {
  test('any operator serves a caller who wanted the operator, whatever its id or number', () => {
    expect(matches({ kind: 'operator', target: 'operator', outcome: 'answered' }, { kind: 'operator', id: 'vaxeln', number: '+46101300999' })).toBe(true);
  });

  test('a department does not serve a caller who wanted the operator, even on the operator number', () => {
    expect(matches({ kind: 'operator', target: 'operator', number: '+46101300210', outcome: 'answered' }, skola)).toBe(false);
  });

  test('the same kind and id, without a number', () => {
    expect(matches({ kind: 'department', target: 'skola', outcome: 'answered' }, skola)).toBe(true);
  });

  test('the same kind and id, though the number changed', () => {
    expect(matches({ kind: 'department', target: 'skola', number: '+46101300299', outcome: 'answered' }, skola)).toBe(true);
  });

  test('the same number under another id (a renamed target)', () => {
    expect(matches({ kind: 'department', target: 'skolan', number: '+46101300210', outcome: 'answered' }, skola)).toBe(true);
  });

  test('the same number under another kind', () => {
    expect(matches({ kind: 'person', target: '4711', number: '+46101300210', outcome: 'answered' }, skola)).toBe(true);
  });

  test('another id of the same kind, with another number or none', () => {
    expect(matches({ kind: 'department', target: 'omsorg', outcome: 'answered' }, skola)).toBe(false);
    expect(matches({ kind: 'department', target: 'omsorg', number: '+46101300220', outcome: 'answered' }, skola)).toBe(false);
  });

  test('the same id under another kind', () => {
    expect(matches({ kind: 'person', target: 'skola', outcome: 'answered' }, skola)).toBe(false);
  });

  test('an operator dial does not serve a department of the same id', () => {
    expect(matches({ kind: 'department', target: 'operator', outcome: 'answered' }, { kind: 'operator', id: 'operator', number: '+46101300100' })).toBe(false);
  });
});
