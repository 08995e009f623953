import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { parse as parseCookies } from 'cookie';
import { ApiError, ErrorCodes } from '../errors';
import type { ApiTokens } from '../identity/api-tokens';
import type { Principal } from '../identity/principal';
import { serviceAccountFor, type ServiceAccountSecrets } from '../identity/service-accounts';
import { csrfTokenFor, type Sessions } from '../identity/sessions';
import { accessRuleMatcher, allows, type MatchedRule } from './access-rules';

export interface GuardDeps {
  service: ServiceAccountSecrets;
  tokens: ApiTokens;
  sessions: Sessions;
  cookieName: string;
}

/** Routes a user who must change their password may still use. */
const DURING_PASSWORD_CHANGE = new Set(['GET /api/session', 'POST /auth/password', 'POST /auth/signout']);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The headers a request is identified by; an HTTP request's or a WebSocket upgrade's. */
export interface CredentialHeaders {
  authorization?: string;
  cookie?: string;
}

export function bearerToken(h: CredentialHeaders): string | undefined {
  const m = h.authorization && /^Bearer\s+(\S+)$/i.exec(h.authorization);
  return m ? m[1] : undefined;
}

/**
 * Who is asking, from a bearer token (a service account or a personal token) or the session cookie.
 * A bearer that is not valid is refused outright rather than falling back to a cookie. Resolves to
 * null when neither is given. The cookie's value comes back too, for the CSRF check and sign-out.
 */
export async function identify(req: CredentialHeaders, deps: GuardDeps): Promise<{ principal: Principal | null; cookieValue?: string }> {
  const bearer = bearerToken(req);
  if (bearer) return { principal: await principalOfToken(bearer, deps) };
  const cookieValue = parseCookies(req.cookie ?? '')[deps.cookieName];
  if (!cookieValue) return { principal: null };
  const open = await deps.sessions.resolve(cookieValue);
  if (!open) return { principal: null };
  const { user, record } = open;
  return {
    principal: { kind: 'session', actor: `user:${user.email}`, email: user.email, name: user.name, roles: user.roles, sessionIdHash: record.idHash, mustChangePassword: user.mustChangePassword },
    cookieValue,
  };
}

/** A bearer token's principal: a service account, else a valid personal token; anything else is a 401. */
export async function principalOfToken(bearer: string, deps: GuardDeps): Promise<Principal> {
  const service = serviceAccountFor(bearer, deps.service);
  if (service) return service;
  const found = await deps.tokens.resolve(bearer);
  if (!found) throw new ApiError(401, ErrorCodes.API_UNAUTHORIZED, 'The bearer token is unknown, expired or revoked');
  const { record, user } = found;
  return { kind: 'token', actor: `user:${user.email}`, tokenId: record.id, email: user.email, name: user.name, roles: user.roles };
}

/**
 * Every request but Twilio's webhooks passes here: its route's rule (access-rules.ts) decides. A
 * route without a rule is answered 404, as if it did not exist, never opened. Public routes are not
 * authenticated at all, so health checks and the sign-in page work while the store is still loading.
 * Sets res.locals.principal (and res.locals.sessionCookie) for the routes.
 */
export function guard(deps: GuardDeps, match = accessRuleMatcher()): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const rule = match(req.method, req.path);
    if (!rule) return next(new ApiError(404, ErrorCodes.API_NOT_FOUND, `No route ${req.method} ${req.path}`));
    if (rule.rule.access === 'public') return next();
    identify({ authorization: req.header('authorization'), cookie: req.header('cookie') }, deps)
      .then(({ principal, cookieValue }) => {
        check(req, rule, principal, cookieValue);
        res.locals.principal = principal;
        res.locals.sessionCookie = cookieValue;
      })
      .then(() => next(), next);
  };
}

function check(req: Request, rule: MatchedRule, principal: Principal | null, cookieValue: string | undefined): asserts principal is Principal {
  if (!principal) throw new ApiError(401, ErrorCodes.API_UNAUTHORIZED, 'Sign in, or send Authorization: Bearer <token>');
  // A cookie is sent by the browser whoever made the page: a change made with it must prove it came from ours.
  if (cookieValue && !SAFE_METHODS.has(req.method) && req.header('x-csrf-token') !== csrfTokenFor(cookieValue)) {
    throw new ApiError(403, ErrorCodes.API_CSRF, 'Missing or wrong X-CSRF-Token header (GET /api/session gives it)');
  }
  if (principal.mustChangePassword && !DURING_PASSWORD_CHANGE.has(rule.key)) {
    throw new ApiError(403, ErrorCodes.AUTH_PASSWORD_CHANGE_REQUIRED, 'Choose a new password first (POST /auth/password)');
  }
  if (!allows(rule, principal.roles, principal.email)) {
    throw new ApiError(403, ErrorCodes.API_FORBIDDEN, `This needs the role ${describeAccess(rule)}`);
  }
}

function describeAccess(m: MatchedRule): string {
  const a = m.rule.access;
  return typeof a === 'string' ? a : a.join(' or ');
}

/** The principal the guard found; routes behind a non-public rule always have one. */
export function principalOf(res: Response): Principal {
  return res.locals.principal as Principal;
}
