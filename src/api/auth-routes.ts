import express, { type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { z } from 'zod';
import { ApiError, ErrorCodes } from '../errors';
import { AuditActions } from '../identity/audit-actions';
import type { Identity } from '../identity/create';
import { normaliseEmail } from '../identity/local-signin';
import type { PendingSignIn, UserRecord } from '../identity/model';
import type { OidcSignIn } from '../identity/oidc-sign-in';
import { localReturnTo } from '../identity/return-to';
import { PASSWORD_PROBLEM_TEXT } from '../identity/passwords';
import { hashState } from '../identity/oidc-client';
import { csrfTokenFor } from '../identity/sessions';
import { userView } from '../identity/users';
import type { Logger } from '../log';
import { principalOf } from './guard';

export interface AuthRoutesDeps {
  identity: Identity;
  oidc: OidcSignIn | null;
  cookieName: string;
  secureCookies: boolean;
  sessionMaxMs: number;
  publicBaseUrl: string;
  now: () => number;
  log?: Logger;
  /** Sign-in attempts per minute from one address, and for one account (default 20 and 10). */
  signInsPerMinute?: { address: number; account: number };
  /** Stores a pending sign-in through the identity provider for the callback. */
  putPendingSignIn(p: PendingSignIn): Promise<void>;
  takePendingSignIn(stateHash: string, now: number): Promise<PendingSignIn | null>;
}

const SignInBody = z.strictObject({ email: z.string().min(3).max(254), password: z.string().min(1).max(1024) });
const PasswordBody = z.strictObject({ current: z.string().min(1).max(1024), next: z.string().min(1).max(1024) });
const LOOKS_LIKE_ADDRESS = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** A sign-in through the provider must come back within this (ms). */
const PENDING_SIGNIN_MS = 10 * 60_000;

/**
 * Signing in and out: local accounts with a password (rate-limited, locked after repeated failures)
 * and the municipality's identity provider (OpenID Connect, code flow with PKCE). Each sign-in,
 * failure and sign-out goes on the audit trail.
 */
export function authRoutes(deps: AuthRoutesDeps): express.Router {
  const { identity } = deps;
  const r = express.Router();
  const limits = deps.signInsPerMinute ?? { address: 20, account: 10 };
  const limited = (limit: number, key?: (req: Request) => string) =>
    rateLimit({
      windowMs: 60_000,
      limit,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      ...(key ? { keyGenerator: key } : {}),
      handler: (_req, _res, next) => next(new ApiError(429, ErrorCodes.AUTH_RATE_LIMITED, 'Too many sign-in attempts; wait a minute')),
    });

  const setSessionCookie = (res: Response, value: string) =>
    res.cookie(deps.cookieName, value, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/', maxAge: deps.sessionMaxMs });
  const startSession = async (req: Request, res: Response, user: UserRecord, via: 'local' | 'oidc') => {
    const { cookieValue } = await identity.sessions.start(user, via, req.ip ?? null);
    setSessionCookie(res, cookieValue);
    await identity.audit.record({ actor: `user:${user.email}`, action: AuditActions.SIGNIN, object: user.email, address: req.ip ?? null, details: { via } });
    return cookieValue;
  };

  r.get('/auth/options', (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json({ local: true, oidc: deps.oidc ? { label: deps.oidc.label, start: '/auth/oidc/start' } : null });
  });

  r.post(
    '/auth/signin',
    express.json({ limit: '4kb' }),
    limited(limits.address),
    limited(limits.account, (req) => `account:${typeof req.body?.email === 'string' ? normaliseEmail(req.body.email) : ''}`),
    async (req, res) => {
      const body = SignInBody.safeParse(req.body);
      if (!body.success) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Body must be JSON {"email": "...", "password": "..."}');
      const email = normaliseEmail(body.data.email);
      const result = await identity.localSignIn.signIn(email, body.data.password);
      if (!result.ok) {
        // The address typed is kept only when it is one: whatever else was typed (a phone number) stays out of the trail.
        const typed = LOOKS_LIKE_ADDRESS.test(email) ? email : null;
        await identity.audit.record({ actor: 'anonymous', action: AuditActions.SIGNIN_FAILED, object: typed, address: req.ip ?? null, details: { reason: result.reason } });
        if (result.reason === 'locked') {
          res.set('Retry-After', String(result.retryAfterSec));
          throw new ApiError(429, ErrorCodes.AUTH_LOCKED, 'Too many failed sign-ins: the account is locked for a while', { retryAfterSec: result.retryAfterSec });
        }
        throw new ApiError(401, ErrorCodes.AUTH_FAILED, 'Wrong e-mail address or password');
      }
      const cookieValue = await startSession(req, res, result.user, 'local');
      res.json({ user: userView(result.user, deps.now()), mustChangePassword: result.user.mustChangePassword, csrfToken: csrfTokenFor(cookieValue) });
    },
  );

  r.post('/auth/password', express.json({ limit: '4kb' }), async (req, res) => {
    const p = principalOf(res);
    const body = PasswordBody.safeParse(req.body);
    if (!body.success) throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Body must be JSON {"current": "...", "next": "..."}');
    const user = p.email ? await identity.users.get(p.email) : null;
    if (!user || user.source !== 'local') throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, 'Only local accounts have a password here');
    const result = await identity.localSignIn.changePassword(user, body.data.current, body.data.next);
    if (!result.ok) {
      if (result.reason === 'wrong-password') throw new ApiError(403, ErrorCodes.AUTH_FAILED, 'The current password is wrong');
      throw new ApiError(400, ErrorCodes.API_BAD_REQUEST, PASSWORD_PROBLEM_TEXT[result.problem], { reason: result.problem });
    }
    await identity.audit.record({ actor: p, action: AuditActions.PASSWORD_CHANGED, object: user.email, address: req.ip ?? null });
    res.status(204).end();
  });

  r.post('/auth/signout', async (req, res) => {
    const p = principalOf(res);
    if (p.sessionIdHash) await identity.sessions.end(p.sessionIdHash);
    await identity.audit.record({ actor: p, action: AuditActions.SIGNOUT, object: p.email, address: req.ip ?? null });
    res.clearCookie(deps.cookieName, { httpOnly: true, sameSite: 'lax', secure: deps.secureCookies, path: '/' });
    res.status(204).end();
  });

  r.get('/auth/oidc/start', async (req, res) => {
    if (!deps.oidc) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, 'No identity provider is configured (OIDC_ISSUER_URL)');
    const started = await deps.oidc.begin(localReturnTo(req.query.returnTo)).catch((err: Error) => {
      // The provider cannot be reached: back to the sign-in page, where local accounts still work.
      deps.log?.warn({ err: err.message }, 'sign-in: could not start a sign-in at the identity provider');
      return null;
    });
    if (!started) return signInPage(res, 'Kommunens inloggning svarar inte just nu. Försök igen om en stund.');
    const { url, pending } = started;
    const { state, ...rest } = pending;
    await deps.putPendingSignIn({ ...rest, stateHash: hashState(state), expiresAt: deps.now() + PENDING_SIGNIN_MS });
    res.set('Cache-Control', 'no-store');
    res.redirect(303, url);
  });

  r.get('/auth/oidc/callback', async (req, res) => {
    if (!deps.oidc) throw new ApiError(404, ErrorCodes.API_NOT_FOUND, 'No identity provider is configured (OIDC_ISSUER_URL)');
    const state = typeof req.query.state === 'string' ? req.query.state : '';
    const pending = state ? await deps.takePendingSignIn(hashState(state), deps.now()) : null;
    if (!pending) return signInPage(res, 'Inloggningen har gått ut eller startades inte här. Försök igen.');
    let who: Awaited<ReturnType<OidcSignIn['finish']>>;
    try {
      who = await deps.oidc.finish(new URL(req.originalUrl, deps.publicBaseUrl), pending);
    } catch (err) {
      await identity.audit.record({ actor: 'anonymous', action: AuditActions.SIGNIN_FAILED, address: req.ip ?? null, details: { via: 'oidc', reason: (err as { code?: string }).code ?? 'provider' } });
      return signInPage(res, 'Inloggningen via kommunens konto misslyckades. Försök igen eller kontakta IT.');
    }
    if (!who.roles.length) {
      await identity.audit.record({ actor: 'anonymous', action: AuditActions.SIGNIN_FAILED, object: normaliseEmail(who.email), address: req.ip ?? null, details: { via: 'oidc', reason: 'no-role' } });
      return signInPage(res, 'Ditt konto har ingen roll i callpath. Be en administratör lägga till dig i rätt grupp.');
    }
    const user = await identity.users.fromIdentityProvider(who.subject, who.email, who.name, who.roles);
    if (user.disabled) {
      await identity.audit.record({ actor: 'anonymous', action: AuditActions.SIGNIN_FAILED, object: user.email, address: req.ip ?? null, details: { via: 'oidc', reason: 'disabled' } });
      return signInPage(res, 'Ditt konto är avstängt i callpath.');
    }
    await startSession(req, res, user, 'oidc');
    res.redirect(303, pending.returnTo);
  });

  return r;
}

/** A failed sign-in through the provider lands back on the sign-in page with the reason. */
function signInPage(res: Response, message: string): void {
  res.redirect(303, `/signin?error=${encodeURIComponent(message)}`);
}
