import type http from 'node:http';
import type { Clock } from '../../clock';
import type { PseudonymKey } from '../../config';
import { safeFallback, type PersonNotice, type StepInputs } from '../../flow/engine';
import type { FlowRegistry } from '../../flow/registry';
import type { Flow } from '../../flow/schema';
import { decodeState, type CallState } from '../../flow/state';
import { requestKey, stampEvents } from '../../ingest/recorder';
import type { CallEvent } from '../../journey/events';
import type { Logger } from '../../log';
import { LeaveMemory } from '../../queue/leave-memory';
import { callableCallerNumber } from '../../reception/callback-number';
import { WaitEstimator } from '../../queue/wait-estimate';
import { parseForm, readFormBody, WebhookBodyError, type FormParams } from './form';
import { describeIssues } from './params';
import { EMPTY_TWIML, renderTwiml } from './render';
import { agentRoutes } from './routes/agent-routes';
import { callRoutes } from './routes/call-routes';
import { queueRoutes } from './routes/queue-routes';
import type { Outcome, RouteContext, WebhookRoute } from './routes/route';
import { signedForUrl, twilioSignatureCheck } from './signature';

export interface TwilioWebhookDeps {
  publicBaseUrl: string;
  authToken: string;
  validateSignatures: boolean;
  /** Development mode: a signature made for another URL than PUBLIC_BASE_URL is logged with both URLs. */
  devMode?: boolean;
  registry: FlowRegistry;
  clock: Clock;
  log: Logger;
  pseudonymKey: PseudonymKey;
  /**
   * Takes the events of a webhook (the outbox); must not throw or wait. Calls `onJournaled` once
   * they would survive a crash: the webhook answers then, so a caller never moves on from a step
   * whose events could still be lost.
   */
  record: (events: CallEvent[], onJournaled: () => void) => void;
  /** The queues' recent answers, for the expected wait a caller hears; absent, this handler keeps its own. */
  waits?: WaitEstimator;
  /** Why the IVR took callers out of a queue, until Enqueue's action asks; absent, this handler keeps its own. */
  leaves?: LeaveMemory;
  /** A short spoken description of the caller at the head of a queue, said to the operator who takes the next caller. */
  headOfQueue?: (flowId: string, queueKey: string) => string | null;
  /** The absence notice that applies at `now` to the person at this number (held in memory: never waits on the store). */
  noticeOf?: (personNumber: string, now: number) => PersonNotice | null;
  /** Seals a callback number (reception/callback-seal.ts); absent, a callback node sends the caller to the operator. */
  sealNumber?: (number: string) => string;
  /** The municipality's TIME_ZONE, for a callback promise. */
  timeZone?: string;
}

/** Where the webhooks live; every request under it is answered here, never by the API's router. */
export const WEBHOOK_PREFIX = '/twilio/';

const BODY_LIMIT_BYTES = 32 * 1024;
const MAX_PARAMS = 200;

function send(res: http.ServerResponse, status: number, body: string, contentType = 'text/xml; charset=utf-8'): void {
  res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

/**
 * Twilio voice webhooks as a plain Node request listener: parse, check the signature, ask the pure
 * engine, record, render. Express stays for the API and the dashboard; on this path, answered for
 * every step of every call, its routing and body parsing cost more than the engine (issue 8).
 * Whatever goes wrong, the answer is valid TwiML: a caller never hears "an application error has occurred".
 */
export function twilioWebhookHandler(deps: TwilioWebhookDeps): http.RequestListener {
  const signedByTwilio = twilioSignatureCheck({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl, enabled: deps.validateSignatures, log: deps.log });
  // A newcomer's most common 403: the request was signed for the URL they typed (127.0.0.1 against a
  // PUBLIC_BASE_URL of localhost). The token is never logged, only the two URLs.
  const explainOtherUrl = (req: http.IncomingMessage, pathWithQuery: string, body: FormParams) => {
    const signature = req.headers['x-twilio-signature'];
    const arrivedAt = `http://${req.headers.host ?? ''}${pathWithQuery}`;
    const expected = deps.publicBaseUrl + pathWithQuery;
    let signedThere = false;
    try {
      // A Host header that makes no URL is no reason to fail: the answer has gone already.
      signedThere = typeof signature === 'string' && arrivedAt !== expected && signedForUrl(deps.authToken, signature, arrivedAt, body);
    } catch {
      return;
    }
    if (!signedThere) return;
    deps.log.warn({ expectedUrl: expected, signedUrl: arrivedAt }, 'webhook signed for another URL than PUBLIC_BASE_URL: sign with (or set PUBLIC_BASE_URL to) the URL Twilio calls');
  };

  const flowFor = (state: CallState): Flow | null => {
    const exact = deps.registry.version(state.f, state.v);
    if (exact) return exact;
    // The version this call started on is gone (a restart after a flow change): continue on the
    // current version when the node still exists, rather than dropping the caller.
    const current = deps.registry.get(state.f);
    return current && current.nodes[state.n] ? current : null;
  };

  const requireState = (query: FormParams): { state: CallState; flow: Flow } => {
    const state = decodeState(query);
    if (!state) throw new Error('missing or invalid call state in the webhook URL');
    const flow = flowFor(state);
    if (!flow) throw new Error(`flow ${state.f}@${state.v} is not loaded`);
    return { state: flow.version === state.v ? state : { ...state, v: flow.version }, flow };
  };

  const waits = deps.waits ?? new WaitEstimator(() => deps.clock.now());
  const leaves = deps.leaves ?? new LeaveMemory(() => deps.clock.now());
  const noticeOf = deps.noticeOf;
  const inputsAt = (now: number, from?: string): StepInputs => ({
    ...(noticeOf ? { noticeOf: (number: string) => noticeOf(number, now) } : {}),
    // Read only by a callback node; the number itself is never recorded, only sealed.
    callerNumber: callableCallerNumber(from),
    ...(deps.sealNumber ? { sealNumber: deps.sealNumber } : {}),
    ...(deps.timeZone ? { timeZone: deps.timeZone } : {}),
  });
  const ctx: RouteContext = { requireState, inputsAt };
  const agents = agentRoutes({ registry: deps.registry, waits, headOfQueue: deps.headOfQueue });
  const routes = new Map<string, WebhookRoute>([
    ...callRoutes(ctx, { registry: deps.registry, pseudonymKey: deps.pseudonymKey, agents }),
    ...queueRoutes(ctx, { leaves, waits }),
    ...agents.routes,
  ]);

  /** Whatever failed, the route's safe document; for a caller's own steps, the way to the operator. */
  function failedOutcome(r: WebhookRoute, err: Error, path: string, callSid: string, query: FormParams, body: FormParams): Outcome {
    if (r.onFailure) {
      deps.log.error({ err, path, callSid }, 'webhook failed: answered with its safe document');
      return { step: { actions: r.onFailure(query, body).actions, events: [] }, callSid, stepNo: 0 };
    }
    deps.log.error({ err, path, callSid }, 'flow engine failed: caller sent to the operator');
    const state = decodeState(query);
    // Any flow that knows an operator is better than none: the caller must reach a human.
    const flow = (state && (flowFor(state) ?? deps.registry.get(state.f))) || safeFlowFor(deps.registry, body.To);
    return { step: safeFallback(flow, state?.l ?? null, err.message, state?.n ?? null), callSid, stepNo: state?.k ?? 0 };
  }

  async function serve(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const now = deps.clock.now();
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = (q === -1 ? url : url.slice(0, q)).slice(WEBHOOK_PREFIX.length - 1);
    const r = routes.get(path);
    if (!r) {
      deps.log.warn({ path }, 'webhook for an unknown path: answered with an empty document');
      send(res, 404, EMPTY_TWIML);
      return;
    }
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      send(res, 405, EMPTY_TWIML);
      return;
    }
    let body: FormParams;
    try {
      body = await readFormBody(req, BODY_LIMIT_BYTES, MAX_PARAMS);
    } catch (err) {
      const status = err instanceof WebhookBodyError ? err.status : 400;
      deps.log.warn({ path, err: (err as Error).message }, 'webhook body refused');
      if (!res.headersSent && !res.destroyed) send(res, status, EMPTY_TWIML);
      return;
    }
    // Sorted once for the signature and the request key.
    const names = Object.keys(body).sort();
    if (!signedByTwilio(req.headers['x-twilio-signature'] as string | undefined, url, body, names)) {
      deps.log.warn({ path, signed: req.headers['x-twilio-signature'] !== undefined }, 'webhook rejected: invalid X-Twilio-Signature');
      send(res, 403, 'Invalid Twilio signature', 'text/plain; charset=utf-8');
      if (deps.devMode) explainOtherUrl(req, url, body);
      return;
    }
    const query = queryOf(url, q);
    const parsed = r.schema.safeParse(body);
    if (!parsed.success) {
      deps.log.warn({ path, problem: describeIssues(parsed.error) }, 'webhook with malformed parameters: answered with safe TwiML, nothing recorded');
      const fallback = r.onFailure ? r.onFailure(query, body) : safeFallback(safeFlowFor(deps.registry, body.To), null, 'malformed');
      send(res, 200, r.silent ? EMPTY_TWIML : renderTwiml(fallback.actions, deps.publicBaseUrl));
      return;
    }
    const callSid = String((parsed.data as { CallSid: string }).CallSid);
    let outcome: Outcome;
    try {
      outcome = r.decide(parsed.data as never, query, now);
    } catch (err) {
      outcome = failedOutcome(r, err as Error, path, callSid, query, body);
    }
    const twiml = r.silent ? EMPTY_TWIML : renderTwiml(outcome.step.actions, deps.publicBaseUrl);
    let answered = false;
    const answer = () => {
      if (answered) return;
      answered = true;
      send(res, 200, twiml);
      if (deps.log.isLevelEnabled('debug')) {
        deps.log.debug({ path, callSid, events: outcome.step.events.map((e) => e.type), ms: deps.clock.now() - now }, 'webhook answered');
      }
    };
    try {
      const events = stampEvents(outcome.step.events, { callSid: outcome.callSid, requestKey: requestKey(url, body, names), at: outcome.at ?? now, step: outcome.stepNo });
      deps.record(events, answer);
    } catch (err) {
      deps.log.error({ err, callSid }, 'recording failed; the caller is served regardless');
      answer();
    }
  }

  return (req, res) => {
    serve(req, res).catch((err) => {
      // Unreachable by design (every step above has its own answer); if it happens, still a document.
      deps.log.error({ err }, 'webhook failed unexpectedly');
      if (!res.headersSent && !res.destroyed) send(res, 500, EMPTY_TWIML);
    });
  };
}

/** The URL's query as parameters; a query too odd to parse is no state at all. */
function queryOf(url: string, q: number): FormParams {
  if (q === -1) return Object.create(null);
  try {
    return parseForm(url.slice(q + 1), MAX_PARAMS);
  } catch {
    return Object.create(null);
  }
}

function safeFlowFor(registry: FlowRegistry, to: unknown): Flow | null {
  try {
    return registry.forNumber(typeof to === 'string' ? to : undefined);
  } catch {
    return null;
  }
}
