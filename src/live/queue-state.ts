import type { CallEvent } from '../journey/events';
import type { FallbackReason } from '../journey/events';
import type { TargetKind } from '../flow/schema';

/**
 * The queues as reception sees them live: who waits now, in order, how long and where they came
 * from; which operators are on a call; today's service level and the last half hour's. Pure: the
 * live state holds it and live-state.ts feeds it the queue events.
 */

/** Why the caller ended up in the queue: the fallback just before it ("sökte Anna Lind, svarade inte"). */
export interface CameFrom {
  target: string;
  targetKind: TargetKind;
  /** A department's or the operator's label, a person's name; null when the flow does not say. */
  label: string | null;
  reason: FallbackReason;
}

export interface WaitingCaller {
  callSid: string;
  shortId: string;
  queue: string;
  joinedAt: number;
  /** The place Twilio gave at the latest announcement; null before the first. */
  position: number | null;
  cameFrom: CameFrom | null;
  language: string | null;
}

export interface OperatorOnCall {
  callSid: string;
  shortId: string;
  queue: string;
  /** The operator's id in the queue's `operators`, and their name there. */
  operator: string;
  operatorName: string | null;
  since: number;
}

export interface QueueTargetInfo {
  label: string;
  seconds: number;
  share: number;
}

export interface QueueDay {
  target: QueueTargetInfo;
  offered: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
  /** Stays settled in the last half hour (answered, or gone without an answer), for the recent service level. */
  recent: { at: number; within: boolean }[];
}

export interface LiveQueues {
  days: Map<string, QueueDay>;
  waiting: Map<string, WaitingCaller>;
  talking: Map<string, OperatorOnCall>;
}

export interface QueueBoard {
  queue: string;
  label: string;
  /** In the order they joined: the head first. */
  waiting: WaitingCaller[];
  /** When the longest-waiting caller joined; null with nobody waiting. */
  longestWaitingSince: number | null;
  onCalls: OperatorOnCall[];
  target: QueueTargetInfo;
  today: { offered: number; answered: number; answeredWithin: number; abandoned: number; serviceLevel: number | null };
  /** Stays settled in the last 30 minutes, and the share of them answered within the target. */
  lastHalfHour: { settled: number; answeredWithin: number; serviceLevel: number | null };
}

export const RECENT_MS = 30 * 60_000;

export const emptyLiveQueues = (): LiveQueues => ({ days: new Map(), waiting: new Map(), talking: new Map() });

/** What the queue events need of the rest of the live view. */
export interface QueueEventContext {
  shortId: string;
  language: string | null;
  lastFallback: CameFrom | null;
  /** Today, by the live view's day. */
  isToday(at: number): boolean;
  targetOf(queue: string): QueueTargetInfo;
  operatorNameOf(queue: string, operator: string): string | null;
}

/** A queue's figures of the day, begun on its first caller with the queue's target. */
export function queueDay(q: LiveQueues, queue: string, targetOf: (queue: string) => QueueTargetInfo): QueueDay {
  let d = q.days.get(queue);
  if (!d) q.days.set(queue, (d = { target: targetOf(queue), offered: 0, answered: 0, answeredWithin: 0, abandoned: 0, recent: [] }));
  return d;
}

/** Counts an answer after `waitSec` in the day's figures; says whether it came within the target. */
export function countAnswer(d: QueueDay, waitSec: number): boolean {
  const within = waitSec <= d.target.seconds;
  d.answered++;
  if (within) d.answeredWithin++;
  return within;
}

const dayOf = (q: LiveQueues, queue: string, ctx: QueueEventContext): QueueDay => queueDay(q, queue, ctx.targetOf);

function settle(d: QueueDay, at: number, within: boolean): void {
  d.recent.push({ at, within });
  while (d.recent.length && d.recent[0].at < at - RECENT_MS) d.recent.shift();
}

type QueueEvent = Extract<CallEvent, { type: 'queue.joined' | 'queue.position' | 'queue.answered' | 'queue.left' | 'queue.leaving' }>;

/** Applies one queue event of a call; returns true when the boards changed. Redeliveries are filtered before. */
export function applyQueueEvent(q: LiveQueues, e: QueueEvent, ctx: QueueEventContext): boolean {
  switch (e.type) {
    case 'queue.joined': {
      q.waiting.set(e.callSid, { callSid: e.callSid, shortId: ctx.shortId, queue: e.queue, joinedAt: e.at, position: null, cameFrom: ctx.lastFallback, language: ctx.language });
      if (ctx.isToday(e.at)) dayOf(q, e.queue, ctx).offered++;
      return true;
    }
    case 'queue.position': {
      const w = q.waiting.get(e.callSid);
      if (!w || w.position === e.position) return false;
      w.position = e.position;
      return true;
    }
    case 'queue.answered': {
      const w = q.waiting.get(e.callSid);
      q.waiting.delete(e.callSid);
      q.talking.set(e.callSid, { callSid: e.callSid, shortId: ctx.shortId, queue: e.queue, operator: e.operator, operatorName: ctx.operatorNameOf(e.queue, e.operator), since: e.at });
      if (ctx.isToday(e.at) && w) {
        const d = dayOf(q, e.queue, ctx);
        settle(d, e.at, countAnswer(d, e.waitSec));
      }
      return true;
    }
    case 'queue.leaving':
      return false;
    case 'queue.left': {
      const waited = q.waiting.get(e.callSid);
      q.waiting.delete(e.callSid);
      const talked = q.talking.delete(e.callSid);
      // An answer whose bridge request was lost: counted here, once, from Twilio's wait.
      if (waited && (e.result === 'bridged' || e.result === 'bridging-in-process') && ctx.isToday(e.at)) {
        const d = dayOf(q, e.queue, ctx);
        settle(d, e.at, countAnswer(d, e.waitSec));
      } else if (waited && ctx.isToday(e.at)) {
        const d = dayOf(q, e.queue, ctx);
        if (e.result === 'hangup') d.abandoned++;
        settle(d, e.at, false);
      }
      return !!waited || talked;
    }
  }
}

/** The call has ended or left the screen: it waits and talks no more. */
export function forgetCall(q: LiveQueues, callSid: string): boolean {
  const a = q.waiting.delete(callSid);
  const b = q.talking.delete(callSid);
  return a || b;
}

/** The boards of every queue seen today or with someone in it now, as the dashboard shows them. */
export function queueBoards(q: LiveQueues, now: number, targetOf: (queue: string) => QueueTargetInfo): QueueBoard[] {
  const names = new Set([...q.days.keys(), ...[...q.waiting.values()].map((w) => w.queue), ...[...q.talking.values()].map((t) => t.queue)]);
  return [...names].sort().map((queue) => {
    const d = q.days.get(queue);
    const target = d?.target ?? targetOf(queue);
    const waiting = [...q.waiting.values()].filter((w) => w.queue === queue).sort((a, b) => a.joinedAt - b.joinedAt || a.callSid.localeCompare(b.callSid));
    const recent = (d?.recent ?? []).filter((r) => r.at >= now - RECENT_MS);
    const within = recent.filter((r) => r.within).length;
    return {
      queue,
      label: target.label,
      waiting,
      longestWaitingSince: waiting[0]?.joinedAt ?? null,
      onCalls: [...q.talking.values()].filter((t) => t.queue === queue).sort((a, b) => a.since - b.since),
      target,
      today: {
        offered: d?.offered ?? 0,
        answered: d?.answered ?? 0,
        answeredWithin: d?.answeredWithin ?? 0,
        abandoned: d?.abandoned ?? 0,
        serviceLevel: d?.offered ? d.answeredWithin / d.offered : null,
      },
      lastHalfHour: { settled: recent.length, answeredWithin: within, serviceLevel: recent.length ? within / recent.length : null },
    };
  });
}
