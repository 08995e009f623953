import { addValue, bucketOf, bucketValue, readHistogram } from '../../src/metrics/histogram';
import { WAIT_BIN_EDGES_MS, displayBins, isoWeek, localMidnight, weeksIn, zoneOffsetMs } from '../../src/api/dashboard-series';
import { STAFF_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { seedCalls, weekdaysBetween } from './seed';

const TZ = 'Europe/Stockholm';

describe('dashboard series (pure)', () => {
  test('display bins hold each value where it belongs, the last bin open', () => {
    const c: Record<string, number> = {};
    for (const ms of [0, 5_000, 14_000, 20_000, 59_000, 61_000, 100_000, 400_000, 4_000_000]) addValue(c, 'w', ms);
    const bins = displayBins(readHistogram(c, 'w'));
    expect(bins.map((b) => b.fromMs)).toEqual(WAIT_BIN_EDGES_MS);
    expect(bins[bins.length - 1].toMs).toBeNull();
    expect(bins.map((b) => b.count)).toEqual([3, 1, 0, 1, 1, 1, 0, 0, 2]);
  });

  test('Stockholm time: offsets, midnights across the spring DST change', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-15T12:00:00Z'), TZ)).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-15T12:00:00Z'), TZ)).toBe(7_200_000);
    expect(new Date(localMidnight('2026-03-02', TZ)).toISOString()).toBe('2026-03-01T23:00:00.000Z');
    // Summer time starts at 02:00 on Sunday 29 March 2026: that day starts in winter time, the next in summer time.
    expect(new Date(localMidnight('2026-03-29', TZ)).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(new Date(localMidnight('2026-03-30', TZ)).toISOString()).toBe('2026-03-29T22:00:00.000Z');
    expect(new Date(localMidnight('2026-10-26', TZ)).toISOString()).toBe('2026-10-25T23:00:00.000Z');
  });

  test('ISO week numbers at year ends', () => {
    expect(isoWeek('2026-01-01')).toEqual({ year: 2026, week: 1 });
    expect(isoWeek('2027-01-01')).toEqual({ year: 2026, week: 53 });
    expect(isoWeek('2024-12-30')).toEqual({ year: 2025, week: 1 });
    expect(isoWeek('2026-03-02')).toEqual({ year: 2026, week: 10 });
    expect(isoWeek('2026-03-01')).toEqual({ year: 2026, week: 9 });
  });

  test('weeks in a range start on local Mondays and are cut to the range', () => {
    const from = localMidnight('2026-02-04', TZ); // a Wednesday
    const to = localMidnight('2026-02-18', TZ); // the Wednesday two weeks on
    const weeks = weeksIn(from, to, TZ);
    expect(weeks.map((w) => w.label)).toEqual(['2026-W06', '2026-W07', '2026-W08']);
    expect(weeks[0].from).toBe(from);
    expect(new Date(weeks[1].from).toISOString()).toBe('2026-02-08T23:00:00.000Z');
    expect(weeks[2].to).toBe(to);
    for (let i = 1; i < weeks.length; i++) expect(weeks[i].from).toBe(weeks[i - 1].to);
    // Wednesday to Sunday, a whole week, then Monday and Tuesday: the cut weeks are marked partial.
    expect(weeks.map((w) => [w.days, w.partial])).toEqual([
      [5, true],
      [7, false],
      [2, true],
    ]);
  });

  test('a whole week across the change to summer time (one day of 23 hours) is not partial', () => {
    const weeks = weeksIn(localMidnight('2026-03-23', TZ), localMidnight('2026-03-30', TZ), TZ);
    expect(weeks.map((w) => [w.label, w.days, w.partial])).toEqual([['2026-W13', 7, false]]);
  });
});

describe('dashboard chart routes', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
    const days = weekdaysBetween('2026-02-09', '2026-03-02').map((date) => ({ date, calls: 8 }));
    await seedCalls(h, { days, seed: 7 });
  }, 120_000);
  afterAll(() => h.close());

  const range = 'from=2026-02-08T23:00:00Z&to=2026-03-01T23:00:00Z';

  test('the wait histogram counts every call the operator answered, each in the bin of its stored bucket', async () => {
    const res = await h.api(`/api/dashboard/wait-histogram?${range}&flow=vaxel`, STAFF_TOKEN);
    expect(res.status).toBe(200);
    const calls = (await h.api(`/api/calls?${range}&limit=1000`)).body.calls as { timeToOperatorMs: number | null }[];
    const waits = calls.map((c) => c.timeToOperatorMs).filter((x): x is number => x !== null);
    expect(waits.length).toBeGreaterThan(20);
    expect(res.body.distribution.count).toBe(waits.length);
    expect(res.body.bins.reduce((s: number, b: { count: number }) => s + b.count, 0)).toBe(waits.length);
    // Each wait is counted in the bin that holds the value its stored bucket reports (the bucket's
    // midpoint, within 1/32 of the exact time), so a wait that close to an edge may cross it.
    const bins = res.body.bins as { fromMs: number; toMs: number | null; count: number }[];
    expect(bins.map((b) => b.fromMs)).toEqual(WAIT_BIN_EDGES_MS);
    const binOf = (v: number) => bins.findIndex((b) => v >= b.fromMs && (b.toMs === null || v < b.toMs));
    const expected = bins.map(() => 0);
    for (const w of waits) expected[binOf(bucketValue(bucketOf(w)))]++;
    expect(bins.map((b) => b.count)).toEqual(expected);
    // Spread over several bins, so a count in the wrong bin shows.
    expect(expected.filter((n) => n > 0).length).toBeGreaterThanOrEqual(3);
    const summary = (await h.api(`/api/metrics/summary?${range}&flow=vaxel`)).body.summary;
    expect(res.body.distribution.median).toBe(summary.timeToOperatorMs.median);
  });

  test('the weekly trend splits the range into local weeks whose calls add up to the whole', async () => {
    const res = await h.api(`/api/dashboard/trend?${range}`);
    expect(res.status).toBe(200);
    expect(res.body.weeks.map((w: { label: string }) => w.label)).toEqual(['2026-W07', '2026-W08', '2026-W09']);
    const total = (await h.api(`/api/metrics/summary?${range}`)).body.summary.calls;
    expect(res.body.weeks.reduce((s: number, w: { calls: number }) => s + w.calls, 0)).toBe(total);
    for (const w of res.body.weeks) {
      expect(w.calls).toBe(40);
      expect(w.answeredShare).toBeGreaterThan(0);
      expect(w.bemotande.answers).toBeGreaterThan(0);
    }
  });

  test('every figure leads to its calls: the list of a figure holds exactly the calls it counts, page after page', async () => {
    const { noHelp, fallbacks } = (await h.api(`/api/metrics/fallbacks?by=route&${range}&flow=vaxel`, STAFF_TOKEN)).body;
    const list = async (figure: string, limit = 1000) => {
      const sids: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await h.api(`/api/calls?${range}&flow=vaxel&limit=${limit}&figure=${encodeURIComponent(figure)}${cursor ? `&cursor=${cursor}` : ''}`, STAFF_TOKEN);
        expect(res.status).toBe(200);
        sids.push(...res.body.calls.map((c: { callSid: string }) => c.callSid));
        cursor = res.body.nextCursor;
      } while (cursor);
      return sids;
    };
    const none = await list('noHelp');
    expect(noHelp.calls.count).toBeGreaterThan(3);
    expect(none.length).toBe(noHelp.calls.count);
    // Three at a time: the same calls, each once.
    expect(await list('noHelp', 3)).toEqual(none);
    expect(fallbacks.length).toBeGreaterThan(3);
    for (const f of fallbacks) {
      const sids = await list(`fallback:${f.nodeId}|${f.target}|${f.reason}|${f.route}`);
      expect({ row: `${f.nodeId}|${f.target}|${f.reason}|${f.route}`, calls: sids.length }).toEqual({ row: `${f.nodeId}|${f.target}|${f.reason}|${f.route}`, calls: f.calls });
    }
    const bad = await h.api(`/api/calls?figure=${encodeURIComponent('fallback:person')}`, STAFF_TOKEN);
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"figure"');
  });

  test("a call's timeline: its journey and every event in order, the caller's pseudonym for admins only", async () => {
    const [call] = (await h.api(`/api/calls?${range}&figure=noHelp&limit=1`, STAFF_TOKEN)).body.calls;
    const staff = (await h.api(`/api/calls/${call.callSid}/timeline`, STAFF_TOKEN)).body;
    expect(staff.journey.callSid).toBe(call.callSid);
    expect(staff.journey.caller).toBeNull();
    expect(staff.events[0]).toMatchObject({ type: 'call.started', caller: null });
    const at = staff.events.map((e: { at: number }) => e.at);
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(staff.events.length).toBe(staff.journey.eventCount);
    const admin = (await h.api(`/api/calls/${call.callSid}/timeline`)).body;
    expect(admin.events[0].caller).toMatch(/^k1:/);
    expect((await h.api('/api/calls/CA00000000000000000000000000000000/timeline')).status).toBe(404);
  });

  test('bad parameters are named; no token, no data', async () => {
    const bad = await h.api('/api/dashboard/trend?from=2026-03-01&to=2026-02-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain('"to"');
    const measure = await h.api('/api/dashboard/wait-histogram?measure=ringing');
    expect(measure.status).toBe(400);
    expect(measure.body.error.message).toContain('"measure"');
    expect((await h.api('/api/dashboard/trend', 'wrong-token')).status).toBe(401);
  });

  test('labels name departments and steps as the flow files do, never a person in the directory', async () => {
    const { flows } = (await h.api('/api/dashboard/labels', STAFF_TOKEN)).body;
    expect(flows.vaxel.targets.skola).toBe('Förskola och skola');
    expect(flows.vaxel.nodes).toMatchObject({ main: 'Huvudmeny', skola: 'Förskola och skola', person: 'Sök person (anknytning)' });
    expect(JSON.stringify(flows)).not.toContain('Anna Lind');
  });

  test('the session route tells who is signed in, their roles and the server time', async () => {
    const admin = await h.api('/api/session');
    expect(admin.body).toMatchObject({
      user: { email: null, kind: 'service', name: 'API_TOKEN (tjänstekonto)' },
      roles: ['reception', 'analyst', 'admin'],
      mustChangePassword: false,
      // A bearer token is no cookie: there is no session to forge requests with.
      csrfToken: null,
      now: h.clock.now(),
      timeZone: 'Europe/Stockholm',
    });
    expect((await h.api('/api/session', STAFF_TOKEN)).body).toMatchObject({ user: { kind: 'service', name: 'API_STAFF_TOKEN (tjänstekonto)' }, roles: ['reception', 'analyst'] });
  });
});
