import type { SurveyQuestionId, TargetKind } from '../flow/schema';
import type { NoticeReason } from '../reception/notice';
import type { DialStatus, FallbackReason, QueueResult } from './events';

/** How a call ended up, from the caller's point of view. */
export type Outcome =
  | 'answered_by_operator'
  | 'answered_by_person'
  | 'answered_by_department'
  | 'abandoned_in_menu'
  | 'abandoned_while_ringing'
  | 'abandoned_after_fallback'
  /** Hung up while waiting in a queue for an operator. */
  | 'abandoned_in_queue'
  | 'self_service'
  /** Met closed opening hours on the way and reached no human: neither abandoned nor served. */
  | 'outside_hours'
  | 'error_fallback'
  | 'in_progress';

export type FallbackOutcome =
  | 'answered_by_operator'
  | 'answered_by_person'
  | 'answered_by_department'
  | 'abandoned'
  | 'ended_by_ivr'
  | 'in_progress';

export interface JourneyStep {
  nodeId: string;
  enteredAt: string;
  /** Until the next node, a human answering, or the end; null while the call is still there. */
  ms: number | null;
  /** The keys that took the caller on from here (a menu choice, an extension); null when the caller left otherwise. */
  keys: string | null;
  /** Keys pressed here that the node did not accept. */
  invalid: string[];
  /** Prompts here that the caller let pass without pressing anything. */
  timeouts: number;
}

/** A stay in a queue: how long, how it ended, who took the caller. */
export interface JourneyQueueStay {
  /** The key in the flow's `queues`. */
  queue: string;
  /** Enqueue's QueueResult; null while the caller is still in the queue (or the report is lost). */
  result: QueueResult | null;
  /** Seconds in the queue, as Twilio counts them; null until the caller has left or been answered. */
  waitSec: number | null;
  /** The operator (id in the queue's `operators`) who took the caller. */
  operator: string | null;
  /** Why the IVR took the caller out: the key pressed, or the longest wait. */
  leftBy: { reason: 'key'; digits: string } | { reason: 'max-wait' } | null;
  /** The caller's place at the latest announcement. */
  lastPosition: number | null;
}

/**
 * A way to a human: a dial that rang someone, or a stay in a queue (target: the queue, kind:
 * operator; ringMs: the wait; result: completed once answered, canceled for a hang-up, busy when the
 * queue was full, failed on a queue error, no-answer when the IVR took the caller out).
 */
export interface JourneyTransfer {
  transferId: string;
  nodeId: string;
  target: string;
  targetKind: TargetKind;
  attemptedAt: string;
  answeredAt: string | null;
  result: DialStatus | null;
  ringMs: number | null;
  talkSec: number | null;
  /** Rung as the backup of this person (their directory extension) by a backup node. Absent otherwise. */
  backupFor?: string;
  /** Present for a stay in a queue. */
  queue?: JourneyQueueStay;
}

export interface JourneyFallback {
  nodeId: string;
  target: string;
  targetKind: TargetKind;
  reason: FallbackReason;
  /** The node the caller was sent to. */
  route: string;
  at: string;
  /** How long the phone nobody answered rang before the fallback. Absent in journeys stored before it was kept. */
  ringMs?: number;
  /**
   * Time lost: from when the phone nobody answered began to ring (ringMs before the fallback) until a
   * human answered, or until the call ended without one. Journeys stored before ringMs counted from the fallback.
   */
  lostMs: number | null;
  /** Keys pressed from the fallback until a human answered, or until the end. */
  lostKeyPresses: number;
  outcome: FallbackOutcome;
  /**
   * The human who answered after it was a backup (a colleague or a group rung by a backup node) rather
   * than the operator or someone the caller sought anew. Absent in journeys stored before backups existed.
   */
  answeredByBackup?: boolean;
}

/** The caller sought a person with an absence notice and heard it instead of a ring. */
export interface JourneyNotice {
  nodeId: string;
  /** The directory extension, or the transfer target id. */
  target: string;
  targetKind: TargetKind;
  reason: NoticeReason;
  /** When the notice said the person is back; null when open-ended. */
  until: string | null;
  at: string;
}

export interface JourneyCallback {
  nodeId: string;
  target: string | null;
  targetKind: TargetKind | null;
  source: 'caller' | 'keyed';
  deadline: string | null;
  at: string;
}

export interface JourneySurvey {
  offered: boolean;
  declined: 'sampled-out' | 'disabled' | 'opted-out' | null;
  bemotande: number | null;
  enkelhet: number | null;
  /** "Did you get an answer to your question?": yes / no / not asked or not answered. */
  answered: boolean | null;
  skipped: SurveyQuestionId[];
  completed: boolean;
  /** SKR index points per answer: 5→100, 4→75, 3→50, 2→25, 1→0. */
  points: { bemotande: number | null; enkelhet: number | null };
  /**
   * The spoken comment the caller left after the questions: its length and the recogniser's
   * confidence, never its words (those are in the comments store, kept for a shorter time). null when
   * none was left. Absent in journeys stored before comments existed.
   */
  comment?: { confidence: number | null; chars: number } | null;
}

/**
 * This call sought a target (a person by extension, a department by target id) that the same caller had
 * sought in an earlier call that started within the repeat window (7 days) before this one: the most
 * recent such call's first fallback for that target, and how long before it started. Neither the
 * earlier call's id nor the caller's pseudonym: only what the figures need.
 */
export interface RepeatOf {
  target: string;
  targetKind: TargetKind;
  /** The earlier call's first fallback for that target; null when it took none (reached them, or left). */
  firstFallback: { reason: FallbackReason; route: string } | null;
  /** From the earlier call's start to this one's. */
  afterMs: number;
}

export interface Journey {
  callSid: string;
  flowId: string | null;
  flowVersion: string | null;
  /** Keyed-hash pseudonym of the caller's number. */
  caller: string | null;
  to: string | null;
  language: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  ended: boolean;
  path: string[];
  steps: JourneyStep[];
  keyPresses: number;
  keyPressesBeforeHuman: number;
  invalidInputs: number;
  timeouts: number;
  category: string | null;
  transfers: JourneyTransfer[];
  humanAnsweredAt: string | null;
  answeredBy: TargetKind | null;
  timeToHumanMs: number | null;
  timeToOperatorMs: number | null;
  fallbacks: JourneyFallback[];
  /** Absence notices the caller met (each followed by a fallback for the reason `notice`). Absent in journeys stored before notices existed. */
  notices?: JourneyNotice[];
  survey: JourneySurvey;
  /**
   * The callback the caller asked for: whom they sought, whose number (never the number) and the
   * promise's deadline. null when none; absent in journeys stored before callbacks existed.
   */
  callback?: JourneyCallback | null;
  outcome: Outcome;
  /** Targets this call sought again within the repeat window (a call.repeat event); absent when none or never looked for. */
  repeatOf?: RepeatOf[];
  /** An opening-hours check found the switchboard (or the department) closed. Absent in journeys stored before opening hours existed. */
  outsideHours?: boolean;
  errors: number;
  eventCount: number;
}
