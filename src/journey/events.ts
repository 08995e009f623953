import type { NodeType, SurveyQuestionId, TargetKind } from '../flow/schema';
import type { NoticeReason } from '../reception/notice';
import type { RepeatOf } from './journey';

/**
 * Why a transfer did not reach a human: as Twilio's DialCallStatus says it, or, for a queue, that
 * Twilio refused the caller (the queue full) or the node's longest wait passed; or, before any
 * ring, that the person had an absence notice (`notice`).
 */
export type FallbackReason = 'no-answer' | 'busy' | 'failed' | 'queue-full' | 'max-wait' | 'notice';
/** Enqueue's QueueResult, as Twilio reports how a call left the queue. */
export type QueueResult = 'bridged' | 'bridging-in-process' | 'queue-full' | 'redirected' | 'hangup' | 'leave' | 'error' | 'system-error';
export type DialStatus = 'completed' | 'answered' | 'busy' | 'no-answer' | 'failed' | 'canceled';

/**
 * What happened in a call, appended and never changed. The projector folds these into a journey.
 * The payloads say what the IVR decided; they never carry a caller's phone number.
 */
export type CallEventData =
  | { type: 'call.started'; flowId: string; flowVersion: string; caller: string | null; to: string; language: string }
  | { type: 'node.entered'; nodeId: string; nodeType: NodeType; category?: string }
  | { type: 'input.digits'; nodeId: string; digits: string; purpose: 'menu' | 'language' | 'directory' }
  | { type: 'input.invalid'; nodeId: string; digits: string }
  | { type: 'input.timeout'; nodeId: string }
  | { type: 'language.chosen'; nodeId: string; language: string }
  | { type: 'hours.checked'; nodeId: string; open: boolean }
  /** backupFor: rung as the backup of this person (their directory extension), by a backup node. */
  | { type: 'transfer.attempted'; nodeId: string; transferId: string; target: string; targetKind: TargetKind; category?: string; backupFor?: string }
  | { type: 'leg.progress'; transferId: string; legSid: string; status: string; sequence: number }
  | { type: 'human.answered'; transferId: string; nodeId: string; target: string; targetKind: TargetKind }
  | {
      type: 'transfer.result';
      nodeId: string;
      transferId: string;
      target: string;
      targetKind: TargetKind;
      status: DialStatus;
      durationSec: number;
      callerHungUp: boolean;
    }
  /** The person sought has an absence notice: said to the caller instead of ringing (a fallback follows). */
  | { type: 'notice.met'; nodeId: string; target: string; targetKind: TargetKind; reason: NoticeReason; until: string | null }
  | { type: 'fallback.taken'; nodeId: string; transferId: string; target: string; targetKind: TargetKind; reason: FallbackReason; route: string }
  /** The caller joined a queue; `queueId` (the step that enqueued) ties the stay's later events together. */
  | { type: 'queue.joined'; nodeId: string; queueId: string; queue: string; category?: string }
  /** A wait announcement: the caller's place as Twilio gave it. */
  | { type: 'queue.position'; queueId: string; queue: string; position: number; size: number; waitSec: number }
  /** The IVR takes the caller out of the queue: a key they pressed, or the longest wait passed. */
  | { type: 'queue.leaving'; nodeId: string; queueId: string; queue: string; reason: 'key' | 'max-wait'; digits?: string }
  /** An operator took the caller (the moment of the bridge, from `<Queue url>`); no queueId: the operator's leg does not know it. */
  | { type: 'queue.answered'; queue: string; operator: string; waitSec: number; agentCallSid: string | null }
  | { type: 'queue.left'; nodeId: string; queueId: string; queue: string; result: QueueResult; waitSec: number; callerHungUp: boolean }
  | { type: 'survey.offered'; questions: SurveyQuestionId[] }
  | { type: 'survey.declined'; reason: 'sampled-out' | 'disabled' | 'opted-out' }
  | { type: 'survey.answer'; question: SurveyQuestionId; value: number }
  | { type: 'survey.invalid'; question: SurveyQuestionId; digits: string }
  | { type: 'survey.skipped'; question: SurveyQuestionId; reason: 'no-input' | 'invalid' }
  | { type: 'survey.completed' }
  /**
   * The caller's spoken comment after the survey (its Gather ended): how many characters the recogniser
   * heard (0: none, silence or nothing recognised) and how sure it was, never the words. `text` holds
   * the words only on the way from the webhook to the store (the outbox and its journal): the ingestor
   * moves them to the comments store and stores the event without them (see reception/comments.ts).
   */
  | { type: 'survey.comment'; chars: number; confidence: number | null; language: string; text?: string }
  /** A callback node: whether the caller's own number could be offered (else they key one in). */
  | { type: 'callback.offered'; nodeId: string; ownNumber: boolean }
  /** A keyed number that cannot be called (never the keys: they are nearly a phone number). */
  | { type: 'callback.invalid'; nodeId: string }
  /**
   * The caller asked to be called back: whom they sought last, whose number (their own or keyed), the
   * promise's deadline (null: as soon as we can) and when an open request expires. `sealed` holds the
   * number, AES-GCM sealed, only on the way from the webhook to the store (outbox and journal): the
   * ingestor moves it to the callbacks store and stores the event without it (reception/callbacks.ts).
   */
  | {
      type: 'callback.requested';
      nodeId: string;
      target: string | null;
      targetKind: TargetKind | null;
      source: 'caller' | 'keyed';
      deadline: string | null;
      expires: string;
      language: string;
      sealed?: string;
    }
  /**
   * Not said by the IVR: noted by the ingestor once, when it first finds the call ended, after looking at
   * the caller's (pseudonym's) earlier calls: the targets this call sought that an earlier call within
   * the repeat window had sought too (see journey/repeats.ts). Kept as an event so the journey stays a
   * projection of its events alone: a re-projection, a rebuild or a repair finds the same answer.
   */
  | { type: 'call.repeat'; windowMs: number; repeats: RepeatOf[] }
  | { type: 'ivr.hangup'; nodeId: string }
  | { type: 'call.ended'; status: string; durationSec: number | null }
  | { type: 'engine.error'; nodeId: string | null; message: string };

export type CallEventType = CallEventData['type'];

export interface EventMeta {
  /** Deterministic: the same webhook delivered twice yields the same ids, so the store keeps one. */
  id: string;
  callSid: string;
  /** Epoch ms: the provider's Timestamp where it gives one, else when the request arrived. */
  at: number;
  /** The IVR step (URL state counter) that produced it; orders events that share a millisecond. */
  step: number;
  /** Position within the request that produced it. */
  seq: number;
}

export type CallEvent = EventMeta & CallEventData;

/** Orders events of one call as they happened: time, then IVR step, then position within a request. */
export function compareEvents(a: CallEvent, b: CallEvent): number {
  return a.at - b.at || a.step - b.step || a.seq - b.seq;
}

/**
 * The list in `compare`'s order: the list itself when it already is, else a sorted copy. Events nearly
 * always arrive in order, and checking costs a fraction of a sort, which copies the list to sort it.
 */
export function inOrderBy<T>(list: readonly T[], compare: (a: T, b: T) => number): readonly T[] {
  for (let i = 1; i < list.length; i++) if (compare(list[i - 1], list[i]) > 0) return [...list].sort(compare);
  return list;
}

/** The events in the order they happened (see inOrderBy). */
export function inEventOrder(list: readonly CallEvent[]): readonly CallEvent[] {
  return inOrderBy(list, compareEvents);
}
