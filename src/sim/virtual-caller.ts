import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { parseTwiml, type Verb } from './twiml-parse';

/** What happens when a Dial rings its target. */
export type DialBehaviour =
  | { answer: true; ringMs?: number; talkMs?: number; /** the caller hangs up at the end instead of the person */ callerHangsUp?: boolean; /** the caller leaves with * */ star?: boolean }
  | { answer: false; status: 'no-answer' | 'busy' | 'failed'; ringMs?: number }
  | { answer: false; status: 'caller-hangs-up'; ringMs?: number };

export interface CallerScript {
  from?: string;
  to?: string;
  /** Keys for successive IVR prompts (menus, language, extension); '' stays silent. When they run out, the caller hangs up. */
  digits?: string[];
  /** What successive transfers do. When they run out, the target answers. */
  dials?: DialBehaviour[];
  /** Answers to survey questions; '' stays silent. When they run out, the caller hangs up. */
  survey?: string[];
  /** Time the caller takes to press keys after a prompt, ms. */
  thinkMs?: number;
}

/** Time as the simulation sees it: tests pass a manual clock, the CLI the real one. */
export interface SimClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface VirtualCallerOptions {
  /** Where requests are sent (may differ from the signed public URL, e.g. behind a proxy). */
  target?: string;
  authToken: string;
  publicBaseUrl: string;
  clock: SimClock;
  accountSid?: string;
  /** Milliseconds of speech per character of <Say> text. */
  speechMsPerChar?: number;
  /** Sends a form POST; defaults to the global fetch. The seed passes a keep-alive node:http poster, which costs half the CPU. */
  post?: FormPoster;
}

export type FormPoster = (url: string, headers: Record<string, string>, body: string) => Promise<{ status: number; body: string }>;

const fetchPoster: FormPoster = async (url, headers, body) => {
  const res = await fetch(url, { method: 'POST', headers, body });
  return { status: res.status, body: await res.text() };
};

export interface CallTrace {
  callSid: string;
  requests: { path: string; status: number; verbs: string[] }[];
  said: string[];
  /** How the call ended, as the virtual caller saw it. */
  ending: 'hangup-verb' | 'caller-hung-up' | 'end-of-document' | 'error';
  error?: string;
}

export function newSid(prefix: 'CA' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * Plays Twilio against a running callpath: posts the incoming-call webhook, follows Gather, Dial
 * and Redirect, sends the child-leg status callbacks and the Dial action as Twilio does, signs
 * every request, and ends with the call's status callback.
 */
export class VirtualCaller {
  private readonly accountSid: string;
  constructor(private readonly opts: VirtualCallerOptions) {
    this.accountSid = opts.accountSid ?? newSid('AC');
  }

  async call(script: CallerScript, callSid: string = newSid('CA')): Promise<CallTrace> {
    const digits = [...(script.digits ?? [])];
    const dials = [...(script.dials ?? [])];
    const survey = [...(script.survey ?? [])];
    const think = script.thinkMs ?? 1500;
    const clock = this.opts.clock;
    const startedAt = clock.now();
    const base = {
      CallSid: callSid,
      AccountSid: this.accountSid,
      From: script.from ?? '+46701234567',
      To: script.to ?? '+46101300000',
      Direction: 'inbound',
      ApiVersion: '2010-04-01',
    };
    const trace: CallTrace = { callSid, requests: [], said: [], ending: 'end-of-document' };

    const post = async (url: string, params: Record<string, string>): Promise<Verb[]> => {
      const res = await this.post(url, params);
      let verbs: Verb[] = [];
      try {
        verbs = parseTwiml(res.body);
      } catch (err) {
        trace.requests.push({ path: new URL(url).pathname, status: res.status, verbs: [] });
        throw err;
      }
      trace.requests.push({ path: new URL(url).pathname, status: res.status, verbs: verbs.map((v) => v.name) });
      return verbs;
    };
    const speak = async (v: Verb) => {
      trace.said.push(v.text);
      await clock.sleep(v.text.length * (this.opts.speechMsPerChar ?? 60));
    };

    try {
      let verbs = await post(`${this.opts.publicBaseUrl}/twilio/voice`, { ...base, CallStatus: 'ringing' });
      run: while (true) {
        let next: Verb[] | null = null;
        for (const v of verbs) {
          if (v.name === 'Say') await speak(v);
          else if (v.name === 'Pause') await clock.sleep(Number(v.attrs.length ?? 1) * 1000);
          else if (v.name === 'Hangup') {
            trace.ending = 'hangup-verb';
            break run;
          } else if (v.name === 'Redirect') {
            next = await post(v.text, { ...base, CallStatus: 'in-progress' });
            break;
          } else if (v.name === 'Gather') {
            for (const s of v.children.filter((c) => c.name === 'Say')) await speak(s);
            const isSurvey = /[?&]q=\d/.test(v.attrs.action ?? '');
            const queue = isSurvey ? survey : digits;
            if (!queue.length) {
              trace.ending = 'caller-hung-up';
              break run;
            }
            const keys = queue.shift()!;
            await clock.sleep(keys === '' ? Number(v.attrs.timeout ?? 5) * 1000 : think);
            const params: Record<string, string> = { ...base, CallStatus: 'in-progress', Digits: keys };
            if (keys && v.attrs.finishOnKey === '#' && keys.length < Number(v.attrs.numDigits ?? 99)) params.FinishedOnKey = '#';
            next = await post(v.attrs.action, params);
            break;
          } else if (v.name === 'Dial') {
            const result = await this.dial(v, dials.shift() ?? { answer: true }, base);
            if (result.callerHungUp) {
              trace.ending = 'caller-hung-up';
            }
            if (!v.attrs.action) {
              if (result.callerHungUp) break run;
              continue;
            }
            next = await post(v.attrs.action, result.params);
            if (result.callerHungUp) break run;
            break;
          }
        }
        if (!next) break;
        verbs = next;
      }
    } catch (err) {
      trace.ending = 'error';
      trace.error = (err as Error).message;
    }
    const duration = Math.round((clock.now() - startedAt) / 1000);
    await this.post(`${this.opts.publicBaseUrl}/twilio/status`, {
      ...base,
      CallStatus: 'completed',
      CallDuration: String(duration),
      Timestamp: rfc2822(clock.now()),
      SequenceNumber: '0',
      CallbackSource: 'call-progress-events',
    });
    return trace;
  }

  /** Rings the dialled number, sending child-leg progress as <Number statusCallbackEvent> would. */
  private async dial(v: Verb, behaviour: DialBehaviour, base: Record<string, string>): Promise<{ params: Record<string, string>; callerHungUp: boolean }> {
    const clock = this.opts.clock;
    const number = v.children.find((c) => c.name === 'Number');
    const legSid = newSid('CA');
    const timeoutMs = Number(v.attrs.timeout ?? 30) * 1000;
    let seq = 0;
    const leg = async (status: string, extra: Record<string, string> = {}) => {
      if (!number?.attrs.statusCallback) return;
      await this.post(number.attrs.statusCallback, {
        CallSid: legSid,
        ParentCallSid: base.CallSid,
        AccountSid: base.AccountSid,
        From: base.To,
        To: number.text,
        Direction: 'outbound-dial',
        CallStatus: status,
        Timestamp: rfc2822(clock.now()),
        SequenceNumber: String(seq++),
        CallbackSource: 'call-progress-events',
        ...extra,
      });
    };
    await leg('initiated');
    await leg('ringing');
    const actionBase = { ...base, DialCallSid: legSid };
    if (behaviour.answer) {
      await clock.sleep(Math.min(behaviour.ringMs ?? 6000, timeoutMs - 1));
      await leg('in-progress');
      const talkMs = behaviour.talkMs ?? 90_000;
      await clock.sleep(talkMs);
      const talkSec = String(Math.round(talkMs / 1000));
      await leg('completed', { CallDuration: talkSec });
      return {
        callerHungUp: !!behaviour.callerHangsUp,
        params: { ...actionBase, CallStatus: behaviour.callerHangsUp ? 'completed' : 'in-progress', DialCallStatus: 'completed', DialCallDuration: talkSec, DialBridged: 'true' },
      };
    }
    if (behaviour.status === 'caller-hangs-up') {
      await clock.sleep(Math.min(behaviour.ringMs ?? 8000, timeoutMs));
      await leg('canceled');
      return { callerHungUp: true, params: { ...actionBase, CallStatus: 'completed', DialCallStatus: 'canceled', DialCallDuration: '0' } };
    }
    await clock.sleep(behaviour.status === 'no-answer' ? timeoutMs : Math.min(behaviour.ringMs ?? 1000, timeoutMs));
    await leg(behaviour.status);
    return { callerHungUp: false, params: { ...actionBase, CallStatus: 'in-progress', DialCallStatus: behaviour.status, DialCallDuration: '0' } };
  }

  private async post(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const signature = twilio.getExpectedTwilioSignature(this.opts.authToken, url, params);
    const u = new URL(url);
    const sendTo = this.opts.target ? `${this.opts.target.replace(/\/+$/, '')}${u.pathname}${u.search}` : url;
    const send = this.opts.post ?? fetchPoster;
    return send(sendTo, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, new URLSearchParams(params).toString());
  }
}
