import type { Action, AgentLeg, Continuation, Say } from '../../flow/actions';
import { encodeState, type CallState } from '../../flow/state';
import { xmlAttribute, xmlText } from './xml';

/** Webhook paths reached through rendered TwiML; /voice and /status are configured on the number. */
export const WEBHOOK_PATHS = {
  voice: '/twilio/voice',
  status: '/twilio/status',
  input: '/twilio/input',
  comment: '/twilio/comment',
  dial: '/twilio/dial',
  leg: '/twilio/leg',
  'queue-wait': '/twilio/queue-wait',
  'queue-key': '/twilio/queue-key',
  'queue-result': '/twilio/queue-result',
  /** Configured on the queue's agent number: an operator calls it to take the next caller. */
  agent: '/twilio/agent',
  'queue-bridge': '/twilio/queue-bridge',
  'agent-done': '/twilio/agent-done',
} as const;

export function continuationUrl(baseUrl: string, c: Continuation): string {
  return `${baseUrl}${WEBHOOK_PATHS[c.handler]}?${encodeState(c.state)}`;
}

export function legUrl(baseUrl: string, state: CallState): string {
  return `${baseUrl}${WEBHOOK_PATHS.leg}?${encodeState(state)}`;
}

/** The operator's leg carries its flow, queue and operator in its URLs, as a caller's leg carries its state. */
export function agentUrl(baseUrl: string, path: 'agent' | 'queue-bridge' | 'agent-done', leg: AgentLeg): string {
  return `${baseUrl}${WEBHOOK_PATHS[path]}?${new URLSearchParams({ f: leg.flowId, q: leg.queueKey, o: leg.operatorId }).toString()}`;
}

const PROLOGUE = '<?xml version="1.0" encoding="UTF-8"?>';

/**
 * One element, written the way twilio's VoiceResponse (xmlbuilder) writes it, so the documents
 * stay byte-for-byte what Twilio's own library would send (a test holds the two side by side).
 * A string builder: on the webhook's hot path the library's DOM cost more than the engine did.
 */
function element(name: string, attributes: Record<string, string | number | boolean | undefined>, content = ''): string {
  let tag = `<${name}`;
  for (const key in attributes) {
    const value = attributes[key];
    if (value !== undefined) tag += ` ${key}="${xmlAttribute(String(value))}"`;
  }
  return content === '' ? `${tag}/>` : `${tag}>${content}</${name}>`;
}

const say = (s: Say): string => element('Say', { voice: s.voice, language: s.language }, xmlText(s.text));

/** Renders engine actions as a TwiML document. */
export function renderTwiml(actions: readonly Action[], baseUrl: string): string {
  let body = '';
  for (const a of actions) {
    switch (a.kind) {
      case 'say':
        body += say(a);
        break;
      case 'gather': {
        const url = continuationUrl(baseUrl, a.next);
        const attributes =
          a.input === 'speech'
            ? { input: 'speech', language: a.language, speechTimeout: 'auto', maxSpeechTime: a.maxSpeechSeconds, timeout: a.timeoutSeconds, action: url, method: 'POST', actionOnEmptyResult: true }
            : { input: 'dtmf', numDigits: a.numDigits, timeout: a.timeoutSeconds, finishOnKey: a.finishOnKey, action: url, method: 'POST', actionOnEmptyResult: true };
        body += element('Gather', attributes, a.say.map(say).join(''));
        // Providers that ignore actionOnEmptyResult fall through to here: the same handler, with no digits or words.
        body += element('Redirect', { method: 'POST' }, xmlText(url));
        break;
      }
      case 'dial': {
        const number = a.progress
          ? element(
              'Number',
              { statusCallbackEvent: 'initiated ringing answered completed', statusCallback: legUrl(baseUrl, a.progress), statusCallbackMethod: 'POST' },
              xmlText(a.number),
            )
          : element('Number', {}, xmlText(a.number));
        const next = a.next ? { action: continuationUrl(baseUrl, a.next), method: 'POST' } : {};
        body += element('Dial', { timeout: a.timeoutSeconds, hangupOnStar: a.hangupOnStar, ...next }, number);
        break;
      }
      case 'redirect':
        body += element('Redirect', { method: 'POST' }, xmlText(continuationUrl(baseUrl, a.next)));
        break;
      case 'hangup':
        body += element('Hangup', {});
        break;
      case 'enqueue':
        body += element(
          'Enqueue',
          { action: continuationUrl(baseUrl, a.next), method: 'POST', waitUrl: continuationUrl(baseUrl, a.wait), waitUrlMethod: 'POST' },
          xmlText(a.queue),
        );
        break;
      case 'hold': {
        const after = a.music ? element('Play', {}, xmlText(a.music)) : element('Pause', { length: a.seconds });
        const content = a.say.map(say).join('') + after;
        // A second of listening after the music: a key pressed during it still counts, then the wait document ends and is asked for again.
        body += a.keys
          ? element('Gather', { input: 'dtmf', numDigits: 1, timeout: 1, action: continuationUrl(baseUrl, a.keys), method: 'POST', actionOnEmptyResult: false }, content)
          : content;
        break;
      }
      case 'leave':
        body += element('Leave', {});
        break;
      case 'dial-queue':
        body += element(
          'Dial',
          { timeout: a.timeoutSeconds, action: agentUrl(baseUrl, 'agent-done', a.leg), method: 'POST' },
          element('Queue', { url: agentUrl(baseUrl, 'queue-bridge', a.leg), method: 'POST' }, xmlText(a.queue)),
        );
        break;
      case 'next-caller':
        body += element('Redirect', { method: 'POST' }, xmlText(agentUrl(baseUrl, 'agent', a.leg)));
        break;
    }
  }
  return PROLOGUE + element('Response', {}, body);
}

export const EMPTY_TWIML = renderTwiml([], '');
