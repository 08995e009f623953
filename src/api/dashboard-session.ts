import express from 'express';
import type { Clock } from '../clock';
import { csrfTokenFor } from '../identity/sessions';
import { principalOf } from './guard';

export interface SessionDeps {
  clock: Clock;
  /** The municipality's time zone: the pages' dates and "today" are in it. */
  timeZone: string;
}

/**
 * GET /api/session: who is signed in (by session, personal token or service account), their roles,
 * the session's anti-forgery token, and the server's time. The dashboard shows the user, hides what
 * the roles may not use (the API enforces the same rules on every route), and starts its date
 * pickers from the server's "today", not the viewer's computer.
 */
export function sessionRoutes(deps: SessionDeps): express.Router {
  const r = express.Router();
  r.get('/session', (_req, res) => {
    const p = principalOf(res);
    const cookie = res.locals.sessionCookie as string | undefined;
    res.set('Cache-Control', 'no-store');
    res.json({
      user: { email: p.email, name: p.name, kind: p.kind },
      roles: p.roles,
      mustChangePassword: !!p.mustChangePassword,
      csrfToken: cookie ? csrfTokenFor(cookie) : null,
      now: deps.clock.now(),
      timeZone: deps.timeZone,
    });
  });
  return r;
}
