import express from 'express';
import type { Clock } from '../clock';
import type { Role } from './auth';

export interface SessionDeps {
  clock: Clock;
  /** The municipality's time zone: the pages' dates and "today" are in it. */
  timeZone: string;
}

/**
 * GET /api/session: the role the bearer token grants, and the server's time. The dashboard's
 * sign-in checks a token with it and hides what the role may not use (the API enforces the same
 * roles on every route); date pickers start from the server's "today", not the viewer's computer.
 */
export function sessionRoutes(deps: SessionDeps): express.Router {
  const r = express.Router();
  r.get('/session', (_req, res) => {
    const role = res.locals.role as Role;
    res.set('Cache-Control', 'no-store');
    res.json({ role, canAdminister: role === 'admin', now: deps.clock.now(), timeZone: deps.timeZone });
  });
  return r;
}
