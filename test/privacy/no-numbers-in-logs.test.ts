import { createLogger } from '../../src/log';
import { allPseudonyms, normalizeNumber, pseudonymize } from '../../src/privacy/pseudonym';
import { startHarness, takenAfter } from '../helpers/harness';

const CALLER = '+46701234567';
const digitsOf = (s: string) => s.replace(/\D/g, '');

describe('caller numbers', () => {
  test('never reach the logs, whatever the webhook path (normal, malformed, engine failure)', async () => {
    const lines: string[] = [];
    const h = await startHarness({ logTo: { write: (l: string) => void lines.push(l) } });
    try {
      await h.caller.call({ from: CALLER, digits: ['5', '4711', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(15), survey: ['5', '5', '1'] });
      const params = { CallSid: 'CA' + 'a'.repeat(32), AccountSid: 'AC' + 'b'.repeat(32), From: CALLER, To: '+46101300000', Digits: '1' };
      await h.signedPost('/twilio/input?f=vaxel&v=x&n=ghost&l=sv-SE&k=1', params);
      await fetch(`${h.baseUrl}/twilio/voice`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `From=${encodeURIComponent(CALLER)}` });
      await h.settle();
    } finally {
      await h.close();
    }
    const text = lines.join('');
    expect(lines.length).toBeGreaterThan(2);
    expect(text).toContain('flow engine failed');
    expect(text).toContain('invalid X-Twilio-Signature');
    expect(digitsOf(text)).not.toContain(digitsOf(CALLER).slice(2));
  });

  test('the logger censors number-bearing keys wherever they sit', () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.info({ From: CALLER, body: { To: CALLER }, nested: { deeper: { Caller: CALLER } } }, 'x');
    expect(lines.join('')).not.toContain('701234567');
    expect(lines.join('')).toContain('[redacted]');
  });

  test("the logger censors staff's secrets and a caller's spoken words the same way", () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    log.info({ body: { password: 'hemligt-lösen-1', current: 'gammalt-lösen-2', next: 'nytt-lösen-3' }, headers: { authorization: 'Bearer cpt_abc123', cookie: 'callpath_session=s3cr3t' } }, 'x');
    log.info({ params: { SpeechResult: 'jag heter Kalle Anka' }, token: 'cpt_def456', csrfToken: 'csrf789' }, 'y');
    const out = lines.join('');
    for (const secret of ['hemligt-lösen-1', 'gammalt-lösen-2', 'nytt-lösen-3', 'cpt_abc123', 's3cr3t', 'Kalle Anka', 'cpt_def456', 'csrf789']) expect({ secret, logged: out.includes(secret) }).toEqual({ secret, logged: false });
  });

  test('are stored only as a keyed hash that is stable per key and differs across keys', () => {
    const k1 = { id: 'k1', secret: 'first-secret-0123456789' };
    const k2 = { id: 'k2', secret: 'second-secret-0123456789' };
    const p = pseudonymize(CALLER, k1)!;
    expect(p).toMatch(/^k1:[0-9a-f]{32}$/);
    expect(pseudonymize('0701234567', k1)).toBe(p);
    expect(pseudonymize('0046701234567', k1)).toBe(p);
    expect(pseudonymize(CALLER, k2)).not.toBe(p.replace('k1', 'k2'));
    expect(allPseudonyms(CALLER, [k2, k1])).toEqual([pseudonymize(CALLER, k2), p]);
    expect(pseudonymize('anonymous', k1)).toBeNull();
    expect(normalizeNumber('070-123 45 67')).toBe(CALLER);
  });
});
