import twilio from 'twilio';
import { napOn, newSid, type SimClock } from './sim-clock';
import { parseTwiml, type Verb } from './twiml-parse';
import { VirtualOperator } from './virtual-operator';
import { VirtualQueues, type QueueMember } from './virtual-queues';

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
  /**
   * What the caller says when the survey listens for a comment (a speech Gather), as Twilio's
   * SpeechResult; absent or '', they stay silent until it times out; null, they hang up.
   */
  speech?: string | null;
  /** The recogniser's confidence sent with the speech (default 0.9). */
  speechConfidence?: number;
  /** Time the caller takes to press keys after a prompt, ms. */
  thinkMs?: number;
  /** What the caller does while waiting in a queue; absent, they wait until an operator takes them. */
  queue?: QueueBehaviour;
  /**
   * At a callback node (its Gathers carry b= in their state), the caller confirms the number they call
   * from, or with `number` keys in that one (0701234567); the digits are not used there. Absent, the
   * callback node's prompts take keys from `digits` like any other.
   */
  callback?: { number?: string };
}

export interface QueueBehaviour {
  /** The caller gives up and hangs up after this many seconds in the queue. */
  hangUpAfterSec?: number;
  /** The caller presses `digit` at the first moment after `afterSec` seconds that the wait document listens for keys. */
  key?: { digit: string; afterSec: number };
  /** How long hold music plays, ms (the simulation cannot fetch the file to know). */
  musicMs?: number;
  /**
   * An operator takes the caller after this many seconds in the queue: the virtual caller plays the
   * operator's phone too (the agent call, the bridge, the hang-up), for runs of one call at a time.
   */
  takenBy?: { from: string; agentNumber: string; afterSec: number; talkMs?: number };
  /** Callers ahead on joining besides those in the virtual queue, counting down to none by the time the caller is taken. */
  ahead?: number;
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
  /** Twilio's queues, shared with the virtual operators who take callers from them; absent, the caller's own. */
  queues?: VirtualQueues;
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

export { napOn, newSid, type SimClock } from './sim-clock';

const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * Plays Twilio against a running callpath: posts the incoming-call webhook, follows Gather, Dial
 * and Redirect, sends the child-leg status callbacks and the Dial action as Twilio does, signs
 * every request, and ends with the call's status callback.
 */
export class VirtualCaller {
  private readonly accountSid: string;
  private readonly queues: VirtualQueues;
  constructor(private readonly opts: VirtualCallerOptions) {
    this.accountSid = opts.accountSid ?? newSid('AC');
    this.queues = opts.queues ?? new VirtualQueues();
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
          } else if (v.name === 'Gather' && v.attrs.input === 'speech') {
            for (const s of v.children.filter((c) => c.name === 'Say')) await speak(s);
            if (script.speech === null) {
              trace.ending = 'caller-hung-up';
              break run;
            }
            const words = script.speech ?? '';
            const params: Record<string, string> = { ...base, CallStatus: 'in-progress' };
            if (words) {
              // About as long as it takes to say, then the pause that ends it (speechTimeout auto).
              await clock.sleep(Math.min(words.length * 70, Number(v.attrs.maxSpeechTime ?? 60) * 1000) + 1500);
              params.SpeechResult = words;
              params.Confidence = String(script.speechConfidence ?? 0.9);
            } else await clock.sleep(Number(v.attrs.timeout ?? 5) * 1000);
            next = await post(v.attrs.action, params);
            break;
          } else if (v.name === 'Gather') {
            for (const s of v.children.filter((c) => c.name === 'Say')) await speak(s);
            const isSurvey = /[?&]q=\d/.test(v.attrs.action ?? '');
            const callbackStep = script.callback ? /[?&]b=(\d)/.exec(v.attrs.action ?? '')?.[1] : undefined;
            const queue = callbackStep !== undefined ? [callbackKeys(callbackStep, script.callback!)] : isSurvey ? survey : digits;
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
          } else if (v.name === 'Enqueue') {
            const left = await this.waitInQueue(v, script.queue ?? {}, base, { post, speak, said: (t) => trace.said.push(t) });
            if (left === null) {
              trace.ending = 'caller-hung-up';
              break run;
            }
            next = left;
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

  /**
   * Waits in the queue as Twilio keeps a caller there: asks for the wait document with the caller's
   * place and time, plays it, asks again when it ends; a key, `<Leave/>`, a hang-up or an operator
   * taking the caller ends the wait, and Enqueue's action is requested with how. Returns the
   * action's verbs, or null when the caller hung up.
   */
  private async waitInQueue(
    enqueue: Verb,
    behaviour: QueueBehaviour,
    base: Record<string, string>,
    io: { post: (url: string, params: Record<string, string>) => Promise<Verb[]>; speak: (v: Verb) => Promise<void>; said: (text: string) => void },
  ): Promise<Verb[] | null> {
    const clock = this.opts.clock;
    const name = enqueue.text;
    const queueSid = 'QU' + base.CallSid.slice(2);
    const joinedAt = clock.now();
    const waited = () => String(Math.floor((clock.now() - joinedAt) / 1000));
    const action = (result: string, callerGone: boolean, queueTime = waited()) =>
      io.post(enqueue.attrs.action, { ...base, CallStatus: callerGone ? 'completed' : 'in-progress', QueueResult: result, QueueSid: queueSid, QueueTime: queueTime });
    const member = this.queues.join(name, base.CallSid, base, joinedAt);
    if (!member) return action('queue-full', false, '0');
    const hangUpAt = behaviour.hangUpAfterSec !== undefined ? joinedAt + behaviour.hangUpAfterSec * 1000 : Infinity;
    let keyAt = behaviour.key ? joinedAt + behaviour.key.afterSec * 1000 : Infinity;
    let takenAt = behaviour.takenBy ? joinedAt + behaviour.takenBy.afterSec * 1000 : Infinity;
    const expectedEnd = Math.min(takenAt, hangUpAt, keyAt, joinedAt + 300_000);
    const ahead = () => Math.ceil((behaviour.ahead ?? 0) * Math.max(0, (expectedEnd - clock.now()) / Math.max(1, expectedEnd - joinedAt)));
    const waitParams = () => ({
      ...base,
      CallStatus: 'in-progress',
      QueueSid: queueSid,
      QueuePosition: String(this.queues.position(name, base.CallSid) + ahead()),
      QueueTime: waited(),
      AvgQueueTime: String(this.queues.averageWaitSec(name, clock.now())),
      CurrentQueueSize: String(this.queues.size(name) + ahead()),
      MaxQueueSize: '1000',
    });
    /** Listens or plays for `ms`; stops early for a hang-up, a key when listening, an operator. */
    const hold = async (ms: number, listening: boolean): Promise<'done' | 'hangup' | 'key' | 'bridged' | 'taken'> => {
      const stop = Math.min(clock.now() + ms, hangUpAt, listening ? keyAt : Infinity, takenAt);
      const r = await napOn(clock, Math.max(0, stop - clock.now()), member.waker);
      if (r === 'woken' || member.taken) return 'bridged';
      if (clock.now() >= hangUpAt) return 'hangup';
      if (clock.now() >= takenAt) return 'taken';
      if (listening && clock.now() >= keyAt) return 'key';
      return 'done';
    };
    const msOf = (v: Verb): number =>
      v.name === 'Say' ? v.text.length * (this.opts.speechMsPerChar ?? 60) : v.name === 'Pause' ? Number(v.attrs.length ?? 1) * 1000 : v.name === 'Play' ? (behaviour.musicMs ?? 20_000) : 0;

    let doc = await io.post(enqueue.attrs.waitUrl, waitParams());
    while (true) {
      let outcome: 'done' | 'hangup' | 'key' | 'bridged' | 'taken' = member.taken ? 'bridged' : 'done';
      let leave = false;
      let redirect: string | null = null;
      let keyDoc: Verb[] | null = null;
      for (const v of outcome === 'done' ? doc : []) {
        if (v.name === 'Leave') leave = true;
        else if (v.name === 'Hangup') outcome = 'hangup';
        else if (v.name === 'Redirect') redirect = v.text;
        else {
          const listening = v.name === 'Gather';
          for (const item of listening ? v.children : [v]) {
            if (item.name === 'Say') io.said(item.text);
            outcome = await hold(msOf(item), listening);
            if (outcome !== 'done') break;
          }
          if (listening && outcome === 'done') outcome = await hold(Number(v.attrs.timeout ?? 5) * 1000, true);
          if (outcome === 'key') {
            keyAt = Infinity;
            keyDoc = await io.post(v.attrs.action, { ...base, CallStatus: 'in-progress', Digits: behaviour.key!.digit });
            outcome = 'done';
          }
        }
        if (leave || redirect || keyDoc || outcome !== 'done') break;
      }
      if (outcome === 'bridged') return this.bridged(member, io, action);
      if (outcome === 'taken') {
        const operator = await this.takenByOperator(behaviour.takenBy!, member);
        if (operator) return this.bridged(member, io, action, operator.hangUp);
        // Refused, or the operator's call went elsewhere: nobody takes this caller after all.
        takenAt = Infinity;
      }
      if (outcome === 'hangup') {
        this.queues.leave(name, base.CallSid);
        await action('hangup', true);
        return null;
      }
      if (leave) {
        this.queues.leave(name, base.CallSid);
        return action('leave', false);
      }
      doc = keyDoc ?? (await io.post(redirect ?? enqueue.attrs.waitUrl, waitParams()));
    }
  }

  /** Plays the operator of `takenBy`: calls the agent number and takes this very caller out of the queue. */
  private async takenByOperator(by: NonNullable<QueueBehaviour['takenBy']>, member: QueueMember): Promise<{ hangUp: () => Promise<unknown> } | null> {
    const operator = new VirtualOperator({ publicBaseUrl: this.opts.publicBaseUrl, clock: this.opts.clock, queues: this.queues, signer: this, speechMsPerChar: this.opts.speechMsPerChar });
    const leg = await operator.pickUp(by, { callSid: newSid('CA'), said: [], took: [], requests: [] });
    if (!leg || !this.queues.take(leg.queue.text, member.callSid)) return null;
    await operator.bridge(leg, member, by.talkMs ?? 90_000);
    return { hangUp: () => operator.hangUp(leg, member, false) };
  }

  /** Taken by an operator: hears the bridge's words, talks, and the Enqueue action reports the bridged call. */
  private async bridged(
    member: QueueMember,
    io: { speak: (v: Verb) => Promise<void> },
    action: (result: string, callerGone: boolean, queueTime?: string) => Promise<Verb[]>,
    beforeAction?: () => Promise<unknown>,
  ): Promise<Verb[]> {
    while (!member.bridge) await napOn(this.opts.clock, 60_000, member.waker);
    const bridge = member.bridge;
    for (const v of bridge.verbs) if (v.name === 'Say') await io.speak(v);
    await this.opts.clock.sleep(bridge.talkMs);
    await beforeAction?.();
    return action('bridged', false, String(bridge.waitSec));
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

  /** Sends a signed request as Twilio would. */
  async post(url: string, params: Record<string, string>): Promise<{ status: number; body: string }> {
    const signature = twilio.getExpectedTwilioSignature(this.opts.authToken, url, params);
    const u = new URL(url);
    const sendTo = this.opts.target ? `${this.opts.target.replace(/\/+$/, '')}${u.pathname}${u.search}` : url;
    const send = this.opts.post ?? fetchPoster;
    return send(sendTo, { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }, new URLSearchParams(params).toString());
  }
}

/** The keys a scripted caller presses at a callback node's step (b=0 confirm own, 1 key a number, 2 confirm it). */
function callbackKeys(step: string, callback: { number?: string }): string {
  if (step === '0') return callback.number ? '2' : '1';
  if (step === '1') return callback.number ?? '';
  return '1';
}
