/**
 * Key presses to the operator (src/flow/lint/operator-reach.ts): the fewest per node, by keys alone
 * and with waiting; the caller's cheapest choice but the worst outcome of a dial; the steps shown for
 * a node (which choice among equals); the per-flow summary (byNode, max, after each fallback); and the
 * wording of key presses and steps.
 */
import { describeSteps, keyPresses, keysToOperator, operatorReach, operatorSteps } from '../../../src/flow/lint/operator-reach';
import { graphOf, type Raw } from './flows';

const obj = (m: Map<string, number>) => Object.fromEntries(m);

/**
 * main (1 → m2, 2 → m3) and m2 (1 → m3) have no operator key; m3 routes 0 to the operator. So main is
 * 2 key presses away by its 2, m2 two by its 1, m3 one; skola only by a dial going unanswered.
 */
const chain = (f: Raw) => {
  f.nodes.main = { type: 'menu', prompt: 'Tryck 1 eller 2.', routes: { '1': 'm2', '2': 'm3', '3': 'skola' }, operatorKey: false, onExhausted: 'operator' };
  f.nodes.m2 = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'm3' }, operatorKey: false, onExhausted: 'operator' };
  f.nodes.m3 = { type: 'menu', prompt: 'Tryck 0.', routes: { '0': 'operator' } };
};

describe('keysToOperator', () => {
  test('by keys alone: the cheapest choice at each node; a dial that must go unanswered and a silent end never get there', () => {
    expect(obj(keysToOperator(graphOf(chain), { includeWaiting: false }))).toEqual({
      main: 2, skola: Infinity, operator: 0, bye: Infinity, m2: 2, m3: 1,
    });
  });

  test('with waiting: retries used up and unanswered dials count too', () => {
    expect(obj(keysToOperator(graphOf(chain), { includeWaiting: true }))).toEqual({
      main: 0, skola: 0, operator: 0, bye: Infinity, m2: 0, m3: 0,
    });
  });

  test('an operator node is 0 whatever leads on from it', () => {
    const d = keysToOperator(graphOf((f) => (f.operator.node = 'main')), { includeWaiting: false });
    expect(d.get('main')).toBe(0);
  });

  test('of one dial, the worst outcome counts: busy back to the menu (1 more press) beats no answer straight to the operator', () => {
    const g = graphOf((f) => {
      f.nodes.skola.onBusy = 'main';
      f.nodes.main.onExhausted = 'bye';
    });
    expect(keysToOperator(g, { includeWaiting: true }).get('skola')).toBe(1);
  });

  test('the extension digits count on a person search\'s fallbacks', () => {
    const g = graphOf((f) => {
      f.operator.key = '#';
      f.nodes.main = { type: 'menu', prompt: 'Tryck 5.', routes: { '5': 'person' }, operatorKey: false, onExhausted: 'bye' };
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
      f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'operator', onExhausted: 'bye' };
    });
    const d = keysToOperator(g, { includeWaiting: true });
    expect([d.get('person'), d.get('main')]).toEqual([1, 2]);
  });
});

describe('operatorSteps', () => {
  test('the keys behind a node\'s value, to the operator node', () => {
    const g = graphOf(chain);
    const d = keysToOperator(g, { includeWaiting: false });
    expect(operatorSteps(g, 'main', d)).toEqual([
      { from: 'main', label: '2', to: 'm3' },
      { from: 'm3', label: '0', to: 'operator' },
    ]);
    expect(operatorSteps(g, 'operator', d)).toEqual([]);
    expect(operatorSteps(g, 'skola', d)).toEqual([]);
  });

  test('among equally cheap choices, the operator key before a route on another key to the same place', () => {
    const g = graphOf((f) => {
      f.nodes.main.routes['5'] = 'operator';
    });
    const d = keysToOperator(g, { includeWaiting: false });
    expect(operatorSteps(g, 'main', d)).toEqual([{ from: 'main', label: '0', to: 'operator' }]);
  });

  test('with waiting, among equal choices a way without an unanswered dial; within a dial, its worst outcome', () => {
    const g = graphOf((f) => {
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: 'skola' } };
      f.nodes.colleague = { type: 'backup', onNoAnswer: 'operator' };
      f.nodes.skola.onBusy = 'main';
      f.nodes.main.onExhausted = 'bye';
    });
    const d = keysToOperator(g, { includeWaiting: true });
    expect(operatorSteps(g, 'colleague', d, true)).toEqual([{ from: 'colleague', label: 'no backup', to: 'operator' }]);
    expect(operatorSteps(g, 'skola', d, true)).toEqual([
      { from: 'skola', label: 'busy', to: 'main' },
      { from: 'main', label: '0', to: 'operator' },
    ]);
  });

  test('a node whose keys never get there has no steps, though it has keys', () => {
    const g = graphOf((f) => {
      f.nodes.main.routes['2'] = 'stuck';
      f.nodes.stuck = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'bye' }, operatorKey: false, onExhausted: 'bye' };
    });
    const d = keysToOperator(g, { includeWaiting: false });
    expect(d.get('stuck')).toBe(Infinity);
    expect(operatorSteps(g, 'stuck', d)).toEqual([]);
  });

  test('values from waiting but steps by keys alone: no usable choice, no steps', () => {
    const g = graphOf();
    const d = keysToOperator(g, { includeWaiting: true });
    expect(operatorSteps(g, 'skola', d, false)).toEqual([]);
  });
});

describe('operatorReach', () => {
  test('byNode: reachable nodes where the caller chooses, and the operator nodes; null where no keys get there', () => {
    const r = operatorReach(graphOf((f) => {
      chain(f);
      f.nodes.island = { type: 'menu', prompt: 'Tryck 0.', routes: { '0': 'operator' } };
      f.nodes.stuck = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'bye' }, operatorKey: false, onExhausted: 'bye' };
      f.nodes.main.routes['4'] = 'stuck';
    }));
    expect(r.byNode).toEqual({ main: 2, operator: 0, m2: 2, m3: 1, stuck: null });
    expect(r.operatorNodes).toEqual(['operator']);
  });

  test('max: the most key presses over the choice nodes, every node with that many, and the steps from the first', () => {
    const r = operatorReach(graphOf(chain));
    expect(r.max).toEqual({
      keys: 2,
      from: ['main', 'm2'],
      steps: [
        { from: 'main', label: '2', to: 'm3' },
        { from: 'm3', label: '0', to: 'operator' },
      ],
    });
  });

  test('max is null when no choice node reaches the operator by keys', () => {
    const r = operatorReach(graphOf((f) => {
      f.nodes.main.operatorKey = false;
    }));
    expect(r.max).toBeNull();
    expect(r.byNode).toEqual({ main: null, operator: 0 });
  });

  test('the operator nodes, sorted', () => {
    const r = operatorReach(graphOf((f) => {
      f.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' };
      f.nodes.a_op = { type: 'transfer', target: 'operator', onNoAnswer: 'bye' };
    }));
    expect(r.operatorNodes).toEqual(['a_op', 'operator', 'q']);
  });

  test('after each fallback of a reachable node: reasons sharing a route merged; keys and steps from the route; whether it ends the call', () => {
    const r = operatorReach(graphOf((f) => {
      f.nodes.skola.onNoAnswer = 'main';
      f.nodes.skola.onFailed = 'operator';
      f.nodes.skola.onNotice = 'silent';
      f.nodes.silent = { type: 'hangup' };
      f.nodes.island = { type: 'transfer', target: 'skola', onNoAnswer: 'main' };
    }));
    expect(r.afterFallbacks).toEqual([
      { node: 'skola', reasons: ['no-answer', 'busy'], route: 'main', keys: 1, steps: [{ from: 'main', label: '0', to: 'operator' }], endsCall: false },
      { node: 'skola', reasons: ['failed'], route: 'operator', keys: 0, steps: [], endsCall: false },
      { node: 'skola', reasons: ['notice'], route: 'silent', keys: null, steps: [], endsCall: true },
      { node: 'operator', reasons: ['no-answer', 'busy', 'failed'], route: 'bye', keys: null, steps: [], endsCall: true },
    ]);
  });

  test('a fallback to a node that moves on but never reaches the operator by keys: null, not the end of the call', () => {
    const r = operatorReach(graphOf((f) => {
      f.nodes.skola.onNoAnswer = 'stuck';
      f.nodes.stuck = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'bye' }, operatorKey: false, onExhausted: 'bye' };
    }));
    expect(r.afterFallbacks[0]).toEqual({ node: 'skola', reasons: ['no-answer', 'busy', 'failed'], route: 'stuck', keys: null, steps: [], endsCall: false });
  });

  test('retries used up are no fallback here', () => {
    const r = operatorReach(graphOf());
    expect(r.afterFallbacks.map((f) => f.node)).toEqual(['skola', 'operator']);
  });
});

describe('wording', () => {
  test('key presses: singular for one only', () => {
    expect([0, 1, 2, 11].map(keyPresses)).toEqual(['0 key presses', '1 key press', '2 key presses', '11 key presses']);
  });

  test('steps: each node and what takes it, then where they end; no steps is the node itself', () => {
    expect(describeSteps('main', [])).toBe('main');
    expect(describeSteps('main', [{ from: 'main', label: '2', to: 'm3' }])).toBe('main: 2 → m3');
    expect(describeSteps('x', [
      { from: 'main', label: '2', to: 'm3' },
      { from: 'm3', label: '0', to: 'operator' },
    ])).toBe('main: 2 → m3: 0 → operator');
  });
});
