import type { TargetKind } from '../flow/schema';
import type { Journey } from '../journey/journey';
import { countAnswer, emptyLiveQueues, queueDay, RECENT_MS, type CameFrom, type LiveQueues, type QueueTargetInfo } from './queue-state';
import { shortIdOf } from './model';

export interface QueueJourneyRules {
  isToday(at: number): boolean;
  targetOf(j: Journey, queue: string): QueueTargetInfo;
  operatorNameOf(j: Journey, queue: string, operator: string): string | null;
  personNameOf(j: Journey, extension: string): string | null;
  labelOf(j: Journey, target: string, kind: TargetKind): string | null;
  /** Only calls the live view still shows can be waiting or talking. */
  onScreen(callSid: string): boolean;
}

/** The queues rebuilt from stored journeys after a restart: today's figures, and who waits or talks now. */
export function queuesFromJourneys(journeys: readonly Journey[], now: number, rules: QueueJourneyRules): LiveQueues {
  const q = emptyLiveQueues();
  for (const j of journeys) {
    for (const t of j.transfers) {
      const stay = t.queue;
      if (!stay) continue;
      const joinedAt = Date.parse(t.attemptedAt);
      const answeredAt = t.answeredAt === null ? null : Date.parse(t.answeredAt);
      if (rules.isToday(joinedAt)) {
        const d = queueDay(q, stay.queue, (queue) => rules.targetOf(j, queue));
        d.offered++;
        if (answeredAt !== null) {
          const within = countAnswer(d, stay.waitSec ?? Math.round((answeredAt - joinedAt) / 1000));
          if (answeredAt >= now - RECENT_MS) d.recent.push({ at: answeredAt, within });
        } else if (stay.result !== null) {
          if (stay.result === 'hangup') d.abandoned++;
          const leftAt = joinedAt + (t.ringMs ?? 0);
          if (leftAt >= now - RECENT_MS) d.recent.push({ at: leftAt, within: false });
        }
      }
      if (j.ended || stay.result !== null || !rules.onScreen(j.callSid)) continue;
      if (answeredAt === null) {
        q.waiting.set(j.callSid, { callSid: j.callSid, shortId: shortIdOf(j.callSid), queue: stay.queue, joinedAt, position: stay.lastPosition, cameFrom: cameFrom(j, joinedAt, rules), language: j.language });
      } else if (stay.operator) {
        q.talking.set(j.callSid, { callSid: j.callSid, shortId: shortIdOf(j.callSid), queue: stay.queue, operator: stay.operator, operatorName: rules.operatorNameOf(j, stay.queue, stay.operator), since: answeredAt });
      }
    }
  }
  for (const d of q.days.values()) d.recent.sort((a, b) => a.at - b.at);
  return q;
}

function cameFrom(j: Journey, joinedAt: number, rules: QueueJourneyRules): CameFrom | null {
  const f = [...j.fallbacks].reverse().find((x) => Date.parse(x.at) <= joinedAt);
  if (!f) return null;
  const label = f.targetKind === 'person' ? rules.personNameOf(j, f.target) : rules.labelOf(j, f.target, f.targetKind);
  return { target: f.target, targetKind: f.targetKind, label, reason: f.reason };
}
