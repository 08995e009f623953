/**
 * How long a caller takes, as the replay estimates it. The defaults are those of the virtual
 * caller (src/sim/virtual-caller.ts), so a simulated call and its estimate agree to the millisecond.
 */
export interface CallerModel {
  /** Speech time per character of text said. */
  speechMsPerChar: number;
  /** From the end of a prompt to the caller's answer (the first key). */
  thinkMs: number;
  /** Each further digit of the same answer (an extension). */
  digitMs: number;
}

export const DEFAULT_CALLER_MODEL: CallerModel = { speechMsPerChar: 60, thinkMs: 1500, digitMs: 0 };

export function describeModel(m: CallerModel): string {
  const digits = m.digitMs ? `, plus ${m.digitMs} ms per further digit of an extension` : '';
  return [
    `A caller hears every prompt to its end (${m.speechMsPerChar} ms per character of text), then answers after ${m.thinkMs} ms${digits}.`,
    'They take the path with the fewest key presses, then the shortest time; they never let retries run out.',
    'A transfer that must go unanswered rings for its timeout (no-answer) or not at all (busy, failed).',
    'Menu time is time in the IVR before the final transfer starts; what is said on the way into a transfer counts with that',
    'transfer, as Twilio says it after the dial has begun. Ringing counts only for transfers nobody answered.',
  ].join('\n');
}
