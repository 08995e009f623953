import { napOn, newSid, type SimClock, type VirtualCaller } from './virtual-caller';
import { parseTwiml, type Verb } from './twiml-parse';
import type { VirtualQueues } from './virtual-queues';

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

/**
 * An operator's phone, played as Twilio plays it: calls the agent number, and where callpath
 * answers `<Dial><Queue>`, takes the caller at the head of the shared virtual queue (the bridge
 * request on the caller's call, the conversation, the Dial's action on the operator's own).
 */
export class VirtualOperator {
  constructor(
    private readonly opts: { publicBaseUrl: string; clock: SimClock; queues: VirtualQueues; signer: VirtualCaller; accountSid?: string; speechMsPerChar?: number },
  ) {}

  async call(script: OperatorScript, callSid: string = newSid('CA')): Promise<OperatorTrace> {
    const { clock, queues } = this.opts;
    const trace: OperatorTrace = { callSid, said: [], took: [], requests: [] };
    const base = { CallSid: callSid, AccountSid: this.opts.accountSid ?? newSid('AC'), From: script.from, To: script.agentNumber, Direction: 'inbound', ApiVersion: '2010-04-01' };
    const post = async (url: string, params: Record<string, string>): Promise<Verb[]> => {
      const res = await this.opts.signer.post(url, params);
      trace.requests.push({ path: new URL(url).pathname, status: res.status });
      return parseTwiml(res.body);
    };
    const speechMs = (v: Verb) => v.text.length * (this.opts.speechMsPerChar ?? 60);
    const wanted = script.callers ?? 1;
    let verbs = await post(`${this.opts.publicBaseUrl}/twilio/agent`, { ...base, CallStatus: 'ringing' });
    while (verbs.length) {
      let next: Verb[] = [];
      for (const v of verbs) {
        if (v.name === 'Say') {
          trace.said.push(v.text);
          await clock.sleep(speechMs(v));
        } else if (v.name === 'Hangup') return trace;
        else if (v.name === 'Redirect') {
          next = await post(v.text, { ...base, CallStatus: 'in-progress' });
          break;
        } else if (v.name === 'Dial') {
          const queue = v.children.find((c) => c.name === 'Queue');
          if (!queue) throw new Error('the agent number answered a Dial without a Queue');
          await napOn(clock, Number(v.attrs.timeout ?? 30) * 1000, queues.waitForCaller(queue.text));
          const head = queues.takeHead(queue.text);
          if (!head) {
            next = await post(v.attrs.action, { ...base, CallStatus: 'in-progress', DialCallStatus: 'no-answer' });
            break;
          }
          const waitSec = Math.floor((clock.now() - head.joinedAt) / 1000);
          const bridgeVerbs = await post(queue.attrs.url, { ...head.base, CallStatus: 'in-progress', QueueSid: 'QU' + head.callSid.slice(2), QueueTime: String(waitSec), DequeingCallSid: callSid });
          const talkMs = script.talkMs ?? 90_000;
          head.bridge = { verbs: bridgeVerbs, talkMs, agentCallSid: callSid, waitSec };
          head.waker.wake();
          trace.took.push(head.callSid);
          await clock.sleep(bridgeVerbs.reduce((s, b) => s + (b.name === 'Say' ? speechMs(b) : 0), 0) + talkMs);
          const done = trace.took.length >= wanted;
          next = await post(v.attrs.action, { ...base, CallStatus: done ? 'completed' : 'in-progress', DialCallStatus: 'completed', DialCallSid: head.callSid });
          if (done) return trace;
          break;
        }
      }
      verbs = next;
    }
    return trace;
  }
}
