/**
 * cheapestPath (src/flow/replay/cheapest.ts) at a backup node: it rings the backup of the person
 * sought before (nodes/backup.ts), a menu offers it only when there is one (nodes/menu.ts), a route to
 * it for a person without a backup is its noBackup route (backups.ts), and notices are met there as at
 * any person's dial.
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';
import { chars, department, M, operator, person, transfers } from './intents';

/**
 * The lint base flow with a 20-character main menu (1 200 ms to press under M), key 5 to a person
 * search with a 16-character prompt (keying four digits: 1 460 ms) that rings 20 s; nobody answering
 * leads to a 12-character menu `unavailable` whose key 1 leads to the backup node `bk` (15 s). Anna
 * Lind (4711) has Johan Berg (4712) as her backup; he has none.
 */
const flow = (change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711', backup: '4712' }, '4712': { name: 'Johan Berg', number: '+46101304712' } };
    f.nodes.main.prompt = chars(20);
    f.nodes.main.routes = { '1': 'skola', '5': 'person' };
    f.nodes.person = { type: 'directory', prompt: chars(16), digits: 4, ringSeconds: 20, onNoAnswer: 'unavailable' };
    f.nodes.unavailable = { type: 'menu', prompt: chars(12), routes: { '1': 'bk' } };
    f.nodes.bk = { type: 'backup', timeoutSeconds: 15, onNoAnswer: 'operator' };
    change(f);
  });

/** The engine's words, each 10 ms a character under M. */
const ms = (text: string) => text.length * 10;
/** "Du kopplas nu.": said while an extension is connected. */
const CONNECTING = ms('Du kopplas nu.');
/** Said while Anna's backup is connected, when the backup node has no words of its own. */
const BACKUP_CONNECTING = ms('Du kopplas till en kollega till Anna Lind.');
/** The menu `unavailable` as heard after Anna did not answer: the engine's offer, then the prompt; key 1 after 1 s. */
const UNAVAILABLE_WITH_OFFER = ms('För att nå en kollega till Anna Lind, tryck 1. ' + chars(12)) + 1000;

describe('cheapestPath: a menu key to a backup node', () => {
  test('offered after a person with a backup: the offer is heard with the prompt, and the backup rings', () => {
    expect(cheapestPath(flow(), transfers([person('4711', 'no-answer'), person('4712')]), M)).toEqual({
      keys: 6,
      menuMs: 1200 + 1460 + UNAVAILABLE_WITH_OFFER,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'unavailable [1]', 'ring person 4712'],
    });
  });

  test('no choice after a person without a backup: the prompt is heard alone and the caller takes the operator key', () => {
    expect(cheapestPath(flow(), transfers([person('4712', 'no-answer'), operator()]), M)).toEqual({
      keys: 6,
      menuMs: 1200 + 1460 + 1120,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4712]', 'ring person 4712: no-answer', 'unavailable [0]', 'ring operator'],
    });
  });

  test('the offer said where the prompt has its place for it', () => {
    const f = flow((r) => {
      r.nodes.unavailable.prompt = `${chars(12)} {backup}`;
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), person('4712')]), M)!.menuMs).toBe(1200 + 1460 + UNAVAILABLE_WITH_OFFER);
  });

  test('a backup that is not the person the caller reached next is no way to them', () => {
    expect(cheapestPath(flow(), transfers([person('4711', 'no-answer'), department('skola')]), M)).toBeNull();
  });
});

describe('cheapestPath: a fallback route to a backup node', () => {
  const straight = (change: (f: Raw) => void = () => {}) =>
    flow((r) => {
      r.nodes.person.onNoAnswer = 'bk';
      change(r);
    });

  test('rings the backup at once, saying the built-in sentence on the way', () => {
    expect(cheapestPath(straight(), transfers([person('4711', 'no-answer'), person('4712')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring person 4712'],
    });
  });

  test('a backup nobody answers rings for the backup node\'s timeout after the built-in sentence, then its own fallback', () => {
    expect(cheapestPath(straight(), transfers([person('4711', 'no-answer'), person('4712', 'no-answer'), operator()]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000 + BACKUP_CONNECTING + 15_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring person 4712: no-answer', 'ring operator'],
    });
  });

  test('the backup node\'s own words are said instead of the built-in sentence', () => {
    const f = straight((r) => {
      r.nodes.bk.say = chars(11);
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), person('4712', 'no-answer'), operator()]), M)!.ringMs).toBe(CONNECTING + 20_000 + 110 + 15_000);
  });

  test('for a person without a backup, the node\'s noBackup route is taken, with its words', () => {
    const f = straight((r) => {
      r.nodes.bk.noBackup = { next: 'operator', say: chars(9) };
    });
    expect(cheapestPath(f, transfers([person('4712', 'no-answer'), operator('no-answer')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000 + 90 + 25_000,
      steps: ['main [5]', 'person [4712]', 'ring person 4712: no-answer', 'ring operator: no-answer'],
    });
  });

  test('without a noBackup route, the flow\'s operator', () => {
    expect(cheapestPath(straight(), transfers([person('4712', 'no-answer'), operator('no-answer')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000 + 25_000,
      steps: ['main [5]', 'person [4712]', 'ring person 4712: no-answer', 'ring operator: no-answer'],
    });
  });

  test('a group as the backup: the department rings; a group has no absence notice', () => {
    const f = straight((r) => {
      r.directory['4711'].backup = 'skola';
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), department('skola')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring skola'],
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), department('skola', 'notice'), operator()]), M)).toBeNull();
  });
});

describe('cheapestPath: absence notices and backups', () => {
  test('a notice sends the caller along onNotice to the backup, which rings: nothing rang before it', () => {
    const f = flow((r) => {
      r.nodes.person.onNotice = 'bk';
    });
    expect(cheapestPath(f, transfers([person('4711', 'notice'), person('4712')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: 0,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: notice', 'ring person 4712'],
    });
  });

  test('the colleague absent too: no sentence of the backup node, no ring, then its onNoAnswer', () => {
    const f = flow((r) => {
      r.nodes.person.onNoAnswer = 'bk';
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), person('4712', 'notice'), operator()]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring person 4712: notice', 'ring operator'],
    });
  });

  test('a second backup node after the colleague rings the colleague\'s own backup', () => {
    const f = flow((r) => {
      r.directory['4712'].backup = 'skola';
      r.nodes.person.onNoAnswer = 'bk';
      r.nodes.bk.onNoAnswer = 'bk2';
      r.nodes.bk2 = { type: 'backup', onNoAnswer: 'operator' };
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer'), person('4712', 'busy'), department('skola')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000 + BACKUP_CONNECTING,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring person 4712: busy', 'ring skola'],
    });
  });
});

describe('cheapestPath: a backup node reached before anyone was sought', () => {
  test('a message leading to it moves on along its noBackup route, as the engine does', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '2': 'msg' };
      r.nodes.msg = { type: 'message', say: chars(5), next: 'bk' };
      r.nodes.bk.noBackup = 'skola';
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [2]', 'msg', 'bk', 'ring skola'] });
  });

  test('a menu key to it is no choice', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'bk' };
      r.nodes.bk.noBackup = 'skola';
    });
    expect(cheapestPath(f, transfers([department('skola')]), M)).toBeNull();
  });
});

describe('cheapestPath: the same node reached having sought different people', () => {
  test('a cheaper way to the menu, after someone without a backup, does not hide the way after the person with one', () => {
    // Anna is also reachable by a transfer node of her own number (key 6): one key instead of five, but
    // the person sought is then the target "anna", who has no backup, so the menu offers none.
    const f = flow((r) => {
      r.targets.anna = { label: 'Anna Lind', number: '+46101304711', kind: 'person' };
      r.nodes.main.routes['6'] = 'anna';
      r.nodes.anna = { type: 'transfer', target: 'anna', timeoutSeconds: 20, onNoAnswer: 'unavailable' };
    });
    // Anna by her number, as a journey's intent has it: both ways ring her.
    expect(cheapestPath(f, transfers([person('4711', 'no-answer', '+46101304711'), person('4712')]), M)).toEqual({
      keys: 6,
      menuMs: 1200 + 1460 + UNAVAILABLE_WITH_OFFER,
      ringMs: CONNECTING + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'unavailable [1]', 'ring person 4712'],
    });
  });
});

describe('cheapestPath: a queue\'s route to a backup node', () => {
  test('is followed as written, into the backup node, which then takes its noBackup route with its own words (nodes/queue.ts)', () => {
    const f = flow((r) => {
      r.queues = { vaxeln: { label: 'Växeln', agentNumber: '+46101300199', operators: { lena: { name: 'Lena Ek', number: '+46701110001' } } } };
      r.nodes.person.onNoAnswer = 'q';
      r.nodes.q = { type: 'queue', queue: 'vaxeln', say: chars(3), maxWaitSeconds: 60, onMaxWait: { next: 'bk', say: chars(4) }, onFull: 'bye' };
      r.nodes.bk.noBackup = { next: 'skola', say: chars(6) };
    });
    expect(cheapestPath(f, transfers([person('4712', 'no-answer'), operator('max-wait'), department('skola', 'no-answer')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: CONNECTING + 20_000 + 30 + 60_000 + 40 + 60 + 25_000,
      steps: ['main [5]', 'person [4712]', 'ring person 4712: no-answer', 'ring operator: max-wait', 'bk', 'ring skola: no-answer'],
    });
  });
});
