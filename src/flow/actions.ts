import type { CallEventData } from '../journey/events';
import type { CallState } from './state';

/**
 * What the engine asks the telephony adapter to do, provider-neutral. The Twilio adapter renders
 * these as TwiML; a Telnyx or SignalWire adapter could render the same list.
 */
export type Handler = 'input' | 'dial';

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

export interface Gather {
  kind: 'gather';
  numDigits: number;
  timeoutSeconds: number;
  /** '' lets every key count as input (e.g. # as a menu choice). */
  finishOnKey: string;
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

export type Action = Say | Gather | Dial | Redirect | Hangup;

/** One engine decision: what to render, and what to record. */
export interface Step {
  actions: Action[];
  events: CallEventData[];
}
