import { createHash } from 'node:crypto';
import fc from 'fast-check';
import twilio from 'twilio';
import { requestKey } from '../../src/ingest/recorder';
import { createLogger } from '../../src/log';
import { twilioSignatureCheck } from '../../src/telephony/twilio/signature';
import type { FormParams } from '../../src/telephony/twilio/form';

const token = 'a3c1f0b2d4e6a8c0b2d4e6f8a0c2e4f6';
const log = createLogger('silent');
const params = (p: Record<string, string>): FormParams => Object.assign(Object.create(null), p);
const sign = (url: string, p: Record<string, string>) => twilio.getExpectedTwilioSignature(token, url, p);

describe('Twilio signature check', () => {
  const body = { CallSid: 'CA0123', From: '+46701234567', To: '+46812345678', Digits: '2' };
  const path = "/twilio/input?s=abc&n=main'1";

  it.each([
    ['with its port', 'https://callpath.example.se:443'],
    ['without a port', 'https://callpath.example.se'],
    ['on a non-standard port', 'http://127.0.0.1:3000'],
  ])('accepts what Twilio signed for the URL exactly as configured %s', (_what, base) => {
    const check = twilioSignatureCheck({ authToken: token, publicBaseUrl: base, enabled: true, log });
    expect(check(sign(base + path, body), path, params(body))).toBe(true);
  });

  it('still accepts the variants twilio.validateRequest accepts (port added or removed)', () => {
    const withPort = twilioSignatureCheck({ authToken: token, publicBaseUrl: 'https://callpath.example.se:443', enabled: true, log });
    expect(withPort(sign('https://callpath.example.se' + path, body), path, params(body))).toBe(true);
    const withoutPort = twilioSignatureCheck({ authToken: token, publicBaseUrl: 'https://callpath.example.se', enabled: true, log });
    expect(withoutPort(sign('https://callpath.example.se:443' + path, body), path, params(body))).toBe(true);
  });

  it('refuses a missing signature, another token, another URL and changed parameters', () => {
    const base = 'https://callpath.example.se';
    const check = twilioSignatureCheck({ authToken: token, publicBaseUrl: base, enabled: true, log });
    const good = sign(base + path, body);
    expect(check(undefined, path, params(body))).toBe(false);
    expect(check('', path, params(body))).toBe(false);
    expect(check(twilio.getExpectedTwilioSignature('another-token', base + path, body), path, params(body))).toBe(false);
    expect(check(good, '/twilio/input?s=abd', params(body))).toBe(false);
    expect(check(good, path, params({ ...body, Digits: '3' }))).toBe(false);
    expect(check(good.slice(0, -2), path, params(body))).toBe(false);
  });

  it('leaves a parameter given twice to twilio.validateRequest, which orders the values itself', () => {
    const base = 'https://callpath.example.se';
    const check = twilioSignatureCheck({ authToken: token, publicBaseUrl: base, enabled: true, log });
    const repeated = { ...body, Digits: ['2', '1'] } as unknown as Record<string, string>;
    const signature = twilio.getExpectedTwilioSignature(token, base + path, repeated);
    expect(check(signature, path, Object.assign(Object.create(null), repeated))).toBe(true);
    expect(check(sign(base + path, { ...body, Digits: '2' }), path, Object.assign(Object.create(null), repeated))).toBe(false);
  });

  it('agrees with twilio.validateRequest on random requests and signatures', () => {
    const base = 'https://callpath.example.se';
    const check = twilioSignatureCheck({ authToken: token, publicBaseUrl: base, enabled: true, log });
    const value = fc.string({ maxLength: 8 });
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('CallSid', 'Digits', 'From', 'To', 'x'), value), fc.boolean(), fc.string({ maxLength: 30 }), (p, signed, forged) => {
        const signature = signed ? sign(base + path, p) : forged;
        expect(check(signature, path, params(p))).toBe(!!signature && twilio.validateRequest(token, signature, base + path, p));
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
