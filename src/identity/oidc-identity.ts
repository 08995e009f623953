/**
 * Who the identity provider says signed in, in callpath's terms: the e-mail address is the key of a
 * member of staff (model.ts), so a sign-in without one is refused. Pure.
 */
import { ErrorCodes, OidcError } from '../errors';

export interface OidcIdentity {
  /** The provider's `sub`: stable for the user at this provider. */
  subject: string;
  /** Lower case: callpath's key for a member of staff. */
  email: string;
  name: string;
  /** The id token's claims, with the userinfo endpoint's when the id token lacked some. */
  claims: Record<string, unknown>;
}

const ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The user's address, in lower case: the `email` claim, unless the provider says it is unverified
 * (then anyone could have typed it, a colleague's included). Entra often sends no `email` but the
 * sign-in name, the UPN, which is an address: `preferred_username` or `upn`, when it looks like one.
 */
export function emailFromClaims(claims: Record<string, unknown>): string | undefined {
  const email = [claims.email_verified === false ? undefined : claims.email, claims.preferred_username, claims.upn].find(
    (value): value is string => typeof value === 'string' && ADDRESS.test(value.trim()),
  );
  return email?.trim().toLowerCase();
}

/** The identity the claims give; an OidcError (email_missing) without an address. */
export function identityFromClaims(claims: Record<string, unknown>): OidcIdentity {
  const email = emailFromClaims(claims);
  if (!email) {
    throw new OidcError(
      ErrorCodes.OIDC_SIGNIN_FAILED,
      'email_missing',
      'the identity provider did not give a (verified) e-mail address for this user: add the email claim to the client, or use the UPN as preferred_username',
    );
  }
  const fullName = [claims.given_name, claims.family_name].filter((part) => typeof part === 'string' && part.trim()).join(' ');
  const name = typeof claims.name === 'string' && claims.name.trim() ? claims.name.trim() : fullName || email;
  return { subject: String(claims.sub), email, name, claims };
}
