/**
 * The relying party's side of sign-in through the municipality's OpenID Connect provider: the
 * authorization code flow with PKCE, state and nonce, over openid-client 6. It holds nothing between
 * begin() and finish(): the caller keeps the pending sign-in (server-side, keyed by hashState(state)),
 * so that any instance can finish what another began.
 */
import { timingSafeEqual } from 'node:crypto';
import * as oidc from 'openid-client';
import { ErrorCodes, OidcError } from '../errors';
import type { PendingSignIn } from './model';
import { secretHash } from './secrets';
import { isLoopbackUrl, type OidcSettings } from './oidc-settings';
import { describeDiscoveryFailure, describeGrantFailure, isUnreachable } from './oidc-failures';
import { emailFromClaims, identityFromClaims, type OidcIdentity } from './oidc-identity';
import { localReturnTo } from './return-to';
import { claimAt } from './role-mapping';

export type { OidcIdentity } from './oidc-identity';

/** What begin() hands the caller to keep until the callback. `state` itself is not stored, only its hash. */
export type StartedSignIn = Omit<PendingSignIn, 'stateHash' | 'expiresAt'> & { state: string };

/** What finish() checks the callback against: the stored pending sign-in, or begin()'s own result. */
export type PendingSignInChecks = Pick<PendingSignIn, 'codeVerifier' | 'nonce'> & ({ stateHash: string } | { state: string });

export interface OidcClient {
  readonly issuer: string;
  /** The provider's authorization URL to send the browser to, and the pending sign-in to keep. */
  begin(returnTo: string): Promise<{ url: string; pending: StartedSignIn }>;
  /** Completes the flow from the callback URL (only its query is used); throws an OidcError when refused. */
  finish(callbackUrl: URL, pending: PendingSignInChecks): Promise<OidcIdentity>;
}

export interface ConnectOptions {
  /** For discovery and every later request to the provider. */
  timeoutSeconds?: number;
}

/** `groups` and other role claims come by the provider's own configuration (Entra, Keycloak mappers), not by scope. */
const SCOPE = 'openid email profile';
const DEFAULT_TIMEOUT_SECONDS = 10;

/** The key a pending sign-in is kept under: a copy of the store does not hold usable states. */
export function hashState(state: string): string {
  return secretHash(state);
}

type ClientSettings = Pick<OidcSettings, 'issuer' | 'clientId' | 'clientSecret' | 'redirectUrl' | 'roleClaim'>;

/** Discovers the provider; throws an OidcError (OIDC_UNAVAILABLE) naming OIDC_ISSUER_URL and why. */
export async function connectOidc(settings: ClientSettings, options: ConnectOptions = {}): Promise<OidcClient> {
  const timeout = options.timeoutSeconds ?? DEFAULT_TIMEOUT_SECONDS;
  const issuerUrl = new URL(settings.issuer);
  // Plain http only to a loopback provider (tests, a developer's machine); config.ts refuses it otherwise.
  const insecure = issuerUrl.protocol === 'http:' && isLoopbackUrl(issuerUrl);
  let config: oidc.Configuration;
  try {
    config = await oidc.discovery(
      issuerUrl,
      settings.clientId,
      undefined,
      // Basic is the method every provider must support for a client with a password (RFC 6749 2.3.1).
      oidc.ClientSecretBasic(settings.clientSecret),
      { timeout, execute: insecure ? [oidc.allowInsecureRequests] : [] },
    );
  } catch (err) {
    throw unavailable(`OIDC_ISSUER_URL: ${describeDiscoveryFailure(err, settings.issuer, timeout)}`);
  }
  const metadata = config.serverMetadata();
  const missing = (['authorization_endpoint', 'token_endpoint', 'jwks_uri'] as const).filter((key) => !metadata[key]);
  if (missing.length) {
    throw unavailable(`OIDC_ISSUER_URL: ${settings.issuer} is not an OpenID provider: its metadata has no ${missing.join(', ')}`);
  }
  return new OpenIdClient(config, settings);
}

class OpenIdClient implements OidcClient {
  readonly issuer: string;

  constructor(
    private readonly config: oidc.Configuration,
    private readonly settings: ClientSettings,
  ) {
    this.issuer = config.serverMetadata().issuer;
  }

  async begin(returnTo: string): Promise<{ url: string; pending: StartedSignIn }> {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(this.config, {
      redirect_uri: this.settings.redirectUrl,
      scope: SCOPE,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    return { url: url.href, pending: { state, codeVerifier, nonce, returnTo: localReturnTo(returnTo) } };
  }

  async finish(callbackUrl: URL, pending: PendingSignInChecks): Promise<OidcIdentity> {
    const state = callbackUrl.searchParams.get('state') ?? '';
    if (!stateMatches(state, pending)) {
      throw new OidcError(ErrorCodes.OIDC_SIGNIN_FAILED, 'state_mismatch', 'the sign-in callback does not belong to this pending sign-in (its state differs)');
    }
    // The redirect URI sent to the token endpoint must be the registered one, whatever host or
    // proxy the callback request came through: only the callback's query is taken from it.
    const current = new URL(this.settings.redirectUrl);
    current.search = callbackUrl.search;

    let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
    try {
      tokens = await oidc.authorizationCodeGrant(this.config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
    } catch (err) {
      const { reason, message, details } = describeGrantFailure(err);
      throw new OidcError(reason === 'unavailable' ? ErrorCodes.OIDC_UNAVAILABLE : ErrorCodes.OIDC_SIGNIN_FAILED, reason, message, details);
    }
    const idClaims = tokens.claims() as Record<string, unknown> & { sub: string };
    return identityFromClaims(await this.withUserInfo(idClaims, tokens.access_token));
  }

  /**
   * Providers differ in what the id token carries: Entra puts groups and e-mail there, Keycloak and
   * oidc-provider may keep profile claims for the userinfo endpoint. Asked only when something is missing.
   */
  private async withUserInfo(idClaims: Record<string, unknown> & { sub: string }, accessToken: string): Promise<Record<string, unknown>> {
    if (claimAt(idClaims, this.settings.roleClaim) !== undefined && emailFromClaims(idClaims)) return idClaims;
    if (!this.config.serverMetadata().userinfo_endpoint) return idClaims;
    try {
      const userInfo = await oidc.fetchUserInfo(this.config, accessToken, idClaims.sub);
      // The signed id token wins where both say something.
      return { ...userInfo, ...idClaims };
    } catch (err) {
      if (isUnreachable(err)) throw new OidcError(ErrorCodes.OIDC_UNAVAILABLE, 'unavailable', 'the identity provider\'s userinfo endpoint cannot be reached');
      throw new OidcError(ErrorCodes.OIDC_SIGNIN_FAILED, 'response_invalid', 'the identity provider\'s userinfo endpoint refused the access token or answered for another user');
    }
  }
}

/** Constant-time: the state is a secret until the callback, and a pending sign-in is found by it. */
function stateMatches(state: string, pending: PendingSignInChecks): boolean {
  if (!state) return false;
  const expected = 'stateHash' in pending ? pending.stateHash : hashState(pending.state);
  const actual = hashState(state);
  return expected.length === actual.length && timingSafeEqual(Buffer.from(expected), Buffer.from(actual));
}

function unavailable(message: string): OidcError {
  return new OidcError(ErrorCodes.OIDC_UNAVAILABLE, 'unavailable', message);
}
