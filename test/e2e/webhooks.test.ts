import twilio from 'twilio';
import { AUTH_TOKEN, startHarness, takenAfter, type Harness } from '../helpers/harness';
import { parseTwiml } from '../../src/sim/twiml-parse';

/** Each scenario is a whole call played against the real server by the virtual caller. */
describe('switchboard calls end to end', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const journey = (callSid: string) => h.journey(callSid);

  test('runs on the store of this phase of npm test (MongoDB in the second phase)', () => {
    expect(h.service.store.kind).toBe(process.env.HARNESS_STORE === 'mongo' ? 'mongo' : 'embedded');
  });

  test('happy path: a department answers, the survey is answered in full', async () => {
    const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true, ringMs: 8000, talkMs: 180_000 }], survey: ['5', '4', '1'], thinkMs: 2000 });
    expect(t.ending).toBe('hangup-verb');
    expect(t.requests.every((r) => r.status === 200)).toBe(true);
    const j = await journey(t.callSid);
    expect(j).toMatchObject({
      callSid: t.callSid,
      flowId: 'vaxel',
      flowVersion: h.service.registry.get('vaxel')!.version,
      path: ['welcome', 'main', 'skola'],
      keyPresses: 1,
      outcome: 'answered_by_department',
      category: 'skola',
      fallbacks: [],
      survey: { bemotande: 5, enkelhet: 4, answered: true, completed: true, points: { bemotande: 100, enkelhet: 75 } },
    });
    expect(j.caller).toMatch(/^k1:[0-9a-f]{32}$/);
    expect(JSON.stringify(j)).not.toContain('701234567');
    // Prompts before the key press, 2 s thinking, the "connecting" sentence, then 8 s ringing.
    const menuMs = j.steps[1].ms;
    expect(j.timeToHumanMs).toBe(menuMs + j.steps[2].ms);
    expect(j.steps[2].ms).toBeGreaterThanOrEqual(8000);
    expect(j.timeToOperatorMs).toBeNull();
  });

  test('a person’s no-answer falls back to the operator: time and keys after the fallback match what the caller did', async () => {
    const think = 3000;
    const t = await h.caller.call({
      digits: ['5', '4711', '9', '0'],
      dials: [{ answer: false, status: 'no-answer' }],
      queue: takenAfter(7),
      survey: ['4', '3', '2'],
      thinkMs: think,
    });
    const j = await journey(t.callSid);
    expect(j.path).toEqual(['welcome', 'main', 'person', 'person_unavailable', 'operator']);
    expect(j.keyPresses).toBe(1 + 4 + 1 + 1);
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.fallbacks).toHaveLength(1);
    const fb = j.fallbacks[0];
    expect(fb).toMatchObject({ nodeId: 'person', target: '4711', reason: 'no-answer', route: 'person_unavailable', lostKeyPresses: 2, outcome: 'answered_by_operator' });
    // After the fallback: the unavailable menu is spoken, the caller waits `think`, presses 9 (invalid),
    // hears "Det valet finns inte." and the menu again, waits `think`, presses 0, then waits in the queue
    // (the queue's sentence, 7 s, the operator hearing who is next) until the operator takes the call.
    const menuText = 'Den du söker svarar inte just nu. För att söka en annan person, tryck 1. För huvudmenyn, tryck 2. För att bli uppringd, tryck 4. För växeln, tryck 0.';
    const speech = (s: string) => s.length * 60;
    const stay = j.transfers[1];
    expect(stay.queue).toMatchObject({ queue: 'vaxeln', result: 'bridged', operator: 'lena' });
    const inQueue = Date.parse(stay.answeredAt) - Date.parse(stay.attemptedAt);
    expect(inQueue).toBeGreaterThan(speech('Du står nu i kö till växeln.') + 7000);
    const expected = speech(menuText) + think + speech('Det valet finns inte.') + speech(menuText) + think + inQueue;
    // The time lost starts with the person's phone ringing 20 s unanswered (after the flow's words to the caller).
    expect(fb.ringMs).toBeGreaterThanOrEqual(20_000);
    expect(fb.ringMs).toBeLessThan(25_000);
    // Twilio's Timestamp has whole seconds, so the answer instant may read up to 1 s early.
    expect(fb.lostMs - fb.ringMs).toBeLessThanOrEqual(expected);
    expect(fb.lostMs - fb.ringMs).toBeGreaterThan(expected - 1000);
    expect(j.timeToOperatorMs).toBe(j.timeToHumanMs);
    expect(j.survey).toMatchObject({ bemotande: 4, enkelhet: 3, answered: false });
  });

  test('invalid keys are counted, repeated, and the exhausted menu reaches the operator', async () => {
    const t = await h.caller.call({ digits: ['7', '8', '6'], queue: takenAfter(5, 30_000), survey: [] });
    const j = await journey(t.callSid);
    expect(j.invalidInputs).toBe(3);
    expect(j.keyPresses).toBe(3);
    expect(j.path).toEqual(['welcome', 'main', 'operator']);
    expect(j.outcome).toBe('answered_by_operator');
    expect(t.said).toContain('Det valet finns inte.');
  });

  test('a caller who hangs up in the menu is "abandoned in menu"', async () => {
    const t = await h.caller.call({ digits: [''] });
    expect(t.ending).toBe('caller-hung-up');
    const j = await journey(t.callSid);
    expect(j).toMatchObject({ outcome: 'abandoned_in_menu', timeouts: 1, keyPresses: 0, ended: true, timeToHumanMs: null });
  });

  test('a caller who hangs up after the fallback is "abandoned after fallback"', async () => {
    const t = await h.caller.call({ digits: ['5', '4712'], dials: [{ answer: false, status: 'busy', ringMs: 2000 }] });
    const j = await journey(t.callSid);
    expect(j.outcome).toBe('abandoned_after_fallback');
    expect(j.fallbacks).toMatchObject([{ reason: 'busy', outcome: 'abandoned', lostKeyPresses: 0 }]);
    expect(j.fallbacks[0].lostMs).toBeGreaterThan(0);
  });

  test('the survey is skipped when the caller stays silent or hangs up', async () => {
    const silent = await h.caller.call({ digits: ['2'], dials: [{ answer: true }], survey: ['', '', ''] });
    const j = await journey(silent.callSid);
    expect(j.survey).toMatchObject({ offered: true, bemotande: null, enkelhet: null, answered: null, skipped: ['bemotande', 'enkelhet', 'answered'], completed: true });
    const gone = await h.caller.call({ digits: ['2'], dials: [{ answer: true }], survey: ['5'] });
    const g = await journey(gone.callSid);
    expect(g.survey).toMatchObject({ offered: true, bemotande: 5, enkelhet: null, completed: false });
  });

  test('leaving the conversation with * still leads to the survey', async () => {
    const t = await h.caller.call({ digits: ['3'], dials: [{ answer: true, star: true, talkMs: 20_000 }], survey: ['3', '3', '1'] });
    const j = await journey(t.callSid);
    expect(j.survey.completed).toBe(true);
  });

  test('a webhook with a bad signature is refused with 403 and nothing is recorded', async () => {
    const params = { CallSid: 'CA' + 'b'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), From: '+46701234567', To: '+46101300000', CallStatus: 'ringing' };
    const url = `${h.baseUrl}/twilio/voice`;
    const post = (sig: string | null) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', ...(sig ? { 'x-twilio-signature': sig } : {}) },
        body: new URLSearchParams(params).toString(),
      });
    expect((await post(null)).status).toBe(403);
    expect((await post(twilio.getExpectedTwilioSignature('wrong-token', url, params))).status).toBe(403);
    // Signed for another URL (e.g. a replay against a different endpoint).
    expect((await post(twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${h.baseUrl}/twilio/status`, params))).status).toBe(403);
    await h.settle();
    expect(await h.service.store.eventsForCall(params.CallSid)).toEqual([]);
    expect(h.service.outbox.stats().delivered).toBe(0);
    const ok = await post(twilio.getExpectedTwilioSignature(AUTH_TOKEN, url, params));
    expect(ok.status).toBe(200);
  });

  test('malformed parameters get valid TwiML that puts the caller through to the operator, and nothing is recorded', async () => {
    for (const params of [
      { CallSid: 'not-a-sid', AccountSid: 'AC' + 'c'.repeat(32) },
      { AccountSid: 'AC' + 'c'.repeat(32) },
      { CallSid: 'CA' + 'd'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), CallStatus: 'exploded' },
    ] as Record<string, string>[]) {
      const res = await h.signedPost('/twilio/voice', params);
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/xml/);
      const verbs = parseTwiml(res.text);
      expect(verbs.map((v) => v.name)).toEqual(['Say', 'Dial']);
      expect(verbs[1].children[0].text).toBe('+46101300100');
    }
    await h.settle();
    expect(h.service.outbox.stats().delivered).toBe(0);
  });

  async function signedPost(pathAndQuery: string, params: Record<string, string>) {
    const res = await h.signedPost(pathAndQuery, params);
    return { status: res.status, verbs: parseTwiml(res.text) };
  }

  test('a call state naming a node that does not exist is answered safely, not trusted', async () => {
    const params = { CallSid: 'CA' + 'e'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), Digits: '1' };
    const res = await signedPost(`/twilio/input?f=vaxel&v=nope&n=ghost&l=sv-SE&k=1`, params);
    expect(res.verbs.map((v) => v.name)).toEqual(['Say', 'Dial']);
    await h.settle();
    const events = await h.service.store.eventsForCall(params.CallSid);
    expect(events.map((e) => e.type)).toEqual(['engine.error']);
  });

  test('a call on a flow version no longer loaded continues on the current version where the node exists', async () => {
    const params = { CallSid: 'CA' + '1'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), Digits: '1' };
    const res = await signedPost(`/twilio/input?f=vaxel&v=retired&n=main&l=sv-SE&k=1`, params);
    expect(res.verbs.map((v) => v.name)).toEqual(['Say', 'Dial']);
    expect(res.verbs[1].attrs.action).toContain(`v=${h.service.registry.get('vaxel')!.version}`);
  });

  test('a redelivered webhook (same URL, same parameters) is recorded once', async () => {
    const base = { CallSid: 'CA' + '2'.repeat(32), AccountSid: 'AC' + 'c'.repeat(32), From: '+46701234567', To: '+46101300000', CallStatus: 'ringing' };
    const first = await signedPost('/twilio/voice', base);
    const again = await signedPost('/twilio/voice', base);
    expect(again.verbs).toEqual(first.verbs);
    const next = first.verbs.find((v) => v.name === 'Gather')!.attrs.action.replace(h.baseUrl, '');
    await signedPost(next, { ...base, CallStatus: 'in-progress', Digits: '1' });
    await signedPost(next, { ...base, CallStatus: 'in-progress', Digits: '1' });
    await h.settle();
    const events = await h.service.store.eventsForCall(base.CallSid);
    expect(events.map((e) => e.type)).toEqual(['call.started', 'node.entered', 'node.entered', 'input.digits', 'node.entered', 'transfer.attempted']);
    expect(h.service.outbox.stats().delivered).toBe(12);
  });

  test('the API needs a bearer token and says why a query is wrong', async () => {
    expect((await h.api('/api/calls', 'wrong')).status).toBe(401);
    const bad = await h.api('/api/calls?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/"from"/);
    expect((await h.api('/api/calls/CAnope')).status).toBe(400);
    expect((await h.api(`/api/calls/CA${'f'.repeat(32)}`)).status).toBe(404);
    const t = await h.caller.call({ digits: [''] });
    await h.settle();
    const list = await h.api('/api/calls?from=2026-03-01&limit=10');
    expect(list.status).toBe(200);
    expect(list.body.calls.map((c: { callSid: string }) => c.callSid)).toContain(t.callSid);
  });
});

describe('API rate limit', () => {
  test('answers 429 with a message past the configured requests per minute, bad tokens included; webhooks are not limited', async () => {
    const h = await startHarness({ env: { API_RATE_LIMIT_PER_MINUTE: '5' } });
    try {
      const statuses = [];
      for (let i = 0; i < 7; i++) statuses.push((await h.api('/api/calls?limit=1')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
      const limited = await h.api('/api/calls?limit=1');
      expect(limited.body.error.message).toMatch(/Too many requests/);
      // Counted before the token is looked at: guessing tokens is limited like any other request.
      expect((await h.api('/api/calls?limit=1', 'a-guessed-token-0000000')).status).toBe(429);
      const t = await h.caller.call({ digits: ['1'], dials: [{ answer: true }], survey: ['5', '5', '1'] });
      expect(t.requests.every((r) => r.status === 200)).toBe(true);
    } finally {
      await h.close();
    }
  });
});
