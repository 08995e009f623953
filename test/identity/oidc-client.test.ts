import net from 'node:net';
import { ErrorCodes, OidcError } from '../../src/errors';
import { connectOidc, hashState, type OidcClient } from '../../src/identity/oidc-client';
import { parseRoleMap } from '../../src/identity/oidc-settings';
import { rolesFromClaims } from '../../src/identity/role-mapping';
import { startTestProvider, type TestProvider } from '../helpers/oidc-provider';
import { signInAtTestProvider } from '../helpers/oidc-sign-in';

/**
 * The whole authorization code flow against a real OpenID provider (oidc-provider, in its own
 * process), signed in without a browser: begin(), the provider's sign-in pages, the callback, finish().
 * The provider keeps e-mail, name and groups for its userinfo endpoint (the id token has `sub`), so
 * these tests also cover finish() asking it; one test has a provider that puts them in the id token.
 */
const REDIRECT_URL = 'http://127.0.0.1:3999/auth/oidc/callback';
const CLIENT = { clientId: 'callpath-test', clientSecret: 'test-client-secret-0123456789' };
const { roleMap } = parseRoleMap('callpath-reception=reception;callpath-analytiker=analyst;callpath-admin=admin,analyst');

let provider: TestProvider;
let client: OidcClient;

beforeAll(async () => {
  provider = await startTestProvider({ redirectUri: REDIRECT_URL, ...CLIENT });
  client = await connectOidc({ issuer: provider.issuer, ...CLIENT, redirectUrl: REDIRECT_URL, roleClaim: 'groups' });
});

afterAll(() => provider?.stop());

async function refusal(promise: Promise<unknown>): Promise<OidcError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OidcError);
  return err as OidcError;
}

describe('signing in through the identity provider', () => {
  test('anna signs in: her subject, address and name, and her group gives the reception role', async () => {
    const { url, pending } = await client.begin('/live?queue=vaxeln');
    expect(pending.returnTo).toBe('/live?queue=vaxeln');
    const authorization = new URL(url);
    expect(authorization.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorization.searchParams.get('redirect_uri')).toBe(REDIRECT_URL);
    expect(url).not.toContain(pending.codeVerifier);

    const callback = await signInAtTestProvider(url, 'anna@kommun.se', REDIRECT_URL);
    const identity = await client.finish(callback, pending);

    expect(identity).toMatchObject({ subject: 'anna@kommun.se', email: 'anna@kommun.se', name: 'Anna Andersson' });
    expect(rolesFromClaims(identity.claims, 'groups', roleMap)).toEqual(['reception']);
  });

  test('erik signs in, finished from the stored form of the pending sign-in (the state only as its hash): analyst and admin', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'erik@kommun.se', REDIRECT_URL);
    const stored = { stateHash: hashState(pending.state), codeVerifier: pending.codeVerifier, nonce: pending.nonce, returnTo: pending.returnTo, expiresAt: Date.now() + 600_000 };

    const identity = await client.finish(callback, stored);

    expect(identity).toMatchObject({ subject: 'erik@kommun.se', email: 'erik@kommun.se', name: 'Erik Eriksson' });
    expect(rolesFromClaims(identity.claims, 'groups', roleMap)).toEqual(['analyst', 'admin']);
  });

  test('a provider that puts everything in the id token and has no userinfo endpoint (Entra-like) works the same', async () => {
    const entraLike = await startTestProvider({ redirectUri: REDIRECT_URL, ...CLIENT, claimsInIdToken: true });
    try {
      const direct = await connectOidc({ issuer: entraLike.issuer, ...CLIENT, redirectUrl: REDIRECT_URL, roleClaim: 'groups' });
      const { url, pending } = await direct.begin('/');
      const identity = await direct.finish(await signInAtTestProvider(url, 'erik@kommun.se', REDIRECT_URL), pending);

      expect(identity).toMatchObject({ subject: 'erik@kommun.se', email: 'erik@kommun.se', name: 'Erik Eriksson' });
      expect(rolesFromClaims(identity.claims, 'groups', roleMap)).toEqual(['analyst', 'admin']);
    } finally {
      await entraLike.stop();
    }
  });

  test('a callback whose state is not the pending sign-in’s is refused before the code is used', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'anna@kommun.se', REDIRECT_URL);
    const other = await client.begin('/');

    const err = await refusal(client.finish(callback, { ...pending, state: other.pending.state }));
    expect(err).toMatchObject({ code: ErrorCodes.OIDC_SIGNIN_FAILED, reason: 'state_mismatch' });

    // The code was not spent on the refused attempt: the right pending sign-in still finishes.
    await expect(client.finish(callback, pending)).resolves.toMatchObject({ email: 'anna@kommun.se' });
  });

  test('a callback with no state at all is refused', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'anna@kommun.se', REDIRECT_URL);
    callback.searchParams.delete('state');

    const err = await refusal(client.finish(callback, pending));
    expect(err.reason).toBe('state_mismatch');
  });

  test('the PKCE verifier (and nonce) of another begin() is refused by the provider', async () => {
    const first = await client.begin('/');
    const second = await client.begin('/');
    const callback = await signInAtTestProvider(first.url, 'anna@kommun.se', REDIRECT_URL);

    const err = await refusal(client.finish(callback, { ...second.pending, state: first.pending.state }));
    expect(err).toMatchObject({ code: ErrorCodes.OIDC_SIGNIN_FAILED, reason: 'code_rejected' });
    expect(err.details).toMatchObject({ providerError: 'invalid_grant' });
  });

  test('a code is used once: the same callback finished again is refused', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'erik@kommun.se', REDIRECT_URL);
    await client.finish(callback, pending);

    const err = await refusal(client.finish(callback, pending));
    expect(err.reason).toBe('code_rejected');
  });

  test('the provider’s error in the callback (the user cancelled) is refused with its error code', async () => {
    const { pending } = await client.begin('/');
    const callback = new URL(REDIRECT_URL);
    callback.search = new URLSearchParams({ error: 'access_denied', error_description: 'End-User aborted interaction', state: pending.state, iss: provider.issuer }).toString();

    const err = await refusal(client.finish(callback, pending));
    expect(err).toMatchObject({ code: ErrorCodes.OIDC_SIGNIN_FAILED, reason: 'provider_error', details: { providerError: 'access_denied' } });
  });

  test('a user the provider gives no e-mail address is refused', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'reception-desk-3', REDIRECT_URL);

    const err = await refusal(client.finish(callback, pending));
    expect(err.reason).toBe('email_missing');
  });

  test('an address the provider marks unverified is not taken as the user’s', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'someone@elsewhere.example', REDIRECT_URL);

    const err = await refusal(client.finish(callback, pending));
    expect(err.reason).toBe('email_missing');
  });

  test('begin() keeps only a path on this service as where to return', async () => {
    for (const returnTo of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'live']) {
      expect((await client.begin(returnTo)).pending.returnTo).toBe('/');
    }
  });

  test('no secret, verifier or state in an error’s message', async () => {
    const { url, pending } = await client.begin('/');
    const callback = await signInAtTestProvider(url, 'anna@kommun.se', REDIRECT_URL);
    const err = await refusal(client.finish(callback, { ...pending, codeVerifier: `${pending.codeVerifier.slice(1)}x` }));
    for (const secret of [CLIENT.clientSecret, pending.codeVerifier, pending.state, callback.searchParams.get('code')!]) {
      expect(err.message).not.toContain(secret);
      expect(JSON.stringify(err.details)).not.toContain(secret);
    }
  });
});

describe('connecting to the identity provider', () => {
  test('an unreachable issuer (a closed port) fails with OIDC_ISSUER_URL and why in the message', async () => {
    const port = await closedPort();
    const err = await refusal(connectOidc({ issuer: `http://127.0.0.1:${port}`, ...CLIENT, redirectUrl: REDIRECT_URL, roleClaim: 'groups' }));
    expect(err.code).toBe(ErrorCodes.OIDC_UNAVAILABLE);
    expect(err.message).toMatch(/^OIDC_ISSUER_URL: /);
    expect(err.message).toContain('unreachable (ECONNREFUSED)');
  });

  test('a server that is not an OpenID provider is named as such', async () => {
    const err = await refusal(connectOidc({ issuer: `${provider.issuer}/not-here`, ...CLIENT, redirectUrl: REDIRECT_URL, roleClaim: 'groups' }));
    expect(err.code).toBe(ErrorCodes.OIDC_UNAVAILABLE);
    expect(err.message).toMatch(/^OIDC_ISSUER_URL: .* is not an OpenID provider: .*\/not-here\/\.well-known\/openid-configuration answered HTTP 404/);
  });

  test('an issuer written differently from the provider’s own name for itself is refused, naming the right one', async () => {
    const err = await refusal(connectOidc({ issuer: provider.issuer.replace('127.0.0.1', 'localhost'), ...CLIENT, redirectUrl: REDIRECT_URL, roleClaim: 'groups' }));
    expect(err.message).toContain(`(${provider.issuer}): set OIDC_ISSUER_URL to exactly that`);
  });
});

/** A port on 127.0.0.1 that nothing listens on: taken, then given back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
