/**
 * The operator rule (src/flow/lint/rules/operator.ts): a flow with no operator (no-operator); a
 * place where a caller chooses and no key leads to the operator, either only by waiting
 * (operator-only-by-waiting, with the way shown) or not at all (operator-unreachable); more key
 * presses than the budget (operator-budget, at the limit and one past it). Dialling nodes, operator
 * nodes and places already hopeless are left out.
 */
import { operatorRules } from '../../../src/flow/lint/rules/operator';
import { FILE, analysisOf, row, type Raw } from './flows';

const operator = (change: (f: Raw) => void, opts: { maxOperatorKeys?: number } = {}) => operatorRules(analysisOf(change), opts).map(row);
const none = () => {};

/** main (no operator key) → 1 → more (no operator key) → 1 → last, whose 0 is the operator: 3, 2 and 1 key presses. */
const chain = (f: Raw) => {
  f.nodes.main = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'more' }, operatorKey: false, onExhausted: 'bye' };
  f.nodes.more = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'last' }, operatorKey: false, onExhausted: 'bye' };
  f.nodes.last = { type: 'menu', prompt: 'Tryck 0.', routes: { '0': 'operator' }, onExhausted: 'bye' };
};

describe('no-operator', () => {
  test('no operator node and no transfer to an operator target: one warning for the flow', () => {
    const results = operatorRules(analysisOf((f) => {
      delete f.operator;
      f.targets.operator.kind = 'department';
    }), {});
    expect(results.map(row)).toEqual([
      ['warning', 'no-operator', 'operator', 'the flow has no operator (no operator.node and no transfer to a target of kind operator): a caller who is lost cannot reach a person'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('a transfer to an operator target is an operator even without operator.node', () => {
    expect(operator((f) => {
      delete f.operator;
      f.nodes.main.routes['0'] = 'operator';
    })).toEqual([]);
  });
});

describe('operator-unreachable and operator-only-by-waiting', () => {
  test('no key and no waiting gets there', () => {
    const results = operatorRules(analysisOf((f) => {
      f.nodes.main.operatorKey = false;
      f.nodes.main.onExhausted = 'bye';
      f.nodes.skola.onNoAnswer = 'bye';
    }), {});
    expect(results.map(row)).toEqual([['error', 'operator-unreachable', 'nodes.main', 'the operator cannot be reached from "main"']]);
    expect(results[0].file).toBe(FILE);
  });

  test('only by letting the retries run out', () => {
    expect(operator((f) => (f.nodes.main.operatorKey = false))).toEqual([
      ['warning', 'operator-only-by-waiting', 'nodes.main', 'from "main" no key leads to the operator, only waiting for retries to run out or a transfer to go unanswered (main: retries used up → operator)'],
    ]);
  });

  test('only by a transfer going unanswered', () => {
    expect(operator((f) => {
      f.nodes.main.operatorKey = false;
      f.nodes.main.onExhausted = 'bye';
    })).toEqual([
      ['warning', 'operator-only-by-waiting', 'nodes.main', 'from "main" no key leads to the operator, only waiting for retries to run out or a transfer to go unanswered (main: 1 → skola: no-answer → operator)'],
    ]);
  });

  test('each such place in file order; dialling nodes (the transfer) are not places where the caller chooses', () => {
    expect(operator((f) => {
      chain(f);
      f.nodes.last.routes = { '1': 'skola' };
      f.nodes.last.operatorKey = false;
      f.nodes.skola.onNoAnswer = 'bye';
    }).map((r) => [r[1], r[2]])).toEqual([
      ['operator-unreachable', 'nodes.main'],
      ['operator-unreachable', 'nodes.more'],
      ['operator-unreachable', 'nodes.last'],
    ]);
  });

  test('a place no good end can be reached from is left to the dead-end rules', () => {
    expect(operator((f) => {
      f.nodes.main.routes['2'] = 'trap';
      f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
      f.nodes.trap = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'trap' }, onExhausted: 'trap', operatorKey: false };
    })).toEqual([]);
  });

  test('a place no caller reaches is not checked', () => {
    expect(operator((f) => {
      f.nodes.island = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'skola' }, operatorKey: false, onExhausted: 'bye' };
    })).toEqual([]);
  });

  test('an operator node where the caller chooses is not checked against itself', () => {
    expect(operator((f) => {
      f.operator.node = 'main';
      f.nodes.main.operatorKey = false;
      f.nodes.main.onExhausted = 'bye';
      f.nodes.skola.onNoAnswer = 'bye';
    })).toEqual([]);
  });
});

describe('operator-budget', () => {
  test('more key presses than the budget: each node beyond it, with the way', () => {
    const results = operatorRules(analysisOf(chain), { maxOperatorKeys: 1 });
    expect(results.map(row)).toEqual([
      ['error', 'operator-budget', 'nodes.main', 'reaching the operator from "main" takes 3 key presses (main: 1 → more: 1 → last: 0 → operator), more than the budget of 1'],
      ['error', 'operator-budget', 'nodes.more', 'reaching the operator from "more" takes 2 key presses (more: 1 → last: 0 → operator), more than the budget of 1'],
    ]);
    expect(results.map((r) => r.file)).toEqual([FILE, FILE]);
  });

  test('exactly at the budget is within it; one press past it is not', () => {
    expect(operator(chain, { maxOperatorKeys: 3 })).toEqual([]);
    expect(operator(chain, { maxOperatorKeys: 2 }).map((r) => r[2])).toEqual(['nodes.main']);
  });

  test('a budget of 0: one key press is over it', () => {
    expect(operator(none, { maxOperatorKeys: 0 })).toEqual([
      ['error', 'operator-budget', 'nodes.main', 'reaching the operator from "main" takes 1 key press (main: 0 → operator), more than the budget of 0'],
    ]);
  });

  test('no budget, no budget findings', () => {
    expect(operator(chain)).toEqual([]);
  });

  test('a place reached only by waiting is reported as such, not against the budget', () => {
    expect(operator((f) => (f.nodes.main.operatorKey = false), { maxOperatorKeys: 0 }).map((r) => r[1])).toEqual(['operator-only-by-waiting']);
  });
});
