/**
 * The callback rules (src/flow/lint/rules/callbacks.ts): a callback node callers reach while the flow
 * gives no promise (callback-without-promise, per node), and a callback configured that no caller
 * reaches a node of (callback-never-offered).
 */
import { callbackRules } from '../../../src/flow/lint/rules/callbacks';
import { FILE, analysisOf, row, type Raw } from './flows';

const callbacks = (change: (f: Raw) => void) => callbackRules(analysisOf(change)).map(row);

/** main's 4 leads to a callback node. */
const offered = (f: Raw) => {
  f.nodes.main.routes['4'] = 'cb';
  f.nodes.cb = { type: 'callback', next: 'bye' };
};

const WITHOUT_PROMISE = (id: string) => [
  'warning', 'callback-without-promise', `nodes.${id}`,
  `callback node "${id}" is offered but the flow gives no promise (callback.promise): callers hear "as soon as we can" and no request is ever overdue`,
];
const NEVER_OFFERED = ['warning', 'callback-never-offered', 'callback', 'callback promises a callback, but no caller reaches a callback node'];

describe('callback-without-promise', () => {
  test('a reachable callback node in a flow with no callback settings', () => {
    const results = callbackRules(analysisOf(offered));
    expect(results.map(row)).toEqual([WITHOUT_PROMISE('cb')]);
    expect(results[0].file).toBe(FILE);
  });

  test('callback settings without a promise: still none; one finding per reachable node', () => {
    expect(callbacks((f) => {
      offered(f);
      f.callback = { expireAfterDays: 3 };
      f.nodes.main.routes['5'] = 'cb2';
      f.nodes.cb2 = { type: 'callback' };
    })).toEqual([WITHOUT_PROMISE('cb'), WITHOUT_PROMISE('cb2')]);
  });

  test.each([
    ['within hours', { within: { hours: 4 } }],
    ['by the next working day', { byNextWorkingDay: '12:00' }],
  ])('a promise (%s) silences it', (_name, promise) => {
    expect(callbacks((f) => {
      offered(f);
      f.callback = { promise };
    })).toEqual([]);
  });

  test('a callback node no caller reaches is not offered (and is not this rule\'s to report)', () => {
    expect(callbacks((f) => {
      f.nodes.cb = { type: 'callback', next: 'bye' };
    })).toEqual([]);
  });
});

describe('callback-never-offered', () => {
  test('a promise with no reachable callback node', () => {
    expect(callbacks((f) => {
      f.callback = { promise: { within: { hours: 4 } } };
      f.nodes.cb = { type: 'callback', next: 'bye' };
    })).toEqual([NEVER_OFFERED]);
  });

  test('callback settings of any kind, no callback node at all', () => {
    expect(callbacks((f) => (f.callback = {}))).toEqual([NEVER_OFFERED]);
  });

  test('no callback settings and no callback node: nothing', () => {
    expect(callbacks(() => {})).toEqual([]);
  });
});
