/**
 * The fallback rules (src/flow/lint/rules/fallbacks.ts): a dial nobody answered or retries used up
 * that send the caller where nothing good happens (fallback-dead-end, one finding per route in the
 * file), and a dial that, unanswered, puts the caller through to itself again with no choice of
 * theirs (fallback-loop): along messages, hours checks and the same fallback of another dial.
 */
import { fallbackRules } from '../../../src/flow/lint/rules/fallbacks';
import { FILE, analysisOf, row, type Raw } from './flows';

const fallbacks = (change: (f: Raw) => void) => fallbackRules(analysisOf(change)).map(row);
const silent = (f: Raw) => (f.nodes.silent = { type: 'hangup' });
/** Two messages that hand the caller to each other: a place where nothing good happens. */
const loop = (f: Raw) => {
  f.nodes.a = { type: 'message', say: 'A.', next: 'b' };
  f.nodes.b = { type: 'message', say: 'B.', next: 'a' };
};
const extraDepartment = (f: Raw) => (f.targets.bygg = { label: 'Bygg', number: '+46101300230', kind: 'department' });

describe('fallback-dead-end', () => {
  test('an unanswered dial\'s own route to a silent hang-up, at that route', () => {
    const results = fallbackRules(analysisOf((f) => {
      silent(f);
      f.nodes.skola.onBusy = 'silent';
    }));
    expect(results.map(row)).toEqual([
      ['error', 'fallback-dead-end', 'nodes.skola.onBusy', 'after busy at "skola" the caller is sent to "silent", which leads to no person, operator or message'],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('busy and failed without routes of their own share onNoAnswer\'s: one finding naming all three', () => {
    expect(fallbacks((f) => {
      silent(f);
      f.nodes.skola.onNoAnswer = 'silent';
    })).toEqual([
      ['error', 'fallback-dead-end', 'nodes.skola.onNoAnswer', 'after no-answer/busy/failed at "skola" the caller is sent to "silent", which leads to no person, operator or message'],
    ]);
  });

  test('retries used up', () => {
    expect(fallbacks((f) => {
      silent(f);
      f.nodes.main.onExhausted = 'silent';
    })).toEqual([
      ['error', 'fallback-dead-end', 'nodes.main.onExhausted', 'when the retries run out at "main" the caller is sent to "silent", which leads to no person, operator or message'],
    ]);
  });

  test('retries used up at two menus without onExhausted: one finding each, both at operator.node', () => {
    expect(fallbacks((f) => {
      silent(f);
      f.operator.node = 'silent';
      delete f.nodes.main.onExhausted;
      f.nodes.main.routes['2'] = 'more';
      f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
      f.nodes.more = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'skola' } };
      f.nodes.skola.onNoAnswer = 'bye';
    })).toEqual([
      ['error', 'fallback-dead-end', 'operator.node', 'when the retries run out at "main" the caller is sent to "silent", which leads to no person, operator or message'],
      ['error', 'fallback-dead-end', 'operator.node', 'when the retries run out at "more" the caller is sent to "silent", which leads to no person, operator or message'],
    ]);
  });

  test('words on the route before a silent hang-up are enough', () => {
    expect(fallbacks((f) => {
      silent(f);
      f.nodes.skola.onBusy = { next: 'silent', say: 'Det är upptaget. Hej då.' };
    })).toEqual([]);
  });

  test('words on the route are not enough when it leads on to where nothing good happens', () => {
    expect(fallbacks((f) => {
      loop(f);
      f.nodes.skola.onBusy = { next: 'a', say: 'Det är upptaget.' };
    })).toEqual([
      ['error', 'fallback-dead-end', 'nodes.skola.onBusy', 'after busy at "skola" the caller is sent to "a", which leads to no person, operator or message'],
    ]);
  });

  test('a spoken goodbye, a person, the operator are good ends', () => {
    expect(fallbacks((f) => {
      f.nodes.skola.onBusy = 'bye';
      f.nodes.skola.onFailed = 'main';
    })).toEqual([]);
  });

  test('the fallbacks of a node no caller reaches are not checked', () => {
    expect(fallbacks((f) => {
      silent(f);
      f.nodes.island = { type: 'transfer', target: 'skola', onNoAnswer: 'silent' };
    })).toEqual([]);
  });
});

describe('fallback-loop', () => {
  test('a transfer whose unanswered dial leads straight back to itself', () => {
    const results = fallbackRules(analysisOf((f) => (f.nodes.skola.onNoAnswer = 'skola')));
    expect(results.map(row)).toEqual([
      [
        'error', 'fallback-loop', 'nodes.skola.onNoAnswer',
        'after no-answer/busy/failed at "skola" the caller is put through again without a choice (skola → skola): while nobody answers, the call goes round for ever',
      ],
    ]);
    expect(results[0].file).toBe(FILE);
  });

  test('back along a message and an opening-hours check, named in order', () => {
    expect(fallbacks((f) => {
      f.nodes.skola.onBusy = 'wait';
      f.nodes.wait = { type: 'message', say: 'Vi försöker igen.', next: 'check' };
      f.nodes.check = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'skola', closed: 'bye' };
    })).toEqual([
      [
        'error', 'fallback-loop', 'nodes.skola.onBusy',
        'after busy at "skola" the caller is put through again without a choice (skola → wait → check → skola): while nobody answers, the call goes round for ever',
      ],
    ]);
  });

  test('back along an hours check\'s closed route too', () => {
    expect(fallbacks((f) => {
      f.nodes.skola.onBusy = 'check';
      f.nodes.check = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'bye', closed: 'skola' };
    }).map((r) => r[3])).toEqual([
      'after busy at "skola" the caller is put through again without a choice (skola → check → skola): while nobody answers, the call goes round for ever',
    ]);
  });

  test('of two ways round, the shortest is named', () => {
    expect(fallbacks((f) => {
      f.nodes.skola.onBusy = 'check';
      f.nodes.check = { type: 'hours', open: { mon: '08:00-16:00' }, next: 'short', closed: 'long' };
      f.nodes.short = { type: 'message', say: 'Vi försöker igen.', next: 'skola' };
      f.nodes.long = { type: 'message', say: 'Vi har stängt.', next: 'longer' };
      f.nodes.longer = { type: 'message', say: 'Vi försöker ändå.', next: 'skola' };
    }).map((r) => r[3])).toEqual([
      'after busy at "skola" the caller is put through again without a choice (skola → check → short → skola): while nobody answers, the call goes round for ever',
    ]);
  });

  test('back along another dial\'s fallback for the same reason: each dial reported', () => {
    expect(fallbacks((f) => {
      extraDepartment(f);
      f.nodes.skola.onNoAnswer = 'bygg';
      f.nodes.bygg = { type: 'transfer', target: 'bygg', onNoAnswer: 'skola' };
    }).map((r) => [r[1], r[2], r[3]])).toEqual([
      ['fallback-loop', 'nodes.skola.onNoAnswer', 'after no-answer/busy/failed at "skola" the caller is put through again without a choice (skola → bygg → skola): while nobody answers, the call goes round for ever'],
      ['fallback-loop', 'nodes.bygg.onNoAnswer', 'after no-answer/busy/failed at "bygg" the caller is put through again without a choice (bygg → skola → bygg): while nobody answers, the call goes round for ever'],
    ]);
  });

  test('another dial\'s fallback for another reason is not the same loop', () => {
    expect(fallbacks((f) => {
      extraDepartment(f);
      f.nodes.main.routes['2'] = 'bygg';
      f.nodes.main.prompt = 'Tryck 1 eller 2. För växeln, tryck 0.';
      f.nodes.skola.onBusy = 'bygg';
      f.nodes.bygg = { type: 'transfer', target: 'bygg', onNoAnswer: 'skola', onBusy: 'operator' };
    }).map((r) => [r[1], r[2]])).toEqual([]);
  });

  test('a menu on the way is the caller\'s choice: no loop', () => {
    expect(fallbacks((f) => {
      f.nodes.skola.onNoAnswer = 'main';
    })).toEqual([]);
  });

  test('a person search on the way keys an extension first: its fallbacks are no way back', () => {
    expect(fallbacks((f) => {
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
      f.nodes.skola.onNoAnswer = 'person';
      f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'skola' };
    })).toEqual([]);
  });

  test('a person search whose unanswered extension leads back to it is no loop: the caller keys again', () => {
    expect(fallbacks((f) => {
      f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
      f.nodes.main.routes['5'] = 'person';
      f.nodes.main.prompt = 'Tryck 1 eller 5. För växeln, tryck 0.';
      f.nodes.person = { type: 'directory', prompt: 'Slå anknytningen.', digits: 4, onNoAnswer: 'person' };
    })).toEqual([]);
  });

  test('a queue whose longest wait puts the caller back in it', () => {
    expect(fallbacks((f) => {
      f.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      f.operator.node = 'q';
      f.nodes.q = { type: 'queue', queue: 'vaxeln', onMaxWait: 'q', onFull: 'bye' };
    })).toEqual([
      ['error', 'fallback-loop', 'nodes.q.onMaxWait', 'after max-wait at "q" the caller is put through again without a choice (q → q): while nobody answers, the call goes round for ever'],
    ]);
  });

  test('a loop of messages the route runs into, without the dial in it, ends the search (and is no fallback loop)', () => {
    expect(fallbacks((f) => {
      loop(f);
      f.nodes.skola.onNoAnswer = 'a';
    })).toEqual([
      ['error', 'fallback-dead-end', 'nodes.skola.onNoAnswer', 'after no-answer/busy/failed at "skola" the caller is sent to "a", which leads to no person, operator or message'],
    ]);
  });
});
