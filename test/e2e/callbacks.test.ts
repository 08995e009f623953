import fs from 'node:fs';
import path from 'node:path';
import { applyCallbackRetention } from '../../src/privacy/retention';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

/**
 * A callback that is kept, end to end through the webhooks on the demo flow (ivr-flows/vaxel.yaml):
 * a person does not answer, the caller presses 3 and asks to be called back, on their own number or
 * one they key in; reception works the request through the inbox API. The harness clock starts on
 * Monday 2 March 2026, 09:00 in Stockholm; the demo promises four working hours.
 */
const OWN = '+46701234567';
const OWN_DIGITS = '701234567';
const KEYED = '0709876543';
const KEYED_DIGITS = '709876543';

describe('a callback that is kept', () => {
  let h: Harness;
  let reception: StaffMember;
  let colleague: StaffMember;
  let analyst: StaffMember;
  const logLines: string[] = [];

  beforeAll(async () => {
    h = await startHarness({ logTo: { write: (line: string) => void logLines.push(line) } });
    reception = await staffMember(h, 'reception@kommun.se', ['reception']);
    colleague = await staffMember(h, 'kollega@kommun.se', ['reception']);
    analyst = await staffMember(h, 'analyst@kommun.se', ['analyst']);
  });
  afterAll(async () => h.close());

  const inbox = async (state = 'open', token = reception.token) => request(h, 'GET', `/api/callbacks?state=${state}`, token);

  test('Swedish: the own number read back by its last digits and confirmed; the promise said; worked through the inbox to done', async () => {
    const trace = await h.caller.call({ from: OWN, digits: ['5', '4711', '4', '1'], dials: [{ answer: false, status: 'no-answer' }] });
    expect(trace.said).toContain('Vi ringer dig på numret som slutar på 45 67.');
    expect(trace.said).toContain('Tryck 1 om det stämmer, eller 2 för att slå ett annat nummer.');
    // Monday 09:00 + four working hours.
    expect(trace.said).toContain('Vi ringer upp dig senast i dag före klockan 13.');
    expect(trace.said[trace.said.length - 1]).toBe('Tack. Hej då.');
    await h.settle();

    const journey = await h.journey(trace.callSid);
    expect(journey.callback).toMatchObject({ target: '4711', targetKind: 'person', source: 'caller', deadline: '2026-03-02T12:00:00.000Z' });
    const events = await h.service.store.eventsForCall(trace.callSid);
    const requested = events.find((e) => e.type === 'callback.requested');
    expect(requested).toBeDefined();
    expect(requested).not.toHaveProperty('sealed');

    const list = await inbox();
    expect(list.status).toBe(200);
    const mine = list.body.callbacks.find((c: { callSid: string }) => c.callSid === trace.callSid);
    expect(mine).toMatchObject({
      state: 'open',
      sought: { target: '4711', targetKind: 'person', label: 'Anna Lind' },
      pressed: ['5', '4711', '4'],
      source: 'caller',
      number: '070-… 45 67',
      deadline: '2026-03-02T12:00:00.000Z',
      assignedTo: null,
      tries: 0,
    });
    expect(JSON.stringify(list.body)).not.toContain(OWN_DIGITS);

    // The tab's count: how many wait and are overdue, not a read of anyone's request, so not audited.
    const readsBefore = (await h.service.identity.audit.list({ action: 'callbacks.read', limit: 10_000 })).length;
    const counts = await request(h, 'GET', '/api/callbacks/counts', reception.token);
    expect(counts).toMatchObject({ status: 200, body: { open: list.body.callbacks.length, overdue: 0 } });
    expect((await h.service.identity.audit.list({ action: 'callbacks.read', limit: 10_000 })).length).toBe(readsBefore);
    expect((await request(h, 'GET', '/api/callbacks/counts', analyst.token)).status).toBe(403);

    // The clear number: reception only, on the audit trail.
    const number = await request(h, 'GET', `/api/callbacks/${mine.id}/number`, reception.token);
    expect(number.body).toEqual({ id: mine.id, number: OWN });
    expect((await request(h, 'GET', `/api/callbacks/${mine.id}/number`, analyst.token)).status).toBe(403);

    // Assigned to a named colleague (only a reception user), tried, done.
    expect((await request(h, 'POST', `/api/callbacks/${mine.id}/assign`, reception.token, { email: 'analyst@kommun.se' })).status).toBe(400);
    const assigned = await request(h, 'POST', `/api/callbacks/${mine.id}/assign`, reception.token, { email: colleague.email });
    expect(assigned.status).toBe(200);
    expect(assigned.body.assignedTo).toBe(colleague.email);
    h.clock.advance(30 * 60_000);
    const tried = await request(h, 'POST', `/api/callbacks/${mine.id}/tried`, colleague.token, { note: 'Inget svar' });
    expect(tried.body.tries).toBe(1);
    h.clock.advance(60 * 60_000);
    const done = await request(h, 'POST', `/api/callbacks/${mine.id}/done`, colleague.token);
    expect(done.body).toMatchObject({ state: 'done', tries: 1, closedAt: expect.any(String) });
    expect(done.body.history.map((c: { action: string; by: string }) => [c.action, c.by])).toEqual([
      ['assigned', 'reception@kommun.se'],
      ['tried', 'kollega@kommun.se'],
      ['done', 'kollega@kommun.se'],
    ]);
    expect((await request(h, 'POST', `/api/callbacks/${mine.id}/done`, colleague.token)).status).toBe(409);
    expect((await inbox()).body.callbacks.some((c: { id: string }) => c.id === mine.id)).toBe(false);
    expect((await inbox('done')).body.callbacks.some((c: { id: string }) => c.id === mine.id)).toBe(true);

    const trail = await request(h, 'GET', '/api/audit?order=oldest', API_TOKEN);
    const actions = trail.body.records.map((r: { action: string }) => r.action);
    for (const a of ['callback.number.read', 'callback.assigned', 'callback.tried', 'callback.done']) expect(actions).toContain(a);
    expect(JSON.stringify(trail.body)).not.toContain(OWN_DIGITS);

    // The figures: one request, done within the promise, 1.5 h to callback, two calls made.
    const m = await request(h, 'GET', '/api/metrics/callbacks', analyst.token);
    expect(m.status).toBe(200);
    expect(m.body.callbacks).toMatchObject({ requests: 1, done: 1, doneWithinPromise: 1, shareDoneWithinPromise: 1, triesPerRequest: 2, expired: 0 });
    expect(m.body.callbacks.timeToCallback.medianMs).toBeGreaterThanOrEqual(90 * 60_000);
    expect(m.body.callbacks.timeToCallback.medianMs).toBeLessThan(95 * 60_000);
    expect((await request(h, 'GET', '/api/metrics/callbacks', reception.token)).status).toBe(403);
  });

  test('English: a withheld number goes straight to keying; a keyed number read back, confirmed; an unusable one refused; overdue raises the alert', async () => {
    const trace = await h.caller.call({ from: 'anonymous', digits: ['9', '1', '5', '4712', '4', '0900123456', KEYED, '1'], dials: [{ answer: false, status: 'no-answer' }] });
    expect(trace.said).toContain('Enter the phone number you want us to call, with the area code, and finish with the hash key.');
    expect(trace.said).toContain('We cannot call that number.');
    expect(trace.said).toContain('We will call you on the number ending in 6 5 4 3.');
    expect(trace.said.some((s) => /^We will call you back before \d+ (am|pm|12 noon) today\.$/.test(s))).toBe(true);
    expect(trace.said[trace.said.length - 1]).toBe('Thank you. Goodbye.');
    // The keyed number never travels in the clear in a webhook URL.
    expect(JSON.stringify(trace.requests)).not.toContain(KEYED_DIGITS);
    await h.settle();

    const list = await inbox();
    const mine = list.body.callbacks.find((c: { callSid: string }) => c.callSid === trace.callSid);
    expect(mine).toMatchObject({ state: 'open', source: 'keyed', language: 'en-GB', number: '070-… 65 43', sought: { label: 'Johan Berg' } });
    expect((await request(h, 'GET', `/api/callbacks/${mine.id}/number`, reception.token)).body.number).toBe('+46709876543');
    expect((await inbox('open', analyst.token)).status).toBe(403);

    // Past the deadline: overdue in the inbox and on the live board's alerts.
    h.clock.advance(8 * 3_600_000);
    expect((await inbox('overdue')).body.callbacks.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    await h.service.callbackWatch.load();
    const raised = h.service.alerts.check();
    expect(raised.some((n) => n.state === 'raised' && n.alert.kind === 'callbacks-overdue')).toBe(true);

    // Five days after the deadline it expires; 30 days after that it is deleted.
    const expiry = await applyCallbackRetention(h.service.store, h.clock.now() + 6 * 86_400_000, h.config.callbackRetentionDays);
    expect(expiry.expired).toBe(1);
    expect((await inbox('expired')).body.callbacks.map((c: { id: string }) => c.id)).toEqual([mine.id]);
    const m = await request(h, 'GET', '/api/metrics/callbacks', analyst.token);
    expect(m.body.callbacks).toMatchObject({ requests: 2, expired: 1 });
  });

  test('the virtual caller plays a callback: its own number confirmed, or another keyed in', async () => {
    const own = await h.caller.call({ from: '+46705550001', digits: ['5', '4714', '4'], dials: [{ answer: false, status: 'no-answer' }], callback: {} });
    expect(own.said).toContain('Vi ringer dig på numret som slutar på noll 0 noll 1.');
    const keyed = await h.caller.call({ from: '+46705550002', digits: ['5', '4714', '4'], dials: [{ answer: false, status: 'no-answer' }], callback: { number: '0705550099' } });
    expect(keyed.said).toContain('Vi ringer dig på numret som slutar på noll 0 99.');
    await h.settle();
    const [a] = await h.service.store.callbacksOf([own.callSid]);
    const [b] = await h.service.store.callbacksOf([keyed.callSid]);
    expect([a.source, b.source]).toEqual(['caller', 'keyed']);
    expect((await request(h, 'GET', `/api/callbacks/${b.id}/number`, reception.token)).body.number).toBe('+46705550099');
    for (const id of [a.id, b.id]) await request(h, 'POST', `/api/callbacks/${id}/done`, reception.token);
  });

  test('privacy: the number in no log line and in no file of the data folder; the extract has it; gone after its retention; erasure removes callbacks', async () => {
    const trace = await h.caller.call({ from: '+46731112299', digits: ['5', '4713', '4', '1'], dials: [{ answer: false, status: 'no-answer' }] });
    await h.settle();
    const [cb] = await h.service.store.callbacksOf([trace.callSid]);
    expect(cb).toBeDefined();

    const inFiles = (digits: string) =>
      fs.readdirSync(h.dataDir, { recursive: true, withFileTypes: true })
        .filter((f) => f.isFile())
        .map((f) => path.join(f.parentPath, f.name))
        .filter((f) => fs.readFileSync(f).includes(Buffer.from(digits)));
    for (const digits of ['731112299', OWN_DIGITS, KEYED_DIGITS]) {
      expect(inFiles(digits)).toEqual([]);
      expect(logLines.filter((l) => l.includes(digits))).toEqual([]);
    }
    expect(logLines.length).toBeGreaterThan(0);

    const extract = await request(h, 'POST', '/api/privacy/caller-data', API_TOKEN, { number: '+46731112299' });
    expect(extract.body.calls[0].callbacks).toEqual([expect.objectContaining({ number: '+46731112299', target: '4713' })]);

    // Done, then deleted CALLBACK_RETENTION_DAYS (30) later with its sealed number.
    expect(h.config.callbackRetentionDays).toBe(30);
    await request(h, 'POST', `/api/callbacks/${cb.id}/done`, reception.token);
    const early = await applyCallbackRetention(h.service.store, h.clock.now() + 29 * 86_400_000, 30);
    expect(early.callbacks).toBe(0);
    const late = await applyCallbackRetention(h.service.store, h.clock.now() + 31 * 86_400_000, 30);
    expect(late.callbacks).toBeGreaterThanOrEqual(1);
    expect(await h.service.store.getCallback(cb.id)).toBeNull();
    await h.service.outbox.purgeDelivered();
    expect(inFiles(cb.sealed.slice(-20))).toEqual([]);

    // Erasure: a new request of the same caller goes with their calls.
    const again = await h.caller.call({ from: '+46731112299', digits: ['5', '4713', '4', '1'], dials: [{ answer: false, status: 'no-answer' }] });
    await h.settle();
    expect(await h.service.store.callbacksOf([again.callSid])).toHaveLength(1);
    const erased = await request(h, 'POST', '/api/privacy/caller-data/erase', API_TOKEN, { number: '+46731112299' });
    expect(erased.status).toBe(200);
    expect(await h.service.store.callbacksOf([again.callSid])).toEqual([]);
  });
});
