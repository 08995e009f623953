import { napOn, newSid, type SimClock } from './sim-clock';
import { parseTwiml, type Verb } from './twiml-parse';
import type { QueueMember, VirtualQueues } from './virtual-queues';

/** What signs and sends a request as Twilio would (the virtual caller does). */
export interface TwilioSigner {
  post(url: string, params: Record<string, string>): Promise<{ status: number; body: string }>;
}

export interface OperatorScript {
  /** The operator's own number, as the queue's `operators` list it. */
  from: string;
  /** The queue's agent number. */
  agentNumber: string;
  /** How long each conversation lasts, ms. */
  talkMs?: number;
  /** Callers to take before hanging up. */
  callers?: number;
}

export interface OperatorTrace {
  callSid: string;
  said: string[];
  /** The CallSids of the callers taken, in order. */
  took: string[];
  requests: { path: string; status: number }[];
}

/** The operator's leg once callpath has answered it with `<Dial><Queue>`. */
export interface AgentLeg {
  base: Record<string, string>;
  dial: Verb;
  queue: Verb;
  trace: OperatorTrace;
}

/**
 * An operator's phone, played as Twilio plays it: calls the agent number, and where callpath
 * answers `<Dial><Queue>`, takes the caller at the head of the shared virtual queue (the bridge
 * request on the caller's call, the conversation, the Dial's action on the operator's own).
 */
export class VirtualOperator {
  constructor(private readonly opts: { publicBaseUrl: string; clock: SimClock; queues: VirtualQueues; signer: TwilioSigner; accountSid?: string; speechMsPerChar?: number }) {}

  private async post(trace: OperatorTrace, url: string, params: Record<string, string>): Promise<Verb[]> {
    const res = await this.opts.signer.post(url, params);
    trace.requests.push({ path: new URL(url).pathname, status: res.status });
    return parseTwiml(res.body);
  }

  private speechMs(v: Verb): number {
    return v.name === 'Say' ? v.text.length * (this.opts.speechMsPerChar ?? 60) : 0;
  }

  /**
   * Plays the operator's call up to the `<Dial><Queue>`: what is said first is heard, a redirect
   * followed. Null when callpath ends the call instead (a refusal, an empty queue).
   */
  async pickUp(script: OperatorScript, trace: OperatorTrace, verbs?: Verb[], base?: Record<string, string>): Promise<AgentLeg | null> {
    const leg = base ?? { CallSid: trace.callSid, AccountSid: this.opts.accountSid ?? newSid('AC'), From: script.from, To: script.agentNumber, Direction: 'inbound', ApiVersion: '2010-04-01' };
    let doc = verbs ?? (await this.post(trace, `${this.opts.publicBaseUrl}/twilio/agent`, { ...leg, CallStatus: 'ringing' }));
    while (doc.length) {
      let next: Verb[] = [];
      for (const v of doc) {
        if (v.name === 'Say') {
          trace.said.push(v.text);
          await this.opts.clock.sleep(this.speechMs(v));
        } else if (v.name === 'Hangup') return null;
        else if (v.name === 'Redirect') {
          next = await this.post(trace, v.text, { ...leg, CallStatus: 'in-progress' });
          break;
        } else if (v.name === 'Dial') {
          const queue = v.children.find((c) => c.name === 'Queue');
          if (!queue) throw new Error('the agent number answered a Dial without a Queue');
          return { base: leg, dial: v, queue, trace };
        }
      }
      doc = next;
    }
    return null;
  }

  /** Connects the operator's leg to a caller taken from the queue: the bridge request, on the caller's call. */
  async bridge(leg: AgentLeg, head: QueueMember, talkMs: number): Promise<void> {
    const waitSec = Math.floor((this.opts.clock.now() - head.joinedAt) / 1000);
    const verbs = await this.post(leg.trace, leg.queue.attrs.url, { ...head.base, CallStatus: 'in-progress', QueueSid: 'QU' + head.callSid.slice(2), QueueTime: String(waitSec), DequeingCallSid: leg.base.CallSid });
    head.bridge = { verbs, talkMs, agentCallSid: leg.base.CallSid, waitSec };
    leg.trace.took.push(head.callSid);
    head.waker.wake();
  }

  /** The conversation is over: the operator's Dial action, with the operator still on the line or not. */
  hangUp(leg: AgentLeg, head: QueueMember, operatorStays: boolean): Promise<Verb[]> {
    return this.post(leg.trace, leg.dial.attrs.action, { ...leg.base, CallStatus: operatorStays ? 'in-progress' : 'completed', DialCallStatus: 'completed', DialCallSid: head.callSid });
  }

  /** A whole operator's call: takes callers one after another, each after the one before hung up. */
  async call(script: OperatorScript, callSid: string = newSid('CA')): Promise<OperatorTrace> {
    const { clock, queues } = this.opts;
    const trace: OperatorTrace = { callSid, said: [], took: [], requests: [] };
    const wanted = script.callers ?? 1;
    let leg = await this.pickUp(script, trace);
    while (leg) {
      await napOn(clock, Number(leg.dial.attrs.timeout ?? 30) * 1000, queues.waitForCaller(leg.queue.text));
      const head = queues.takeHead(leg.queue.text);
      if (!head) {
        const verbs = await this.post(trace, leg.dial.attrs.action, { ...leg.base, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
        leg = await this.pickUp(script, trace, verbs, leg.base);
        continue;
      }
      const talkMs = script.talkMs ?? 90_000;
      await this.bridge(leg, head, talkMs);
      await clock.sleep(head.bridge!.verbs.reduce((s, b) => s + this.speechMs(b), 0) + talkMs);
      const done = trace.took.length >= wanted;
      const verbs = await this.hangUp(leg, head, !done);
      if (done) return trace;
      leg = await this.pickUp(script, trace, verbs, leg.base);
    }
    return trace;
  }
}
