/**
 * The translation rule (src/flow/lint/rules/translations.ts): once a reachable language menu lets
 * callers choose another language, every prompt without a text in each chosen language is reported
 * (and which text those callers hear instead), and so is a chosen language callpath has no built-in
 * sentences in. Nothing while only the default language can be chosen.
 */
import { missingTranslations } from '../../../src/flow/lint/rules/translations';
import { FILE, analysisOf, row, type Raw } from './flows';

const translations = (change: (f: Raw) => void) => missingTranslations(analysisOf(change)).map(row);

/** Voices for sv-SE, en-GB, en-US and de-DE; a language menu first offering the options given. */
const languageMenu = (options: Record<string, string>) => (f: Raw) => {
  f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'en-GB': 'Polly.Amy', 'en-US': 'Polly.Joanna', 'de-DE': 'Polly.Vicki' } };
  f.start = 'lang';
  f.nodes.lang = { type: 'language', prompt: { 'sv-SE': 'Tryck 9.', 'en-GB': 'Press 9.', 'en-US': 'Press 9.', 'de-DE': 'Drücken Sie 9.' }, options, next: 'main' };
};

describe('missing-translation', () => {
  test('a second language chosen: each prompt with only the default language, heard in it', () => {
    const results = missingTranslations(analysisOf(languageMenu({ '9': 'en-GB' })));
    expect(results.map(row)).toEqual([
      ['warning', 'missing-translation', 'nodes.main.prompt', 'no en-GB text: callers who chose en-GB hear the sv-SE text'],
      ['warning', 'missing-translation', 'nodes.bye.say', 'no en-GB text: callers who chose en-GB hear the sv-SE text'],
    ]);
    expect(results.map((r) => r.file)).toEqual([FILE, FILE]);
  });

  test('a callback node\'s words are checked too (it speaks them before reading the number back)', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-GB' })(f);
      f.nodes.main.prompt = { 'sv-SE': 'Tryck 1. Tryck 0.', 'en-GB': 'Press 1. Press 0.' };
      f.nodes.bye.say = { 'sv-SE': 'Hej då.', 'en-GB': 'Goodbye.' };
      f.nodes.main.routes['2'] = 'ring';
      f.nodes.ring = { type: 'callback', say: 'Vi ringer gärna upp dig.', next: 'bye' };
    })).toEqual([['warning', 'missing-translation', 'nodes.ring.say', 'no en-GB text: callers who chose en-GB hear the sv-SE text']]);
  });

  test('a prompt with a text per chosen language is complete', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-GB' })(f);
      f.nodes.main.prompt = { 'sv-SE': 'Tryck 1. Tryck 0.', 'en-GB': 'Press 1. Press 0.' };
      f.nodes.bye.say = { 'sv-SE': 'Hej då.', 'en-GB': 'Goodbye.' };
    })).toEqual([]);
  });

  test('a prompt without the default language: those callers hear its first text', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-GB' })(f);
      f.nodes.main.prompt = { 'en-GB': 'Press 1. Press 0.' };
      f.nodes.bye.say = { 'de-DE': 'Auf Wiedersehen.', 'en-GB': 'Goodbye.' };
    })).toEqual([
      ['warning', 'missing-translation', 'nodes.main.prompt', 'no sv-SE text: callers who chose sv-SE hear the en-GB text'],
      ['warning', 'missing-translation', 'nodes.bye.say', 'no sv-SE text: callers who chose sv-SE hear the de-DE text'],
    ]);
  });

  test('several languages missing are listed together (in the order the options give them), and a language without built-in sentences is reported', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-GB', '8': 'de-DE' })(f);
      f.nodes.main.prompt = { 'sv-SE': 'Tryck 1. Tryck 0.', 'de-DE': 'Drücken Sie 1.' };
    })).toEqual([
      ['warning', 'missing-translation', 'nodes.main.prompt', 'no en-GB text: callers who chose en-GB hear the sv-SE text'],
      ['warning', 'missing-translation', 'nodes.bye.say', 'no de-DE, en-GB text: callers who chose de-DE or en-GB hear the sv-SE text'],
      [
        'warning', 'missing-translation', 'languages.voices.de-DE',
        'callpath has no built-in wording in de-DE (wrong key, no input, connecting, goodbye, survey): callers who chose de-DE hear those sentences in sv-SE',
      ],
    ]);
  });

  test('another variant of a language with built-in sentences has them (en-US uses en-GB\'s)', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-US' })(f);
      f.nodes.main.prompt = { 'sv-SE': 'Tryck 1. Tryck 0.', 'en-US': 'Press 1. Press 0.' };
      f.nodes.bye.say = { 'sv-SE': 'Hej då.', 'en-US': 'Bye.' };
    })).toEqual([]);
  });

  test('the survey\'s prompts are read too', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'en-GB' })(f);
      f.nodes.main.prompt = { 'sv-SE': 'Tryck 1. Tryck 0.', 'en-GB': 'Press 1. Press 0.' };
      f.nodes.bye.say = { 'sv-SE': 'Hej då.', 'en-GB': 'Goodbye.' };
      f.survey = { prompts: { intro: 'En fråga.' } };
    })).toEqual([
      ['warning', 'missing-translation', 'survey.prompts.intro', 'no en-GB text: callers who chose en-GB hear the sv-SE text'],
    ]);
  });
});

describe('no missing-translation', () => {
  test('a flow with one language, though its voices list more', () => {
    expect(translations((f) => {
      f.languages = { default: 'sv-SE', voices: { 'sv-SE': 'Polly.Astrid', 'de-DE': 'Polly.Vicki' } };
    })).toEqual([]);
  });

  test('a language menu that only offers the default language', () => {
    expect(translations(languageMenu({ '9': 'sv-SE' }))).toEqual([]);
  });

  test('a language menu no caller reaches', () => {
    expect(translations((f) => {
      languageMenu({ '9': 'de-DE' })(f);
      f.start = 'main';
    })).toEqual([]);
  });
});
