import twilio from 'twilio';
import type { Action, Continuation, Say } from '../../flow/actions';
import { encodeState, type CallState } from '../../flow/state';

type VoiceResponse = twilio.twiml.VoiceResponse;

/** Webhook paths reached through rendered TwiML; /voice and /status are configured on the number. */
export const WEBHOOK_PATHS = {
  voice: '/twilio/voice',
  status: '/twilio/status',
  input: '/twilio/input',
  dial: '/twilio/dial',
  leg: '/twilio/leg',
} as const;

export function continuationUrl(baseUrl: string, c: Continuation): string {
  return `${baseUrl}${WEBHOOK_PATHS[c.handler]}?${encodeState(c.state)}`;
}

export function legUrl(baseUrl: string, state: CallState): string {
  return `${baseUrl}${WEBHOOK_PATHS.leg}?${encodeState(state)}`;
}

function say(target: { say: VoiceResponse['say'] }, s: Say): void {
  target.say({ voice: s.voice as never, language: s.language as never }, s.text);
}

/** Renders engine actions as a TwiML document. */
export function renderTwiml(actions: readonly Action[], baseUrl: string): string {
  const r = new twilio.twiml.VoiceResponse();
  for (const a of actions) {
    switch (a.kind) {
      case 'say':
        say(r, a);
        break;
      case 'gather': {
        const url = continuationUrl(baseUrl, a.next);
        const g = r.gather({
          input: ['dtmf'],
          numDigits: a.numDigits,
          timeout: a.timeoutSeconds,
          finishOnKey: a.finishOnKey,
          action: url,
          method: 'POST',
          actionOnEmptyResult: true,
        });
        for (const s of a.say) say(g, s);
        // Providers that ignore actionOnEmptyResult fall through to here: the same handler, with no digits.
        r.redirect({ method: 'POST' }, url);
        break;
      }
      case 'dial': {
        const d = r.dial({
          timeout: a.timeoutSeconds,
          hangupOnStar: a.hangupOnStar,
          ...(a.next ? { action: continuationUrl(baseUrl, a.next), method: 'POST' } : {}),
        });
        d.number(
          a.progress
            ? {
                statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
                statusCallback: legUrl(baseUrl, a.progress),
                statusCallbackMethod: 'POST',
              }
            : {},
          a.number,
        );
        break;
      }
      case 'redirect':
        r.redirect({ method: 'POST' }, continuationUrl(baseUrl, a.next));
        break;
      case 'hangup':
        r.hangup();
        break;
    }
  }
  return r.toString();
}

export const EMPTY_TWIML = new twilio.twiml.VoiceResponse().toString();
