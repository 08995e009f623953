/** Answers older than this say nothing about the wait now. */
const WINDOW_MS = 30 * 60_000;
/** Fewer answers than this in the window, and no estimate is spoken rather than a wild one. */
const MIN_ANSWERS = 3;
/** The shortest span the rate is measured over, so three quick answers do not promise a short wait. */
const MIN_SPAN_MS = 5 * 60_000;
const MAX_PER_QUEUE = 500;

/**
 * Expected wait from the queue's recent throughput, the way contact centres estimate it: a caller
 * at place p waits about p times the recent interval between answers. Fed with the answers this
 * instance sees (the bridge requests); pure arithmetic over them, the clock passed in.
 */
export class WaitEstimator {
  private readonly answers = new Map<string, number[]>();

  constructor(private readonly now: () => number) {}

  answered(queue: string, at: number): void {
    let list = this.answers.get(queue);
    if (!list) this.answers.set(queue, (list = []));
    list.push(at);
    if (list.length > MAX_PER_QUEUE) list.splice(0, list.length - MAX_PER_QUEUE);
  }

  /** Seconds a caller at `position` can expect to wait from now; null when there is too little to go on. */
  expectedWaitSec(queue: string, position: number): number | null {
    const now = this.now();
    const recent = (this.answers.get(queue) ?? []).filter((at) => now - at <= WINDOW_MS && at <= now);
    if (recent.length < MIN_ANSWERS) return null;
    const span = Math.max(MIN_SPAN_MS, now - Math.min(...recent));
    return Math.round((Math.max(1, position) * span) / recent.length / 1000);
  }
}
