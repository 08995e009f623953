import type { AgentLeg } from '../flow/actions';
import { phoneKey } from '../flow/registry';
import type { Flow, QueueConfig } from '../flow/schema';

export interface AgentMatch {
  flow: Flow;
  queue: QueueConfig;
  leg: AgentLeg;
}

export type AgentLookup = { ok: true; match: AgentMatch } | { ok: false; reason: 'not-an-agent-number' | 'not-an-operator'; flow: Flow | null };

const digitsOf = (n: string | undefined): string => phoneKey(n ?? '');

/**
 * Who is calling a queue's agent number: an operator of that queue, recognised by the number they
 * call from, or someone to refuse. Staff numbers are compared, never logged.
 */
export function findAgent(flows: readonly Flow[], to: string | undefined, from: string | undefined): AgentLookup {
  const called = digitsOf(to);
  const caller = digitsOf(from);
  for (const flow of flows) {
    for (const [queueKey, queue] of Object.entries(flow.queues)) {
      if (queue.agentNumber !== called) continue;
      const operator = Object.entries(queue.operators).find(([, o]) => o.number === caller);
      if (!operator) return { ok: false, reason: 'not-an-operator', flow };
      return { ok: true, match: { flow, queue, leg: { flowId: flow.id, queueKey, operatorId: operator[0] } } };
    }
  }
  return { ok: false, reason: 'not-an-agent-number', flow: null };
}

/** The operator's leg as its URL describes it, checked against the flows in service. */
export function agentFromLeg(flows: readonly Flow[], leg: Partial<AgentLeg>): AgentMatch | null {
  const flow = flows.find((f) => f.id === leg.flowId);
  const queue = leg.queueKey ? flow?.queues[leg.queueKey] : undefined;
  if (!flow || !queue || !leg.operatorId || !queue.operators[leg.operatorId]) return null;
  return { flow, queue, leg: { flowId: flow.id, queueKey: leg.queueKey!, operatorId: leg.operatorId } };
}
