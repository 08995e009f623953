import type http from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import helmet from 'helmet';
import { rateLimit } from 'express-rate-limit';
import { recordAccessWith } from './api/audit-access';
import { auditRoutes } from './api/audit-routes';
import { authRoutes } from './api/auth-routes';
import type { OidcSignIn } from './identity/oidc-sign-in';
import { guard, type GuardDeps } from './api/guard';
import { registeredRoutes, type RegisteredRoute } from './api/route-list';
import { usersRoutes } from './api/users-routes';
import { callsRoutes } from './api/calls';
import { privacyRoutes } from './api/privacy';
import type { Clock } from './clock';
import type { Config } from './config';
import { ApiError, ErrorCodes, StoreNotReadyError } from './errors';
import type { PersonNotice } from './flow/engine';
import type { FlowRegistry } from './flow/registry';
import { sessionCookieName, type Identity } from './identity/create';
import type { OutboxStats } from './ingest/outbox';
import type { ErasureResult } from './privacy/erasure';
import type { CallEvent } from './journey/events';
import type { Logger } from './log';
import type { StoreStatus } from './store/opening-store';
import type { Store } from './store/store';
import { twilioWebhookHandler, WEBHOOK_PREFIX } from './telephony/twilio/webhooks';

export interface AppDeps {
  config: Pick<Config, 'publicBaseUrl' | 'twilioAuthToken' | 'validateSignatures' | 'devMode' | 'apiToken' | 'staffToken' | 'pseudonymKeys' | 'callbackKeys' | 'apiRateLimitPerMinute' | 'identity'>;
  /** Staff users, sessions, tokens and the audit trail (over the store's identity tables). */
  identity: Identity;
  /** Sign-in through the municipality's identity provider; null when none is configured. */
  oidc?: OidcSignIn | null;
  store: Store;
  registry: FlowRegistry;
  clock: Clock;
  log: Logger;
  /** Hands a webhook's events on (to the outbox); must not throw or wait. Calls `onJournaled` once they are safe from a crash. */
  record: (events: CallEvent[], onJournaled: () => void) => void;
  outboxStats: () => OutboxStats;
  /** Erases one caller's calls, found by their pseudonyms (privacy/erasure.ts wired to the outbox and ingestor). */
  eraseCaller: (pseudonyms: string[]) => Promise<ErasureResult>;
  /** Where the store's opening is; absent: open from the start. */
  storeStatus?: () => StoreStatus;
  /** What the operator hears of the caller at the head of a queue before taking them (from the live view). */
  headOfQueue?: (flowId: string, queueKey: string) => string | null;
  /** The absence notice that applies at `now` to the person at this number (reception's notice board, in memory). */
  noticeOf?: (personNumber: string, now: number) => PersonNotice | null;
  sealNumber?: (number: string) => string;
  timeZone?: string;
  /** Further authenticated API routers (metrics, admin tools), mounted under /api. */
  apiRouters?: express.Router[];
  /** Routers mounted at the root before the error handler (dashboard pages). */
  pageRouters?: express.Router[];
}

/**
 * The service's HTTP handling without listening: Twilio's webhooks on a plain Node listener (the
 * hot path), everything else (API, dashboard, health) through Express.
 */
export function createApp(deps: AppDeps): http.RequestListener & { routes(): RegisteredRoute[] } {
  const webhooks = twilioWebhookHandler({
    publicBaseUrl: deps.config.publicBaseUrl,
    authToken: deps.config.twilioAuthToken,
    validateSignatures: deps.config.validateSignatures,
    devMode: deps.config.devMode,
    registry: deps.registry,
    clock: deps.clock,
    log: deps.log,
    pseudonymKey: deps.config.pseudonymKeys[0],
    record: deps.record,
    headOfQueue: deps.headOfQueue,
    noticeOf: deps.noticeOf,
    sealNumber: deps.sealNumber,
    timeZone: deps.timeZone,
  });
  const app = expressApp(deps);
  const handler: http.RequestListener = (req, res) => (req.url?.startsWith(WEBHOOK_PREFIX) ? webhooks(req, res) : app(req, res));
  return Object.assign(handler, { routes: () => registeredRoutes(app) });
}

function expressApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);

  const storeStatus = deps.storeStatus ?? (() => ({ state: 'ready' }) as const);
  const { identity } = deps;
  const guardDeps = guardDepsOf(deps);
  const recordAccess = recordAccessWith(identity.audit);

  // Before the guard: a flood of bad tokens is turned away before each is looked up in the store.
  app.use(
    '/api',
    rateLimit({
      windowMs: 60_000,
      limit: deps.config.apiRateLimitPerMinute,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      handler: (_req, _res, next) => next(new ApiError(429, ErrorCodes.API_BAD_REQUEST, 'Too many requests; slow down')),
    }),
  );
  // Every route's access rule (api/access-rules.ts), before any route: what has no rule is not served.
  app.use(guard(guardDeps));

  // The URL webhooks are signed for, so a tool reaching the service by another name (127.0.0.1) signs as Twilio would.
  const publicBaseUrl = deps.config.publicBaseUrl;
  app.get('/healthz', async (_req, res) => {
    const outbox = deps.outboxStats();
    const flows = deps.registry.list().map((f) => ({ id: f.id, version: f.version }));
    const opening = storeStatus();
    if (opening.state !== 'ready') {
      // Calls are answered while the store loads: still 200, so a load balancer keeps routing webhooks here.
      const store = opening.state === 'failed' ? `failed: ${opening.error}` : opening.state;
      res.json({ status: opening.state === 'loading' ? 'loading' : 'degraded', store, storeOpening: describeOpening(opening), outbox, flows, publicBaseUrl });
      return;
    }
    let store = 'ok';
    try {
      // A load balancer's probe must get an answer even when the database hangs.
      await Promise.race([deps.store.ping(), new Promise((_r, reject) => setTimeout(() => reject(new Error('no answer within 1 s')), 1000).unref())]);
    } catch (err) {
      store = `unavailable: ${(err as Error).message}`;
    }
    // The service keeps answering calls while the store is down, so it stays "up"; the details say why it
    // is degraded. A store that answers pings but refuses events (a full disk, a hung write) is degraded
    // too: the events wait in the journal, and the dashboards fall behind until they are stored.
    const delivering = outbox.consecutiveFailures === 0;
    res.json({ status: store === 'ok' && delivering ? 'ok' : 'degraded', store, ...(delivering ? {} : { delivery: `failing since ${outbox.failingSince}: ${outbox.lastError}` }), outbox, flows, publicBaseUrl });
  });

  // Liveness: the process answers. Never false for a loading or absent store (a restart would not help).
  app.get('/livez', (_req, res) => {
    res.json({ live: true });
  });

  // Readiness: everything works, the API and dashboard included, i.e. the store is open. Webhooks are
  // answered before that: route Twilio by /healthz or /livez, not by this.
  app.get('/readyz', (_req, res) => {
    const opening = storeStatus();
    if (opening.state === 'ready') {
      res.json({ ready: true, store: 'ready' });
      return;
    }
    res.status(503).json({ ready: false, store: describeOpening(opening) });
  });

  app.use(
    authRoutes({
      identity,
      oidc: deps.oidc ?? null,
      cookieName: guardDeps.cookieName,
      secureCookies: deps.config.identity.secureCookies,
      sessionMaxMs: deps.config.identity.sessionMaxMs,
      publicBaseUrl: deps.config.publicBaseUrl,
      now: () => deps.clock.now(),
      log: deps.log,
      putPendingSignIn: (p) => deps.store.identity.putPendingSignIn(p),
      takePendingSignIn: (h, now) => deps.store.identity.takePendingSignIn(h, now),
    }),
  );

  const api = express.Router();
  api.use(helmet());
  api.use(callsRoutes(deps.store, recordAccess));
  api.use(privacyRoutes(deps.store, deps.config.pseudonymKeys, deps.eraseCaller, recordAccess, deps.config.callbackKeys));
  api.use(usersRoutes(identity, recordAccess, () => deps.clock.now()));
  api.use(auditRoutes(identity.audit, recordAccess));
  for (const r of deps.apiRouters ?? []) api.use(r);
  api.use((req, _res, next) => next(new ApiError(404, ErrorCodes.API_NOT_FOUND, `No API route ${req.method} ${req.path}`)));
  app.use('/api', api);

  for (const r of deps.pageRouters ?? []) app.use(r);

  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof StoreNotReadyError) {
      // Not a fault of the request, and not one to log per request: the load is logged once.
      res.status(503).set('Retry-After', '10').json({ error: { code: err.code, message: err.message, ...(err.details ?? {}) } });
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...(err.details ?? {}) } });
      return;
    }
    const status = statusOf(err);
    if (status && status < 500) {
      res.status(status).json({ error: { code: ErrorCodes.API_BAD_REQUEST, message: (err as Error).message } });
      return;
    }
    deps.log.error({ err, path: req.path }, 'unhandled error');
    res.status(500).json({ error: { code: 'INTERNAL', message: 'Internal error' } });
  });

  return app;
}

/** How the guard and the live board recognise who is asking. */
export function guardDepsOf(deps: Pick<AppDeps, 'config' | 'identity'>): GuardDeps {
  return {
    service: { adminToken: deps.config.apiToken, staffToken: deps.config.staffToken },
    tokens: deps.identity.tokens,
    sessions: deps.identity.sessions,
    cookieName: sessionCookieName(deps.config.identity.secureCookies),
  };
}

/** The store's opening for health answers: its state, and how far a load has come or why it failed. */
function describeOpening(s: StoreStatus): Record<string, unknown> {
  switch (s.state) {
    case 'loading':
      return { state: 'loading', since: new Date(s.since).toISOString(), progress: s.progress };
    case 'failed':
      return { state: 'failed', code: s.code, error: s.error };
    default:
      return { state: s.state };
  }
}

function statusOf(err: unknown): number | undefined {
  const s = (err as { status?: unknown; statusCode?: unknown })?.status ?? (err as { statusCode?: unknown })?.statusCode;
  return typeof s === 'number' ? s : undefined;
}
