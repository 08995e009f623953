import type { Say, Step } from '../flow/actions';
import { twilioQueueName } from '../flow/nodes/queue';
import { sayBuiltIn, sayPrompt, voiceFor } from '../flow/prompt';
import type { Flow } from '../flow/schema';
import type { AgentMatch } from './agents';

/** How long an operator's call waits for a caller when the queue is empty, before saying so. */
export const AGENT_WAIT_SECONDS = 300;

/**
 * The operator's side of a queue: pure steps, as the flow engine's are for a caller. The operator's
 * leg records nothing of its own; what it does is recorded on the caller it takes.
 */
export function takeNextCaller(match: AgentMatch, context: string | null): Step {
  const { flow, leg } = match;
  const actions: Step['actions'] = [];
  if (context) actions.push({ kind: 'say', text: context, language: flow.languages.default, voice: voiceFor(flow, flow.languages.default) });
  actions.push({ kind: 'dial-queue', queue: twilioQueueName(flow, leg.queueKey), timeoutSeconds: AGENT_WAIT_SECONDS, leg });
  return { actions, events: [] };
}

export function refuseAgent(flow: Flow | null): Step {
  const say: Say = flow
    ? sayBuiltIn(flow, 'agentRefused', flow.languages.default)
    : { kind: 'say', text: 'Det här numret är bara för växelns telefonister. Hej då.', language: 'sv-SE', voice: 'Polly.Astrid' };
  return { actions: [say, { kind: 'hangup' }], events: [] };
}

/** The operator's conversation ended, or the wait for a caller did: round again, or say why not. */
export function afterAgentDial(match: AgentMatch, dialStatus: string, operatorHungUp: boolean): Step {
  if (operatorHungUp) return { actions: [], events: [] };
  const { flow } = match;
  const lang = flow.languages.default;
  if (dialStatus === 'completed' || dialStatus === 'answered') return { actions: [{ kind: 'next-caller', leg: match.leg }], events: [] };
  const key = dialStatus === 'failed' ? 'agentQueueFailed' : 'agentQueueEmpty';
  return { actions: [sayBuiltIn(flow, key, lang), { kind: 'hangup' }], events: [] };
}

/**
 * The moment an operator takes the caller (`<Queue url>`): what the caller hears before the two
 * are connected, and the answer recorded on the caller's call.
 */
export function bridgeCaller(match: AgentMatch, bridge: { waitSec: number; agentCallSid: string | null; language: string | null }): Step {
  const { flow, queue, leg } = match;
  const lang = bridge.language ?? flow.languages.default;
  const say = queue.connectingPrompt ? sayPrompt(flow, queue.connectingPrompt, lang) : sayBuiltIn(flow, 'connecting', lang);
  return {
    actions: [say],
    events: [{ type: 'queue.answered', queue: leg.queueKey, operator: leg.operatorId, waitSec: bridge.waitSec, agentCallSid: bridge.agentCallSid }],
  };
}
