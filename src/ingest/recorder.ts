import { hash } from 'node:crypto';
import type { CallEvent, CallEventData } from '../journey/events';

/**
 * Identifies one webhook delivery by what Twilio sent (path, query and parameters), so that a
 * redelivery of the same request yields the same event ids and is stored once. `sortedNames` must be
 * params' own names, sorted.
 */
export function requestKey(pathWithQuery: string, params: Record<string, unknown>, sortedNames: readonly string[] = Object.keys(params).sort()): string {
  // One string hashed by the one-shot hash: an update per parameter crossed into native code a dozen
  // times per webhook, and a Hash object costs as much as the hashing.
  let text = pathWithQuery;
  for (const k of sortedNames) text += `\0${k}\0${String(params[k])}`;
  return hash('sha256', text, 'hex').slice(0, 24);
}

/** Stamps engine decisions with identity and time, ready for the outbox. */
export function stampEvents(
  drafts: readonly CallEventData[],
  meta: { callSid: string; requestKey: string; at: number; step: number },
): CallEvent[] {
  return drafts.map((d, seq) => ({ ...d, id: `${meta.requestKey}:${seq}`, callSid: meta.callSid, at: meta.at, step: meta.step, seq }) as CallEvent);
}
