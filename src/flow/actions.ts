import type { CallEventData } from '../journey/events';
import type { CallState } from './state';

/**
 * What the engine asks the telephony adapter to do, provider-neutral. The Twilio adapter renders
 * these as TwiML; a Telnyx or SignalWire adapter could render the same list.
 */
export type Handler = 'input' | 'comment' | 'dial' | 'queue-wait' | 'queue-key' | 'queue-result';

export interface Continuation {
  handler: Handler;
  state: CallState;
}

export interface Say {
  kind: 'say';
  text: string;
  language: string;
  voice: string;
}

/** Listens for keys (input dtmf), or for words (input speech: a spoken comment). */
export type Gather = KeyGather | SpeechGather;

export interface KeyGather {
  kind: 'gather';
  input?: 'dtmf';
  numDigits: number;
  timeoutSeconds: number;
  /** '' lets every key count as input (e.g. # as a menu choice). */
  finishOnKey: string;
  say: Say[];
  next: Continuation;
}

/**
 * Listens for speech, recognised in `language` (the call's: sv-SE, en-GB, ...); the caller's pause
 * ends it (speechTimeout auto). No hints: a comment can be about anything.
 */
export interface SpeechGather {
  kind: 'gather';
  input: 'speech';
  language: string;
  /** Seconds the caller has to begin speaking. */
  timeoutSeconds: number;
  /** The longest the caller may speak (Twilio's maxSpeechTime). */
  maxSpeechSeconds: number;
  say: Say[];
  next: Continuation;
}

export interface Dial {
  kind: 'dial';
  number: string;
  timeoutSeconds: number;
  /** The caller can leave the conversation with * and continue to the survey. */
  hangupOnStar: boolean;
  /** Absent only in the safe fallback, where nothing more is asked of the call. */
  next?: Continuation;
  /** Where child-leg progress (initiated, ringing, answered, completed) is reported. */
  progress?: CallState;
}

export interface Redirect {
  kind: 'redirect';
  next: Continuation;
}

export interface Hangup {
  kind: 'hangup';
}

/** Puts the caller in a named queue; `wait` is requested for what they hear, `next` when they leave it. */
export interface Enqueue {
  kind: 'enqueue';
  queue: string;
  wait: Continuation;
  next: Continuation;
}

/**
 * What a caller in a queue hears until the wait document is asked for again: the announcement,
 * then hold music or silence. With `keys`, the caller can press a key through all of it.
 */
export interface Hold {
  kind: 'hold';
  say: Say[];
  music: string | null;
  seconds: number;
  keys: Continuation | null;
}

/** Takes the caller out of the queue; the Enqueue's `next` decides what follows. */
export interface Leave {
  kind: 'leave';
}

/** Where the operator's leg reports (the bridge, the end of the conversation): queue, operator. */
export interface AgentLeg {
  flowId: string;
  queueKey: string;
  operatorId: string;
}

/** The operator's leg takes the caller at the head of the queue (waits for one when it is empty). */
export interface DialQueue {
  kind: 'dial-queue';
  queue: string;
  timeoutSeconds: number;
  leg: AgentLeg;
}

/** The operator's leg goes round again for the next caller. */
export interface NextCaller {
  kind: 'next-caller';
  leg: AgentLeg;
}

export type Action = Say | Gather | Dial | Redirect | Hangup | Enqueue | Hold | Leave | DialQueue | NextCaller;

/** One engine decision: what to render, and what to record. */
export interface Step {
  actions: Action[];
  events: CallEventData[];
}
