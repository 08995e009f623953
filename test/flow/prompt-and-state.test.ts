import { parseFlow } from '../../src/flow/loader';
import { promptText, sayBuiltIn, sayPrompt, voiceFor } from '../../src/flow/prompt';
import { decodeState, encodeState, type CallState } from '../../src/flow/state';
import { BUILT_IN_TEXTS, builtInText, SURVEY_SCALES } from '../../src/flow/texts';

/** Which words a caller hears in which voice, and the call's place in its flow as it travels in a URL. */
const flow = parseFlow(
  `id: words
name: Words
languages:
  default: sv-SE
  voices: { sv-SE: Polly.Astrid, en-GB: Polly.Amy, fi-FI: Polly.Suvi }
survey:
  prompts:
    thanks: { sv-SE: Tack så mycket!, en-GB: Thanks a lot! }
targets:
  operator: { label: Växeln, number: "+46101300100", kind: operator }
start: operator
nodes:
  operator: { type: transfer, target: operator, onNoAnswer: bye }
  bye: { type: hangup }
`,
  'words.yaml',
);

describe('a prompt in the caller\'s language', () => {
  test('in the language asked for, when the prompt has it', () => {
    expect(promptText(flow, { 'sv-SE': 'Hej.', 'en-GB': 'Hello.' }, 'en-GB')).toEqual({ text: 'Hello.', language: 'en-GB' });
  });

  test("else in the flow's default language, said as that language", () => {
    expect(promptText(flow, { 'en-GB': 'Hello.', 'sv-SE': 'Hej.' }, 'fi-FI')).toEqual({ text: 'Hej.', language: 'sv-SE' });
  });

  test('else in the first language it has', () => {
    expect(promptText(flow, { 'en-GB': 'Hello.', 'fi-FI': 'Hei.' }, 'de-DE')).toEqual({ text: 'Hello.', language: 'en-GB' });
  });

  test('a plain text is in the default language whatever the caller chose', () => {
    expect(promptText(flow, 'Hej.', 'en-GB')).toEqual({ text: 'Hej.', language: 'sv-SE' });
  });

  test('is said in the voice of the language it is said in', () => {
    expect(sayPrompt(flow, { 'sv-SE': 'Hej.' }, 'en-GB')).toEqual({ kind: 'say', text: 'Hej.', language: 'sv-SE', voice: 'Polly.Astrid' });
    expect(sayPrompt(flow, { 'fi-FI': 'Hei.' }, 'fi-FI')).toEqual({ kind: 'say', text: 'Hei.', language: 'fi-FI', voice: 'Polly.Suvi' });
  });
});

test("a voice: the language's, else the default language's, else Polly.Astrid", () => {
  expect(voiceFor(flow, 'en-GB')).toBe('Polly.Amy');
  expect(voiceFor(flow, 'de-DE')).toBe('Polly.Astrid');
  const noDefaultVoice = { ...flow, languages: { default: 'de-DE', voices: { 'en-GB': 'Polly.Amy' } } };
  expect(voiceFor(noDefaultVoice, 'fi-FI')).toBe('Polly.Astrid');
  expect(voiceFor({ ...flow, languages: { default: 'en-GB', voices: { 'en-GB': 'Polly.Amy' } } }, 'fi-FI')).toBe('Polly.Amy');
});

describe('built-in sentences', () => {
  test("the flow's own wording wins, in the caller's language", () => {
    expect(sayBuiltIn(flow, 'thanks', 'en-GB')).toEqual({ kind: 'say', text: 'Thanks a lot!', language: 'en-GB', voice: 'Polly.Amy' });
  });

  test('else the built-in one in the language asked for, in its voice', () => {
    expect(sayBuiltIn(flow, 'goodbye', 'en-GB')).toEqual({ kind: 'say', text: BUILT_IN_TEXTS['en-GB'].goodbye, language: 'en-GB', voice: 'Polly.Amy' });
    expect(sayBuiltIn(flow, 'goodbye', 'sv-SE').text).toBe('Tack för samtalet. Hej då.');
  });

  test('another variant of a language has its words (en-US hears en-GB); a language without any hears Swedish', () => {
    expect(builtInText('goodbye', 'en-US')).toBe(BUILT_IN_TEXTS['en-GB'].goodbye);
    expect(builtInText('goodbye', 'fi-FI')).toBe('Tack för samtalet. Hej då.');
  });

  test('every built-in sentence has an English version', () => {
    expect(Object.keys(BUILT_IN_TEXTS['en-GB']).sort()).toEqual(Object.keys(BUILT_IN_TEXTS['sv-SE']).sort());
  });

  test('the survey answers: 1 to 5 for the SKR questions, 1 or 2 for "fick du svar"', () => {
    expect(SURVEY_SCALES).toEqual({ bemotande: [1, 2, 3, 4, 5], enkelhet: [1, 2, 3, 4, 5], answered: [1, 2] });
  });
});

describe('the call state in the next webhook URL', () => {
  const state: CallState = { f: 'vaxel', v: 'abc123def456', n: 'main', l: 'sv-SE', r: 1, k: 7, p: '4711' };

  test('round-trips through the query string, leaving out what is not set', () => {
    const query = encodeState(state);
    expect(query).toBe('f=vaxel&v=abc123def456&n=main&l=sv-SE&r=1&k=7&p=4711');
    expect(decodeState(Object.fromEntries(new URLSearchParams(query)))).toEqual(state);
  });

  test('retries default to 0', () => {
    expect(decodeState({ f: 'vaxel', v: 'v1', n: 'main', l: 'sv-SE', k: '0' })).toMatchObject({ r: 0 });
  });

  test('absent or tampered with, it is no state', () => {
    expect(decodeState({})).toBeNull();
    expect(decodeState({ ...state, l: 'svenska' })).toBeNull();
    expect(decodeState({ ...state, k: '-1' })).toBeNull();
    expect(decodeState({ ...state, r: '21' })).toBeNull();
    expect(decodeState({ ...state, b: '3' })).toBeNull();
    expect(decodeState({ ...state, n: 'x'.repeat(65) })).toBeNull();
    // A language is a whole tag, nothing before or after it.
    expect(decodeState({ ...state, l: 'xsv-SE' })).toBeNull();
    expect(decodeState({ ...state, l: 'sv-SEx' })).toBeNull();
    expect(decodeState({ ...state, z: 'x'.repeat(201) })).toBeNull();
  });

  test('a sealed keyed number of up to 200 characters travels in it', () => {
    expect(decodeState({ ...state, b: '2', z: 'k1.abc' })).toMatchObject({ b: 2, z: 'k1.abc' });
    expect(decodeState({ ...state, z: 'x'.repeat(200) })).toMatchObject({ z: 'x'.repeat(200) });
  });
});
