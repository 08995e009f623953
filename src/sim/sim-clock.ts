import { randomBytes } from 'node:crypto';
import type { Waker } from './sim-scheduler';

/** Time as the simulation sees it: tests pass a manual clock, the CLI the real one. */
export interface SimClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Sleeps, or less when woken (see SimScheduler); absent, a sleep raced against the wake. */
  nap?(ms: number, waker: Waker | null): Promise<'timeout' | 'woken'>;
}

/** A sleep that ends early when `waker` wakes: the clock's own where it has one. */
export async function napOn(clock: SimClock, ms: number, waker: Waker | null): Promise<'timeout' | 'woken'> {
  if (clock.nap) return clock.nap(ms, waker);
  if (!waker) {
    await clock.sleep(ms);
    return 'timeout';
  }
  if (waker.woken) return 'woken';
  let cancel = () => {};
  const woken = new Promise<'woken'>((resolve) => (cancel = waker.onWake(() => resolve('woken'))));
  const r = await Promise.race([clock.sleep(ms).then(() => 'timeout' as const), woken]);
  cancel();
  return waker.woken ? 'woken' : r;
}


export function newSid(prefix: 'CA' | 'AC'): string {
  return prefix + randomBytes(16).toString('hex');
}
