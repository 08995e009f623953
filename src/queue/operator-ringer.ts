import type { CallEvent } from '../journey/events';
import type { FlowRegistry } from '../flow/registry';
import type { Logger } from '../log';

/** The one call of Twilio's REST API callpath makes (`client.calls.create`), so tests put a stand-in in its place. */
export interface OutboundCalls {
  create(opts: { to: string; from: string; url: string; method: 'POST'; timeout: number }): Promise<{ sid: string }>;
}

export interface OperatorRingerOptions {
  calls: OutboundCalls;
  registry: FlowRegistry;
  publicBaseUrl: string;
  log: Logger;
  now: () => number;
  /** Operators of a queue on a call now (the live view knows). */
  operatorsOnCall: (queueKey: string) => number;
  /** A queue's operators are rung at most this often. */
  quietMs?: number;
  /** How long each operator's phone rings. */
  ringSeconds?: number;
}

const DEFAULT_QUIET_MS = 60_000;

/**
 * Rings a queue's operators when a caller joins it and none of them is on a call: each operator's
 * phone gets a call from the agent number that, answered, takes the caller at the head of the queue
 * (the agent webhook with the operator named in its URL). Behind RING_OPERATORS; a failure is
 * logged, and the caller waits in the queue as without it.
 */
export class OperatorRinger {
  private readonly rungAt = new Map<string, number>();

  constructor(private readonly opts: OperatorRingerOptions) {}

  onEvents(events: readonly CallEvent[]): void {
    for (const e of events) {
      if (e.type !== 'queue.joined') continue;
      this.maybeRing(e.queue, e.callSid);
    }
  }

  private maybeRing(queueKey: string, callSid: string): void {
    const now = this.opts.now();
    const last = this.rungAt.get(queueKey) ?? -Infinity;
    if (now - last < (this.opts.quietMs ?? DEFAULT_QUIET_MS) || this.opts.operatorsOnCall(queueKey) > 0) return;
    const found = this.opts.registry.list().find((f) => f.queues[queueKey]);
    const queue = found?.queues[queueKey];
    if (!found || !queue) return;
    this.rungAt.set(queueKey, now);
    for (const [operatorId, operator] of Object.entries(queue.operators)) {
      const query = new URLSearchParams({ f: found.id, q: queueKey, o: operatorId });
      this.opts.calls
        .create({ to: operator.number, from: queue.agentNumber, url: `${this.opts.publicBaseUrl}/twilio/agent?${query}`, method: 'POST', timeout: this.opts.ringSeconds ?? 20 })
        .then(
          (call) => this.opts.log.info({ queue: queueKey, operator: operatorId, callSid, ringing: call.sid }, 'queue: rang an operator'),
          (err: Error) => this.opts.log.warn({ queue: queueKey, operator: operatorId, err: err.message }, 'queue: ringing an operator failed; the caller waits as before'),
        );
    }
  }
}
