import type { Verb } from './twiml-parse';
import { Waker } from './sim-scheduler';

/** What the operator's side hands a caller it takes: what the bridge request answered, and how long they talk. */
export interface Bridge {
  /** The verbs of the `<Queue url>` answer, played to the caller before the two are connected. */
  verbs: Verb[];
  talkMs: number;
  agentCallSid: string;
  /** Seconds the caller waited until the operator took them (QueueTime). */
  waitSec: number;
}

export interface QueueMember {
  callSid: string;
  /** The caller's own request parameters: the bridge request is made on the caller's call. */
  base: Record<string, string>;
  joinedAt: number;
  /** Woken when an operator takes the caller. */
  waker: Waker;
  bridge: Bridge | null;
  /** Set by the operator before the bridge request, so the caller stops announcing. */
  taken: boolean;
}

/**
 * Twilio's queues as the virtual callers and operators share them: who waits in which queue, in
 * order, and the operator taking the one at the head. Positions and times are what Twilio would
 * send in QueuePosition, CurrentQueueSize and QueueTime.
 */
export class VirtualQueues {
  private readonly queues = new Map<string, QueueMember[]>();
  /** Operators waiting for a caller in an empty queue, woken by the next to join. */
  private readonly idle = new Map<string, Waker[]>();
  private readonly maxSize: number;

  constructor(opts: { maxSize?: number } = {}) {
    this.maxSize = opts.maxSize ?? 1000;
  }

  private list(name: string): QueueMember[] {
    let l = this.queues.get(name);
    if (!l) this.queues.set(name, (l = []));
    return l;
  }

  /** Null when the queue is full (Twilio's QueueResult=queue-full). */
  join(name: string, callSid: string, base: Record<string, string>, at: number): QueueMember | null {
    const list = this.list(name);
    if (list.length >= this.maxSize) return null;
    const m: QueueMember = { callSid, base, joinedAt: at, waker: new Waker(), bridge: null, taken: false };
    list.push(m);
    for (const w of this.idle.get(name)?.splice(0) ?? []) w.wake();
    return m;
  }

  leave(name: string, callSid: string): void {
    const list = this.list(name);
    const i = list.findIndex((m) => m.callSid === callSid);
    if (i !== -1) list.splice(i, 1);
  }

  position(name: string, callSid: string): number {
    return this.list(name).findIndex((m) => m.callSid === callSid) + 1;
  }

  size(name: string): number {
    return this.list(name).length;
  }

  /** The average time the callers now in the queue have waited, in seconds (Twilio's AvgQueueTime). */
  averageWaitSec(name: string, now: number): number {
    const list = this.list(name);
    if (!list.length) return 0;
    return Math.round(list.reduce((s, m) => s + (now - m.joinedAt), 0) / list.length / 1000);
  }

  /** The caller at the head, taken out of the queue; null when it is empty. */
  takeHead(name: string): QueueMember | null {
    const m = this.list(name).shift() ?? null;
    if (m) m.taken = true;
    return m;
  }

  /** One caller taken out of the queue by an operator, wherever they are in it; null when not there. */
  take(name: string, callSid: string): QueueMember | null {
    const list = this.list(name);
    const i = list.findIndex((m) => m.callSid === callSid);
    if (i === -1) return null;
    const [m] = list.splice(i, 1);
    m.taken = true;
    return m;
  }

  /** A waker an operator sleeps on while the queue is empty. */
  waitForCaller(name: string): Waker {
    const w = new Waker();
    if (this.size(name)) w.wake();
    else {
      let l = this.idle.get(name);
      if (!l) this.idle.set(name, (l = []));
      l.push(w);
    }
    return w;
  }
}
