import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import twilio from 'twilio';
import YAML from 'yaml';
import { FlowError } from '../../src/errors';
import { parseFlow } from '../../src/flow/loader';
import { parseTwiml } from '../../src/sim/twiml-parse';
import { AUTH_TOKEN, startHarness, type Harness } from '../helpers/harness';

/**
 * Malformed, oversized and hostile input: webhooks answer valid TwiML (or refuse unsigned requests),
 * the API answers 4xx with a message, flow files are rejected with file, path and reason. Never a crash.
 */
const TWILIO_KEYS = ['CallSid', 'AccountSid', 'From', 'To', 'CallStatus', 'Direction', 'Digits', 'FinishedOnKey', 'DialCallStatus', 'DialCallDuration', 'DialCallSid', 'ParentCallSid', 'Timestamp', 'SequenceNumber', 'CallDuration'];
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '0', '-1', '1e309', 'NaN', '<Response/>', ']]>', '&amp;', '\u0000', '../../etc/passwd', '{"$gt":""}', 'CA' + 'a'.repeat(32), 'completed', 'no-answer', '*#', '4711'),
  fc.string({ minLength: 1000, maxLength: 5000 }),
);
const paramName = fc.oneof(fc.constantFrom(...TWILIO_KEYS, '__proto__', 'constructor'), fc.string({ minLength: 1, maxLength: 12 }));
const params = fc.dictionary(paramName, hostileString, { maxKeys: 12 });
/**
 * Node refuses a request whose headers (the URL among them) pass 16 KiB with its own 431 before any
 * handler runs; Twilio's URLs are callpath's own continuation URLs, a few hundred bytes.
 */
const MAX_URL = 8 * 1024;
const webhookPath = fc.oneof(
  fc.constantFrom('/twilio/voice', '/twilio/status', '/twilio/input', '/twilio/dial', '/twilio/leg'),
  fc.record({ p: fc.constantFrom('/twilio/input', '/twilio/dial', '/twilio/leg'), q: fc.dictionary(fc.constantFrom('f', 'v', 'n', 'l', 'r', 'k', 't', 'q', 'x', 'c'), hostileString, { maxKeys: 10 }) }).map(
    // An empty query would be sent without its "?", a URL Twilio never calls.
    ({ p, q }) => (Object.keys(q).length ? `${p}?${new URLSearchParams(q).toString()}` : p),
  ).filter((url) => url.length <= MAX_URL),
  fc.constantFrom('/twilio/input?f=vaxel&v=x&n=main&l=sv-SE&k=1', '/twilio/dial?f=vaxel&v=x&n=person&l=sv-SE&k=3&t=4711', '/twilio/input?f=vaxel&v=x&n=main&l=sv-SE&k=5&q=0&x=0'),
);

describe('hostile input', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });

  async function post(p: string, body: Record<string, string>, signed: boolean) {
    const url = h.baseUrl + p;
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed ? twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, body) : 'Zm9yZ2Vk' },
      body: new URLSearchParams(body).toString(),
      // An answer that never comes fails the property with the request that caused it, rather than
      // the whole test at Jest's timeout with nothing to go on (as happened once, not reproduced since).
      signal: AbortSignal.timeout(4000),
    });
    return { status: res.status, text: await res.text(), type: res.headers.get('content-type') ?? '' };
  }

  test('signed webhooks with arbitrary parameters always get valid TwiML', async () => {
    await fc.assert(
      fc.asyncProperty(webhookPath, params, async (p, body) => {
        const res = await post(p, body, true);
        const size = new URLSearchParams(body).toString().length;
        if (size > 32 * 1024) expect(res.status).toBe(413);
        else expect(res.status).toBe(200);
        expect(res.type).toMatch(/xml/);
        expect(() => parseTwiml(res.text)).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  test('unsigned webhooks are refused and record nothing', async () => {
    await h.settle();
    const before = h.service.outbox.stats().delivered + h.service.outbox.stats().pending;
    await fc.assert(
      fc.asyncProperty(webhookPath, params, async (p, body) => {
        const res = await post(p, body, false);
        expect([403, 413]).toContain(res.status);
      }),
      { numRuns: 100 },
    );
    await h.settle();
    expect(h.service.outbox.stats().delivered + h.service.outbox.stats().pending).toBe(before);
  });

  test('a "__proto__" parameter is an ordinary name: a signed request with it is answered and pollutes nothing', async () => {
    const body: Record<string, string> = { CallSid: 'CA' + 'f'.repeat(32), AccountSid: 'AC' + 'b'.repeat(32) };
    Object.defineProperty(body, '__proto__', { value: 'polluted', enumerable: true, configurable: true, writable: true });
    const res = await post('/twilio/voice', body, true);
    expect(res.status).toBe(200);
    expect(parseTwiml(res.text).length).toBeGreaterThan(0);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });

  test('a parameter given twice is not a value the schema takes: safe TwiML, nothing recorded', async () => {
    await h.settle();
    const before = h.service.outbox.stats().delivered + h.service.outbox.stats().pending;
    const url = h.baseUrl + '/twilio/voice';
    const pairs: [string, string][] = [['CallSid', 'CA' + 'd'.repeat(32)], ['CallSid', 'CA' + 'e'.repeat(32)], ['AccountSid', 'AC' + 'b'.repeat(32)]];
    const signed = twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, { CallSid: pairs.slice(0, 2).map((p) => p[1]) as never, AccountSid: pairs[2][1] });
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signed }, body: new URLSearchParams(pairs).toString() });
    expect(res.status).toBe(200);
    const twiml = await res.text();
    expect(() => parseTwiml(twiml)).not.toThrow();
    await h.settle();
    expect(h.service.outbox.stats().delivered + h.service.outbox.stats().pending).toBe(before);
  });

  test('a webhook path that does not exist, or a method other than POST, still gets a TwiML document', async () => {
    const unknown = await post('/twilio/nothing-here', { CallSid: 'CA' + 'a'.repeat(32) }, true);
    expect(unknown.status).toBe(404);
    expect(parseTwiml(unknown.text)).toEqual([]);
    const get = await fetch(h.baseUrl + '/twilio/voice');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(parseTwiml(await get.text())).toEqual([]);
  });

  test('an oversized webhook body is refused with 413 and still a TwiML document', async () => {
    const res = await post('/twilio/voice', { CallSid: 'CA' + 'a'.repeat(32), Junk: 'x'.repeat(64 * 1024) }, true);
    expect(res.status).toBe(413);
    expect(parseTwiml(res.text)).toEqual([]);
  });

  test('API queries with arbitrary parameters answer 200 or a 4xx that says what is wrong', async () => {
    const paths = ['/api/calls', '/api/calls/CA' + 'a'.repeat(32), '/api/calls/%00', '/api/nope'];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.dictionary(fc.constantFrom('from', 'to', 'limit', 'flow', 'cursor', 'x'), hostileString, { maxKeys: 5 }), async (p, q) => {
        const res = await h.api(`${p}?${new URLSearchParams(q).toString()}`);
        expect(res.status).toBeLessThan(500);
        if (res.status >= 400) expect(typeof res.body.error.message).toBe('string');
      }),
      { numRuns: 150 },
    );
  });
});

describe('hostile flow files', () => {
  const file = 'ivr-flows/vaxel.yaml';
  const demo = YAML.parse(fs.readFileSync(path.join(__dirname, '../..', file), 'utf8'));

  /** Every path into the demo flow's object, so mutations reach every level. */
  function paths(v: unknown, prefix: string[] = []): string[][] {
    if (v && typeof v === 'object') return [prefix, ...Object.entries(v).flatMap(([k, c]) => paths(c, [...prefix, k]))];
    return [prefix];
  }
  const allPaths = paths(demo).filter((p) => p.length > 0);
  const junk = fc.oneof(fc.jsonValue(), fc.constant(undefined), hostileString);

  test('a mutated flow either loads or is rejected naming file, path and reason', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom(...allPaths), junk), { minLength: 1, maxLength: 4 }), (mutations) => {
        const flow = structuredClone(demo);
        for (const [p, value] of mutations) {
          let o = flow;
          for (const k of p.slice(0, -1)) o = o?.[k];
          if (o && typeof o === 'object') {
            if (value === undefined) delete o[p[p.length - 1]];
            else o[p[p.length - 1]] = value;
          }
        }
        try {
          parseFlow(YAML.stringify(flow), file);
        } catch (err) {
          expect(err).toBeInstanceOf(FlowError);
          for (const issue of (err as FlowError).issues) {
            expect(issue.file).toBe(file);
            expect(issue.message.length).toBeGreaterThan(0);
          }
          expect((err as FlowError).message).toContain(file);
        }
      }),
      { numRuns: 400 },
    );
  });

  test('arbitrary text is rejected as a flow with a reason, never a crash', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.constantFrom('x.yaml', 'x.json'), (text, name) => {
        expect(() => parseFlow(text, name)).toThrow(FlowError);
      }),
      { numRuns: 300 },
    );
  });
});
