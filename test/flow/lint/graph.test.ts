/**
 * The key-press graph (src/flow/lint/graph.ts): for each kind of node, exactly the edges it gets
 * (kind, key presses, label, choice, path, reason, words, waiting) and how a call can end there;
 * which nodes are the operator; reachability; and the node kinds the rules ask about.
 */
import {
  FALLBACK_REASONS,
  buildGraph,
  fallbackRoutes,
  isChoiceNode,
  isDialling,
  isTerminal,
  reachableFrom,
  type FlowGraph,
} from '../../../src/flow/lint/graph';
import { flowOf, graphOf, type Raw } from './flows';

const outOf = (g: FlowGraph, id: string) => g.nodes.get(id)!.out;
const endsOf = (g: FlowGraph, id: string) => g.nodes.get(id)!.ends;

const queues = (f: Raw) => {
  f.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
};

describe('a message and the ends of a call', () => {
  test('a message with next moves on by itself, at no key press; one without next ends the call after its words', () => {
    const g = graphOf((f) => {
      f.start = 'welcome';
      f.nodes.welcome = { type: 'message', say: 'Välkommen.', next: 'main' };
      f.nodes.closed = { type: 'message', say: 'Vi har stängt.' };
    });
    expect(outOf(g, 'welcome')).toEqual([
      { from: 'welcome', to: 'main', kind: 'next', keys: 0, label: 'next', choice: 'next', path: 'nodes.welcome.next', waiting: false },
    ]);
    expect(endsOf(g, 'welcome')).toEqual([]);
    expect(outOf(g, 'closed')).toEqual([]);
    expect(endsOf(g, 'closed')).toEqual([{ kind: 'message' }]);
  });

  test('a hang-up with words is a spoken end, one without is silent; the survey is a spoken end', () => {
    const g = graphOf((f) => {
      f.nodes.silent = { type: 'hangup' };
      f.nodes.survey = { type: 'survey' };
    });
    expect(endsOf(g, 'bye')).toEqual([{ kind: 'message' }]);
    expect(endsOf(g, 'silent')).toEqual([{ kind: 'silent' }]);
    expect(endsOf(g, 'survey')).toEqual([{ kind: 'message' }]);
    expect([outOf(g, 'bye'), outOf(g, 'silent'), outOf(g, 'survey')]).toEqual([[], [], []]);
  });
});

describe('a menu', () => {
  test('one edge per route, then the operator key, then retries used up along onExhausted with its words', () => {
    const g = graphOf((f) => {
      f.nodes.main.routes['2'] = 'bye';
      f.nodes.main.onExhausted = { next: 'operator', say: 'Du kopplas till växeln.' };
    });
    expect(outOf(g, 'main')).toEqual([
      { from: 'main', to: 'skola', kind: 'key', keys: 1, label: '1', choice: '1', path: 'nodes.main.routes.1', waiting: false },
      { from: 'main', to: 'bye', kind: 'key', keys: 1, label: '2', choice: '2', path: 'nodes.main.routes.2', waiting: false },
      { from: 'main', to: 'operator', kind: 'operator-key', keys: 1, label: '0', choice: '0', path: 'operator.key', waiting: false },
      {
        from: 'main', to: 'operator', kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: 'nodes.main.onExhausted',
        waiting: true, say: 'Du kopplas till växeln.',
      },
    ]);
    expect(endsOf(g, 'main')).toEqual([]);
  });

  test('without onExhausted, retries used up lead to the operator node (path operator.node)', () => {
    const g = graphOf((f) => delete f.nodes.main.onExhausted);
    expect(outOf(g, 'main').slice(-1)).toEqual([
      { from: 'main', to: 'operator', kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: 'operator.node', waiting: true },
    ]);
    expect(endsOf(g, 'main')).toEqual([]);
  });

  test('without onExhausted and without an operator, retries used up end the call with a goodbye; no operator key either', () => {
    const g = graphOf((f) => {
      delete f.operator;
      delete f.nodes.main.onExhausted;
    });
    expect(outOf(g, 'main').map((e) => [e.kind, e.label, e.to])).toEqual([['key', '1', 'skola']]);
    expect(endsOf(g, 'main')).toEqual([{ kind: 'message' }]);
  });

  test('operatorKey: false leaves the operator key out', () => {
    const g = graphOf((f) => (f.nodes.main.operatorKey = false));
    expect(outOf(g, 'main').map((e) => e.kind)).toEqual(['key', 'exhausted']);
  });
});

describe('a language menu', () => {
  test('each option is a key to next naming its language; no choice moves on to next too', () => {
    const g = graphOf((f) => {
      f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
      f.start = 'lang';
      f.nodes.lang = { type: 'language', prompt: 'For English, press 9.', options: { '9': 'en-GB', '8': 'sv-SE' }, next: 'main' };
    });
    expect(outOf(g, 'lang')).toEqual([
      { from: 'lang', to: 'main', kind: 'key', keys: 1, label: '8 (sv-SE)', choice: '8', path: 'nodes.lang.options.8', language: 'sv-SE', waiting: false },
      { from: 'lang', to: 'main', kind: 'key', keys: 1, label: '9 (en-GB)', choice: '9', path: 'nodes.lang.options.9', language: 'en-GB', waiting: false },
      { from: 'lang', to: 'main', kind: 'timeout', keys: 0, label: 'no choice', choice: 'timeout', path: 'nodes.lang.next', waiting: false },
    ]);
  });
});

describe('a callback node', () => {
  test('a request made moves on at 2 key presses; the operator key works while confirming; retries used up go along onExhausted', () => {
    const g = graphOf((f) => {
      f.nodes.cb = { type: 'callback', next: 'bye', onExhausted: 'skola' };
    });
    expect(outOf(g, 'cb')).toEqual([
      { from: 'cb', to: 'bye', kind: 'next', keys: 2, label: 'callback requested', choice: 'next', path: 'nodes.cb.next', waiting: false },
      { from: 'cb', to: 'operator', kind: 'operator-key', keys: 1, label: '0', choice: '0', path: 'operator.key', waiting: false },
      { from: 'cb', to: 'skola', kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: 'nodes.cb.onExhausted', waiting: true },
    ]);
    expect(endsOf(g, 'cb')).toEqual([]);
  });

  test('without next the request ends the call with a goodbye', () => {
    const g = graphOf((f) => (f.nodes.cb = { type: 'callback' }));
    expect(endsOf(g, 'cb')).toEqual([{ kind: 'message' }]);
    expect(outOf(g, 'cb').map((e) => [e.kind, e.path])).toEqual([['operator-key', 'operator.key'], ['exhausted', 'operator.node']]);
  });

  test.each([
    ['1', []],
    ['2', []],
    ['3', [['operator-key', '3']]],
  ])('an operator key %s: an operator edge only when it is neither 1 nor 2 (the confirmation keys)', (key, expected) => {
    const g = graphOf((f) => {
      f.operator.key = key;
      f.nodes.main.routes = { '5': 'skola' };
      f.nodes.cb = { type: 'callback', next: 'bye', onExhausted: 'bye' };
    });
    expect(outOf(g, 'cb').filter((e) => e.kind === 'operator-key').map((e) => [e.kind, e.label])).toEqual(expected);
  });

  test('without an operator and without onExhausted, retries used up end the call', () => {
    const g = graphOf((f) => {
      delete f.operator;
      f.nodes.cb = { type: 'callback', next: 'bye' };
    });
    expect(outOf(g, 'cb').map((e) => e.kind)).toEqual(['next']);
    expect(endsOf(g, 'cb')).toEqual([{ kind: 'message' }]);
  });
});

describe('an opening-hours check', () => {
  test('open moves on to next, closed along its route with its words, neither by a key nor by waiting', () => {
    const g = graphOf((f) => {
      f.start = 'open_check';
      f.nodes.open_check = { type: 'hours', open: { 'mon-fri': '08:00-16:00' }, next: 'main', closed: { next: 'bye', say: 'Stängt.' } };
    });
    expect(outOf(g, 'open_check')).toEqual([
      { from: 'open_check', to: 'main', kind: 'hours', keys: 0, label: 'open', choice: 'open', path: 'nodes.open_check.next', waiting: false },
      { from: 'open_check', to: 'bye', kind: 'hours', keys: 0, label: 'closed', choice: 'closed', path: 'nodes.open_check.closed', waiting: false, say: 'Stängt.' },
    ]);
  });
});

describe('a transfer', () => {
  test('a human end naming the target; busy and failed take onNoAnswer (and its path) when they have no route of their own', () => {
    const g = graphOf();
    expect(endsOf(g, 'skola')).toEqual([{ kind: 'human', targetKind: 'department', target: 'skola' }]);
    // Strict: a route without words gives an edge without a `say` key at all.
    expect(outOf(g, 'skola')).toStrictEqual([
      { from: 'skola', to: 'operator', kind: 'fallback', keys: 0, label: 'no-answer', choice: 'dial', path: 'nodes.skola.onNoAnswer', reason: 'no-answer', waiting: false },
      { from: 'skola', to: 'operator', kind: 'fallback', keys: 0, label: 'busy', choice: 'dial', path: 'nodes.skola.onNoAnswer', reason: 'busy', waiting: false },
      { from: 'skola', to: 'operator', kind: 'fallback', keys: 0, label: 'failed', choice: 'dial', path: 'nodes.skola.onNoAnswer', reason: 'failed', waiting: false },
    ]);
  });

  test('onBusy, onFailed and onNotice routes of their own, with their paths and words', () => {
    const g = graphOf((f) => {
      Object.assign(f.nodes.skola, { onBusy: { next: 'bye', say: 'Upptaget.' }, onFailed: 'main', onNotice: 'bye' });
    });
    expect(outOf(g, 'skola')).toEqual([
      { from: 'skola', to: 'operator', kind: 'fallback', keys: 0, label: 'no-answer', choice: 'dial', path: 'nodes.skola.onNoAnswer', reason: 'no-answer', waiting: false },
      { from: 'skola', to: 'bye', kind: 'fallback', keys: 0, label: 'busy', choice: 'dial', path: 'nodes.skola.onBusy', reason: 'busy', waiting: false, say: 'Upptaget.' },
      { from: 'skola', to: 'main', kind: 'fallback', keys: 0, label: 'failed', choice: 'dial', path: 'nodes.skola.onFailed', reason: 'failed', waiting: false },
      { from: 'skola', to: 'bye', kind: 'fallback', keys: 0, label: 'notice', choice: 'dial', path: 'nodes.skola.onNotice', reason: 'notice', waiting: false },
    ]);
  });

  test('FALLBACK_REASONS are the reasons fallbackRoutes gives, in its order', () => {
    expect(fallbackRoutes({ onNoAnswer: 'a' }, 'nodes.x').map((f) => f.reason)).toEqual([...FALLBACK_REASONS]);
    expect(FALLBACK_REASONS).toEqual(['no-answer', 'busy', 'failed']);
  });

  test('fallbackRoutes on its own: the route and path for each reason', () => {
    expect(fallbackRoutes({ onNoAnswer: 'a' }, 'nodes.x')).toEqual([
      { reason: 'no-answer', route: 'a', path: 'nodes.x.onNoAnswer' },
      { reason: 'busy', route: 'a', path: 'nodes.x.onNoAnswer' },
      { reason: 'failed', route: 'a', path: 'nodes.x.onNoAnswer' },
    ]);
    expect(fallbackRoutes({ onNoAnswer: 'a', onBusy: 'b', onFailed: { next: 'c' } }, 'nodes.x')).toEqual([
      { reason: 'no-answer', route: 'a', path: 'nodes.x.onNoAnswer' },
      { reason: 'busy', route: 'b', path: 'nodes.x.onBusy' },
      { reason: 'failed', route: { next: 'c' }, path: 'nodes.x.onFailed' },
    ]);
  });
});

describe('a backup node', () => {
  const withBackup = (node: Raw) => (f: Raw) => {
    f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: 'skola' } };
    f.nodes.colleague = node;
  };

  test('a person (unknown until the call) answers; its fallbacks; no backup goes along noBackup with its words', () => {
    const g = graphOf(withBackup({ type: 'backup', onNoAnswer: 'operator', noBackup: { next: 'bye', say: 'Ingen ersättare.' } }));
    expect(endsOf(g, 'colleague')).toEqual([{ kind: 'human', targetKind: 'person', target: '' }]);
    expect(outOf(g, 'colleague')).toEqual([
      { from: 'colleague', to: 'operator', kind: 'fallback', keys: 0, label: 'no-answer', choice: 'dial', path: 'nodes.colleague.onNoAnswer', reason: 'no-answer', waiting: false },
      { from: 'colleague', to: 'operator', kind: 'fallback', keys: 0, label: 'busy', choice: 'dial', path: 'nodes.colleague.onNoAnswer', reason: 'busy', waiting: false },
      { from: 'colleague', to: 'operator', kind: 'fallback', keys: 0, label: 'failed', choice: 'dial', path: 'nodes.colleague.onNoAnswer', reason: 'failed', waiting: false },
      { from: 'colleague', to: 'bye', kind: 'next', keys: 0, label: 'no backup', choice: 'no-backup', path: 'nodes.colleague.noBackup', waiting: false, say: 'Ingen ersättare.' },
    ]);
  });

  test('without noBackup, a person with no backup goes to the operator node; without an operator either, nowhere', () => {
    const withOperator = graphOf(withBackup({ type: 'backup', onNoAnswer: 'bye' }));
    expect(outOf(withOperator, 'colleague').slice(-1)).toEqual([
      { from: 'colleague', to: 'operator', kind: 'next', keys: 0, label: 'no backup', choice: 'no-backup', path: 'operator.node', waiting: false },
    ]);
    const withoutOperator = graphOf((f) => {
      withBackup({ type: 'backup', onNoAnswer: 'bye' })(f);
      delete f.operator;
    });
    expect(outOf(withoutOperator, 'colleague').map((e) => e.kind)).toEqual(['fallback', 'fallback', 'fallback']);
  });
});

describe('a queue', () => {
  test('the operator answers; each key leaves the queue; max wait and a full queue are fallbacks of one choice', () => {
    const g = graphOf((f) => {
      queues(f);
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'skola', onFull: { next: 'bye', say: 'Kön är full.' }, keys: { '1': 'main' }, keysPrompt: 'Tryck 1.' };
    });
    expect(endsOf(g, 'q')).toEqual([{ kind: 'human', targetKind: 'operator', target: 'vaxeln' }]);
    expect(outOf(g, 'q')).toEqual([
      { from: 'q', to: 'main', kind: 'key', keys: 1, label: '1 (in queue)', choice: '1', path: 'nodes.q.keys.1', waiting: false },
      { from: 'q', to: 'skola', kind: 'fallback', keys: 0, label: 'max-wait', choice: 'queue', path: 'nodes.q.onMaxWait', reason: 'max-wait', waiting: false },
      { from: 'q', to: 'bye', kind: 'fallback', keys: 0, label: 'queue-full', choice: 'queue', path: 'nodes.q.onFull', reason: 'queue-full', waiting: false, say: 'Kön är full.' },
    ]);
  });
});

describe('a person search', () => {
  const search = (f: Raw) => {
    f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
    f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'main', onNotice: 'bye', onExhausted: 'skola' };
  };

  test('the operator key, then per reason the extension digits plus the fallback, the notice, and retries used up', () => {
    const g = graphOf(search);
    expect(endsOf(g, 'person')).toEqual([{ kind: 'human', targetKind: 'person', target: '' }]);
    expect(outOf(g, 'person')).toEqual([
      { from: 'person', to: 'operator', kind: 'operator-key', keys: 1, label: '0', choice: '0', path: 'operator.key', waiting: false },
      { from: 'person', to: 'main', kind: 'fallback', keys: 4, label: '4 digits + no-answer', choice: 'extension', path: 'nodes.person.onNoAnswer', reason: 'no-answer', waiting: false },
      { from: 'person', to: 'main', kind: 'fallback', keys: 4, label: '4 digits + busy', choice: 'extension', path: 'nodes.person.onNoAnswer', reason: 'busy', waiting: false },
      { from: 'person', to: 'main', kind: 'fallback', keys: 4, label: '4 digits + failed', choice: 'extension', path: 'nodes.person.onNoAnswer', reason: 'failed', waiting: false },
      { from: 'person', to: 'bye', kind: 'fallback', keys: 4, label: '4 digits + notice', choice: 'extension', path: 'nodes.person.onNotice', reason: 'notice', waiting: false },
      { from: 'person', to: 'skola', kind: 'exhausted', keys: 0, label: 'retries used up', choice: 'exhausted', path: 'nodes.person.onExhausted', waiting: true },
    ]);
  });

  test('an empty directory: nobody to ring, so no human end and no fallbacks, only the operator key and retries used up', () => {
    const g = graphOf((f) => {
      search(f);
      f.directory = {};
    });
    expect(endsOf(g, 'person')).toEqual([]);
    expect(outOf(g, 'person').map((e) => e.kind)).toEqual(['operator-key', 'exhausted']);
  });

  test('an extension equal to the operator key takes the key: no operator edge', () => {
    const g = graphOf((f) => {
      search(f);
      f.directory = { '0': { name: 'Reception', number: '+46101300001' } };
      f.nodes.person.digits = 1;
    });
    expect(outOf(g, 'person').map((e) => [e.kind, e.label])).toEqual([
      ['fallback', '1 digits + no-answer'],
      ['fallback', '1 digits + busy'],
      ['fallback', '1 digits + failed'],
      ['fallback', '1 digits + notice'],
      ['exhausted', 'retries used up'],
    ]);
  });

  test('without an operator: no operator key, and retries used up without onExhausted end the call', () => {
    const g = graphOf((f) => {
      search(f);
      delete f.operator;
      delete f.nodes.person.onExhausted;
    });
    expect(outOf(g, 'person').map((e) => e.kind)).toEqual(['fallback', 'fallback', 'fallback', 'fallback']);
    expect(endsOf(g, 'person')).toEqual([
      { kind: 'human', targetKind: 'person', target: '' },
      { kind: 'message' },
    ]);
  });
});

describe('the graph as a whole', () => {
  test('edges in file order, each also in its target node\'s incoming list', () => {
    const g = graphOf();
    expect(g.edges.map((e) => `${e.from}-${e.kind}->${e.to}`)).toEqual([
      'main-key->skola',
      'main-operator-key->operator',
      'main-exhausted->operator',
      'skola-fallback->operator',
      'skola-fallback->operator',
      'skola-fallback->operator',
      'operator-fallback->bye',
      'operator-fallback->bye',
      'operator-fallback->bye',
    ]);
    expect(g.nodes.get('operator')!.in).toEqual(g.edges.filter((e) => e.to === 'operator'));
    expect(g.nodes.get('main')!.in).toEqual([]);
    expect([...g.nodes.keys()]).toEqual(['main', 'skola', 'operator', 'bye']);
    expect(g.nodes.get('main')!.type).toBe('menu');
  });

  test('an edge to a node that does not exist (a loader bug) is left out rather than thrown', () => {
    const flow = flowOf();
    (flow.nodes.main as { routes: Record<string, string> }).routes['2'] = 'ghost';
    const g = buildGraph(flow);
    expect(g.nodes.get('main')!.out.map((e) => e.to)).toEqual(['skola', 'operator', 'operator']);
    expect(g.edges.some((e) => e.to === 'ghost')).toBe(false);
  });

  test('the operator nodes: operator.node, every transfer to an operator target, every queue', () => {
    const g = graphOf((f) => {
      queues(f);
      f.nodes.op2 = { type: 'transfer', target: 'operator', onNoAnswer: 'bye' };
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' };
      f.operator.node = 'main';
    });
    expect([...g.operatorNodes]).toEqual(['main', 'operator', 'op2', 'q']);
  });

  test('without an operator setting, only the transfers to an operator target; none at all when there is none', () => {
    expect([...graphOf((f) => delete f.operator).operatorNodes]).toEqual(['operator']);
    expect([...graphOf((f) => {
      delete f.operator;
      f.targets.operator.kind = 'department';
    }).operatorNodes]).toEqual([]);
  });
});

describe('reachability', () => {
  const g = () => graphOf((f) => {
    f.nodes.island = { type: 'message', say: 'Ingen når hit.', next: 'skola' };
  });

  test('everything along any edge, the start itself included, and nothing else', () => {
    expect([...reachableFrom(g(), ['main'])].sort()).toEqual(['bye', 'main', 'operator', 'skola']);
    expect([...reachableFrom(g(), ['island'])].sort()).toEqual(['bye', 'island', 'operator', 'skola']);
    expect([...reachableFrom(g(), ['bye'])]).toEqual(['bye']);
  });

  test('ids that are no node are ignored; no start, nothing reached', () => {
    expect([...reachableFrom(g(), ['ghost', 'bye'])]).toEqual(['bye']);
    expect([...reachableFrom(g(), [])]).toEqual([]);
  });

  test('only along the edges `use` allows', () => {
    expect([...reachableFrom(g(), ['main'], (e) => e.kind === 'key')].sort()).toEqual(['main', 'skola']);
    expect([...reachableFrom(g(), ['main'], () => false)]).toEqual(['main']);
  });
});

describe('kinds of node', () => {
  test('terminal: no way on; dialling: transfer, queue, backup; choice: neither', () => {
    const g = graphOf((f) => {
      queues(f);
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: 'skola' } };
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'bye', onFull: 'bye' };
      f.nodes.colleague = { type: 'backup', onNoAnswer: 'bye' };
      f.nodes.info = { type: 'message', say: 'Info.', next: 'main' };
      f.nodes.survey = { type: 'survey' };
    });
    const kinds = [...g.nodes.values()].map((n) => [n.id, isTerminal(n), isDialling(n), isChoiceNode(n)]);
    expect(kinds).toEqual([
      ['main', false, false, true],
      ['skola', false, true, false],
      ['operator', false, true, false],
      ['bye', true, false, false],
      ['q', false, true, false],
      ['colleague', false, true, false],
      ['info', false, false, true],
      ['survey', true, false, false],
    ]);
  });
});
