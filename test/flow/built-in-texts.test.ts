/**
 * The built-in wording (src/flow/texts.ts) callers hear where a flow says nothing of its own: every
 * sentence in every language is there and is a whole sentence, and an English caller hears English.
 * An empty text would be silence on the line, or, through builtInText's fallback, Swedish.
 */
import { BUILT_IN_TEXTS, builtInText, type BuiltInTextKey } from '../../src/flow/texts';

const keys = Object.keys(BUILT_IN_TEXTS['sv-SE']) as BuiltInTextKey[];
const languages = Object.keys(BUILT_IN_TEXTS);

describe('built-in texts', () => {
  test('each language has the Swedish set of sentences, no more and no fewer', () => {
    for (const language of languages) expect([language, Object.keys(BUILT_IN_TEXTS[language]).sort()]).toEqual([language, [...keys].sort()]);
    expect(languages.length).toBeGreaterThanOrEqual(2);
  });

  test.each(languages)('every %s sentence is whole: words, ending with a full stop, question mark or the queue place', (language) => {
    const broken = keys.filter((k) => !/^\S.*\S[.?!]$/.test(BUILT_IN_TEXTS[language][k]));
    expect(broken).toEqual([]);
  });

  test('an English caller hears English: no English sentence falls back to the Swedish one', () => {
    const swedish = keys.filter((k) => builtInText(k, 'en-GB') === BUILT_IN_TEXTS['sv-SE'][k]);
    expect(swedish).toEqual([]);
    // Another English variant finds the same sentences; an unknown language hears Swedish.
    expect(keys.map((k) => builtInText(k, 'en-US'))).toEqual(keys.map((k) => BUILT_IN_TEXTS['en-GB'][k]));
    expect(builtInText('goodbye', 'de-DE')).toBe('Tack för samtalet. Hej då.');
  });
});
