import type { QueueExit } from '../flow/nodes/queue';

const DEFAULT_TTL_MS = 10 * 60_000;
const DEFAULT_MAX = 10_000;

/**
 * Why the IVR took a caller out of a queue, from the `<Leave/>` until Enqueue's action asks.
 * Twilio's action request carries no trace of it (only QueueResult=leave), and its URL was fixed
 * when the caller joined; so the instance that answered the key remembers it for a few minutes.
 * Another instance, or this one after a restart, does not know, and the node decides without it
 * (see flow/nodes/queue.ts). Bounded: the oldest entries go first.
 */
export class LeaveMemory {
  private readonly entries = new Map<string, { leftBy: NonNullable<QueueExit['leftBy']>; at: number }>();

  constructor(
    private readonly now: () => number,
    private readonly ttlMs = DEFAULT_TTL_MS,
    private readonly max = DEFAULT_MAX,
  ) {}

  remember(callSid: string, leftBy: NonNullable<QueueExit['leftBy']>): void {
    this.entries.delete(callSid);
    this.entries.set(callSid, { leftBy, at: this.now() });
    while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
  }

  /** What was remembered for the call; kept until it expires, so a redelivered action gets the same answer. */
  recall(callSid: string): QueueExit['leftBy'] {
    const e = this.entries.get(callSid);
    if (!e) return null;
    if (this.now() - e.at > this.ttlMs) {
      this.entries.delete(callSid);
      return null;
    }
    return e.leftBy;
  }
}
