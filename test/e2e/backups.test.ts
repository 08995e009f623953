import { startHarness, takenAfter, type Harness } from '../helpers/harness';
import { request, staffMember } from '../helpers/staff';

const JOHAN = '+46101304712';
const MARIA = '+46101304715';
const verbsOf = (t: { requests: { verbs: string[] }[] }) => t.requests.flatMap((r) => r.verbs);
const ms = (iso: string) => Date.parse(iso);

/** A person's backup offered and rung, through the webhooks, and measured as its own fallback. */
describe('backups end to end', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  test('Johan does not answer → his colleague is offered → key 3 → Maria answers: the journey and the fallback figures', async () => {
    const t = await h.caller.call({ digits: ['5', '4712', '3'], dials: [{ answer: false, status: 'no-answer' }, { answer: true, ringMs: 6000, talkMs: 60_000 }], survey: ['5', '5', '1'], thinkMs: 2000 });
    expect(t.said).toContain('Den du söker svarar inte just nu. För att nå en kollega inom skola, tryck 3. För att söka en annan person, tryck 1. För huvudmenyn, tryck 2. För att bli uppringd, tryck 4. För växeln, tryck 0.');
    expect(t.said).toContain('Du kopplas till en kollega inom skola.');
    expect(verbsOf(t).filter((v) => v === 'Dial')).toHaveLength(2);

    const j = await h.journey(t.callSid);
    expect(j.path).toEqual(['welcome', 'main', 'person', 'person_unavailable', 'colleague']);
    expect(j.transfers.map((x: { target: string; backupFor?: string; result: string }) => [x.target, x.backupFor ?? null, x.result])).toEqual([
      ['4712', null, 'no-answer'],
      ['4715', '4712', 'completed'],
    ]);
    expect(j.outcome).toBe('answered_by_person');
    expect(j.fallbacks).toEqual([expect.objectContaining({ nodeId: 'person', target: '4712', reason: 'no-answer', route: 'person_unavailable', outcome: 'answered_by_person', answeredByBackup: true })]);
    const [johan, maria] = j.transfers;
    // Time lost: from Johan's phone beginning to ring until Maria answered; time to a human: from the call's start to the same moment.
    expect(j.fallbacks[0].lostMs).toBe(ms(maria.answeredAt) - ms(johan.attemptedAt));
    expect(j.fallbacks[0].ringMs).toBeGreaterThanOrEqual(19_000);
    expect(j.timeToHumanMs).toBe(ms(maria.answeredAt) - ms(j.startedAt));
    // From the attempt (before "Du kopplas …" is said) to the answer after 6 s of ringing.
    expect(maria.ringMs).toBeGreaterThanOrEqual(6000);
    expect(j.fallbacks[0].lostKeyPresses).toBe(1);
    await h.settle();

    const rescue = await h.api('/api/metrics/fallbacks?from=2026-03-02&to=2026-03-03&by=rescue');
    expect(rescue.status).toBe(200);
    expect(rescue.body.fallbacks).toEqual([expect.objectContaining({ nodeId: 'person', reason: 'no-answer', rescue: 'backup', occurrences: 1, target: null, route: null, lostTotalMs: j.fallbacks[0].lostMs })]);
    const byRoute = await h.api('/api/metrics/fallbacks?from=2026-03-02&to=2026-03-03');
    expect(byRoute.body.fallbacks).toEqual([expect.objectContaining({ nodeId: 'person', target: '4712', route: 'person_unavailable', outcomes: expect.objectContaining({ answered_by_person: 1 }) })]);
  });

  test('a colleague who does not answer either: the operator rescues both fallbacks, the time lost runs to the operator', async () => {
    const t = await h.caller.call({ digits: ['5', '4712', '3'], dials: [{ answer: false, status: 'no-answer' }, { answer: false, status: 'no-answer' }], queue: takenAfter(10), thinkMs: 2000 });
    expect(t.said).toContain('Kollegan svarar inte heller. Du kopplas till växeln.');
    const j = await h.journey(t.callSid);
    expect(j.outcome).toBe('answered_by_operator');
    expect(j.fallbacks.map((f: { nodeId: string; target: string; route: string; outcome: string; answeredByBackup?: boolean }) => [f.nodeId, f.target, f.route, f.outcome, f.answeredByBackup ?? false])).toEqual([
      ['person', '4712', 'person_unavailable', 'answered_by_operator', false],
      ['colleague', '4715', 'operator', 'answered_by_operator', false],
    ]);
    const queue = j.transfers[2];
    expect(queue.target).toBe('vaxeln');
    expect(j.fallbacks[0].lostMs).toBe(ms(queue.answeredAt) - ms(j.transfers[0].attemptedAt));
    expect(j.fallbacks[1].lostMs).toBe(ms(queue.answeredAt) - ms(j.transfers[1].attemptedAt));
    expect(j.timeToHumanMs).toBe(ms(queue.answeredAt) - ms(j.startedAt));
    await h.settle();
    const rows = (await h.api('/api/metrics/fallbacks?from=2026-03-02&to=2026-03-03&by=rescue')).body.fallbacks;
    expect(rows.map((r: { nodeId: string; rescue: string }) => [r.nodeId, r.rescue]).sort()).toEqual([['colleague', 'operator'], ['person', 'operator']]);
  });

  test('with an absence notice the backup is rung straight away, in English too', async () => {
    const reception = await staffMember(h, 'reception@exempelstad.se', ['reception']);
    expect((await request(h, 'PUT', `/api/notices/${encodeURIComponent(JOHAN)}`, reception.token, { reason: 'meeting', until: '2026-03-02T14:00:00+01:00' })).status).toBe(200);
    const t = await h.caller.call({ digits: ['5', '4712'], dials: [{ answer: true, ringMs: 4000, talkMs: 30_000 }] });
    expect(t.said).toContain('Johan Berg är på möte till klockan 14.');
    expect(t.said).toContain('Du kopplas till en kollega inom skola.');
    expect(verbsOf(t).filter((v) => v === 'Dial')).toHaveLength(1);
    const j = await h.journey(t.callSid);
    expect(j.transfers).toEqual([expect.objectContaining({ target: '4715', backupFor: '4712', result: 'completed' })]);
    expect(j.fallbacks).toEqual([expect.objectContaining({ reason: 'notice', target: '4712', route: 'colleague', ringMs: 0, outcome: 'answered_by_person', answeredByBackup: true })]);
    expect(j.fallbacks[0].lostMs).toBe(ms(j.transfers[0].answeredAt) - ms(j.fallbacks[0].at));

    const en = await h.caller.call({ digits: ['9', '1', '5', '4712'], dials: [{ answer: true, talkMs: 10_000 }] });
    expect(en.said).toContain("Connecting you to one of Johan Berg's colleagues.");
    // Maria's own phone was rung, not Johan's.
    expect(en.requests.some((r) => r.verbs.includes('Dial'))).toBe(true);
    expect(JSON.stringify((await h.journey(en.callSid)).transfers)).not.toContain(JOHAN);
    expect(MARIA).toBe('+46101304715');
  });
});
