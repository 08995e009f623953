/**
 * The structure rules (src/flow/lint/rules/structure.ts): unreachable nodes, loops without an exit
 * (one node or several), dead ends (a node, and a key or silence that hangs up without a word), and
 * the strongly connected groups they rest on. Each finding exactly, and the case one condition away
 * where it is not made.
 */
import { deadEnds, loopsWithoutExit, stronglyConnected, unreachableNodes } from '../../../src/flow/lint/rules/structure';
import { analyse } from '../../../src/flow/lint/analysis';
import { buildGraph } from '../../../src/flow/lint/graph';
import { FILE, analysisOf, flowOf, graphOf, row, type Raw } from './flows';

describe('unreachable-node', () => {
  test('each node no route leads to, in file order, naming the start', () => {
    const a = analysisOf((f) => {
      f.nodes.zeta = { type: 'message', say: 'Z.', next: 'main' };
      f.nodes.alpha = { type: 'hangup' };
    });
    const results = unreachableNodes(a);
    expect(results.map(row)).toEqual([
      ['warning', 'unreachable-node', 'nodes.zeta', 'node "zeta" cannot be reached from start "main"'],
      ['warning', 'unreachable-node', 'nodes.alpha', 'node "alpha" cannot be reached from start "main"'],
    ]);
    expect(results.map((r) => r.file)).toEqual([FILE, FILE]);
  });

  test('none when every node is reached; the start is named as it is', () => {
    expect(unreachableNodes(analysisOf())).toEqual([]);
    expect(unreachableNodes(analysisOf((f) => {
      f.nodes.welcome = { type: 'message', say: 'Välkommen.', next: 'main' };
      f.start = 'skola';
    })).map((r) => r.message)).toEqual(['node "main" cannot be reached from start "skola"', 'node "welcome" cannot be reached from start "skola"']);
  });
});

/** A menu whose every key and whose used-up retries lead back to itself, without the operator key. */
const selfLoop = (f: Raw) => {
  f.nodes.main.routes['2'] = 'info';
  f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
  f.nodes.info = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'info' }, onExhausted: 'info', operatorKey: false };
};

/** Two messages (b written before a) that hand the caller to each other. */
const pair = (f: Raw) => {
  f.nodes.main.routes['2'] = 'a';
  f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
  f.nodes.b = { type: 'message', say: 'B.', next: 'a' };
  f.nodes.a = { type: 'message', say: 'A.', next: 'b' };
};

describe('loop-without-exit', () => {
  test('one node that leads only back to itself', () => {
    const { results, trapped } = loopsWithoutExit(analysisOf(selfLoop));
    expect(results.map(row)).toEqual([
      ['error', 'loop-without-exit', 'nodes.info', 'loop without exit: node "info" leads only back to itself; a caller there never reaches a person, the operator or an end of the call'],
    ]);
    expect(results[0].file).toBe(FILE);
    expect([...trapped]).toEqual(['info']);
  });

  test('several nodes: named in file order, at the first of them', () => {
    const { results, trapped } = loopsWithoutExit(analysisOf(pair));
    expect(results.map(row)).toEqual([
      ['error', 'loop-without-exit', 'nodes.b', 'loop without exit: nodes "b", "a" lead only to each other; a caller there never reaches a person, the operator or an end of the call'],
    ]);
    expect([...trapped]).toEqual(['b', 'a']);
  });

  test('one finding per loop', () => {
    const { results } = loopsWithoutExit(analysisOf((f) => {
      selfLoop(f);
      pair(f);
      f.nodes.main.routes['3'] = 'info';
      f.nodes.main.prompt = 'Tryck 1, 2 eller 3. För växeln, tryck 0.';
    }));
    expect(results.map((r) => r.path).sort()).toEqual(['nodes.b', 'nodes.info']);
  });

  test('a loop with a way out is none: a key out of it', () => {
    const { results, trapped } = loopsWithoutExit(analysisOf((f) => {
      selfLoop(f);
      f.nodes.info.routes['2'] = 'bye';
    }));
    expect(results).toEqual([]);
    expect([...trapped]).toEqual([]);
  });

  test('a loop with an end is none: retries used up with no route and no operator end the call', () => {
    const { results } = loopsWithoutExit(analysisOf((f) => {
      selfLoop(f);
      delete f.operator;
      delete f.nodes.info.onExhausted;
      f.nodes.main.prompt = 'Tryck 1 eller 2.';
    }));
    expect(results).toEqual([]);
  });

  test('a loop no caller reaches is none (it is an unreachable node)', () => {
    const { results } = loopsWithoutExit(analysisOf((f) => {
      selfLoop(f);
      delete f.nodes.main.routes['2'];
    }));
    expect(results).toEqual([]);
  });

  test('a single node with no way on and no edge to itself is no loop', () => {
    const flow = flowOf();
    // Only a flow the loader would refuse has one: a transfer to no target whose route leads nowhere.
    Object.assign(flow.nodes.skola, { target: 'ghost', onNoAnswer: 'ghost' });
    const a = analyse(buildGraph(flow), FILE);
    expect(a.graph.nodes.get('skola')!.out).toEqual([]);
    expect(loopsWithoutExit(a).results).toEqual([]);
  });
});

describe('dead-end', () => {
  test('a node from which no person, operator or words can be reached; not the nodes of a loop, reported as one', () => {
    const a = analysisOf((f) => {
      pair(f);
      f.nodes.main.routes['3'] = 'pre';
      f.nodes.main.prompt = 'Tryck 1, 2 eller 3. För växeln, tryck 0.';
      f.nodes.pre = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'a', closed: 'a' };
    });
    const { trapped } = loopsWithoutExit(a);
    expect(deadEnds(a, trapped).map(row)).toEqual([
      ['error', 'dead-end', 'nodes.pre', 'dead end: from "pre" no person, operator or message can be reached'],
    ]);
    expect(deadEnds(a, new Set()).map((r) => r.path)).toEqual(['nodes.b', 'nodes.a', 'nodes.pre']);
  });

  test('a node with no way on is not one of these (its own end decides), nor one that ends well', () => {
    const a = analysisOf((f) => {
      f.nodes.main.routes['2'] = 'silent';
      f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
      f.nodes.silent = { type: 'hangup' };
    });
    expect(deadEnds(a, new Set()).map((r) => r.path)).toEqual(['nodes.main.routes.2']);
  });

  test('a key that hangs up without a word', () => {
    const a = analysisOf((f) => {
      f.nodes.main.routes['9'] = 'silent';
      f.nodes.main.prompt = 'Tryck 1 eller 9. För växeln, tryck 0.';
      f.nodes.silent = { type: 'hangup' };
    });
    const results = deadEnds(a, new Set());
    expect(results.map(row)).toEqual([
      ['error', 'dead-end', 'nodes.main.routes.9', 'dead end: key 9 at "main" leads to "silent", which hangs up without a word'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('the operator key and a language choice that hang up without a word; saying nothing at a language menu too', () => {
    const a = analysisOf((f) => {
      f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
      f.operator.node = 'silent';
      f.start = 'lang';
      f.nodes.lang = { type: 'language', prompt: 'For English, press 9.', options: { '9': 'en-GB' }, next: 'silent' };
      f.nodes.main.routes['2'] = 'lang';
      f.nodes.silent = { type: 'hangup' };
    });
    expect(deadEnds(a, new Set()).map(row)).toEqual([
      ['error', 'dead-end', 'nodes.lang', 'dead end: from "lang" no person, operator or message can be reached'],
      ['error', 'dead-end', 'nodes.lang.options.9', 'dead end: key 9 (en-GB) at "lang" leads to "silent", which hangs up without a word'],
      ['error', 'dead-end', 'nodes.lang.next', 'dead end: saying nothing at "lang" leads to "silent", which hangs up without a word'],
    ]);
  });

  test('the operator key to a silent hang-up, from a menu that ends well otherwise', () => {
    const a = analysisOf((f) => {
      f.operator.node = 'silent';
      f.nodes.silent = { type: 'hangup' };
    });
    expect(deadEnds(a, new Set()).map(row)).toEqual([
      ['error', 'dead-end', 'operator.key', 'dead end: key 0 at "main" leads to "silent", which hangs up without a word'],
    ]);
  });

  test('no key finding for edges that are no key: retries used up, a fallback, a message moving on, an hours check', () => {
    const a = analysisOf((f) => {
      f.nodes.silent = { type: 'hangup' };
      f.nodes.main.onExhausted = 'silent';
      f.nodes.skola.onBusy = 'silent';
      f.nodes.main.routes['2'] = 'check';
      f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
      f.nodes.check = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'operator', closed: 'silent' };
    });
    expect(deadEnds(a, new Set())).toEqual([]);
  });

  test('a key from a node no caller reaches is not reported', () => {
    const a = analysisOf((f) => {
      f.nodes.silent = { type: 'hangup' };
      f.nodes.island = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'silent' } };
    });
    expect(deadEnds(a, new Set())).toEqual([]);
  });
});

describe('stronglyConnected', () => {
  test('each group of nodes that reach each other, once, within the nodes given', () => {
    const g = graphOf(pair);
    const groups = stronglyConnected(g, new Set(g.nodes.keys())).map((scc) => [...scc].sort());
    expect(groups.sort()).toEqual([['a', 'b'], ['bye'], ['main'], ['operator'], ['skola']]);
  });

  test('edges leaving the nodes given are not followed', () => {
    const g = graphOf(pair);
    expect(stronglyConnected(g, new Set(['a']))).toEqual([['a']]);
    expect(stronglyConnected(g, new Set())).toEqual([]);
  });

  test('a cycle through three nodes is one group; a node on the way in is its own', () => {
    const g = graphOf((f) => {
      f.nodes.x = { type: 'message', say: 'X.', next: 'y' };
      f.nodes.y = { type: 'message', say: 'Y.', next: 'z' };
      f.nodes.z = { type: 'message', say: 'Z.', next: 'x' };
      f.nodes.w = { type: 'message', say: 'W.', next: 'y' };
    });
    const groups = stronglyConnected(g, new Set(['w', 'x', 'y', 'z'])).map((scc) => [...scc].sort());
    expect(groups).toEqual([['x', 'y', 'z'], ['w']]);
  });
});
