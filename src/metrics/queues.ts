import type { RollupDoc } from '../store/store';
import { bucketTop, distributionOf, readHistogram, type Distribution, type Histogram } from './histogram';
import { mergeBy, ratio, type Counters } from './measures';
import { Q, QH, QUEUE_PREFIX, QUEUE_SLOT_PREFIX } from './queue-contribution';

/** What a queue is measured against, from its flow (queues.<key>). */
export interface QueueTarget {
  label: string;
  /** Service level: `share` of offered callers answered within `seconds`. */
  seconds: number;
  share: number;
  shortAbandonSeconds: number;
}

export interface QueueFigures {
  queue: string;
  label: string;
  offered: number;
  answered: number;
  /** Hung up in the queue, short abandons included. */
  abandoned: number;
  /** Hung up within the queue's shortAbandonSeconds: wrong numbers and second thoughts more than lost callers. */
  shortAbandoned: number;
  /** The limit of a short abandon, s (the queue's shortAbandonSeconds), so a reader can say what "short" means. */
  shortAbandonSeconds: number;
  leftByKey: number;
  /** Taken out at the node's longest wait. */
  maxWait: number;
  /** Refused by Twilio (queue full). */
  full: number;
  failed: number;
  serviceLevel: {
    seconds: number;
    target: number;
    answeredWithin: number;
    /** answeredWithin / offered; null with nothing offered. */
    share: number | null;
    met: boolean | null;
  };
  /** Waits of the answered, s: the mean is the average speed of answer. */
  speedOfAnswerSec: Distribution;
  /** Waits of every stay, however it ended, s. */
  waitSec: Distribution & { longest: number | null };
  /** Waits of those who hung up, s. */
  abandonWaitSec: Distribution;
}

/**
 * Callers in a histogram of whole seconds who waited at most `seconds`: exact below 64 s (each
 * second its own bucket), and above that counting only buckets wholly within, so a share against a
 * target never flatters (it may miss up to 1/32 of the target's width).
 */
export function countAtMost(h: Histogram, seconds: number): number {
  let n = 0;
  for (const [lower, count] of h.buckets) if (bucketTop(lower) <= seconds) n += count;
  return n;
}

function longest(h: Histogram): number | null {
  return h.buckets.length ? bucketTop(h.buckets[h.buckets.length - 1][0]) : null;
}

export function queueFiguresFromCounters(queue: string, c: Counters, target: QueueTarget): QueueFigures {
  const offered = c[Q.offered] ?? 0;
  const answers = readHistogram(c, QH.answerWait);
  const answeredWithin = countAtMost(answers, target.seconds);
  const slShare = ratio(answeredWithin, offered);
  return {
    queue,
    label: target.label,
    offered,
    answered: c[Q.answered] ?? 0,
    abandoned: c[Q.abandoned] ?? 0,
    shortAbandoned: countAtMost(readHistogram(c, QH.abandonWait), target.shortAbandonSeconds),
    shortAbandonSeconds: target.shortAbandonSeconds,
    leftByKey: c[Q.leftByKey] ?? 0,
    maxWait: c[Q.maxWait] ?? 0,
    full: c[Q.full] ?? 0,
    failed: c[Q.failed] ?? 0,
    serviceLevel: { seconds: target.seconds, target: target.share, answeredWithin, share: slShare, met: slShare === null ? null : slShare >= target.share },
    speedOfAnswerSec: distributionOf(c, QH.answerWait),
    waitSec: { ...distributionOf(c, QH.wait), longest: longest(readHistogram(c, QH.wait)) },
    abandonWaitSec: distributionOf(c, QH.abandonWait),
  };
}

/** The contact-centre figures of each queue over any set of rollups (hours, grains, versions summed), most offered first. */
export function queueFiguresFromRollups(docs: readonly RollupDoc[], targetOf: (queue: string) => QueueTarget): QueueFigures[] {
  const merged = mergeBy(
    docs.filter((d) => d.dim.startsWith(QUEUE_PREFIX)),
    (d) => d.dim.slice(QUEUE_PREFIX.length),
  );
  return [...merged]
    .map(([queue, c]) => queueFiguresFromCounters(queue, c, targetOf(queue)))
    .sort((a, b) => b.offered - a.offered || a.queue.localeCompare(b.queue));
}

export interface HeatCell {
  /** 1 = Monday … 7 = Sunday, in the municipality's time zone. */
  weekday: number;
  hour: number;
  offered: number;
  answered: number;
  answeredWithin: number;
  serviceLevel: number | null;
}

/**
 * Offered against answered within the target, per weekday and hour of joining the queue: where
 * staffing falls short. Only slots with callers are listed.
 */
export function queueHeatmap(docs: readonly RollupDoc[], queue: string, target: QueueTarget): HeatCell[] {
  const prefix = `${QUEUE_SLOT_PREFIX}${queue}|`;
  const merged = mergeBy(
    docs.filter((d) => d.dim.startsWith(prefix)),
    (d) => d.dim.slice(prefix.length),
  );
  const cells: HeatCell[] = [];
  for (const [slot, c] of merged) {
    const [weekday, hour] = slot.split('|').map(Number);
    const offered = c[Q.offered] ?? 0;
    const answeredWithin = countAtMost(readHistogram(c, QH.answerWait), target.seconds);
    cells.push({ weekday, hour, offered, answered: c[Q.answered] ?? 0, answeredWithin, serviceLevel: ratio(answeredWithin, offered) });
  }
  return cells.sort((a, b) => a.weekday - b.weekday || a.hour - b.hour);
}
