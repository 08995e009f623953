/**
 * cheapestPath (src/flow/replay/cheapest.ts) at a person search: the extension keyed (each digit a key,
 * each further digit its own time), the person found by extension or by number, the sentence said
 * while connecting (the node's own or the built-in one, in the caller's language) and the ring.
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import { DEFAULT_CALLER_MODEL } from '../../../src/flow/replay/model';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';
import { chars, department, M, operator, person, selfService, transfers } from './intents';

/**
 * The lint base flow with a 20-character main menu (1 200 ms to press under M), key 5 to a person
 * search with a 16-character prompt (keying four digits: 160 + 1 000 + 3 × 100 = 1 460 ms) that rings
 * 20 s; nobody answering leads to a 12-character menu `unavailable` (1 120 ms to press 0 there), busy
 * to the same with a 7-character sentence.
 */
const flow = (change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' }, '4712': { name: 'Johan Berg', number: '+46101304712' } };
    f.nodes.main.prompt = chars(20);
    f.nodes.main.routes = { '1': 'skola', '5': 'person' };
    f.nodes.person = { type: 'directory', prompt: chars(16), digits: 4, ringSeconds: 20, onNoAnswer: 'unavailable', onBusy: { next: 'unavailable', say: chars(7) }, onFailed: 'operator' };
    f.nodes.unavailable = { type: 'menu', prompt: chars(12), routes: { '1': 'person' } };
    change(f);
  });

/** "Du kopplas nu.": the built-in Swedish sentence said while the extension is connected. */
const CONNECTING_SV = 14 * 10;
/** "Connecting you now.": the built-in English one. */
const CONNECTING_EN = 19 * 10;

describe('cheapestPath at a person search', () => {
  test('a person answered: the extension keyed at the person search, four keys, each further digit 100 ms', () => {
    expect(cheapestPath(flow(), transfers([person('4711')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: 0,
      steps: ['main [5]', 'person [4711]', 'ring person 4711'],
    });
  });

  test('the default caller: no time for further digits, 1.5 s to answer, 60 ms per character', () => {
    expect(cheapestPath(flow(), transfers([person('4711')]), DEFAULT_CALLER_MODEL)).toEqual({
      keys: 5,
      menuMs: 20 * 60 + 1500 + 16 * 60 + 1500,
      ringMs: 0,
      steps: ['main [5]', 'person [4711]', 'ring person 4711'],
    });
  });

  test('a notice met: no connecting sentence is counted (the notice is said instead), no ring, then onNotice', () => {
    const f = flow((r) => {
      r.nodes.person.onNotice = 'operator';
    });
    expect(cheapestPath(f, transfers([person('4711', 'notice'), operator()]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: 0,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: notice', 'ring operator'],
    });
  });

  test('nobody answered: the built-in connecting sentence and the ring time, then the next menu', () => {
    expect(cheapestPath(flow(), transfers([person('4711', 'no-answer'), operator()]), M)).toEqual({
      keys: 6,
      menuMs: 1200 + 1460 + 1120,
      ringMs: CONNECTING_SV + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer', 'unavailable [0]', 'ring operator'],
    });
  });

  test('busy: only the connecting sentence rings; the route sentence is heard before the next menu', () => {
    expect(cheapestPath(flow(), transfers([person('4711', 'busy'), operator()]), M)).toEqual({
      keys: 6,
      menuMs: 1200 + 1460 + 70 + 1120,
      ringMs: CONNECTING_SV,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: busy', 'unavailable [0]', 'ring operator'],
    });
  });

  test('the node own connecting sentence replaces the built-in one', () => {
    const f = flow((r) => {
      r.nodes.person.connectingPrompt = chars(25);
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: 250 + 20_000,
      steps: ['main [5]', 'person [4711]', 'ring person 4711: no-answer'],
    });
  });

  test('the built-in connecting sentence in the language the caller chose', () => {
    const f = flow((r) => {
      r.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' } };
      r.start = 'lang';
      r.nodes.lang = { type: 'language', prompt: chars(10), options: { '1': 'en-GB' }, next: 'main' };
    });
    expect(cheapestPath(f, transfers([person('4711', 'no-answer')], 'en-GB'), M)).toEqual({
      keys: 6,
      menuMs: 1100 + 1200 + 1460,
      ringMs: CONNECTING_EN + 20_000,
      steps: ['lang [1]', 'main [5]', 'person [4711]', 'ring person 4711: no-answer'],
    });
  });

  test('a person whose extension changed is found by their number; the step names them as the intent does', () => {
    expect(cheapestPath(flow(), transfers([person('9999', 'answered', '+46101304712')]), M)).toEqual({
      keys: 5,
      menuMs: 1200 + 1460,
      ringMs: 0,
      steps: ['main [5]', 'person [4712]', 'ring person 9999'],
    });
  });

  test('a person the directory does not have, by extension or number: no path', () => {
    expect(cheapestPath(flow(), transfers([person('4799')]), M)).toBeNull();
    expect(cheapestPath(flow(), transfers([person('4799', 'answered', '+46101304799')]), M)).toBeNull();
  });

  test('a department is never keyed as an extension, even one with a person number', () => {
    expect(cheapestPath(flow(), transfers([department('gone', 'answered', '+46101304711')]), M)).toBeNull();
  });

  test('a call the IVR ends by itself is not served by keying an extension on the way', () => {
    const f = flow((r) => {
      r.nodes.main.routes = { '1': 'skola', '2': 'info', '5': 'person' };
      r.nodes.info = { type: 'message', say: chars(50), next: 'bye' };
    });
    expect(cheapestPath(f, selfService('bye'), M)).toEqual({ keys: 1, menuMs: 1200 + 500, ringMs: 0, steps: ['main [2]', 'info', 'bye'] });
  });

  test('one digit: the extension costs one key and no time for further digits', () => {
    const f = flow((r) => {
      r.directory = { '7': { name: 'Anna Lind', number: '+46101304711' } };
      r.nodes.person.digits = 1;
    });
    expect(cheapestPath(f, transfers([person('7')]), M)).toEqual({ keys: 2, menuMs: 1200 + 160 + 1000, ringMs: 0, steps: ['main [5]', 'person [7]', 'ring person 7'] });
  });
});
