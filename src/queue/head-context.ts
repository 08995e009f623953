import type { WaitingCaller } from '../live/queue-state';

/**
 * What the operator hears about the caller they are about to take, before `<Dial><Queue>`: how
 * many wait, how long the first has waited, and whom they sought when that failed. Short: the
 * operator hears it on every call.
 */
const WORDS: Record<string, { waiting: (n: number) => string; waited: (d: string) => string; sought: (who: string, why: string) => string; reasons: Record<string, string>; min: (n: number) => string; sec: (n: number) => string; and: string }> = {
  'sv-SE': {
    waiting: (n) => (n === 1 ? 'En väntar i kön.' : `${n} väntar i kön.`),
    waited: (d) => `Nästa har väntat ${d}.`,
    sought: (who, why) => `Sökte ${who}, ${why}.`,
    reasons: { 'no-answer': 'som inte svarade', busy: 'som var upptagen', failed: 'som inte gick att nå', 'queue-full': 'där kön var full', 'max-wait': 'där ingen svarade i tid' },
    min: (n) => (n === 1 ? 'en minut' : `${n} minuter`),
    sec: (n) => (n === 1 ? 'en sekund' : `${n} sekunder`),
    and: 'och',
  },
  'en-GB': {
    waiting: (n) => (n === 1 ? 'One caller is waiting.' : `${n} callers are waiting.`),
    waited: (d) => `The next has waited ${d}.`,
    sought: (who, why) => `They sought ${who}, ${why}.`,
    reasons: { 'no-answer': 'who did not answer', busy: 'who was busy', failed: 'who could not be reached', 'queue-full': 'whose queue was full', 'max-wait': 'where nobody answered in time' },
    min: (n) => (n === 1 ? 'one minute' : `${n} minutes`),
    sec: (n) => (n === 1 ? 'one second' : `${n} seconds`),
    and: 'and',
  },
};

function spoken(ms: number, w: (typeof WORDS)['sv-SE']): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  if (!m) return w.sec(s);
  return s ? `${w.min(m)} ${w.and} ${w.sec(s)}` : w.min(m);
}

export function headOfQueueContext(head: WaitingCaller | null, waitingCount: number, now: number, language: string): string | null {
  if (!head) return null;
  const w = WORDS[language] ?? WORDS[Object.keys(WORDS).find((l) => l.slice(0, 2) === language.slice(0, 2)) ?? 'sv-SE'];
  const parts = [w.waiting(waitingCount), w.waited(spoken(now - head.joinedAt, w))];
  if (head.cameFrom?.label) parts.push(w.sought(head.cameFrom.label, w.reasons[head.cameFrom.reason] ?? w.reasons['no-answer']));
  return parts.join(' ');
}
