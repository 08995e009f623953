import { createHash, createHmac } from 'node:crypto';
import fc from 'fast-check';
import { requestKey } from '../../src/ingest/recorder';
import { createLogger } from '../../src/log';
import { twilioSignatureCheck } from '../../src/telephony/twilio/signature';
import type { FormParams } from '../../src/telephony/twilio/form';

const log = createLogger('silent');
const params = (p: Record<string, string | string[]>): FormParams => Object.assign(Object.create(null), p);
const checkFor = (authToken: string, publicBaseUrl: string) => twilioSignatureCheck({ authToken, publicBaseUrl, enabled: true, log });

/**
 * What Twilio signs, written from its security guide and not from the code under test nor the twilio
 * library it falls back to: the full URL, then each POST parameter's name and value, in name order,
 * no separators; HMAC-SHA1 keyed with the auth token, base64. A name given twice contributes each
 * distinct value in sort order (Twilio's own published vector for repeated Digits, below).
 */
function signedText(url: string, p: Record<string, string | string[]>): string {
  let text = url;
  for (const name of Object.keys(p).sort()) {
    const value = p[name];
    for (const v of Array.isArray(value) ? [...new Set(value)].sort() : [value]) text += name + v;
  }
  return text;
}
const twilioSigns = (authToken: string, url: string, p: Record<string, string | string[]>) => createHmac('sha1', authToken).update(signedText(url, p), 'utf8').digest('base64');

/**
 * Twilio's published examples, auth token 12345. `published` is the request of the "Webhooks security"
 * guide with the signature it gives, as implementations citing the guide quote it. `sdk` holds the
 * vectors of Twilio's own SDK tests (twilio-java, twilio-python), which the older guide and
 * twilio-php's docs used too: the +14158675309 request, the same URL with a port, a repeated name.
 */
const published = {
  token: '12345',
  url: 'https://mycompany.com/myapp.php?foo=1&bar=2',
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+12349013030', Digits: '1234', From: '+12349013030', To: '+18005551212' },
  signature: '0/KCTR6DLpKmkAf8muzZqo1nDgQ=',
};
const sdk = {
  params: { CallSid: 'CA1234567890ABCDE', Caller: '+14158675309', Digits: '1234', From: '+14158675309', To: '+18005551212' },
  signature: 'RSOYDt4T1cUTdK1PDd93/VVr8B8=',
  /** The same request signed for https://mycompany.com:443/… */
  withPort443: 'kvajT1Ptam85bY51eRf/AJRuM3w=',
  /** Signed for http://mycompany.com:80/… */
  httpWithPort80: '0ZXoZLH/DfblKGATFgpif+LLRf4=',
  /** Sid=CA123, SidAccount=AC123, Digits=5678 and Digits=1234. */
  repeated: 'IK+Dwps556ElfBT0I3Rgjkr1wJU=',
};
const path = '/myapp.php?foo=1&bar=2';

describe('the reference signer', () => {
  // The oracle below is only as good as these: it must reproduce what Twilio published.
  it("reproduces Twilio's published signatures", () => {
    expect(twilioSigns('12345', published.url, published.params)).toBe(published.signature);
    expect(twilioSigns('12345', published.url, sdk.params)).toBe(sdk.signature);
    expect(twilioSigns('12345', 'https://mycompany.com:443' + path, sdk.params)).toBe(sdk.withPort443);
    expect(twilioSigns('12345', 'http://mycompany.com:80' + path, sdk.params)).toBe(sdk.httpWithPort80);
    expect(twilioSigns('12345', published.url, { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] })).toBe(sdk.repeated);
  });
});

describe('Twilio signature check', () => {
  it("accepts Twilio's published example, the URL configured without a port", () => {
    const check = checkFor('12345', 'https://mycompany.com');
    expect(check(published.signature, path, params(published.params))).toBe(true);
    expect(check(sdk.signature, path, params(sdk.params))).toBe(true);
  });

  it('accepts the published request signed with the port when the URL is configured without, and the reverse', () => {
    expect(checkFor('12345', 'https://mycompany.com')(sdk.withPort443, path, params(sdk.params))).toBe(true);
    expect(checkFor('12345', 'https://mycompany.com:443')(sdk.signature, path, params(sdk.params))).toBe(true);
    expect(checkFor('12345', 'https://mycompany.com:443')(sdk.withPort443, path, params(sdk.params))).toBe(true);
    expect(checkFor('12345', 'http://mycompany.com')(sdk.httpWithPort80, path, params(sdk.params))).toBe(true);
  });

  it('accepts a parameter given twice, its values signed in sort order, and refuses it signed once', () => {
    const check = checkFor('12345', 'https://mycompany.com');
    const repeated = { Sid: 'CA123', SidAccount: 'AC123', Digits: ['5678', '1234'] };
    expect(check(sdk.repeated, path, params(repeated))).toBe(true);
    expect(check(sdk.repeated, path, params({ ...repeated, Digits: '1234' }))).toBe(false);
    expect(check(sdk.repeated, path, params({ ...repeated, Digits: ['5678', '1234', '0'] }))).toBe(false);
  });

  it.each([
    ['with its port', 'https://callpath.example.se:443'],
    ['without a port', 'https://callpath.example.se'],
    ['on a non-standard port', 'http://127.0.0.1:3000'],
  ])('accepts what Twilio signed for the URL exactly as configured %s', (_what, base) => {
    const body = { CallSid: 'CA0123', From: '+46701234567', To: '+46812345678', Digits: '2' };
    const webhookPath = "/twilio/input?s=abc&n=main'1";
    expect(checkFor('12345', base)(twilioSigns('12345', base + webhookPath, body), webhookPath, params(body))).toBe(true);
  });

  describe('refuses the published example changed in any part', () => {
    const base = 'https://mycompany.com';
    const check = checkFor('12345', base);
    const changed: [string, string, string, Record<string, string>][] = [
      ['a value', '12345', path, { ...published.params, Digits: '1235' }],
      ['a name', '12345', path, { ...Object.fromEntries(Object.entries(published.params).filter(([k]) => k !== 'Caller')), caller: published.params.Caller }],
      ['one more parameter', '12345', path, { ...published.params, SpeechResult: 'ja' }],
      ['one parameter fewer', '12345', path, Object.fromEntries(Object.entries(published.params).filter(([k]) => k !== 'Digits'))],
      ['the query', '12345', '/myapp.php?foo=1&bar=3', published.params],
      ['the path', '12345', '/myapp.php/?foo=1&bar=2', published.params],
      ['the auth token', '54321', path, published.params],
    ];
    it.each(changed)('%s', (_what, token, otherPath, otherParams) => {
      // Signed by Twilio, the changed request is accepted; with the published signature, refused.
      expect(checkFor(token, base)(twilioSigns(token, base + otherPath, otherParams), otherPath, params(otherParams))).toBe(true);
      expect(checkFor(token, base)(published.signature, otherPath, params(otherParams))).toBe(false);
    });

    it('another host, or http for https', () => {
      expect(checkFor('12345', 'https://other.example.com')(published.signature, path, params(published.params))).toBe(false);
      expect(checkFor('12345', 'http://mycompany.com')(published.signature, path, params(published.params))).toBe(false);
    });

    it('a missing, empty, cut, padded or case-changed signature', () => {
      expect(check(undefined, path, params(published.params))).toBe(false);
      expect(check('', path, params(published.params))).toBe(false);
      expect(check(published.signature.slice(0, -1), path, params(published.params))).toBe(false);
      expect(check(published.signature + '=', path, params(published.params))).toBe(false);
      expect(check(published.signature.toLowerCase(), path, params(published.params))).toBe(false);
      expect(check(' ' + published.signature, path, params(published.params))).toBe(false);
    });
  });

  it('accepts exactly the signatures of what Twilio signed, on random requests', () => {
    const base = 'https://callpath.example.se';
    const webhookPath = '/twilio/input?s=abc';
    const token = 'a3c1f0b2d4e6a8c0b2d4e6f8a0c2e4f6';
    const check = checkFor(token, base);
    const request = fc.dictionary(fc.constantFrom('CallSid', 'Digits', 'From', 'To', 'x'), fc.string({ maxLength: 8 }));
    fc.assert(
      fc.property(request, request, fc.string({ maxLength: 30 }), (received, signed, forged) => {
        // Accepted when the signed text is the same, which Twilio's unseparated concatenation allows
        // for different parameters ({Digits: "To1"} and {Digits: "", To: "1"}).
        const same = signedText(base + webhookPath, received) === signedText(base + webhookPath, signed);
        expect(check(twilioSigns(token, base + webhookPath, signed), webhookPath, params(received))).toBe(same);
        // A random string is never an HMAC of this request.
        expect(check(forged, webhookPath, params(received))).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

describe('request key', () => {
  // Ids stored before must match ids of a redelivery answered by this version: the key is the
  // SHA-256 of the path and the sorted parameters, exactly as hashed parameter by parameter before.
  const reference = (pathWithQuery: string, p: Record<string, string>) => {
    const h = createHash('sha256').update(pathWithQuery);
    for (const k of Object.keys(p).sort()) h.update(`\0${k}\0${p[k]}`);
    return h.digest('hex').slice(0, 24);
  };

  it('is the digest of the path and the sorted parameters, as in earlier versions', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 10 })), (path, p) => {
        expect(requestKey(path, params(p))).toBe(reference(path, p));
      }),
      { numRuns: 300 },
    );
  });

  it('differs when any parameter differs', () => {
    expect(requestKey('/twilio/input', params({ Digits: '1' }))).not.toBe(requestKey('/twilio/input', params({ Digits: '2' })));
  });
});
