import type { ManualClock } from '../clock';

/** Lets a sleeping actor be woken before its time: a caller in a queue when an operator takes them. */
export class Waker {
  private wakeFns: (() => void)[] = [];
  woken = false;

  wake(): void {
    if (this.woken) return;
    this.woken = true;
    for (const f of this.wakeFns.splice(0)) f();
  }

  onWake(f: () => void): () => void {
    if (this.woken) {
      f();
      return () => {};
    }
    this.wakeFns.push(f);
    return () => {
      this.wakeFns = this.wakeFns.filter((x) => x !== f);
    };
  }
}

interface Timer {
  at: number;
  seq: number;
  resolve: () => void;
}

/**
 * Simulated time for several actors at once (callers and operators of one queue): time moves only
 * when every actor sleeps, and then straight to the earliest wake-up, so a test of a queue with
 * three callers and an operator takes milliseconds and happens in the same order every run.
 * The service's ManualClock is moved with it, so what the service records is simulated time.
 */
export class SimScheduler {
  private readonly timers: Timer[] = [];
  private actors = 0;
  private seq = 0;
  private advancing = false;

  constructor(private readonly clock: ManualClock) {}

  now(): number {
    return this.clock.now();
  }

  sleep(ms: number): Promise<void> {
    return this.nap(ms, null).then(() => undefined);
  }

  /** Sleeps `ms`, or less when `waker` wakes first; says which. */
  nap(ms: number, waker: Waker | null): Promise<'timeout' | 'woken'> {
    if (waker?.woken) return Promise.resolve('woken');
    return new Promise((resolve) => {
      const timer: Timer = { at: this.clock.now() + Math.max(0, ms), seq: this.seq++, resolve: () => resolve('timeout') };
      this.timers.push(timer);
      waker?.onWake(() => {
        const i = this.timers.indexOf(timer);
        if (i === -1) return;
        this.timers.splice(i, 1);
        resolve('woken');
      });
      this.schedule();
    });
  }

  /** Runs one actor; time waits for it whenever it is not asleep. */
  async actor<T>(run: () => Promise<T>): Promise<T> {
    this.actors++;
    try {
      return await run();
    } finally {
      this.actors--;
      this.schedule();
    }
  }

  // Checked on a later turn: an actor that was just woken may be about to sleep again or post a request.
  private schedule(): void {
    if (this.advancing) return;
    this.advancing = true;
    setImmediate(() => {
      this.advancing = false;
      if (!this.timers.length || this.timers.length < this.actors) return;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift()!;
      if (next.at > this.clock.now()) this.clock.set(next.at);
      next.resolve();
    });
  }
}
