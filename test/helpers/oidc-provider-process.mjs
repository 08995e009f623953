// A test identity provider: oidc-provider 9 on 127.0.0.1 with one confidential client, PKCE required,
// and the provider's built-in development sign-in pages (any login and password; the login is the
// account id). Run as its own process (`node oidc-provider-process.mjs '<json>'`): oidc-provider is an ES
// module the tests' CommonJS jest does not load, and a separate process is also what a real provider is.
//
// argv[2]: {"clientId", "clientSecret", "redirectUri", "idTokenTtlSeconds"?, "claimsInIdToken"?}
//   claimsInIdToken: e-mail, name and groups in the id token and no userinfo endpoint (as Entra ID
//   does with a groups claim); otherwise (oidc-provider's default, like Keycloak's) the id token has
//   little beyond `sub` and the rest comes from the userinfo endpoint.
// stdout: one JSON line, {"issuer": "http://127.0.0.1:<port>"}, once it listens; nothing else.
// stdin: when it closes (the parent is gone), the provider stops.
import crypto from 'node:crypto';
import http from 'node:http';
import Provider from 'oidc-provider';

// oidc-provider prints its notices with console.info; stdout is reserved for the issuer line.
console.info = console.error;

const { clientId, clientSecret, redirectUri, idTokenTtlSeconds = 60, claimsInIdToken = false } = JSON.parse(process.argv[2] ?? '{}');
if (!clientId || !clientSecret || !redirectUri) {
  console.error('usage: oidc-provider-process.mjs \'{"clientId":…,"clientSecret":…,"redirectUri":…}\'');
  process.exit(2);
}

/** Staff as the municipality's directory knows them; the group names are the directory's, not callpath's. */
const ACCOUNTS = {
  'anna@kommun.se': { name: 'Anna Andersson', groups: ['callpath-reception'] },
  'erik@kommun.se': { name: 'Erik Eriksson', groups: ['callpath-analytiker', 'callpath-admin'] },
  // In the directory, but in no group callpath maps: signs in at the provider, gets no role here.
  'sara@kommun.se': { name: 'Sara Sjöberg', groups: ['ekonomi'] },
};

/** Any other login signs in too (as the dev pages allow), with no groups; an address is its e-mail. */
function accountClaims(id) {
  const known = ACCOUNTS[id];
  if (known) return { sub: id, email: id, email_verified: true, name: known.name, groups: known.groups };
  return { sub: id, ...(id.includes('@') ? { email: id, email_verified: false } : {}), name: id, groups: [] };
}

const server = http.createServer();
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

// A fresh signing key per run, so no token from another run (or a well-known dev key) ever verifies.
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  pkce: { required: () => true },
  // `groups` rides on the profile scope: real providers add it by their own configuration (Entra's
  // groups claim, a Keycloak mapper), not because the client asks for a scope.
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name', 'groups'] },
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => accountClaims(id) }),
  jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-signing', use: 'sig', alg: 'RS256' }] },
  cookies: { keys: [crypto.randomBytes(32).toString('base64url')] },
  ttl: { IdToken: idTokenTtlSeconds },
  conformIdTokenClaims: !claimsInIdToken,
  features: { devInteractions: { enabled: true }, userinfo: { enabled: !claimsInIdToken } },
});
server.on('request', provider.callback());

process.stdout.write(`${JSON.stringify({ issuer })}\n`);

// The parent ends the run with SIGTERM; close the listener so the port is free at once.
const stop = () => {
  server.close(() => process.exit(0));
  server.closeAllConnections();
};
process.on('SIGTERM', stop);
// A parent that dies without stopping it (a killed jest worker) closes this pipe: no orphan keeps listening.
if (!process.stdin.isTTY) process.stdin.on('end', stop).resume();
