/**
 * The facts the rules share (src/flow/lint/analysis.ts): which nodes a caller reaches from start,
 * from which the call can still end well (a person, the operator, or words before the end, also
 * through the nodes before them), which nodes hang up without a word, and the file order of nodes.
 */
import { analyse, inFileOrder, isSilentEnd } from '../../../src/flow/lint/analysis';
import { deadEnds } from '../../../src/flow/lint/rules/structure';
import { FILE, analysisOf, graphOf, type Raw } from './flows';

/**
 * Besides base(): a menu that leads only back to itself, a silent hang-up, an hours check whose closed
 * route says something before that hang-up (and a message leading to it), one whose closed route
 * speaks but leads to the menu, and a node no route reaches.
 */
const ends = (f: Raw) => {
  f.nodes.main.prompt = 'Tryck 1, 2, 3 eller 4. För växeln, tryck 0.';
  Object.assign(f.nodes.main.routes, { '2': 'trap', '3': 'pre', '4': 'late_say' });
  Object.assign(f.nodes, {
    trap: { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'trap' }, onExhausted: 'trap', operatorKey: false },
    silent: { type: 'hangup' },
    pre: { type: 'message', say: 'Ett ögonblick.', next: 'closed_check' },
    closed_check: { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'silent', closed: { next: 'silent', say: 'Vi har stängt.' } },
    late_say: { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'silent', closed: { next: 'trap', say: 'Vi har stängt.' } },
    island: { type: 'message', say: 'Ingen når hit.', next: 'bye' },
  });
};

describe('analyse', () => {
  test('reachable: every node a caller can get to from start, and not the one no route leads to', () => {
    const a = analysisOf(ends);
    expect([...a.reachable].sort()).toEqual(['bye', 'closed_check', 'late_say', 'main', 'operator', 'pre', 'silent', 'skola', 'trap']);
  });

  test('endsWell: a human or spoken end, words on the way to a silent end, and every node before one of those', () => {
    const a = analysisOf(ends);
    expect([...a.endsWell].sort()).toEqual(['bye', 'closed_check', 'island', 'main', 'operator', 'pre', 'skola']);
  });

  test('not endsWell: a silent hang-up, a menu that leads only back to itself, words on a route that leads on to no good end', () => {
    const a = analysisOf(ends);
    expect(['silent', 'trap', 'late_say'].map((id) => a.endsWell.has(id))).toEqual([false, false, false]);
  });

  test('without the words on the closed route, the hours check (and the message before it) no longer end well', () => {
    const a = analysisOf((f) => {
      ends(f);
      f.nodes.closed_check.closed = 'silent';
    });
    expect(['closed_check', 'pre'].map((id) => a.endsWell.has(id))).toEqual([false, false]);
  });

  test('a message that moves on to a silent hang-up ends well: the caller heard its words (no dead end either)', () => {
    const change = (f: Raw) => {
      f.nodes.main.prompt = 'Tryck 1 eller 5. För växeln, tryck 0.';
      f.nodes.main.routes['5'] = 'info';
      f.nodes.info = { type: 'message', say: 'Vi har stängt i dag.', next: 'silent' };
      f.nodes.silent = { type: 'hangup' };
    };
    const a = analysisOf(change);
    expect(['info', 'silent'].map((id) => a.endsWell.has(id))).toEqual([true, false]);
    expect(deadEnds(a, new Set()).map((r) => r.path)).toEqual([]);
  });

  test('it keeps the graph and the file it was given', () => {
    const g = graphOf();
    const a = analyse(g, 'other.yaml');
    expect(a.graph).toBe(g);
    expect(a.file).toBe('other.yaml');
    expect(analysisOf().file).toBe(FILE);
  });

  test('a start that reaches nothing else: only the start is reachable', () => {
    const a = analysisOf((f) => {
      f.start = 'bye';
    });
    expect([...a.reachable]).toEqual(['bye']);
  });
});

describe('isSilentEnd', () => {
  const g = graphOf(ends);

  test('a hang-up without words is one', () => {
    expect(isSilentEnd(g, 'silent')).toBe(true);
  });

  test('a hang-up with words, a node that moves on, a menu, a transfer and an unknown id are not', () => {
    expect(['bye', 'pre', 'main', 'skola', 'ghost'].map((id) => isSilentEnd(g, id))).toEqual([false, false, false, false, false]);
  });
});

describe('inFileOrder', () => {
  const g = graphOf(ends);

  test('sorts ids by where their node stands in the file', () => {
    expect(inFileOrder(g, ['island', 'bye', 'main', 'late_say', 'skola'])).toEqual(['main', 'skola', 'bye', 'late_say', 'island']);
    expect(inFileOrder(g, new Set(['pre', 'trap']))).toEqual(['trap', 'pre']);
  });

  test('an id that is no node counts as the first place', () => {
    expect(inFileOrder(g, ['bye', 'ghost', 'skola'])).toEqual(['ghost', 'skola', 'bye']);
  });

  test('nothing in, nothing out', () => {
    expect(inFileOrder(g, [])).toEqual([]);
  });
});
