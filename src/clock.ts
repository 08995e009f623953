/** Injectable time source, so tests and simulations control every timestamp the service records. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to; used by tests, the seed script and simulations. */
export class ManualClock implements Clock {
  constructor(private t: number = Date.parse('2026-01-01T08:00:00Z')) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
