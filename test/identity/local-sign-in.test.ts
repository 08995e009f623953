import { demoUsersIfNone } from '../../src/sim/demo-users';
import { API_TOKEN, startHarness, type Harness } from '../helpers/harness';
import { request, signIn, withSession, type BrowserSession } from '../helpers/staff';

const NEW_PASSWORD = 'sjöboden vid ån 2026';

describe('local accounts: sign-in, the first password change, sessions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => h.close());

  /** An admin invites a reception user and they sign in and choose their password, as on their first day. */
  async function newReceptionist(email = 'lena.berg@kommun.se'): Promise<BrowserSession> {
    const invited = await request(h, 'POST', '/api/users', API_TOKEN, { email, name: 'Lena Berg', roles: ['reception'] });
    expect(invited.status).toBe(201);
    const first = await signIn(h, email, invited.body.temporaryPassword);
    expect(first.status).toBe(200);
    expect((await withSession(h, first.session!, 'POST', '/auth/password', { current: invited.body.temporaryPassword, next: NEW_PASSWORD })).status).toBe(204);
    return first.session!;
  }

  test('an invited user signs in with the temporary password, must change it first, then works with their roles', async () => {
    const invited = await request(h, 'POST', '/api/users', API_TOKEN, { email: 'Lena.Berg@Kommun.se', name: 'Lena Berg', roles: ['reception'] });
    expect(invited).toMatchObject({ status: 201, body: { email: 'lena.berg@kommun.se', roles: ['reception'], source: 'local', mustChangePassword: true } });
    const temporary = invited.body.temporaryPassword as string;
    expect(temporary.length).toBeGreaterThanOrEqual(12);

    const first = await signIn(h, 'lena.berg@kommun.se', temporary);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ mustChangePassword: true, user: { email: 'lena.berg@kommun.se' } });
    // The cookie: opaque, HttpOnly, SameSite=Lax, and not Secure on a plain-http URL (the harness's).
    expect(first.setCookie).toMatch(/^callpath_session=[A-Za-z0-9_-]{43}; /);
    expect(first.setCookie).toMatch(/HttpOnly/);
    expect(first.setCookie).toMatch(/SameSite=Lax/);
    expect(first.setCookie).not.toMatch(/Secure/);
    const s = first.session!;

    // Nothing but the password change until it is done.
    expect((await withSession(h, s, 'GET', '/api/calls')).body.error.code).toBe('AUTH_PASSWORD_CHANGE_REQUIRED');
    expect((await withSession(h, s, 'GET', '/api/session')).body).toMatchObject({ mustChangePassword: true, roles: ['reception'] });
    // A change without the session's anti-forgery token is refused: another site could send the cookie.
    expect((await withSession(h, s, 'POST', '/auth/password', { current: temporary, next: NEW_PASSWORD }, { csrf: false })).body.error.code).toBe('API_CSRF');
    expect((await withSession(h, s, 'POST', '/auth/password', { current: temporary, next: 'kort' })).body.error.message).toMatch(/minst 12 tecken/);
    expect((await withSession(h, s, 'POST', '/auth/password', { current: 'fel lösenord här', next: NEW_PASSWORD })).status).toBe(403);
    expect((await withSession(h, s, 'POST', '/auth/password', { current: temporary, next: NEW_PASSWORD })).status).toBe(204);

    expect((await withSession(h, s, 'GET', '/api/session')).body).toMatchObject({ mustChangePassword: false, roles: ['reception'], user: { name: 'Lena Berg', kind: 'session' } });
    expect((await withSession(h, s, 'GET', '/api/calls')).status).toBe(200);
    expect((await withSession(h, s, 'GET', '/api/metrics/summary')).status).toBe(403);
    // The temporary password is spent; the new one signs in without a change.
    expect((await signIn(h, 'lena.berg@kommun.se', temporary)).status).toBe(401);
    expect((await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).body.mustChangePassword).toBe(false);
  });

  test('five wrong passwords lock the account for 15 minutes, even for the right one; an unknown address gets the same answer as a wrong password', async () => {
    await newReceptionist();
    for (let i = 1; i <= 4; i++) expect((await signIn(h, 'lena.berg@kommun.se', `fel lösenord ${i}`)).body.error.code).toBe('AUTH_FAILED');
    const fifth = await signIn(h, 'lena.berg@kommun.se', 'fel lösenord 5');
    expect(fifth).toMatchObject({ status: 429, body: { error: { code: 'AUTH_LOCKED', retryAfterSec: 900 } } });
    expect((await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).body.error.code).toBe('AUTH_LOCKED');
    h.clock.advance(14 * 60_000);
    expect((await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).body.error).toMatchObject({ code: 'AUTH_LOCKED', retryAfterSec: 60 });
    h.clock.advance(61_000);
    expect((await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).status).toBe(200);

    const unknown = await signIn(h, 'ingen.alls@kommun.se', 'vad som helst här');
    expect(unknown).toMatchObject({ status: 401, body: { error: { code: 'AUTH_FAILED', message: 'Wrong e-mail address or password' } } });
    // A phone number typed in the address field never reaches the audit trail.
    expect((await signIn(h, '070-123 45 67', 'vad som helst här')).status).toBe(401);
    const failures = await h.service.identity.audit.list({ action: 'signin.failed' });
    expect(failures.map((e) => [e.object, e.details?.reason])).toEqual([
      ...[1, 2, 3, 4].map(() => ['lena.berg@kommun.se', 'invalid']),
      ['lena.berg@kommun.se', 'locked'],
      ['lena.berg@kommun.se', 'locked'],
      ['lena.berg@kommun.se', 'locked'],
      ['ingen.alls@kommun.se', 'invalid'],
      [null, 'invalid'],
    ]);
    expect(JSON.stringify(failures)).not.toContain('070');
  });

  test('sign-out ends the session on the server: the same cookie is refused afterwards', async () => {
    const s = await newReceptionist();
    expect((await withSession(h, s, 'POST', '/auth/signout', undefined, { csrf: false })).status).toBe(403);
    expect((await withSession(h, s, 'POST', '/auth/signout')).status).toBe(204);
    expect((await withSession(h, s, 'GET', '/api/session')).status).toBe(401);
    const trail = await h.service.identity.audit.list({ actor: 'user:lena.berg@kommun.se' });
    expect(trail.map((e) => e.action)).toEqual(['signin', 'user.password.changed', 'signout']);
  });

  test('a session ends after the idle timeout, and after its absolute lifetime however busy', async () => {
    const idle = await newReceptionist();
    h.clock.advance(59 * 60_000);
    expect((await withSession(h, idle, 'GET', '/api/session')).status).toBe(200);
    h.clock.advance(59 * 60_000);
    expect((await withSession(h, idle, 'GET', '/api/session')).status).toBe(200);
    h.clock.advance(61 * 60_000);
    expect((await withSession(h, idle, 'GET', '/api/session')).status).toBe(401);

    const busy = (await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).session!;
    for (let hour = 1; hour < 12; hour++) {
      h.clock.advance(50 * 60_000);
      expect((await withSession(h, busy, 'GET', '/api/session')).status).toBe(200);
    }
    h.clock.advance(60 * 60_000);
    expect((await withSession(h, busy, 'GET', '/api/session')).status).toBe(401);
  });

  test("disabling a user or changing their roles ends their sessions at once; a disabled user cannot sign in", async () => {
    const s = await newReceptionist();
    expect((await request(h, 'PATCH', '/api/users/lena.berg@kommun.se', API_TOKEN, { roles: ['reception', 'analyst'] })).status).toBe(200);
    expect((await withSession(h, s, 'GET', '/api/session')).status).toBe(401);
    const again = (await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).session!;
    expect((await withSession(h, again, 'GET', '/api/metrics/summary')).status).toBe(200);
    expect((await request(h, 'PATCH', '/api/users/lena.berg@kommun.se', API_TOKEN, { disabled: true })).body).toMatchObject({ disabled: true });
    expect((await withSession(h, again, 'GET', '/api/session')).status).toBe(401);
    expect((await signIn(h, 'lena.berg@kommun.se', NEW_PASSWORD)).status).toBe(401);
  });

  test('sign-in attempts are limited per account: the eleventh in a minute is refused before the password is checked', async () => {
    for (let i = 1; i <= 10; i++) expect((await signIn(h, 'okand@kommun.se', `gissning nummer ${i}`)).status).toBe(401);
    expect((await signIn(h, 'okand@kommun.se', 'gissning nummer 11')).body.error.code).toBe('AUTH_RATE_LIMITED');
    // Another account from the same address is not yet limited (20 a minute per address).
    expect((await signIn(h, 'annan@kommun.se', 'gissning')).status).toBe(401);
  });
});

describe('on an https address', () => {
  test('the session cookie is Secure and __Host- bound to this host, and works as such', async () => {
    const h = await startHarness({ env: { PUBLIC_BASE_URL: 'https://callpath.kommun.se' } });
    try {
      const invited = await request(h, 'POST', '/api/users', API_TOKEN, { email: 'lena@kommun.se', name: 'Lena', roles: ['reception'] });
      const first = await signIn(h, 'lena@kommun.se', invited.body.temporaryPassword);
      expect(first.setCookie).toMatch(/^__Host-callpath_session=[A-Za-z0-9_-]{43}; /);
      expect(first.setCookie).toMatch(/; Secure/);
      expect(first.setCookie).toMatch(/; Path=\//);
      expect(first.setCookie).not.toMatch(/Domain=/i);
      expect((await withSession(h, first.session!, 'GET', '/api/session')).body.user.email).toBe('lena@kommun.se');
      // The plain name is not read on https: a cookie planted by a sibling host over http opens nothing.
      expect((await withSession(h, { ...first.session!, cookie: first.session!.cookie.replace('__Host-', '') }, 'GET', '/api/session')).status).toBe(401);
    } finally {
      await h.close();
    }
  });
});

describe("the demo's users", () => {
  test('one per role, made once; each signs in with the password shown and sees what the role allows', async () => {
    const h = await startHarness();
    try {
      const made = await demoUsersIfNone(h.service.identity);
      expect(made.map((u) => u.role)).toEqual(['reception', 'analyst', 'admin']);
      expect(await demoUsersIfNone(h.service.identity)).toEqual([]);
      // A route only that role may use, and what it answers when allowed (no such call: 404, not 403).
      const allowed = { reception: [`/api/calls/CA${'0'.repeat(32)}/timeline`, 404], analyst: ['/api/metrics/summary', 200], admin: ['/api/users', 200] } as const;
      for (const u of made) {
        const first = await signIn(h, u.email, u.temporaryPassword);
        expect(first.body.mustChangePassword).toBe(true);
        expect((await withSession(h, first.session!, 'POST', '/auth/password', { current: u.temporaryPassword, next: 'demo-lösenord för växeln' })).status).toBe(204);
        for (const [role, [path, ok]] of Object.entries(allowed)) {
          expect({ user: u.role, path, status: (await withSession(h, first.session!, 'GET', path)).status }).toEqual({ user: u.role, path, status: role === u.role ? ok : 403 });
        }
      }
    } finally {
      await h.close();
    }
  });
});
