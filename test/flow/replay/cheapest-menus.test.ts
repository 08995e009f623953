/**
 * cheapestPath (src/flow/replay/cheapest.ts) through menus, messages and opening hours: what counts as
 * menu time, the order paths are preferred in (fewest keys, then the shortest menu time plus ringing),
 * the engine's limit of 25 hops through messages, and flows it cannot find a way through.
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';
import { chars, department, M, operator, selfService, transfers } from './intents';

/** The lint base flow with a 20-character main menu (200 + 1 000 ms to press under M) and a 30-character sentence before the school's ring. */
const flow = (change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.nodes.main.prompt = chars(20);
    f.nodes.skola.say = chars(30);
    change(f);
  });

describe('cheapestPath through menus and messages', () => {
  test('a department one key away: the menu heard and the key answered; what the transfer says is not menu time', () => {
    expect(cheapestPath(flow(), transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [1]', 'ring skola'] });
  });

  test('messages before the menu are heard in full, in order, and listed', () => {
    const f = flow((r) => {
      r.start = 'welcome';
      r.nodes.welcome = { type: 'message', say: chars(15), next: 'news' };
      r.nodes.news = { type: 'message', say: chars(5), next: 'main' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 150 + 50 + 1200, ringMs: 0, steps: ['welcome', 'news', 'main [1]', 'ring skola'] });
  });

  test('a message between the last menu and the transfer is said after the dial began: listed, not menu time', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'info' };
      r.nodes.info = { type: 'message', say: chars(40), next: 'skola' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [1]', 'info', 'ring skola'] });
  });

  test('the operator by the operator key of the menu', () => {
    expect(cheapestPath(flow(), transfers([operator()]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [0]', 'ring operator'] });
  });

  test('nobody plans to let the retries run out: a menu without the operator key does not reach the operator by its onExhausted', () => {
    const f = flow((r) => {
      r.nodes.main.operatorKey = false;
    });
    expect(cheapestPath(f, transfers([operator()]), M)).toBeNull();
  });

  test('a transfer at the start: no key, no menu time', () => {
    const f = flow((r) => {
      r.start = 'skola';
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 0, menuMs: 0, ringMs: 0, steps: ['ring skola'] });
  });

  test('an opening-hours check is passed as open, listed and taking no time', () => {
    const f = flow((r) => {
      r.start = 'open';
      r.nodes.open = { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'main', closed: 'bye' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['open', 'main [1]', 'ring skola'] });
  });

  test('the closed branch of an opening-hours check is never taken', () => {
    const f = flow((r) => {
      r.start = 'open';
      r.nodes.open = { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'main', closed: 'bye' };
    });
    expect(cheapestPath(f, selfService('bye'), M)).toBeNull();
  });

  test('a department the flow has no transfer to cannot be reached, even round a cycle of menus', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'skola', '2': 'sub' };
      r.nodes.sub = { type: 'menu', prompt: chars(5), routes: { '1': 'main' } };
    });
    expect(cheapestPath(f, transfers([department('omsorg')]), M)).toBeNull();
  });
});

describe('cheapestPath: which path is cheapest', () => {
  test('fewest key presses first, even when slower: a language menu let pass (60 s) beats a second menu key', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'sub', '2': 'wait' };
      r.nodes.sub = { type: 'menu', prompt: chars(5), routes: { '1': 'skola' } };
      r.nodes.wait = { type: 'language', prompt: chars(10), options: { '1': 'sv-SE' }, timeoutSeconds: 60, next: 'skola' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 1200 + 100 + 60_000, ringMs: 0, steps: ['main [2]', 'wait [no key]', 'ring skola'] });
  });

  test('equal key presses: the shorter menu time, whichever key it is behind', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'slow', '2': 'fast' };
      r.nodes.slow = { type: 'menu', prompt: chars(100), routes: { '1': 'skola' } };
      r.nodes.fast = { type: 'menu', prompt: chars(10), routes: { '1': 'skola' } };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 2, menuMs: 1200 + 100 + 1000, ringMs: 0, steps: ['main [2]', 'fast [1]', 'ring skola'] });
  });

  test('equal key presses and menu time: the shorter ringing', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'skola', '2': 'skola2' };
      r.nodes.skola.timeoutSeconds = 60;
      r.nodes.skola2 = { type: 'transfer', target: 'skola', timeoutSeconds: 10, onNoAnswer: 'operator' };
    });
    expect(cheapestPath(f, transfers([department('skola', 'no-answer'), operator()]), M)).toEqual({
      keys: 1,
      menuMs: 1200,
      ringMs: 10_000,
      steps: ['main [2]', 'ring skola: no-answer', 'ring operator'],
    });
  });

  test('menu time and ringing count together: 1.1 s more in the menu to ring 50 s less', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'skola', '2': 'wait' };
      r.nodes.skola.timeoutSeconds = 60;
      r.nodes.wait = { type: 'language', prompt: chars(10), options: { '1': 'sv-SE' }, timeoutSeconds: 1, next: 'skola2' };
      r.nodes.skola2 = { type: 'transfer', target: 'skola', timeoutSeconds: 10, onNoAnswer: 'operator' };
    });
    expect(cheapestPath(f, transfers([department('skola', 'no-answer'), operator()]), M)).toEqual({
      keys: 1,
      menuMs: 1200 + 100 + 1000,
      ringMs: 10_000,
      steps: ['main [2]', 'wait [no key]', 'ring skola: no-answer', 'ring operator'],
    });
  });
});

describe('cheapestPath: the limit of 25 nodes the engine enters in one step', () => {
  /** m1 → m2 → … → m`n` → bye, each message 2 characters (20 ms). */
  const chain = (n: number) =>
    flow((r) => {
      r.start = 'm1';
      for (let i = 1; i <= n; i++) r.nodes[`m${i}`] = { type: 'message', say: chars(2), next: i < n ? `m${i + 1}` : 'bye' };
    });
  const names = (n: number) => Array.from({ length: n }, (_, i) => `m${i + 1}`);

  test('24 messages in a row, then the ending (25 nodes): reached, every message heard', () => {
    expect(cheapestPath(chain(24), selfService('bye'), M)).toEqual({ keys: 0, menuMs: 24 * 20, ringMs: 0, steps: [...names(24), 'bye'] });
  });

  // The engine (context.ts, MAX_HOPS_PER_STEP) throws on entering a 26th node in one step: a caller never reaches this ending.
  test('25 messages in a row, then the ending (26 nodes): the engine stops before it, so not reached', () => {
    expect(cheapestPath(chain(25), selfService('bye'), M)).toBeNull();
  });

  test('26 messages in a row, then the ending (27 nodes): not reached', () => {
    expect(cheapestPath(chain(26), selfService('bye'), M)).toBeNull();
  });

  test('two messages leading to each other: no path, and the search ends', () => {
    const f = flow((r) => {
      r.start = 'a';
      r.nodes.a = { type: 'message', say: chars(3), next: 'b' };
      r.nodes.b = { type: 'message', say: chars(3), next: 'a' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toBeNull();
  });
});

describe('cheapestPath on a flow the loader would not have passed', () => {
  test('a start node that does not exist: no path', () => {
    expect(cheapestPath({ ...flow(), start: 'nowhere' }, transfers([department('skola')]), M)).toBeNull();
  });

  test('a transfer to a target the flow does not have cannot be dialled', () => {
    const f = flow();
    const { skola: _gone, ...targets } = f.targets;
    expect(cheapestPath({ ...f, targets }, transfers([department('skola')]), M)).toBeNull();
  });
});
