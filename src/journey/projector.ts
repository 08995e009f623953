import type { TargetKind } from '../flow/schema';
import { inEventOrder, type CallEvent, type DialStatus, type QueueResult } from './events';
import type { FallbackOutcome, Journey, RepeatOf, JourneyFallback, JourneyCallback, JourneyNotice, JourneyQueueStay, JourneyStep, JourneySurvey, JourneyTransfer, Outcome } from './journey';
import { isoTime } from './iso-time';
import { indexPoints } from './scoring';

const iso = (ms: number | null): string | null => (ms === null ? null : isoTime(ms));

interface TransferAcc {
  transferId: string;
  nodeId: string;
  target: string;
  targetKind: TargetKind;
  attemptedAt: number;
  answeredAt: number | null;
  result: JourneyTransfer['result'];
  resultAt: number | null;
  talkSec: number | null;
  backupFor?: string;
  queue?: JourneyQueueStay;
}

/** A queue stay's result in the words of a dial (see JourneyTransfer). */
const QUEUE_AS_DIAL: Record<QueueResult, DialStatus> = {
  bridged: 'completed',
  'bridging-in-process': 'completed',
  hangup: 'canceled',
  'queue-full': 'busy',
  error: 'failed',
  'system-error': 'failed',
  leave: 'no-answer',
  redirected: 'no-answer',
};

function emptySurvey(): JourneySurvey {
  return {
    offered: false,
    declined: null,
    bemotande: null,
    enkelhet: null,
    answered: null,
    skipped: [],
    completed: false,
    points: { bemotande: null, enkelhet: null },
    comment: null,
  };
}

/**
 * Folds the events of one call into its journey. Pure and order-insensitive: events are sorted
 * first, so callbacks that arrived late or out of order give the same journey.
 */
export function projectJourney(callSid: string, input: readonly CallEvent[]): Journey {
  const events = inEventOrder(input);
  let flowId: string | null = null;
  let flowVersion: string | null = null;
  let caller: string | null = null;
  let to: string | null = null;
  let language: string | null = null;
  let startedAt: number | null = null;
  let endedAt: number | null = null;
  let ivrHungUp = false;
  let outsideHours = false;
  let errors = 0;
  let invalidInputs = 0;
  let timeouts = 0;
  let category: string | null = null;
  const entries: { nodeId: string; at: number; keys: string | null; invalid: string[]; timeouts: number }[] = [];
  // Input is recorded for the node the caller is in, which is the latest one entered.
  const current = (nodeId: string) => (entries.length && entries[entries.length - 1].nodeId === nodeId ? entries[entries.length - 1] : null);
  const presses: { at: number; count: number }[] = [];
  const transfers = new Map<string, TransferAcc>();
  const fallbacks: { e: Extract<CallEvent, { type: 'fallback.taken' }>; at: number }[] = [];
  const bridges: Extract<CallEvent, { type: 'queue.answered' }>[] = [];
  const notices: JourneyNotice[] = [];
  let callback: JourneyCallback | null = null;
  let repeatOf: RepeatOf[] = [];
  const survey = emptySurvey();

  for (const e of events) {
    switch (e.type) {
      case 'call.started':
        ({ flowId, flowVersion, caller, to, language } = e);
        startedAt = e.at;
        break;
      case 'node.entered':
        entries.push({ nodeId: e.nodeId, at: e.at, keys: null, invalid: [], timeouts: 0 });
        if (e.category) category = e.category;
        break;
      case 'input.digits': {
        presses.push({ at: e.at, count: e.digits.length });
        const step = current(e.nodeId);
        if (step) step.keys = e.digits;
        break;
      }
      case 'input.invalid':
        invalidInputs++;
        presses.push({ at: e.at, count: e.digits.length });
        current(e.nodeId)?.invalid.push(e.digits);
        break;
      case 'input.timeout': {
        timeouts++;
        const step = current(e.nodeId);
        if (step) step.timeouts++;
        break;
      }
      case 'language.chosen':
        language = e.language;
        break;
      case 'transfer.attempted':
        transfers.set(e.transferId, {
          transferId: e.transferId,
          nodeId: e.nodeId,
          target: e.target,
          targetKind: e.targetKind,
          attemptedAt: e.at,
          answeredAt: null,
          result: null,
          resultAt: null,
          talkSec: null,
          ...(e.backupFor ? { backupFor: e.backupFor } : {}),
        });
        if (e.category) category = e.category;
        break;
      case 'transfer.result': {
        const t = transfers.get(e.transferId);
        if (t) {
          t.result = e.status;
          t.resultAt = e.at;
          if (e.status === 'completed' || e.status === 'answered') t.talkSec = e.durationSec;
        }
        break;
      }
      case 'fallback.taken':
        fallbacks.push({ e, at: e.at });
        break;
      case 'callback.requested':
        // Whom and when, never the number: that is sealed in the callbacks store alone.
        callback = { nodeId: e.nodeId, target: e.target, targetKind: e.targetKind, source: e.source, deadline: e.deadline, at: iso(e.at)! };
        break;
      case 'notice.met':
        notices.push({ nodeId: e.nodeId, target: e.target, targetKind: e.targetKind, reason: e.reason, until: e.until, at: iso(e.at)! });
        break;
      case 'queue.joined':
        transfers.set(e.queueId, {
          transferId: e.queueId,
          nodeId: e.nodeId,
          target: e.queue,
          targetKind: 'operator',
          attemptedAt: e.at,
          answeredAt: null,
          result: null,
          resultAt: null,
          talkSec: null,
          queue: { queue: e.queue, result: null, waitSec: null, operator: null, leftBy: null, lastPosition: null },
        });
        if (e.category) category = e.category;
        break;
      case 'queue.position': {
        const stay = transfers.get(e.queueId)?.queue;
        if (stay) stay.lastPosition = e.position;
        break;
      }
      case 'queue.leaving': {
        const stay = transfers.get(e.queueId)?.queue;
        if (stay) stay.leftBy = e.reason === 'key' ? { reason: 'key', digits: e.digits ?? '' } : { reason: 'max-wait' };
        break;
      }
      case 'queue.answered':
        bridges.push(e);
        break;
      case 'queue.left': {
        const t = transfers.get(e.queueId);
        if (t?.queue) {
          t.queue.result = e.result;
          t.queue.waitSec = e.waitSec;
          t.result = QUEUE_AS_DIAL[e.result];
          t.resultAt = e.at;
        }
        break;
      }
      case 'survey.offered':
        survey.offered = true;
        break;
      case 'survey.declined':
        survey.declined = e.reason;
        break;
      case 'survey.answer':
        if (e.question === 'answered') survey.answered = e.value === 1;
        else {
          survey[e.question] = e.value;
          survey.points[e.question] = indexPoints(e.value);
        }
        survey.skipped = survey.skipped.filter((q) => q !== e.question);
        break;
      case 'survey.skipped':
        if (!survey.skipped.includes(e.question)) survey.skipped.push(e.question);
        break;
      case 'survey.completed':
        survey.completed = true;
        break;
      case 'survey.comment':
        // Its words never reach a journey: only the size and the recogniser's confidence.
        survey.comment = e.chars > 0 ? { confidence: e.confidence, chars: e.chars } : null;
        break;
      case 'call.repeat':
        repeatOf = e.repeats;
        break;
      case 'ivr.hangup':
        ivrHungUp = true;
        break;
      case 'hours.checked':
        if (!e.open) outsideHours = true;
        break;
      case 'call.ended':
        endedAt = Math.max(endedAt ?? 0, e.at);
        break;
      case 'engine.error':
        errors++;
        break;
      case 'leg.progress':
      case 'human.answered':
      case 'survey.invalid':
        break;
    }
  }

  // A leg's answer time comes from its own callback; without one, from the dial result less the talk time.
  for (const e of events) {
    if (e.type !== 'leg.progress' || (e.status !== 'in-progress' && e.status !== 'answered')) continue;
    const t = transfers.get(e.transferId);
    if (t) t.answeredAt = Math.min(t.answeredAt ?? Infinity, Math.max(e.at, t.attemptedAt));
  }
  for (const t of transfers.values()) {
    if (t.answeredAt === null && t.talkSec !== null && t.resultAt !== null) {
      t.answeredAt = Math.max(t.attemptedAt, t.resultAt - t.talkSec * 1000);
    }
  }
  answerQueueStays(transfers, bridges);

  const ordered = [...transfers.values()].sort((a, b) => a.attemptedAt - b.attemptedAt || Number(a.transferId) - Number(b.transferId));
  const firstHuman = ordered.find((t) => t.answeredAt !== null) ?? null;
  const humanAt = firstHuman?.answeredAt ?? null;
  const ended = endedAt !== null;
  const lastAt = events.length ? events[events.length - 1].at : null;
  const endAt = endedAt ?? (ivrHungUp ? lastAt : null);
  // Keys count up to and including the press that started the answered transfer: no key can be
  // pressed while a Dial rings, and that press shares its instant with the attempt.
  const keysBetween = (from: number, through: number | null) =>
    presses.filter((p) => p.at >= from && (through === null || p.at <= through)).reduce((s, p) => s + p.count, 0);

  const answeredOutcome = (kind: TargetKind): `answered_by_${TargetKind}` => `answered_by_${kind}`;

  const journeyFallbacks: JourneyFallback[] = fallbacks.map(({ e, at }) => {
    // A notice's fallback names the attempt it spared, by the step's counter; a backup rung straight away in that
    // same step has the same id, so the transfer is the fallback's own only when it rang the fallback's target.
    const sameId = transfers.get(e.transferId);
    const from = sameId && sameId.target === e.target ? sameId : undefined;
    const rescuer = ordered.find((t) => t.answeredAt !== null && t.answeredAt >= at && (!from || t.attemptedAt > from.attemptedAt)) ?? null;
    const until = rescuer?.answeredAt ?? endAt;
    // The time lost starts when the phone nobody answered began to ring: the caller waited through it.
    const ringFrom = from ? Math.min(from.attemptedAt, at) : at;
    let outcome: FallbackOutcome;
    if (rescuer) outcome = answeredOutcome(rescuer.targetKind);
    else if (!ended && !ivrHungUp) outcome = 'in_progress';
    else outcome = ivrHungUp ? 'ended_by_ivr' : 'abandoned';
    return {
      nodeId: e.nodeId,
      target: e.target,
      targetKind: e.targetKind,
      reason: e.reason,
      route: e.route,
      at: iso(at)!,
      ringMs: at - ringFrom,
      lostMs: until === null ? null : until - ringFrom,
      lostKeyPresses: keysBetween(at, rescuer?.attemptedAt ?? null),
      outcome,
      ...(rescuer?.backupFor !== undefined ? { answeredByBackup: true } : {}),
    };
  });

  const steps: JourneyStep[] = entries.map((entry, i) => {
    const next = entries[i + 1]?.at ?? null;
    // The earliest of: the next step, a human answering after this step began, the end.
    let until = next;
    if (humanAt !== null && humanAt >= entry.at && (until === null || humanAt < until)) until = humanAt;
    if (endAt !== null && (until === null || endAt < until)) until = endAt;
    return { nodeId: entry.nodeId, enteredAt: iso(entry.at)!, ms: until === null ? null : until - entry.at, keys: entry.keys, invalid: entry.invalid, timeouts: entry.timeouts };
  });

  let outcome: Outcome;
  if (firstHuman) outcome = answeredOutcome(firstHuman.targetKind);
  else if (!ended && !ivrHungUp) outcome = 'in_progress';
  else if (errors > 0) outcome = 'error_fallback';
  else if (outsideHours) outcome = 'outside_hours';
  else if (ivrHungUp) outcome = 'self_service';
  else if (ordered.length && ordered[ordered.length - 1].queue?.result === 'hangup') outcome = 'abandoned_in_queue';
  else if (fallbacks.length) outcome = 'abandoned_after_fallback';
  else if (ordered.length && ordered[ordered.length - 1].result !== 'completed') outcome = 'abandoned_while_ringing';
  else outcome = 'abandoned_in_menu';

  const timeToHumanMs = humanAt !== null && startedAt !== null ? humanAt - startedAt : null;
  const totalKeys = presses.reduce((s, p) => s + p.count, 0);

  return {
    callSid,
    flowId,
    flowVersion,
    caller,
    to,
    language,
    startedAt: iso(startedAt),
    endedAt: iso(endAt),
    durationMs: endAt !== null && startedAt !== null ? endAt - startedAt : null,
    ended: ended || ivrHungUp,
    path: entries.map((e) => e.nodeId),
    steps,
    keyPresses: totalKeys,
    keyPressesBeforeHuman: firstHuman === null ? totalKeys : keysBetween(-Infinity, firstHuman.attemptedAt),
    invalidInputs,
    timeouts,
    category,
    transfers: ordered.map((t) => ({
      transferId: t.transferId,
      nodeId: t.nodeId,
      target: t.target,
      targetKind: t.targetKind,
      attemptedAt: iso(t.attemptedAt)!,
      answeredAt: iso(t.answeredAt),
      result: t.result,
      ringMs: t.answeredAt !== null ? t.answeredAt - t.attemptedAt : t.resultAt !== null ? t.resultAt - t.attemptedAt : null,
      talkSec: t.talkSec,
      ...(t.backupFor ? { backupFor: t.backupFor } : {}),
      ...(t.queue ? { queue: t.queue } : {}),
    })),
    humanAnsweredAt: iso(humanAt),
    answeredBy: firstHuman?.targetKind ?? null,
    timeToHumanMs,
    timeToOperatorMs: firstHuman?.targetKind === 'operator' ? timeToHumanMs : null,
    fallbacks: journeyFallbacks,
    notices,
    survey,
    callback,
    outcome,
    ...(repeatOf.length ? { repeatOf } : {}),
    outsideHours,
    errors,
    eventCount: events.length,
  };
}

/**
 * When an operator took a caller from a queue: the bridge request (`<Queue url>`, made the moment
 * the two are connected) where it arrived, else the stay's start plus the wait Twilio reported when
 * the bridged call ended. Either order of arrival gives the same single answer time.
 */
function answerQueueStays(transfers: Map<string, TransferAcc>, bridges: readonly Extract<CallEvent, { type: 'queue.answered' }>[]): void {
  const stays = [...transfers.values()].filter((t) => t.queue).sort((a, b) => a.attemptedAt - b.attemptedAt);
  for (const b of bridges) {
    // The operator's leg does not know the stay: it is the latest stay in that queue begun before the bridge.
    const stay = stays.filter((t) => t.queue!.queue === b.queue && t.attemptedAt <= b.at).pop();
    if (!stay) continue;
    stay.answeredAt = Math.min(stay.answeredAt ?? Infinity, b.at);
    stay.queue!.operator ??= b.operator;
    stay.queue!.waitSec ??= b.waitSec;
  }
  for (const t of stays) {
    const stay = t.queue!;
    if (t.answeredAt !== null || (stay.result !== 'bridged' && stay.result !== 'bridging-in-process')) continue;
    t.answeredAt = t.attemptedAt + (stay.waitSec ?? 0) * 1000;
  }
  for (const t of stays) {
    if (t.answeredAt !== null && t.resultAt !== null) t.talkSec = Math.max(0, Math.round((t.resultAt - t.answeredAt) / 1000));
  }
}
