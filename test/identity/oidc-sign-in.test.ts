import { createLogger } from '../../src/log';
import type { OidcSignIn } from '../../src/identity/oidc-sign-in';
import { oidcSignIn } from '../../src/identity/oidc-sign-in';
import { parseRoleMap } from '../../src/identity/oidc-settings';
import { startHarness, type Harness } from '../helpers/harness';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider';
import { signInAtTestProvider } from '../helpers/oidc-sign-in';
import { withSession, type BrowserSession } from '../helpers/staff';

const CLIENT = { clientId: 'callpath', clientSecret: 'callpath-test-secret-0123456789' };
const ROLE_MAP = parseRoleMap('callpath-reception=reception;callpath-analytiker=analyst;callpath-admin=admin').roleMap;

describe('sign-in through the municipality identity provider (OpenID Connect, code flow with PKCE)', () => {
  let h: Harness;
  let provider: TestProvider;
  // The service starts before its URL is known, the provider needs that URL: the sign-in is plugged in once both run.
  let inner: OidcSignIn | null = null;
  const lines: string[] = [];
  const late: OidcSignIn = {
    label: 'Logga in med kommunens konto',
    begin: (r) => inner!.begin(r),
    finish: (u, p) => inner!.finish(u, p),
  };
  beforeAll(async () => {
    h = await startHarness({ options: { oidc: late } });
    const redirectUrl = `${h.baseUrl}/auth/oidc/callback`;
    provider = await startTestProvider({ redirectUri: redirectUrl, ...CLIENT });
    const connected = oidcSignIn({ issuer: provider.issuer, ...CLIENT, roleClaim: 'groups', roleMap: ROLE_MAP, label: late.label, redirectUrl }, createLogger('info', { write: (l: string) => void lines.push(l) }));
    await connected.ready;
    inner = connected;
  });
  afterAll(async () => {
    await h.close();
    await provider.stop();
  });

  /** From the dashboard's button to the cookie: the provider's login as `login`, then the callback on the service. */
  async function signInAs(login: string, returnTo = '/'): Promise<{ location: string; session: BrowserSession | null }> {
    const start = await fetch(`${h.baseUrl}/auth/oidc/start?returnTo=${encodeURIComponent(returnTo)}`, { redirect: 'manual' });
    expect(start.status).toBe(303);
    const callback = await signInAtTestProvider(start.headers.get('location')!, login, `${h.baseUrl}/auth/oidc/callback`);
    const back = await fetch(callback, { redirect: 'manual' });
    expect(back.status).toBe(303);
    const cookie = back.headers.get('set-cookie')?.split(';')[0] ?? null;
    if (!cookie) return { location: back.headers.get('location')!, session: null };
    const session = (await fetch(`${h.baseUrl}/api/session`, { headers: { cookie } }).then((r) => r.json())) as { csrfToken: string };
    return { location: back.headers.get('location')!, session: { cookie, csrf: session.csrfToken } };
  }

  test('the group claim maps to roles: anna (reception), erik (analyst and admin); the sign-in lands where it began', async () => {
    const anna = await signInAs('anna@kommun.se', '/#live');
    expect(anna.location).toBe('/#live');
    expect((await withSession(h, anna.session!, 'GET', '/api/session')).body).toMatchObject({ user: { email: 'anna@kommun.se', kind: 'session' }, roles: ['reception'], mustChangePassword: false });
    expect((await withSession(h, anna.session!, 'GET', '/api/metrics/summary')).status).toBe(403);

    const erik = await signInAs('erik@kommun.se');
    expect((await withSession(h, erik.session!, 'GET', '/api/session')).body.roles).toEqual(['analyst', 'admin']);
    expect((await withSession(h, erik.session!, 'GET', '/api/users')).body.users).toContainEqual(expect.objectContaining({ email: 'anna@kommun.se', source: 'oidc', roles: ['reception'] }));
    const signins = await h.service.identity.audit.list({ action: 'signin' });
    expect(signins.map((e) => [e.actor, e.details?.via])).toEqual([
      ['user:anna@kommun.se', 'oidc'],
      ['user:erik@kommun.se', 'oidc'],
    ]);
  });

  test('sign-out ends the session server-side; a session past its lifetime is refused', async () => {
    const anna = await signInAs('anna@kommun.se');
    expect((await withSession(h, anna.session!, 'POST', '/auth/signout')).status).toBe(204);
    expect((await withSession(h, anna.session!, 'GET', '/api/session')).status).toBe(401);
    const again = await signInAs('anna@kommun.se');
    expect((await withSession(h, again.session!, 'GET', '/api/session')).status).toBe(200);
    h.clock.advance(12 * 3_600_000 + 1000);
    expect((await withSession(h, again.session!, 'GET', '/api/session')).status).toBe(401);
  });

  test('someone in none of the groups gets no session and the reason on the sign-in page', async () => {
    const nobody = await signInAs('sara@kommun.se');
    expect(nobody.session).toBeNull();
    expect(decodeURIComponent(nobody.location)).toBe('/signin?error=Ditt konto har ingen roll i callpath. Be en administratör lägga till dig i rätt grupp.');
  });

  test('a callback that no sign-in here began is refused', async () => {
    const forged = await fetch(`${h.baseUrl}/auth/oidc/callback?code=abc&state=made-up&iss=${encodeURIComponent(provider.issuer)}`, { redirect: 'manual' });
    expect(forged.status).toBe(303);
    expect(forged.headers.get('set-cookie')).toBeNull();
    expect(decodeURIComponent(forged.headers.get('location')!)).toMatch(/^\/signin\?error=Inloggningen har gått ut/);
  });
});

describe('an identity provider that cannot be reached', () => {
  test('is reported at start with the setting and the reason; local sign-in, the API and calls go on', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => void lines.push(l) });
    const oidc = oidcSignIn({ issuer: 'http://127.0.0.1:9', ...CLIENT, roleClaim: 'groups', roleMap: ROLE_MAP, label: 'Logga in', redirectUrl: 'http://127.0.0.1:1/auth/oidc/callback' }, log);
    await oidc.ready;
    const reported = lines.map((l) => JSON.parse(l)).find((l) => l.level === 50);
    expect(reported).toMatchObject({ code: 'OIDC_UNAVAILABLE', err: expect.stringMatching(/^OIDC_ISSUER_URL: .*unreachable/) });

    const h = await startHarness({ options: { oidc } });
    try {
      const start = await fetch(`${h.baseUrl}/auth/oidc/start`, { redirect: 'manual' });
      expect(decodeURIComponent(start.headers.get('location')!)).toBe('/signin?error=Kommunens inloggning svarar inte just nu. Försök igen om en stund.');
      const trace = await h.caller.call({ digits: ['1'], dials: [{ answer: true }] });
      expect(trace.callSid).toMatch(/^CA/);
      await h.settle();
      expect((await h.api(`/api/calls/${trace.callSid}`)).status).toBe(200);
    } finally {
      await h.close();
    }
  });
});
