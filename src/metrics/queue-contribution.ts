import type { Journey, JourneyTransfer } from '../journey/journey';
import { addValue } from './histogram';
import type { LocalTime } from './local-time';

type Counters = Record<string, number>;

/**
 * The contact-centre rollups of a call's stays in queues, per queue and per weekday and hour of
 * joining (the staffing heatmap). Names are stored data, as in dims.ts:
 *
 *   queue:<queue>                      offered, answered, abandoned, left by a key, longest wait
 *                                      passed, refused (full), failed; waits in whole seconds
 *   queueSlot:<queue>|<weekday>|<hour> offered and answered, with the answered waits
 */
export const QUEUE_PREFIX = 'queue:';
export const QUEUE_SLOT_PREFIX = 'queueSlot:';

export const Q = {
  offered: 'offered',
  answered: 'answered',
  abandoned: 'abandoned',
  leftByKey: 'leftByKey',
  maxWait: 'maxWait',
  full: 'full',
  failed: 'failed',
} as const;

/** Histograms of waits, in whole seconds, so that waits under 64 s (a 60 s target included) are exact. */
export const QH = {
  /** Waits of the callers an operator took: the speed of answer. */
  answerWait: 'answerWait',
  /** Waits of the callers who hung up in the queue. */
  abandonWait: 'abandonWait',
  /** Waits of every stay that has ended, however. */
  wait: 'wait',
} as const;

export const queueDim = (queue: string) => `${QUEUE_PREFIX}${queue}`;
export const queueSlotDim = (queue: string, weekday: number, hour: number) => `${QUEUE_SLOT_PREFIX}${queue}|${weekday}|${hour}`;

function inc(c: Counters, key: string): void {
  c[key] = (c[key] ?? 0) + 1;
}

/** Seconds in the queue: Twilio's own count where it reported one, else the stay's length. */
function waitSecOf(t: JourneyTransfer): number | null {
  if (t.queue?.waitSec != null) return t.queue.waitSec;
  return t.ringMs === null ? null : Math.round(t.ringMs / 1000);
}

/** Adds the call's queue stays to its dimensions (a call that waited twice is offered twice). */
export function addQueueStays(dims: Map<string, Counters>, j: Journey, localTime: (ms: number) => LocalTime): void {
  for (const t of j.transfers) {
    const stay = t.queue;
    if (!stay) continue;
    const get = (dim: string) => {
      let c = dims.get(dim);
      if (!c) dims.set(dim, (c = {}));
      return c;
    };
    const c = get(queueDim(stay.queue));
    const joined = localTime(Date.parse(t.attemptedAt));
    const slot = get(queueSlotDim(stay.queue, joined.weekday, joined.hour));
    inc(c, Q.offered);
    inc(slot, Q.offered);
    const wait = waitSecOf(t);
    if (t.answeredAt !== null) {
      inc(c, Q.answered);
      inc(slot, Q.answered);
      if (wait !== null) {
        addValue(c, QH.answerWait, wait);
        addValue(slot, QH.answerWait, wait);
      }
    } else if (stay.result === 'hangup') {
      inc(c, Q.abandoned);
      if (wait !== null) addValue(c, QH.abandonWait, wait);
    } else if (stay.result === 'leave') inc(c, stay.leftBy?.reason === 'key' ? Q.leftByKey : Q.maxWait);
    else if (stay.result === 'queue-full') inc(c, Q.full);
    else if (stay.result === 'error' || stay.result === 'system-error') inc(c, Q.failed);
    if (wait !== null && (t.answeredAt !== null || stay.result !== null)) addValue(c, QH.wait, wait);
  }
}
