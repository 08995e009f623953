import { VirtualCaller } from '../../src/sim/virtual-caller';
import { AUTH_TOKEN, type Harness } from '../helpers/harness';

interface Deferred {
  promise: Promise<void>;
  resolve: () => void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

export interface Hold {
  /** Resolves when the caller has reached the held pause (the webhook before it has been answered). */
  reached: Promise<void>;
  release(): void;
}

/**
 * A virtual caller whose pauses can be held: a pause of exactly `ms` (a ring, a think time, a talk)
 * waits until released, so a test can look at a call while it is in the menu, ringing or talking.
 */
export class GatedCaller {
  private readonly holds = new Map<number, { skip: number; reached: Deferred; release: Deferred }[]>();
  readonly caller: VirtualCaller;

  constructor(h: Harness) {
    this.caller = new VirtualCaller({
      authToken: AUTH_TOKEN,
      publicBaseUrl: h.baseUrl,
      clock: {
        now: () => h.clock.now(),
        sleep: async (ms) => {
          h.clock.advance(ms);
          const list = this.holds.get(ms);
          const hold = list?.[0];
          if (!hold) return;
          if (hold.skip > 0) {
            hold.skip--;
            return;
          }
          list!.shift();
          hold.reached.resolve();
          await hold.release.promise;
        },
      },
    });
  }

  /** Holds the (nth, from 1) pause of exactly `ms`. Pause lengths should be unusual numbers. */
  hold(ms: number, nth = 1): Hold {
    const reached = deferred();
    const release = deferred();
    const list = this.holds.get(ms) ?? [];
    list.push({ skip: nth - 1, reached, release });
    this.holds.set(ms, list);
    return { reached: reached.promise, release: release.resolve };
  }
}
