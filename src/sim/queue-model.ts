import { localTimeIn } from '../metrics/local-time';

type Rand = () => number;

/** What happened to one caller in the simulated queue. */
export type QueueVisit =
  | { kind: 'answered'; waitSec: number; operator: number; ahead: number }
  | { kind: 'abandoned'; afterSec: number; ahead: number }
  | { kind: 'max-wait'; ahead: number };

export interface QueueModelOptions {
  timeZone: string;
  /** Operators on duty at a local hour of a weekday (1 = Monday). */
  staffing: (weekday: number, hour: number) => number;
  /** Callers per hour who reach the queue outside the played calls (the rest of the switchboard's day). */
  otherCallersPerHour: (weekday: number, hour: number) => number;
  /** An operator's time with one caller, talk and wrap-up, ms. */
  handleMs: (r: Rand) => number;
  /** How long a caller is willing to wait, s. */
  patienceSec: (r: Rand) => number;
  maxWaitSec: number;
}

interface Stay {
  joinAt: number;
  leaveAt: number;
}

const HOUR = 3_600_000;

/**
 * A switchboard queue for the demo: first come, first served by the operators on duty, each caller
 * with a patience, and the callers the demo does not play (most of a real day) taking operators'
 * time too. Visits must come roughly in order of joining; other callers up to each visit are
 * simulated first. What it decides (who waits how long, who gives up) the played calls then do
 * through the real webhooks.
 */
export class QueueModel {
  private readonly freeAt: number[];
  private readonly local: ReturnType<typeof localTimeIn>;
  private readonly stays: Stay[] = [];
  private othersUntil = -Infinity;

  constructor(
    private readonly opts: QueueModelOptions,
    private readonly r: Rand,
    maxOperators: number,
  ) {
    this.freeAt = Array.from({ length: maxOperators }, () => -Infinity);
    this.local = localTimeIn(opts.timeZone);
  }

  private onDuty(i: number, t: number): boolean {
    const { weekday, hour } = this.local(t);
    return i < this.opts.staffing(weekday, hour);
  }

  /** The first instant from `t` at which operator `i` is free and on duty (within two days; else never). */
  private availableFrom(i: number, t: number): number {
    let at = Math.max(t, this.freeAt[i]);
    for (let step = 0; step < 48 && !this.onDuty(i, at); step++) at = (Math.floor(at / HOUR) + 1) * HOUR;
    return this.onDuty(i, at) ? at : Infinity;
  }

  private serve(joinAt: number, patienceSec: number): { visit: QueueVisit; leaveAt: number } {
    const ahead = this.stays.filter((s) => s.joinAt <= joinAt && s.leaveAt > joinAt).length;
    let best = -1;
    let start = Infinity;
    for (let i = 0; i < this.freeAt.length; i++) {
      const at = this.availableFrom(i, joinAt);
      if (at < start) {
        start = at;
        best = i;
      }
    }
    const waitSec = (start - joinAt) / 1000;
    const limit = Math.min(patienceSec, this.opts.maxWaitSec);
    let result: { visit: QueueVisit; leaveAt: number };
    if (best >= 0 && waitSec <= limit) {
      this.freeAt[best] = start + this.opts.handleMs(this.r);
      result = { visit: { kind: 'answered', waitSec: Math.round(waitSec), operator: best, ahead }, leaveAt: start };
    } else if (patienceSec < this.opts.maxWaitSec) {
      result = { visit: { kind: 'abandoned', afterSec: Math.max(1, Math.round(patienceSec)), ahead }, leaveAt: joinAt + patienceSec * 1000 };
    } else result = { visit: { kind: 'max-wait', ahead }, leaveAt: joinAt + this.opts.maxWaitSec * 1000 };
    this.stays.push({ joinAt, leaveAt: result.leaveAt });
    if (this.stays.length > 2000) this.stays.splice(0, this.stays.length - 1000);
    return result;
  }

  /** The callers not played who joined before `until`, served in their turn. */
  private othersBefore(until: number): void {
    if (this.othersUntil === -Infinity) this.othersUntil = until - 2 * HOUR;
    while (this.othersUntil < until) {
      const { weekday, hour } = this.local(this.othersUntil);
      const rate = this.opts.otherCallersPerHour(weekday, hour) / HOUR;
      const next = this.othersUntil + (rate > 0 ? -Math.log(1 - this.r()) / rate : HOUR);
      // A gap that crosses into another hour starts again there, at that hour's rate.
      const hourEnd = (Math.floor(this.othersUntil / HOUR) + 1) * HOUR;
      if (next >= hourEnd) {
        this.othersUntil = hourEnd;
        continue;
      }
      if (next >= until) {
        this.othersUntil = until;
        break;
      }
      this.othersUntil = next;
      this.serve(next, this.opts.patienceSec(this.r));
    }
  }

  /** A played caller joins the queue at `joinAt` willing to wait `patienceSec`. */
  visit(joinAt: number, patienceSec: number): QueueVisit {
    this.othersBefore(joinAt);
    return this.serve(joinAt, patienceSec).visit;
  }
}
