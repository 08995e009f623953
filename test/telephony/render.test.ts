import fc from 'fast-check';
import twilio from 'twilio';
import type { Action, Continuation, Say } from '../../src/flow/actions';
import type { CallState } from '../../src/flow/state';
import { parseTwiml } from '../../src/sim/twiml-parse';
import { agentUrl, continuationUrl, EMPTY_TWIML, legUrl, renderTwiml } from '../../src/telephony/twilio/render';

/**
 * callpath writes TwiML with a string builder; twilio's own VoiceResponse is the reference it must
 * match byte for byte. This is the renderer callpath used before, kept here as that reference.
 */
function referenceTwiml(actions: readonly Action[], baseUrl: string): string {
  const r = new twilio.twiml.VoiceResponse();
  const say = (t: { say: twilio.twiml.VoiceResponse['say'] }, s: Say) => t.say({ voice: s.voice as never, language: s.language as never }, s.text);
  for (const a of actions) {
    if (a.kind === 'say') say(r, a);
    else if (a.kind === 'gather') {
      const url = continuationUrl(baseUrl, a.next);
      const g =
        a.input === 'speech'
          ? r.gather({ input: ['speech'], language: a.language as never, speechTimeout: 'auto', maxSpeechTime: a.maxSpeechSeconds, timeout: a.timeoutSeconds, action: url, method: 'POST', actionOnEmptyResult: true })
          : r.gather({ input: ['dtmf'], numDigits: a.numDigits, timeout: a.timeoutSeconds, finishOnKey: a.finishOnKey, action: url, method: 'POST', actionOnEmptyResult: true });
      for (const s of a.say) say(g, s);
      r.redirect({ method: 'POST' }, url);
    } else if (a.kind === 'dial') {
      const d = r.dial({ timeout: a.timeoutSeconds, hangupOnStar: a.hangupOnStar, ...(a.next ? { action: continuationUrl(baseUrl, a.next), method: 'POST' } : {}) });
      d.number(
        a.progress ? { statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'], statusCallback: legUrl(baseUrl, a.progress), statusCallbackMethod: 'POST' } : {},
        a.number,
      );
    } else if (a.kind === 'redirect') r.redirect({ method: 'POST' }, continuationUrl(baseUrl, a.next));
    else if (a.kind === 'enqueue') r.enqueue({ action: continuationUrl(baseUrl, a.next), method: 'POST', waitUrl: continuationUrl(baseUrl, a.wait), waitUrlMethod: 'POST' }, a.queue);
    else if (a.kind === 'hold') {
      const target = a.keys
        ? r.gather({ input: ['dtmf'], numDigits: 1, timeout: 1, action: continuationUrl(baseUrl, a.keys), method: 'POST', actionOnEmptyResult: false })
        : r;
      for (const s of a.say) say(target, s);
      if (a.music) target.play({}, a.music);
      else target.pause({ length: a.seconds });
    } else if (a.kind === 'leave') r.leave();
    else if (a.kind === 'dial-queue') {
      r.dial({ timeout: a.timeoutSeconds, action: agentUrl(baseUrl, 'agent-done', a.leg), method: 'POST' }).queue({ url: agentUrl(baseUrl, 'queue-bridge', a.leg), method: 'POST' }, a.queue);
    } else if (a.kind === 'next-caller') r.redirect({ method: 'POST' }, agentUrl(baseUrl, 'agent', a.leg));
    else r.hangup();
  }
  return r.toString();
}

// Text as flows may hold it: any character XML can carry, with the ones that need escaping made likely.
const xmlChar = fc.oneof(
  fc.constantFrom('&', '<', '>', '"', "'", '\t', '\n', '\r', ']]>', 'å', 'ä', 'ö', '😀'),
  fc.string({ unit: 'grapheme', maxLength: 3 }).filter((s) => !/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(s)),
);
const text = fc.array(xmlChar, { maxLength: 12 }).map((a) => a.join(''));
const state: fc.Arbitrary<CallState> = fc.record({
  f: text.filter((s) => s.length > 0),
  v: fc.stringMatching(/^[0-9a-f]{1,12}$/),
  n: text.filter((s) => s.length > 0),
  l: fc.constantFrom('sv-SE', 'en-GB'),
  r: fc.nat(20),
  k: fc.nat(10_000),
  t: fc.option(text, { nil: undefined }),
});
const next: fc.Arbitrary<Continuation> = fc.record({
  handler: fc.constantFrom('input' as const, 'comment' as const, 'dial' as const, 'queue-wait' as const, 'queue-key' as const, 'queue-result' as const),
  state,
});
const leg = fc.record({ flowId: text, queueKey: text, operatorId: text });
const say: fc.Arbitrary<Say> = fc.record({ kind: fc.constant('say' as const), text, language: fc.constantFrom('sv-SE', 'en-GB', 'a"b'), voice: fc.constantFrom('Polly.Astrid', 'alice', '<&>') });
const action: fc.Arbitrary<Action> = fc.oneof(
  say,
  fc.record({
    kind: fc.constant('gather' as const),
    input: fc.constant('speech' as const),
    language: fc.constantFrom('sv-SE', 'en-GB', 'en-US', 'a"b'),
    timeoutSeconds: fc.integer({ min: 1, max: 15 }),
    maxSpeechSeconds: fc.integer({ min: 5, max: 60 }),
    say: fc.array(say, { maxLength: 3 }),
    next,
  }),
  fc.record({ kind: fc.constant('gather' as const), numDigits: fc.integer({ min: 1, max: 20 }), timeoutSeconds: fc.integer({ min: 1, max: 60 }), finishOnKey: fc.constantFrom('', '#', '*'), say: fc.array(say, { maxLength: 3 }), next }),
  fc.record(
    { kind: fc.constant('dial' as const), number: text, timeoutSeconds: fc.integer({ min: 1, max: 120 }), hangupOnStar: fc.boolean(), next, progress: state },
    { requiredKeys: ['kind', 'number', 'timeoutSeconds', 'hangupOnStar'] },
  ),
  fc.record({ kind: fc.constant('redirect' as const), next }),
  fc.constant({ kind: 'hangup' as const }),
  fc.record({ kind: fc.constant('enqueue' as const), queue: text, wait: next, next }),
  fc.record({
    kind: fc.constant('hold' as const),
    say: fc.array(say, { maxLength: 3 }),
    music: fc.option(text.map((t) => `https://musik.example.se/${t}`), { nil: null }),
    seconds: fc.integer({ min: 1, max: 300 }),
    keys: fc.option(next, { nil: null }),
  }),
  fc.constant({ kind: 'leave' as const }),
  fc.record({ kind: fc.constant('dial-queue' as const), queue: text, timeoutSeconds: fc.integer({ min: 1, max: 600 }), leg }),
  fc.record({ kind: fc.constant('next-caller' as const), leg }),
);

describe('TwiML rendering', () => {
  test("matches twilio's VoiceResponse byte for byte for any action list", () => {
    fc.assert(
      fc.property(fc.array(action, { maxLength: 6 }), fc.constantFrom('https://callpath.example.se', 'https://x.invalid:8443/base'), (actions, base) => {
        expect(renderTwiml(actions, base)).toBe(referenceTwiml(actions, base));
      }),
      { numRuns: 1000 },
    );
  });

  test('the speech Gather of a comment, as twilio writes it: the call\'s language, speechTimeout auto, no hints', () => {
    const next: Continuation = { handler: 'comment', state: { f: 'vaxel', v: 'abc123', n: 'survey', l: 'en-GB', r: 0, k: 9 } };
    const actions: Action[] = [
      { kind: 'gather', input: 'speech', language: 'en-GB', timeoutSeconds: 5, maxSpeechSeconds: 30, say: [{ kind: 'say', text: 'Say it now.', language: 'en-GB', voice: 'Polly.Amy' }], next },
    ];
    const xml = renderTwiml(actions, 'https://callpath.example.se');
    expect(xml).toBe(referenceTwiml(actions, 'https://callpath.example.se'));
    const url = 'https://callpath.example.se/twilio/comment?f=vaxel&amp;v=abc123&amp;n=survey&amp;l=en-GB&amp;r=0&amp;k=9';
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><Response>' +
        `<Gather input="speech" language="en-GB" speechTimeout="auto" maxSpeechTime="30" timeout="5" action="${url}" method="POST" actionOnEmptyResult="true">` +
        '<Say voice="Polly.Amy" language="en-GB">Say it now.</Say></Gather>' +
        `<Redirect method="POST">${url}</Redirect></Response>`,
    );
  });

  test('the empty document is what twilio writes for an empty response', () => {
    expect(EMPTY_TWIML).toBe(new twilio.twiml.VoiceResponse().toString());
  });

  test('characters XML cannot carry are dropped, where twilio would throw: the caller still gets a document', () => {
    const actions: Action[] = [{ kind: 'say', text: 'Hej\u0000 och\u0007 välkommen\uFFFE', language: 'sv-SE', voice: 'Polly.Astrid\u0001' }];
    expect(() => referenceTwiml(actions, 'https://x')).toThrow();
    const xml = renderTwiml(actions, 'https://x');
    expect(parseTwiml(xml)).toEqual([{ name: 'Say', attrs: { voice: 'Polly.Astrid', language: 'sv-SE' }, text: 'Hej och välkommen', children: [] }]);
  });
});
