import type { Step } from '../../../flow/actions';
import type { FlowRegistry } from '../../../flow/registry';
import { sayBuiltIn } from '../../../flow/prompt';
import { findAgent, agentFromLeg } from '../../../queue/agents';
import { afterAgentDial, bridgeCaller, refuseAgent, takeNextCaller } from '../../../queue/agent-steps';
import type { WaitEstimator } from '../../../queue/wait-estimate';
import type { FormParams } from '../form';
import { AgentDialParams, QueueBridgeParams, TERMINAL_CALL_STATUSES, VoiceParams } from '../params';
import { route, type Outcome, type WebhookRoute } from './route';

/** The bridge sorts after the caller's own steps at the same millisecond, before its status callback. */
const BRIDGE_STEP = 999_999;

export interface AgentDeps {
  registry: FlowRegistry;
  waits: WaitEstimator;
  /** A short spoken description of the caller at the head of the queue, for the operator; null when unknown. */
  headOfQueue?: (flowId: string, queueKey: string) => string | null;
}

const one = (v: string | string[] | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const legOf = (query: FormParams) => ({ flowId: one(query.f), queueKey: one(query.q), operatorId: one(query.o) });

function refuse(deps: AgentDeps, to: unknown): Step {
  try {
    return refuseAgent(deps.registry.forNumber(typeof to === 'string' ? to : undefined));
  } catch {
    return refuseAgent(null);
  }
}

/** What an operator's failed webhook answers: an apology and the end of their call, never the caller's fallback. */
function agentFailure(deps: AgentDeps) {
  return (query: FormParams, body: FormParams): Step => {
    const match = agentFromLeg(deps.registry.list(), legOf(query));
    if (!match) return refuse(deps, body.To);
    const lang = match.flow.languages.default;
    return { actions: [sayBuiltIn(match.flow, 'agentQueueFailed', lang), { kind: 'hangup' }], events: [] };
  };
}

export interface AgentRoutes {
  routes: [string, WebhookRoute][];
  /** The agent call's outcome when `To` is a queue's agent number; null for a caller's call. */
  agentCall(p: { CallSid: string; To?: string; From?: string }): Outcome | null;
}

/** An operator's call to a queue: taking the next caller, the moment of the bridge, the end of the conversation. */
export function agentRoutes(deps: AgentDeps): AgentRoutes {
  const agentCall = (p: { CallSid: string; To?: string; From?: string }): Outcome | null => {
    const found = findAgent(deps.registry.list(), p.To, p.From);
    if (!found.ok && found.reason === 'not-an-agent-number') return null;
    const step = found.ok ? takeNextCaller(found.match, deps.headOfQueue?.(found.match.leg.flowId, found.match.leg.queueKey) ?? null) : refuseAgent(found.flow);
    return { step, callSid: p.CallSid, stepNo: 0 };
  };
  const routes: [string, WebhookRoute][] = [
    [
      '/agent',
      route(
        VoiceParams,
        false,
        (p, query) => {
          // A redirect after a conversation carries the leg in its URL; the first request is recognised by its numbers.
          const again = query.f ? agentFromLeg(deps.registry.list(), legOf(query)) : null;
          if (again) return { step: takeNextCaller(again, deps.headOfQueue?.(again.leg.flowId, again.leg.queueKey) ?? null), callSid: p.CallSid, stepNo: 0 };
          return agentCall(p) ?? { step: refuse(deps, p.To), callSid: p.CallSid, stepNo: 0 };
        },
        agentFailure(deps),
      ),
    ],
    [
      '/queue-bridge',
      route(
        QueueBridgeParams,
        false,
        (p, query, now) => {
          const match = agentFromLeg(deps.registry.list(), legOf(query));
          if (!match) throw new Error('queue bridge for a queue or operator no flow has');
          deps.waits.answered(match.leg.queueKey, now);
          const step = bridgeCaller(match, { waitSec: p.QueueTime, agentCallSid: p.DequeingCallSid ?? null, language: null });
          return { step, callSid: p.CallSid, stepNo: BRIDGE_STEP };
        },
        // The caller is about to be connected whatever happens here: nothing said is better than a wrong word.
        () => ({ actions: [], events: [] }),
      ),
    ],
    [
      '/agent-done',
      route(
        AgentDialParams,
        false,
        (p, query) => {
          const match = agentFromLeg(deps.registry.list(), legOf(query));
          if (!match) return { step: refuse(deps, p.To), callSid: p.CallSid, stepNo: 0 };
          const hungUp = p.CallStatus !== undefined && TERMINAL_CALL_STATUSES.has(p.CallStatus);
          return { step: afterAgentDial(match, p.DialCallStatus ?? 'failed', hungUp), callSid: p.CallSid, stepNo: 0 };
        },
        agentFailure(deps),
      ),
    ],
  ];
  return { routes, agentCall };
}
