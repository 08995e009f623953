/**
 * The replay's caller model (src/flow/replay/model.ts): its defaults, which must agree with the virtual
 * caller's, and the text that prints it above every replay so nobody takes the estimate for a measurement.
 */
import { DEFAULT_CALLER_MODEL, describeModel } from '../../../src/flow/replay/model';

const RULES = [
  'They take the path with the fewest key presses, then the shortest time; they never let retries run out.',
  'A transfer that must go unanswered rings for its timeout (no-answer) or not at all (busy, failed).',
  'Menu time is time in the IVR before the final transfer starts; what is said on the way into a transfer counts with that',
  'transfer, as Twilio says it after the dial has begun. Ringing counts only for transfers nobody answered.',
];

describe('the caller model', () => {
  test('the default caller: 60 ms per character, 1.5 s to answer, no time for further digits', () => {
    expect(DEFAULT_CALLER_MODEL).toEqual({ speechMsPerChar: 60, thinkMs: 1500, digitMs: 0 });
  });

  test('the default caller is described in five lines, without a word on further digits', () => {
    expect(describeModel(DEFAULT_CALLER_MODEL)).toBe(
      ['A caller hears every prompt to its end (60 ms per character of text), then answers after 1500 ms.', ...RULES].join('\n'),
    );
  });

  test('a caller with time per further digit has it said in the first line; the figures are the model given', () => {
    expect(describeModel({ speechMsPerChar: 45, thinkMs: 2000, digitMs: 300 })).toBe(
      ['A caller hears every prompt to its end (45 ms per character of text), then answers after 2000 ms, plus 300 ms per further digit of an extension.', ...RULES].join('\n'),
    );
  });

  test('one millisecond per further digit is still said', () => {
    expect(describeModel({ speechMsPerChar: 60, thinkMs: 1500, digitMs: 1 }).split('\n')[0]).toBe(
      'A caller hears every prompt to its end (60 ms per character of text), then answers after 1500 ms, plus 1 ms per further digit of an extension.',
    );
  });
});
