import { applyRetention } from '../../src/privacy/retention';
import { API_TOKEN, STAFF_TOKEN, startHarness, type Harness } from '../helpers/harness';

describe('retention and a resident’s own data', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  const post = (path: string, body: unknown, token = API_TOKEN) =>
    fetch(h.baseUrl + path, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));

  test('exports everything stored about one caller, found by their number, and erases it on request', async () => {
    const mine = await h.caller.call({ from: '+46705550001', digits: ['1'], dials: [{ answer: true }], survey: ['5', '4', '1'] });
    const other = await h.caller.call({ from: '+46705550002', digits: ['2'], dials: [{ answer: true }], survey: ['3', '3', '2'] });
    await h.settle();
    const exported = await post('/api/privacy/caller-data', { number: '070-555 00 01' });
    expect(exported.status).toBe(200);
    expect(exported.body.calls.map((c: { journey: { callSid: string } }) => c.journey.callSid)).toEqual([mine.callSid]);
    expect(exported.body.calls[0].events.length).toBeGreaterThan(5);
    expect(JSON.stringify(exported.body)).not.toContain('5550001');
    expect((await post('/api/privacy/caller-data', { number: '+46705550001' }, STAFF_TOKEN)).status).toBe(403);
    expect((await post('/api/privacy/caller-data', { phone: 'x' })).status).toBe(400);
    const erased = await post('/api/privacy/caller-data/erase', { number: '+46705550001' });
    expect(erased.body.erased.journeys).toBe(1);
    expect((await h.api(`/api/calls/${mine.callSid}`)).status).toBe(404);
    expect((await h.api(`/api/calls/${other.callSid}`)).status).toBe(200);
  });

  test('deletes calls past the retention period and keeps the rest', async () => {
    const old = await h.caller.call({ digits: [''] });
    h.clock.advance(400 * 86_400_000);
    const recent = await h.caller.call({ digits: [''] });
    await h.settle();
    const r = await applyRetention(h.service.store, h.clock.now(), 365);
    expect(r.journeys).toBe(1);
    expect(await h.service.store.getJourney(old.callSid)).toBeNull();
    expect(await h.service.store.eventsForCall(old.callSid)).toEqual([]);
    expect(await h.service.store.getJourney(recent.callSid)).not.toBeNull();
  });
});
