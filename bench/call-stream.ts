import twilio from 'twilio';
import type { CallTemplate } from './capture-calls';

export interface SignedRequest {
  path: string;
  body: string;
  signature: string;
}

const SID = /^CA[0-9a-f]{32}$/;
const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/** A template with the call-specific values located once, so instantiating it is cheap. */
interface Prepared {
  requests: { pathAndQuery: string; params: Record<string, string>; sidKeys: [string, number][]; timestampOffset: number | null }[];
}

function prepare(t: CallTemplate): Prepared {
  const sids = new Map<string, number>();
  return {
    requests: t.requests.map((r) => {
      const sidKeys: [string, number][] = [];
      for (const [k, v] of Object.entries(r.params)) {
        if (!SID.test(v)) continue;
        if (!sids.has(v)) sids.set(v, sids.size);
        sidKeys.push([k, sids.get(v)!]);
      }
      const ts = r.params.Timestamp ? Date.parse(r.params.Timestamp) - t.startedAt : null;
      return { pathAndQuery: r.pathAndQuery, params: r.params, sidKeys, timestampOffset: ts };
    }),
  };
}

/**
 * An endless stream of signed webhooks from `concurrent` calls in progress at once, interleaved as
 * Twilio would send them: each call advances one webhook at a time, and a finished call is replaced
 * by a new one with fresh CallSids, a fresh caller number and current timestamps, so the service
 * stores every call as new.
 */
export class CallStream {
  private readonly prepared: Prepared[];
  private readonly cumulative: number[];
  private readonly totalWeight: number;
  private readonly active: { requests: SignedRequest[]; next: number }[] = [];
  private cursor = 0;
  private callNo = 0;
  /** Calls signed ahead of time, so signing does not load the generator while it measures. */
  private readonly ready: SignedRequest[][] = [];
  callsStarted = 0;

  constructor(
    templates: CallTemplate[],
    private readonly opts: { authToken: string; publicBaseUrl: string; concurrent: number; seed: number },
  ) {
    this.prepared = templates.map(prepare);
    let acc = 0;
    this.cumulative = templates.map((t) => (acc += t.weight));
    this.totalWeight = acc;
    this.callNo = opts.seed;
  }

  /** Signs calls ahead until about `requests` webhooks are ready. */
  prefill(requests: number): void {
    let n = 0;
    while (n < requests) {
      const call = this.signCall();
      this.ready.push(call);
      n += call.length;
    }
    this.ready.reverse();
  }

  next(): SignedRequest {
    if (this.active.length < this.opts.concurrent) {
      this.active.push({ requests: this.newCall(), next: 0 });
    }
    const i = this.cursor++ % this.active.length;
    let call = this.active[i];
    if (call.next >= call.requests.length) call = this.active[i] = { requests: this.newCall(), next: 0 };
    return call.requests[call.next++];
  }

  private newCall(): SignedRequest[] {
    this.callsStarted++;
    return this.ready.pop() ?? this.signCall();
  }

  private pick(n: number): Prepared {
    // A fixed low-discrepancy walk through the weights: the mix is exact over any window, not random.
    const x = ((n * 0.6180339887) % 1) * this.totalWeight;
    const i = this.cumulative.findIndex((c) => x < c);
    return this.prepared[i === -1 ? this.prepared.length - 1 : i];
  }

  /** Signs every webhook of one new call. */
  signCall(): SignedRequest[] {
    const n = this.callNo++;
    const t = this.pick(n);
    const sidFor = (leg: number) => 'CA' + n.toString(16).padStart(24, '0') + leg.toString(16).padStart(8, '0');
    const from = '+4670' + String(1_000_000 + (n % 9_000_000)).padStart(7, '0');
    const now = Date.now();
    return t.requests.map((r) => {
      const params = { ...r.params };
      for (const [k, leg] of r.sidKeys) params[k] = sidFor(leg);
      // The caller's number is fresh for each call; an operator's own (on the agent number's webhooks) stays, or callpath would refuse the call.
      if (params.From && params.From.startsWith('+4670') && !r.pathAndQuery.startsWith('/twilio/agent')) params.From = from;
      if (r.timestampOffset !== null) params.Timestamp = rfc2822(now + r.timestampOffset);
      const url = this.opts.publicBaseUrl + r.pathAndQuery;
      return {
        path: r.pathAndQuery,
        body: new URLSearchParams(params).toString(),
        signature: twilio.getExpectedTwilioSignature(this.opts.authToken, url, params),
      };
    });
  }
}
