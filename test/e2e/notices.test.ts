import { startHarness, takenAfter, type Harness } from '../helpers/harness';
import { request, staffMember, type StaffMember } from '../helpers/staff';

const ANNA = '+46101304711';
const JOHAN = '+46101304712';
/** The harness starts on Monday 2 March 2026, 09:00 in Stockholm; 13:00 UTC is 14:00 there. */
const AT_14 = '2026-03-02T13:00:00.000Z';

/** Absence notices set through the API and met by callers through the webhooks. */
describe('absence notices end to end', () => {
  let h: Harness;
  let reception: StaffMember;
  let admin: StaffMember;
  beforeEach(async () => {
    h = await startHarness();
    reception = await staffMember(h, 'reception@exempelstad.se', ['reception']);
    admin = await staffMember(h, 'admin@exempelstad.se', ['admin']);
  });
  afterEach(async () => h.close());

  const setNotice = (who: StaffMember, number: string, body: unknown) => request(h, 'PUT', `/api/notices/${encodeURIComponent(number)}`, who.token, body);
  const verbsOf = (t: { requests: { verbs: string[] }[] }) => t.requests.flatMap((r) => r.verbs);

  test('a notice set by reception is said before any ring, the caller goes straight on, and the figures count it', async () => {
    expect((await setNotice(reception, ANNA, { reason: 'meeting', until: '2026-03-02T14:00:00+01:00' })).status).toBe(200);
    const listed = await request(h, 'GET', '/api/notices', reception.token);
    expect(listed.body.notices).toEqual([expect.objectContaining({ number: ANNA, name: 'Anna Lind', flows: [{ flowId: 'vaxel', extension: '4711' }], reason: 'meeting', until: AT_14, setBy: 'user:reception@exempelstad.se' })]);

    const t = await h.caller.call({ digits: ['5', '4711', '0'], queue: takenAfter(10), survey: ['3', '3', '1'], thinkMs: 2000 });
    // No <Dial> anywhere in the call: nobody's phone rang for Anna, and the caller reached the operator's queue.
    expect(verbsOf(t)).not.toContain('Dial');
    expect(verbsOf(t)).toContain('Enqueue');
    const sentence = t.said.indexOf('Anna Lind är på möte till klockan 14.');
    expect(sentence).toBeGreaterThan(-1);
    expect(t.said[sentence + 1]).toMatch(/^Den du söker svarar inte just nu/);

    const j = await h.journey(t.callSid);
    expect(j.notices).toEqual([{ nodeId: 'person', target: '4711', targetKind: 'person', reason: 'meeting', until: AT_14, at: expect.any(String) }]);
    expect(j.fallbacks).toEqual([expect.objectContaining({ nodeId: 'person', target: '4711', reason: 'notice', route: 'person_unavailable', ringMs: 0, outcome: 'answered_by_operator' })]);
    expect(j.transfers.map((x: { target: string }) => x.target)).toEqual(['vaxeln']);
    expect(j.outcome).toBe('answered_by_operator');

    // A second caller finds Johan's phone ringing out: scored apart, and no estimate for Anna (each person's own rings count).
    const rang = await h.caller.call({ digits: ['5', '4712', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(5), survey: ['2', '2', '2'] });
    expect(verbsOf(rang)).toContain('Dial');
    await h.settle();

    const m = await h.api('/api/metrics/notices?from=2026-03-02&to=2026-03-03');
    expect(m.status).toBe(200);
    const v = m.body.notices;
    expect(v).toMatchObject({ calls: 1, ringsAvoided: 1 });
    // Anna has no ring-out of her own in the range: the directory's ringSeconds (20 s) stands in for it.
    expect(v.rows).toEqual([{ flowId: 'vaxel', nodeId: 'person', target: '4711', reason: 'meeting', ringsAvoided: 1, calls: 1, ringEstimateMs: 20_000, estimateFrom: 'ring-seconds', savedMs: 20_000 }]);
    expect(v.savedMs).toBe(20_000);
    expect(v.survey.metNotice).toMatchObject({ calls: 1, bemotande: { index: 50, answers: 1 } });
    expect(v.survey.rangOut).toMatchObject({ calls: 1, bemotande: { index: 25, answers: 1 } });
    expect(v.fallbacks.map((f: { reason: string; occurrences: number }) => [f.reason, f.occurrences]).sort()).toEqual([['no-answer', 1], ['notice', 1]]);
    // The existing fallback view counts it under its own reason.
    const fb = await h.api('/api/metrics/fallbacks?from=2026-03-02&to=2026-03-03');
    expect(fb.body.fallbacks.find((f: { reason: string }) => f.reason === 'notice')).toMatchObject({ nodeId: 'person', target: '4711', route: 'person_unavailable', occurrences: 1 });
  });

  test('once Anna has rung out herself, the time her notice saves is her own median ring', async () => {
    await h.caller.call({ digits: ['5', '4711', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(5) });
    expect((await setNotice(reception, ANNA, { reason: 'out', until: '2026-03-02T15:00:00Z' })).status).toBe(200);
    await h.caller.call({ digits: ['5', '4711', '0'], queue: takenAfter(5) });
    await h.settle();
    const v = (await h.api('/api/metrics/notices?from=2026-03-02&to=2026-03-03')).body.notices;
    expect(v.rows).toHaveLength(1);
    expect(v.rows[0].estimateFrom).toBe('ring-outs');
    // The virtual caller lets a no-answer ring the Dial's full 20 s; the histogram reads within 1/64.
    expect(v.rows[0].ringEstimateMs).toBeGreaterThanOrEqual(19_500);
    expect(v.rows[0].ringEstimateMs).toBeLessThanOrEqual(21_000);
  });

  test('an English call hears the notice in English', async () => {
    expect((await setNotice(reception, ANNA, { reason: 'gone-for-the-day', until: '2026-03-03T08:00:00+01:00' })).status).toBe(200);
    const t = await h.caller.call({ digits: ['9', '1', '5', '4711'] });
    expect(t.said).toContain('Anna Lind has left for the day and will be back tomorrow at 8 am.');
    expect(verbsOf(t)).not.toContain('Dial');
    const j = await h.journey(t.callSid);
    expect(j.language).toBe('en-GB');
    expect(j.fallbacks[0]).toMatchObject({ reason: 'notice', target: '4711' });
  });

  test('a notice past its return time no longer applies: the phone rings again', async () => {
    expect((await setNotice(reception, ANNA, { reason: 'meeting', until: '2026-03-02T08:30:00Z' })).status).toBe(200);
    h.clock.advance(31 * 60_000);
    const t = await h.caller.call({ digits: ['5', '4711'], dials: [{ answer: true, talkMs: 30_000 }] });
    expect(verbsOf(t)).toContain('Dial');
    expect(t.said.join(' ')).not.toContain('möte');
    const j = await h.journey(t.callSid);
    expect(j.notices).toEqual([]);
    expect(j.outcome).toBe('answered_by_person');
    expect((await request(h, 'GET', '/api/notices', reception.token)).body.notices).toEqual([]);
    // A return time already past is refused when set.
    expect((await setNotice(reception, ANNA, { reason: 'meeting', until: '2026-03-02T08:00:00Z' })).status).toBe(400);
  });

  test('reception sets anyone’s notice, a person only their own, an analyst nobody’s; each change is on the audit trail', async () => {
    const anna = await staffMember(h, 'anna.lind@exempelstad.se', ['analyst']);
    const analyst = await staffMember(h, 'analys@exempelstad.se', ['analyst']);
    expect((await setNotice(anna, ANNA, { reason: 'sick' })).status).toBe(200);
    expect((await setNotice(anna, JOHAN, { reason: 'sick' })).status).toBe(403);
    expect((await setNotice(analyst, ANNA, { reason: 'leave' })).status).toBe(403);
    expect((await request(h, 'DELETE', `/api/notices/${encodeURIComponent(ANNA)}`, analyst.token)).status).toBe(403);
    expect((await request(h, 'GET', '/api/notices', analyst.token)).status).toBe(403);
    expect((await setNotice(reception, JOHAN, { reason: 'leave', until: '2026-03-09T00:00:00+01:00' })).status).toBe(200);
    expect((await setNotice(reception, '+46700000000', { reason: 'leave' })).status).toBe(404);
    expect((await setNotice(reception, JOHAN, { reason: 'meeting' })).status).toBe(400);
    expect((await setNotice(reception, JOHAN, { reason: 'other' })).status).toBe(400);
    const cleared = await request(h, 'DELETE', `/api/notices/${encodeURIComponent(ANNA)}`, anna.token);
    expect(cleared).toMatchObject({ status: 200, body: { cleared: true } });
    const listed = (await request(h, 'GET', '/api/notices', reception.token)).body.notices;
    expect(listed.map((n: { name: string; reason: string }) => [n.name, n.reason])).toEqual([['Johan Berg', 'leave']]);

    const audit = (await request(h, 'GET', '/api/audit?limit=100', admin.token)).body;
    const notices = audit.records.filter((e: { action: string }) => e.action.startsWith('notice.'));
    expect(notices.map((e: { actor: string; action: string; object: string }) => [e.actor, e.action, e.object])).toEqual(
      expect.arrayContaining([
        ['user:anna.lind@exempelstad.se', 'notice.set', 'person:vaxel/4711'],
        ['user:reception@exempelstad.se', 'notice.set', 'person:vaxel/4712'],
        ['user:anna.lind@exempelstad.se', 'notice.cleared', 'person:vaxel/4711'],
      ]),
    );
    expect(notices).toHaveLength(3);
    // The trail names people by flow and extension, never by their number.
    expect(JSON.stringify(notices)).not.toContain('4613047');
  });
});
