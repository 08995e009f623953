/**
 * cheapestPath (src/flow/replay/cheapest.ts) and the caller's language: a language menu let pass or
 * answered, prompts heard in the language chosen, the language the intent asks for where the flow
 * offers it (and any language where it does not), at the end of a transfer, a fallback or an ending.
 */
import { cheapestPath } from '../../../src/flow/replay/cheapest';
import type { Flow } from '../../../src/flow/schema';
import { flowOf, type Raw } from '../lint/flows';
import { chars, department, M, selfService, transfers } from './intents';

const VOICES = { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy' };

/**
 * A language menu first (10 characters in Swedish, 14 in English, let pass after 3 s), then the main
 * menu: 20 characters in Swedish, 30 in English.
 */
const languageFirst = (change: (f: Raw) => void = () => {}): Flow =>
  flowOf((f) => {
    f.languages = { default: 'sv-SE', voices: VOICES };
    f.start = 'lang';
    f.nodes.lang = { type: 'language', prompt: { 'sv-SE': chars(10), 'en-GB': chars(14) }, options: { '1': 'en-GB', '2': 'sv-SE' }, timeoutSeconds: 3, next: 'main' };
    f.nodes.main.prompt = { 'sv-SE': chars(20), 'en-GB': chars(30) };
    change(f);
  });

/** The main menu first, key 9 to the language menu and back: the English caller passes the main menu twice. */
const languageInMenu = (change: (f: Raw) => void = () => {}): Flow =>
  languageFirst((f) => {
    f.start = 'main';
    f.nodes.main.routes = { '1': 'skola', '2': 'bye', '9': 'lang' };
    change(f);
  });

describe('cheapestPath with a language menu first', () => {
  test('a Swedish caller lets it pass: no key, its prompt and its 3 s', () => {
    expect(cheapestPath(languageFirst(), transfers([department('skola')], 'sv-SE'), M)).toEqual({
      keys: 1,
      menuMs: 100 + 3000 + 200 + 1000,
      ringMs: 0,
      steps: ['lang [no key]', 'main [1]', 'ring skola'],
    });
  });

  test('an English caller presses 1, having heard the language menu in Swedish, and hears the main menu in English', () => {
    expect(cheapestPath(languageFirst(), transfers([department('skola')], 'en-GB'), M)).toEqual({
      keys: 2,
      menuMs: 100 + 1000 + 300 + 1000,
      ringMs: 0,
      steps: ['lang [1]', 'main [1]', 'ring skola'],
    });
  });

  test('a language the flow does not offer, or none: the cheapest path in any language', () => {
    const swedish = { keys: 1, menuMs: 4300, ringMs: 0, steps: ['lang [no key]', 'main [1]', 'ring skola'] };
    expect(cheapestPath(languageFirst(), transfers([department('skola')], 'de-DE'), M)).toEqual(swedish);
    expect(cheapestPath(languageFirst(), transfers([department('skola')], null), M)).toEqual(swedish);
  });

  test('an English caller of a flow without a language menu: the default language serves', () => {
    const f = flowOf((r) => {
      r.languages = { default: 'sv-SE', voices: VOICES };
      r.nodes.main.prompt = { 'sv-SE': chars(20), 'en-GB': chars(30) };
    });
    expect(cheapestPath(f, transfers([department('skola')], 'en-GB'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [1]', 'ring skola'] });
  });
});

describe('cheapestPath with the language menu behind a key of the main menu', () => {
  test('an English caller: main menu in Swedish, 9, 1, main menu again in English (the same menu, in another language, is searched anew)', () => {
    expect(cheapestPath(languageInMenu(), transfers([department('skola')], 'en-GB'), M)).toEqual({
      keys: 3,
      menuMs: 1200 + 1100 + 1300,
      ringMs: 0,
      steps: ['main [9]', 'lang [1]', 'main [1]', 'ring skola'],
    });
  });

  test('an English caller whose last attempt ended in no answer: the path to it is in English too', () => {
    expect(cheapestPath(languageInMenu(), transfers([department('skola', 'no-answer')], 'en-GB'), M)).toEqual({
      keys: 3,
      menuMs: 1200 + 1100 + 1300,
      ringMs: 25_000,
      steps: ['main [9]', 'lang [1]', 'main [1]', 'ring skola: no-answer'],
    });
  });

  test('an English caller the IVR ended with: the ending reached in English', () => {
    expect(cheapestPath(languageInMenu(), selfService('bye', 'en-GB'), M)).toEqual({
      keys: 3,
      menuMs: 1200 + 1100 + 1300,
      ringMs: 0,
      steps: ['main [9]', 'lang [1]', 'main [2]', 'bye'],
    });
  });

  test('a Swedish caller takes the direct way', () => {
    expect(cheapestPath(languageInMenu(), selfService('bye', 'sv-SE'), M)).toEqual({ keys: 1, menuMs: 1200, ringMs: 0, steps: ['main [2]', 'bye'] });
  });
});
