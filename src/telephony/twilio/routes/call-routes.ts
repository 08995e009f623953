import type { Step } from '../../../flow/actions';
import { handleComment, handleDialResult, handleInput, handleLegProgress, startCall } from '../../../flow/engine';
import type { FlowRegistry } from '../../../flow/registry';
import type { PseudonymKey } from '../../../config';
import { pseudonymize } from '../../../privacy/pseudonym';
import { DialParams, GatherParams, LegParams, SpeechParams, StatusParams, TERMINAL_CALL_STATUSES, VoiceParams, parseTimestamp } from '../params';
import { route, type RouteContext, type WebhookRoute } from './route';
import type { AgentRoutes } from './agent-routes';

/** Status callbacks sort after every IVR step that shares their millisecond. */
const STATUS_STEP = 1_000_000;

/** A caller's call: the incoming call, keys, a spoken comment, dial results, the dialled leg's progress, the call's end. */
export function callRoutes(ctx: RouteContext, deps: { registry: FlowRegistry; pseudonymKey: PseudonymKey; agents: AgentRoutes }): [string, WebhookRoute][] {
  return [
    [
      '/voice',
      route(VoiceParams, false, (p, _query, now) => {
        // An agent number pointed at /twilio/voice rather than /twilio/agent still reaches the queue's operators.
        const agent = deps.agents.agentCall(p);
        if (agent) return agent;
        const flow = deps.registry.forNumber(p.To);
        const step = startCall(flow, { callSid: p.CallSid, caller: pseudonymize(p.From, deps.pseudonymKey), to: p.To ?? '' }, now, ctx.inputsAt(now, p.From));
        return { step, callSid: p.CallSid, stepNo: 0 };
      }),
    ],
    [
      '/input',
      route(GatherParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const digits = (p.Digits ?? '').replace(/[wW]/g, '');
        return { step: handleInput(flow, state, p.CallSid, digits, now, ctx.inputsAt(now, p.From)), callSid: p.CallSid, stepNo: state.k };
      }),
    ],
    [
      '/comment',
      route(SpeechParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const step = handleComment(flow, state, p.CallSid, { text: p.SpeechResult ?? '', confidence: p.Confidence }, now);
        return { step, callSid: p.CallSid, stepNo: state.k };
      }),
    ],
    [
      '/dial',
      route(DialParams, false, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const step = handleDialResult(
          flow,
          state,
          p.CallSid,
          {
            status: p.DialCallStatus,
            callerHungUp: p.CallStatus !== undefined && TERMINAL_CALL_STATUSES.has(p.CallStatus),
            durationSec: p.DialCallDuration ?? 0,
          },
          now,
          ctx.inputsAt(now, p.From),
        );
        return { step, callSid: p.CallSid, stepNo: state.k };
      }),
    ],
    [
      '/leg',
      route(LegParams, true, (p, query, now) => {
        const { state, flow } = ctx.requireState(query);
        const step = handleLegProgress(flow, state, { legSid: p.CallSid, status: p.CallStatus, sequence: p.SequenceNumber ?? 0 });
        return { step, callSid: p.ParentCallSid, stepNo: state.k, at: parseTimestamp(p.Timestamp, now) };
      }),
    ],
    [
      '/status',
      route(StatusParams, true, (p, _query, now) => {
        const events: Step['events'] = TERMINAL_CALL_STATUSES.has(p.CallStatus)
          ? [{ type: 'call.ended', status: p.CallStatus, durationSec: p.CallDuration ?? null }]
          : [];
        return { step: { actions: [], events }, callSid: p.CallSid, stepNo: STATUS_STEP, at: parseTimestamp(p.Timestamp, now) };
      }),
    ],
  ];
}
