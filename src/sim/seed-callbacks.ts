import type { Store } from '../store/store';
import { seededRandom } from './random';

/** Its own generator, seeded by a string, so callbacks leave every other draw of the demo traffic as it was. */
function rand(key: string): () => number {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return seededRandom(h);
}

/** Of the callers who would hang up when the person does not answer, this share asks to be called back. */
const CALLBACK_SHARE = 0.6;
/** Of those, this share keys in another number than the one they call from. */
const KEYED_SHARE = 0.2;

/**
 * The keys a seeded caller presses at "the person does not answer" instead of hanging up (3, then 1 to
 * confirm their own number, or 2, another number and 1), or null when they hang up after all.
 */
export function seededCallbackKeys(key: string): string[] | null {
  const r = rand(`callback:${key}`);
  if (r() >= CALLBACK_SHARE) return null;
  // 4 asks for a callback in the demo flow's menu for a person who does not answer (3 is a colleague).
  if (r() >= KEYED_SHARE) return ['4', '1'];
  return ['4', '2', `070${String(Math.floor(r() * 1e7)).padStart(7, '0')}`, '1'];
}

const HOUR = 3_600_000;
const DEMO_RECEPTION = ['reception@demo.kommun.se', 'lena.ek@demo.kommun.se'];

/**
 * Reception works the seeded requests through as it would have: most are assigned within the hour
 * and done, some after a try or two without answer, a few late; about one in ten is left open until
 * it expires; those of the last day are left open, a few of them overdue, for the inbox to show.
 * Returns how many were done and expired.
 */
export async function workThroughCallbacks(store: Store, end: number): Promise<{ done: number; expired: number; open: number }> {
  const open = await store.listCallbacks({ states: ['open'], limit: 1_000_000 });
  let done = 0;
  for (const cb of open) {
    const r = rand(cb.id);
    const requested = Date.parse(cb.requestedAt);
    if (end - requested < 20 * HOUR || r() < 0.1) continue;
    const who = DEMO_RECEPTION[Math.floor(r() * DEMO_RECEPTION.length)];
    const deadline = cb.deadline ? Date.parse(cb.deadline) : requested + 24 * HOUR;
    let t = requested + (10 + r() * 50) * 60_000;
    const at = () => new Date(Math.min(t, end)).toISOString();
    await store.changeCallback(cb.id, { at: at(), action: 'assigned', by: who, assignedTo: who });
    const tries = r() < 0.65 ? 0 : r() < 0.7 ? 1 : 2;
    for (let i = 0; i < tries; i++) {
      t += (20 + r() * 90) * 60_000;
      await store.changeCallback(cb.id, { at: at(), action: 'tried', by: who, note: 'Inget svar' });
    }
    // Mostly before the deadline; one in eight after it.
    const span = Math.max(15 * 60_000, deadline - t);
    t = r() < 0.875 ? t + r() * span : deadline + r() * 6 * HOUR;
    await store.changeCallback(cb.id, { at: at(), action: 'done', by: who });
    done++;
  }
  const expired = (await store.expireCallbacks(new Date(end).toISOString())).length;
  const left = (await store.listCallbacks({ states: ['open'], limit: 1_000_000 })).length;
  return { done, expired, open: left };
}
