import express, { type Request, type Response } from 'express';
import type { z } from 'zod';
import type { Clock } from '../../clock';
import type { PseudonymKey } from '../../config';
import type { Step } from '../../flow/actions';
import { handleDialResult, handleInput, handleLegProgress, safeFallback, startCall } from '../../flow/engine';
import type { FlowRegistry } from '../../flow/registry';
import type { Flow } from '../../flow/schema';
import { decodeState, type CallState } from '../../flow/state';
import { requestKey, stampEvents } from '../../ingest/recorder';
import type { CallEvent } from '../../journey/events';
import type { Logger } from '../../log';
import { pseudonymize } from '../../privacy/pseudonym';
import { DialParams, GatherParams, LegParams, StatusParams, TERMINAL_CALL_STATUSES, VoiceParams, describeIssues, parseTimestamp } from './params';
import { EMPTY_TWIML, renderTwiml } from './render';
import { requireTwilioSignature } from './signature';

export interface TwilioWebhookDeps {
  publicBaseUrl: string;
  authToken: string;
  validateSignatures: boolean;
  registry: FlowRegistry;
  clock: Clock;
  log: Logger;
  pseudonymKey: PseudonymKey;
  /** Takes the events of a webhook; must not throw or wait (the outbox). */
  record: (events: CallEvent[]) => void;
}

/** Status callbacks sort after every IVR step that shares their millisecond. */
const STATUS_STEP = 1_000_000;

interface Outcome {
  step: Step;
  flow: Flow | null;
  callSid: string;
  stepNo: number;
  at?: number;
  /** Callbacks whose answer Twilio ignores get an empty document. */
  silent?: boolean;
}

/**
 * Twilio voice webhooks. Each route parses, asks the pure engine, records, renders. Whatever goes
 * wrong, the answer is valid TwiML: a caller never hears "an application error has occurred".
 */
export function twilioWebhooks(deps: TwilioWebhookDeps): express.Router {
  const router = express.Router();
  router.use(express.urlencoded({ extended: false, limit: '32kb', parameterLimit: 200 }));
  router.use(requireTwilioSignature({ authToken: deps.authToken, publicBaseUrl: deps.publicBaseUrl, enabled: deps.validateSignatures, log: deps.log }));

  const flowFor = (state: CallState): Flow | null => {
    const exact = deps.registry.version(state.f, state.v);
    if (exact) return exact;
    // The version this call started on is gone (a restart after a flow change): continue on the
    // current version when the node still exists, rather than dropping the caller.
    const current = deps.registry.get(state.f);
    return current && current.nodes[state.n] ? current : null;
  };

  function handle<S extends z.ZodTypeAny>(schema: S, decide: (p: z.infer<S>, req: Request, now: number) => Outcome) {
    return (req: Request, res: Response) => {
      const now = deps.clock.now();
      const body = (req.body ?? {}) as Record<string, unknown>;
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        deps.log.warn({ path: req.path, problem: describeIssues(parsed.error) }, 'webhook with malformed parameters: answered with safe TwiML, nothing recorded');
        const flow = safeFlowFor(deps.registry, body.To);
        res.type('text/xml').send(req.path === '/leg' || req.path === '/status' ? EMPTY_TWIML : renderTwiml(safeFallback(flow, null, 'malformed').actions, deps.publicBaseUrl));
        return;
      }
      const callSid = String((parsed.data as { CallSid: string }).CallSid);
      const log = deps.log.child({ callSid });
      let outcome: Outcome;
      try {
        outcome = decide(parsed.data, req, now);
      } catch (err) {
        log.error({ err, path: req.path }, 'flow engine failed: caller sent to the operator');
        const state = decodeState(req.query as Record<string, unknown>);
        // Any flow that knows an operator is better than none: the caller must reach a human.
        const flow = (state && (flowFor(state) ?? deps.registry.get(state.f))) || safeFlowFor(deps.registry, body.To);
        outcome = { step: safeFallback(flow, state?.l ?? null, (err as Error).message, state?.n ?? null), flow, callSid, stepNo: state?.k ?? 0 };
      }
      try {
        const events = stampEvents(outcome.step.events, {
          callSid: outcome.callSid,
          requestKey: requestKey(req.originalUrl, body),
          at: outcome.at ?? now,
          step: outcome.stepNo,
        });
        deps.record(events);
      } catch (err) {
        log.error({ err }, 'recording failed; the caller is served regardless');
      }
      res.type('text/xml').send(outcome.silent ? EMPTY_TWIML : renderTwiml(outcome.step.actions, deps.publicBaseUrl));
      log.debug({ path: req.path, events: outcome.step.events.map((e) => e.type), ms: deps.clock.now() - now }, 'webhook answered');
    };
  }

  const requireState = (req: Request): { state: CallState; flow: Flow } => {
    const state = decodeState(req.query as Record<string, unknown>);
    if (!state) throw new Error('missing or invalid call state in the webhook URL');
    const flow = flowFor(state);
    if (!flow) throw new Error(`flow ${state.f}@${state.v} is not loaded`);
    return { state: flow.version === state.v ? state : { ...state, v: flow.version }, flow };
  };

  router.post(
    '/voice',
    handle(VoiceParams, (p) => {
      const flow = deps.registry.forNumber(p.To);
      const step = startCall(flow, { callSid: p.CallSid, caller: pseudonymize(p.From, deps.pseudonymKey), to: p.To ?? '' });
      return { step, flow, callSid: p.CallSid, stepNo: 0 };
    }),
  );

  router.post(
    '/input',
    handle(GatherParams, (p, req) => {
      const { state, flow } = requireState(req);
      const digits = (p.Digits ?? '').replace(/[wW]/g, '');
      return { step: handleInput(flow, state, p.CallSid, digits), flow, callSid: p.CallSid, stepNo: state.k };
    }),
  );

  router.post(
    '/dial',
    handle(DialParams, (p, req) => {
      const { state, flow } = requireState(req);
      const step = handleDialResult(flow, state, p.CallSid, {
        status: p.DialCallStatus,
        callerHungUp: p.CallStatus !== undefined && TERMINAL_CALL_STATUSES.has(p.CallStatus),
        durationSec: p.DialCallDuration ?? 0,
      });
      return { step, flow, callSid: p.CallSid, stepNo: state.k };
    }),
  );

  router.post(
    '/leg',
    handle(LegParams, (p, req, now) => {
      const { state, flow } = requireState(req);
      const step = handleLegProgress(flow, state, { legSid: p.CallSid, status: p.CallStatus, sequence: p.SequenceNumber ?? 0 });
      return { step, flow, callSid: p.ParentCallSid, stepNo: state.k, at: parseTimestamp(p.Timestamp, now), silent: true };
    }),
  );

  router.post(
    '/status',
    handle(StatusParams, (p, _req, now) => {
      const events: Step['events'] = TERMINAL_CALL_STATUSES.has(p.CallStatus)
        ? [{ type: 'call.ended', status: p.CallStatus, durationSec: p.CallDuration ?? null }]
        : [];
      return { step: { actions: [], events }, flow: null, callSid: p.CallSid, stepNo: STATUS_STEP, at: parseTimestamp(p.Timestamp, now), silent: true };
    }),
  );

  return router;
}

function safeFlowFor(registry: FlowRegistry, to: unknown): Flow | null {
  try {
    return registry.forNumber(typeof to === 'string' ? to : undefined);
  } catch {
    return null;
  }
}
