import { loadConfig } from '../../src/config';
import { ConfigError } from '../../src/errors';

/** A production-like environment (no DEV_MODE) that loads on its own. */
const BASE = {
  API_TOKEN: 'api-token-0123456789',
  PSEUDONYM_KEYS: 'k1:pseudonym-secret-0123456789',
  TWILIO_AUTH_TOKEN: 'twilio-auth-token',
  PUBLIC_BASE_URL: 'https://callpath.kommun.se/',
};

const OIDC = {
  OIDC_ISSUER_URL: 'https://login.microsoftonline.com/8a3c1f7e-52d4-4e1b-9a6e-2b7d0c9e4f11/v2.0',
  OIDC_CLIENT_ID: 'callpath',
  OIDC_CLIENT_SECRET: 'client-secret-value',
  OIDC_ROLE_MAP: 'callpath-reception=reception;callpath-analytiker=analyst;callpath-admin=admin,analyst',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('the configuration loaded');
}

describe('configuration of sign-in through the identity provider', () => {
  test('no OIDC_ keys: no sign-in through a provider', () => {
    expect(loadConfig(BASE).oidc).toBeUndefined();
  });

  test('the four keys: issuer, client, role map, the defaults for the claim and the label, and the redirect URL', () => {
    expect(loadConfig({ ...BASE, ...OIDC }).oidc).toEqual({
      issuer: OIDC.OIDC_ISSUER_URL,
      clientId: 'callpath',
      clientSecret: 'client-secret-value',
      roleClaim: 'groups',
      roleMap: { 'callpath-reception': ['reception'], 'callpath-analytiker': ['analyst'], 'callpath-admin': ['analyst', 'admin'] },
      label: 'Logga in med kommunens konto',
      redirectUrl: 'https://callpath.kommun.se/auth/oidc/callback',
    });
  });

  test('a role claim path (Keycloak) and a label of its own', () => {
    const config = loadConfig({ ...BASE, ...OIDC, OIDC_ROLE_CLAIM: 'realm_access.roles', OIDC_LABEL: ' Logga in med Sundsvalls konto ' });
    expect(config.oidc).toMatchObject({ roleClaim: 'realm_access.roles', label: 'Logga in med Sundsvalls konto' });
  });

  test('empty values count as not set, as for every key', () => {
    expect(loadConfig({ ...BASE, OIDC_ISSUER_URL: '', OIDC_CLIENT_ID: '', OIDC_LABEL: '' }).oidc).toBeUndefined();
  });

  test('all or none: the issuer alone names the three missing keys', () => {
    expect(problems({ ...BASE, OIDC_ISSUER_URL: OIDC.OIDC_ISSUER_URL })).toEqual([
      expect.stringMatching(/^OIDC_CLIENT_ID: required with OIDC_ISSUER_URL /),
      expect.stringMatching(/^OIDC_CLIENT_SECRET: required with OIDC_ISSUER_URL /),
      expect.stringMatching(/^OIDC_ROLE_MAP: required with OIDC_ISSUER_URL /),
    ]);
  });

  test('all or none: three of the four name the fourth; the label alone names all four', () => {
    const { OIDC_CLIENT_SECRET: _secret, ...withoutSecret } = OIDC;
    expect(problems({ ...BASE, ...withoutSecret })).toEqual([expect.stringMatching(/^OIDC_CLIENT_SECRET: required with OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_ROLE_MAP /)]);
    expect(problems({ ...BASE, OIDC_LABEL: 'Logga in' }).map((p) => p.split(':')[0])).toEqual(['OIDC_ISSUER_URL', 'OIDC_CLIENT_ID', 'OIDC_CLIENT_SECRET', 'OIDC_ROLE_MAP']);
  });

  test('an unknown role in the map is named with the valid ones, with every other bad key at once', () => {
    const found = problems({ ...BASE, ...OIDC, OIDC_ROLE_MAP: 'callpath-reception=reception;callpath-analytiker=analytiker', PORT: 'eighty', OIDC_ROLE_CLAIM: 'realm_access..roles' });
    expect(found).toHaveLength(3);
    expect(found).toContain('OIDC_ROLE_MAP: unknown role "analytiker" for "callpath-analytiker" (the roles are reception, analyst, admin)');
    expect(found.some((p) => p.startsWith('PORT: '))).toBe(true);
    expect(found).toContain('OIDC_ROLE_CLAIM: must be a claim name or a dotted path such as realm_access.roles');
  });

  test('every problem of the role map at once', () => {
    const found = problems({ ...BASE, ...OIDC, OIDC_ROLE_MAP: 'a=boss;b;c=admin' });
    expect(found).toEqual([expect.stringMatching(/^OIDC_ROLE_MAP: unknown role "boss"/), expect.stringMatching(/^OIDC_ROLE_MAP: "b" is not value=role/)]);
  });

  test('the issuer must be https; plain http only on a loopback address (a test or a developer’s provider)', () => {
    expect(problems({ ...BASE, ...OIDC, OIDC_ISSUER_URL: 'http://login.kommun.se/realms/staff' })).toEqual([
      expect.stringMatching(/^OIDC_ISSUER_URL: must be an https URL/),
    ]);
    expect(problems({ ...BASE, ...OIDC, OIDC_ISSUER_URL: 'not a url' })).toEqual([expect.stringMatching(/^OIDC_ISSUER_URL: /)]);
    for (const issuer of ['http://127.0.0.1:8080', 'http://localhost:8080/realms/staff', 'http://[::1]:8080']) {
      expect(loadConfig({ ...BASE, ...OIDC, OIDC_ISSUER_URL: issuer }).oidc?.issuer).toBe(issuer);
    }
  });

  test('the redirect URL needs PUBLIC_BASE_URL, except in DEV_MODE (localhost and the port)', () => {
    const { PUBLIC_BASE_URL: _url, ...withoutBaseUrl } = BASE;
    expect(problems({ ...withoutBaseUrl, TWILIO_SIGNATURE_VALIDATION: 'false', ...OIDC })).toEqual([expect.stringMatching(/^PUBLIC_BASE_URL: required for sign-in through the identity provider/)]);
    expect(loadConfig({ DEV_MODE: 'true', PORT: '3100', ...OIDC }).oidc?.redirectUrl).toBe('http://localhost:3100/auth/oidc/callback');
  });

  test('the client secret is never in a problem', () => {
    const found = problems({ ...BASE, OIDC_CLIENT_SECRET: 'client-secret-value', OIDC_ROLE_MAP: 'x=nobody' });
    expect(found.join('\n')).not.toContain('client-secret-value');
  });
});
