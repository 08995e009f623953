/**
 * cheapestPath (src/flow/replay/cheapest.ts) at dials: the intent's attempts rung in turn, each
 * fallback reason's ringing (the timeout for no-answer and max-wait, only the sentence otherwise), the
 * route followed to the next attempt with what it says, and queues (backup nodes: cheapest-backup.test.ts).
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';
import { chars, department, M, operator, person, selfService, transfers } from './intents';

/**
 * The lint base flow with a 20-character main menu (1 200 ms to press under M); the school says 30
 * characters (300 ms) and rings 20 s; nobody answering leads, with an 8-character sentence, to a
 * 12-character menu `again` (1 120 ms to press 0 there); busy leads there silently; failed goes to the operator.
 */
const flow = (change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.nodes.main.prompt = chars(20);
    f.nodes.skola = { type: 'transfer', target: 'skola', say: chars(30), timeoutSeconds: 20, onNoAnswer: { next: 'again', say: chars(8) }, onBusy: 'again', onFailed: 'operator' };
    f.nodes.again = { type: 'menu', prompt: chars(12), routes: { '1': 'skola' } };
    change(f);
  });

describe('cheapestPath: an attempt that ends in a fallback, and the next attempt', () => {
  test('no answer: the dial rings for its timeout after its sentence; the route sentence is heard before the next menu', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'no-answer'), operator()]), M)).toEqual({
      keys: 2,
      menuMs: 1200 + 80 + 1120,
      ringMs: 300 + 20_000,
      steps: ['main [1]', 'ring skola: no-answer', 'again [0]', 'ring operator'],
    });
  });

  test('busy: no ringing, only the sentence said on the way into the dial', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'busy'), operator()]), M)).toEqual({
      keys: 2,
      menuMs: 1200 + 1120,
      ringMs: 300,
      steps: ['main [1]', 'ring skola: busy', 'again [0]', 'ring operator'],
    });
  });

  test('failed: no ringing; its route leads straight to the operator', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'failed'), operator()]), M)).toEqual({
      keys: 1,
      menuMs: 1200,
      ringMs: 300,
      steps: ['main [1]', 'ring skola: failed', 'ring operator'],
    });
  });

  test('a route sentence on the way into the next dial counts with that dial: ringing when nobody answers it', () => {
    const f = flow((r) => {
      r.nodes.skola.onFailed = { next: 'operator', say: chars(8) };
    });
    expect(cheapestPath(f, transfers([department('skola', 'failed'), operator('no-answer')]), M)).toEqual({
      keys: 1,
      menuMs: 1200,
      ringMs: 300 + 80 + 25_000,
      steps: ['main [1]', 'ring skola: failed', 'ring operator: no-answer'],
    });
  });

  test('the same department tried again after its no-answer sent the caller back: the menu is searched anew for the second attempt', () => {
    const f = flow((r) => {
      r.nodes.skola.onNoAnswer = 'main';
    });
    expect(cheapestPath(f, transfers([department('skola', 'no-answer'), department('skola')]), M)).toEqual({
      keys: 2,
      menuMs: 1200 + 1200,
      ringMs: 300 + 20_000,
      steps: ['main [1]', 'ring skola: no-answer', 'main [1]', 'ring skola'],
    });
  });

  describe('an absence notice, met instead of a ring (persons only)', () => {
    /** Key 2 transfers to Anna, a person target without a sentence of its own: nothing is said on the way in. */
    const withAnna = (change: (f: Raw) => void = () => {}) =>
      flow((r) => {
        r.targets.anna = { label: 'Anna Lind', number: '+46101304711', kind: 'person' };
        r.nodes.main.routes = { '1': 'skola', '2': 'anna' };
        r.nodes.anna = { type: 'transfer', target: 'anna', onNoAnswer: { next: 'again', say: chars(8) } };
        change(r);
      });

    test('the transfer route for a notice is followed at once, without ringing', () => {
      const f = withAnna((r) => {
        r.nodes.anna.onNotice = 'operator';
      });
      expect(cheapestPath(f, transfers([person('anna', 'notice'), operator()]), M)).toEqual({
        keys: 1,
        menuMs: 1200,
        ringMs: 0,
        steps: ['main [2]', 'ring person anna: notice', 'ring operator'],
      });
    });

    test('the transfer\'s own words are not counted: the notice is said instead of them', () => {
      const f = withAnna((r) => {
        r.nodes.anna.say = chars(30);
        r.nodes.anna.onNotice = 'operator';
      });
      expect(cheapestPath(f, transfers([person('anna', 'notice'), operator()]), M)).toEqual({
        keys: 1,
        menuMs: 1200,
        ringMs: 0,
        steps: ['main [2]', 'ring person anna: notice', 'ring operator'],
      });
    });

    // Without onNotice the engine sends the caller along onNoAnswer (nodes/dial.ts).
    test('without onNotice, the notice leads along onNoAnswer as in the engine', () => {
      expect(cheapestPath(withAnna(), transfers([person('anna', 'notice'), operator()]), M)).toEqual({
        keys: 2,
        menuMs: 1200 + 80 + 1120,
        ringMs: 0,
        steps: ['main [2]', 'ring person anna: notice', 'again [0]', 'ring operator'],
      });
    });
  });

  test('a fallback whose route cannot lead to the next attempt: no path', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'no-answer'), person('4711')]), M)).toBeNull();
  });
});

describe('cheapestPath: the last attempt', () => {
  test('ending in no answer: the path ends at the dial, with its ringing', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'no-answer')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 20_300, steps: ['main [1]', 'ring skola: no-answer'] });
  });

  test('ending busy: the path ends at the dial, with only its sentence', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'busy')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 300, steps: ['main [1]', 'ring skola: busy'] });
  });

  test('hung up while it rang: the path ends when the dial starts, no ringing counted', () => {
    expect(cheapestPath(flow(), transfers([department('skola', 'unanswered')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [1]', 'ring skola'] });
  });

  test('an attempt answered, or hung up on, before the last cannot be followed by another', () => {
    expect(cheapestPath(flow(), transfers([department('skola'), operator()]), M)).toBeNull();
    expect(cheapestPath(flow(), transfers([department('skola', 'unanswered'), operator()]), M)).toBeNull();
  });

  test('a renamed department is dialled by its number; the step names it as the intent does', () => {
    expect(cheapestPath(flow(), transfers([department('skolan', 'answered', '+46101300210')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [1]', 'ring skolan'] });
  });
});

describe('cheapestPath at a queue', () => {
  /** The operator key leads to a queue with a 6-character sentence and a longest wait of 60 s; at most that, the school; full, goodbye. */
  const queued = (change: (f: Raw) => void = () => {}) =>
    flow((r) => {
      r.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      r.operator = { key: '0', node: 'q' };
      r.nodes.q = { type: 'queue', queue: 'vaxeln', say: chars(6), maxWaitSeconds: 60, onMaxWait: 'skola', onFull: 'bye' };
      r.nodes.main.onExhausted = 'q';
      r.nodes.skola.onFailed = 'q';
      change(r);
    });

  test('a caller who wanted the operator is served by the queue', () => {
    expect(cheapestPath(queued(), transfers([operator()]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [0]', 'ring operator'] });
  });

  test('the longest wait: the queue keeps the caller for it, after its sentence; then its route to the next attempt', () => {
    expect(cheapestPath(queued(), transfers([operator('max-wait'), department('skola')]), M)).toEqual({
      keys: 1,
      menuMs: 1200,
      ringMs: 60 + 60_000,
      steps: ['main [0]', 'ring operator: max-wait', 'ring skola'],
    });
  });

  test('a full queue: no wait, only the sentence', () => {
    expect(cheapestPath(queued(), transfers([operator('queue-full')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 60, steps: ['main [0]', 'ring operator: queue-full'] });
  });

  test('a queue has no fallback for nobody answering: an operator who did not answer, then a department, has no path through it', () => {
    expect(cheapestPath(queued(), transfers([operator('no-answer'), department('skola')]), M)).toBeNull();
  });

  test('a department is not served by a queue, even one whose route leads to it', () => {
    const f = queued((r) => {
      r.nodes.main.routes = { '1': 'q' };
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toBeNull();
  });

  test('a call the IVR ends by itself passes no dial: the queue and the transfers on the way are no goal', () => {
    const f = queued((r) => {
      r.nodes.main.routes = { '1': 'skola', '2': 'bye' };
    });
    expect(cheapestPath(f, selfService('bye'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [2]', 'bye'] });
  });
});
