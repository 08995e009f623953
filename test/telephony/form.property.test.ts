import fc from 'fast-check';
import { parseForm, WebhookBodyError } from '../../src/telephony/twilio/form';

/** What the standard parser makes of a form, in the same shape (a name given twice becomes a list). */
function reference(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [k, v] of new URLSearchParams(text)) {
    const had = out[k];
    out[k] = had === undefined ? v : Array.isArray(had) ? [...had, v] : [had, v];
  }
  return out;
}

const plain = (o: object) => JSON.parse(JSON.stringify(o));

describe('form parsing', () => {
  // Forms built from the characters that matter to the grammar (& = + %), hex digits, valid and
  // broken UTF-8 percent sequences, and any other text.
  const piece = fc.oneof(
    fc.constantFrom('&', '=', '+', '%', '%2', '%20', '%2B', '%26', '%3D', '%C3%A5', '%C3', '%E2%82%AC', '%ED%A0%80', '%FF', '%zz', 'a', 'B', '0', '__proto__', 'constructor'),
    fc.string({ maxLength: 4 }),
    fc.string({ maxLength: 3, unit: 'grapheme' }),
    // Any UTF-16 code units, lone surrogates included.
    fc.string({ maxLength: 3, unit: 'binary' }),
  );
  const form = fc.array(piece, { maxLength: 24 }).map((p) => p.join(''));

  it('reads every form as URLSearchParams does', () => {
    fc.assert(
      fc.property(form, (text) => {
        expect(plain(parseForm(text, 1000))).toEqual(plain(reference(text)));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a Twilio webhook body', () => {
    const body = 'AccountSid=AC01&CallSid=CA01&Called=%2B46812345678&Digits=1&FromCity=&msg=Gather+End&SpeechResult=v%C3%A4xeln';
    expect(plain(parseForm(body, 100))).toEqual({ AccountSid: 'AC01', CallSid: 'CA01', Called: '+46812345678', Digits: '1', FromCity: '', msg: 'Gather End', SpeechResult: 'växeln' });
  });

  it('refuses more parameters than allowed, on both ways of decoding', () => {
    expect(() => parseForm('a=1&b=2&c=3', 2)).toThrow(WebhookBodyError);
    expect(() => parseForm('a=%zz&b=2&c=3', 2)).toThrow(WebhookBodyError);
    expect(Object.keys(parseForm('a=1&&b=2&', 2))).toEqual(['a', 'b']);
  });
});
