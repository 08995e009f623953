import fs from 'node:fs';
import path from 'node:path';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, signIn, withSession } from '../helpers/staff';

/** Every file in a folder and below (the database, its WAL, the outbox journal). */
function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? filesUnder(path.join(dir, d.name)) : [path.join(dir, d.name)]));
}

describe('personal tokens and the audit trail', () => {
  let h: Harness;
  const lines: string[] = [];
  beforeAll(async () => {
    h = await startHarness({ logTo: { write: (l: string) => void lines.push(l) } });
  });
  afterAll(async () => h.close());

  test("reading a call's timeline with a personal token leaves an audit record naming that user, that call and the token; after revocation the token gets 401", async () => {
    const { callSid } = await h.caller.call({ digits: ['1'], dials: [{ answer: true }] });
    await h.settle();
    expect((await request(h, 'POST', '/api/users', API_TOKEN, { email: 'omar.said@kommun.se', name: 'Omar Said', roles: ['reception'] })).status).toBe(201);
    const created = await request(h, 'POST', '/api/users/omar.said@kommun.se/tokens', API_TOKEN, { name: 'väggskärm', expiresInDays: 30 });
    expect(created).toMatchObject({ status: 201, body: { name: 'väggskärm', token: expect.stringMatching(/^cpt_[A-Za-z0-9_-]{43}$/) } });
    const { token, id } = created.body;

    const timeline = await request(h, 'GET', `/api/calls/${callSid}/timeline`, token);
    expect(timeline.status).toBe(200);
    // Reception sees the call, not the pseudonym that links a caller's calls.
    expect(timeline.body.journey.caller).toBeNull();

    const reads = await request(h, 'GET', `/api/audit?action=call.timeline.read&object=${callSid}`, API_TOKEN);
    expect(reads.body.records).toEqual([
      { seq: expect.any(Number), at: new Date(h.clock.now()).toISOString(), actor: 'user:omar.said@kommun.se', action: 'call.timeline.read', object: callSid, address: expect.stringMatching(/127\.0\.0\.1/), details: { token: id } },
    ]);
    const byUser = await request(h, 'GET', '/api/audit?user=omar.said@kommun.se', API_TOKEN);
    expect(byUser.body.records.map((r: { action: string }) => r.action)).toEqual(['call.timeline.read']);

    // Listings never show the token or its hash.
    const listed = await request(h, 'GET', '/api/users/omar.said@kommun.se/tokens', API_TOKEN);
    expect(listed.body.tokens).toEqual([expect.objectContaining({ id, name: 'väggskärm', revokedAt: null, createdBy: 'service:API_TOKEN' })]);
    expect(JSON.stringify(listed.body)).not.toContain(token.slice(4, 20));
    expect(listed.body.tokens[0]).not.toHaveProperty('hash');

    expect((await request(h, 'DELETE', `/api/users/omar.said@kommun.se/tokens/${id}`, API_TOKEN)).status).toBe(204);
    expect(await request(h, 'GET', `/api/calls/${callSid}/timeline`, token)).toMatchObject({ status: 401, body: { error: { code: 'API_UNAUTHORIZED' } } });
    // Newest first by default, as an admin looks for what just happened; in the order written on request.
    const changes = await request(h, 'GET', '/api/audit?object=omar.said@kommun.se', API_TOKEN);
    expect(changes.body.records.map((r: { action: string; actor: string }) => [r.action, r.actor])).toEqual([
      ['token.revoked', 'service:API_TOKEN'],
      ['token.created', 'service:API_TOKEN'],
      ['user.created', 'service:API_TOKEN'],
    ]);
    const written = await request(h, 'GET', '/api/audit?object=omar.said@kommun.se&order=oldest', API_TOKEN);
    expect(written.body.records.map((r: { action: string }) => r.action)).toEqual(['user.created', 'token.created', 'token.revoked']);
    // Pages: two at a time, newest first, then the rest before the last seen.
    const page1 = await request(h, 'GET', '/api/audit?object=omar.said@kommun.se&limit=2', API_TOKEN);
    expect(page1.body.records.map((r: { action: string }) => r.action)).toEqual(['token.revoked', 'token.created']);
    const page2 = await request(h, 'GET', `/api/audit?object=omar.said@kommun.se&limit=2&before=${page1.body.next.before}`, API_TOKEN);
    expect(page2.body).toMatchObject({ records: [{ action: 'user.created' }], next: null });
    expect((await request(h, 'GET', '/api/audit?after=3', API_TOKEN)).status).toBe(400);
  });

  test('a token expires on its date', async () => {
    await request(h, 'POST', '/api/users', API_TOKEN, { email: 'eva.ek@kommun.se', name: 'Eva Ek', roles: ['analyst'] });
    const { token } = (await request(h, 'POST', '/api/users/eva.ek@kommun.se/tokens', API_TOKEN, { name: 'rapport', expiresInDays: 2 })).body;
    expect((await request(h, 'GET', '/api/metrics/summary', token)).status).toBe(200);
    h.clock.advance(2 * 86_400_000 + 1000);
    expect((await request(h, 'GET', '/api/metrics/summary', token)).status).toBe(401);
  });

  test('the audit trail as CSV, and its filters checked', async () => {
    const csv = await fetch(`${h.baseUrl}/api/audit.csv?action=user.created&order=oldest`, { headers: { authorization: `Bearer ${API_TOKEN}` } });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const rows = (await csv.text()).replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(rows[0]).toBe('seq,at,actor,action,object,address,details');
    expect(rows.slice(1).map((r) => r.split(',')[4])).toEqual(['omar.said@kommun.se', 'eva.ek@kommun.se']);
    expect((await request(h, 'GET', '/api/audit?from=2026-03-03&to=2026-03-02', API_TOKEN)).status).toBe(400);
  });

  test('no password, token or session id is in any log line or stored in clear', async () => {
    const invited = await request(h, 'POST', '/api/users', API_TOKEN, { email: 'kim.nord@kommun.se', name: 'Kim Nord', roles: ['reception', 'admin'] });
    const temporary = invited.body.temporaryPassword as string;
    const first = await signIn(h, 'kim.nord@kommun.se', temporary);
    const chosen = 'hemlig fras vid älven';
    expect((await withSession(h, first.session!, 'POST', '/auth/password', { current: temporary, next: chosen })).status).toBe(204);
    const second = await signIn(h, 'kim.nord@kommun.se', chosen);
    const wrong = 'felaktigt lösenord 123';
    await signIn(h, 'kim.nord@kommun.se', wrong);
    const { token } = (await withSession(h, second.session!, 'POST', '/api/users/kim.nord@kommun.se/tokens', { name: 'skript', expiresInDays: 7 })).body;
    expect(token).toMatch(/^cpt_/);
    expect((await request(h, 'GET', '/api/users', token)).status).toBe(200);
    await h.settle();
    // The database, its WAL and the outbox journal alike: what a copy of the folder would give away.
    const secrets = { temporary, chosen, wrong, token, cookie1: first.session!.cookie.split('=')[1], cookie2: second.session!.cookie.split('=')[1], csrf: second.session!.csrf };
    const files = filesUnder(h.dataDir);
    expect(files.some((f) => f.endsWith('.sqlite'))).toBe(true);
    const stored = Buffer.concat(files.map((f) => fs.readFileSync(f)));
    const logs = lines.join('');
    expect(logs.length).toBeGreaterThan(1000);
    for (const [what, secret] of Object.entries(secrets)) {
      expect({ what, inFiles: stored.includes(Buffer.from(secret)) }).toEqual({ what, inFiles: false });
      expect({ what, inLogs: logs.includes(secret) }).toEqual({ what, inLogs: false });
    }
  });
});
