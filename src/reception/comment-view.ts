import type { FallbackReason } from '../journey/events';
import type { Journey } from '../journey/journey';
import type { StoredComment } from './comments';

/** Which comments a reader asks for, by what happened in their calls. */
export interface CommentFilter {
  /** Calls whose bemötande or enkelhet answer is one of these (1–5). */
  scores?: readonly number[];
  /** any: the call took a fallback; none: it took none; a reason: a fallback for that reason. */
  fallback?: 'any' | 'none' | FallbackReason;
  /** Calls that tried this target (a transfer or a queue), whether or not it answered. */
  target?: string;
}

/** A comment beside the path and the scores of its call ("ris och ros" beside what earned it). */
export interface CommentView extends Omit<StoredComment, 'id'> {
  /** null when the call's journey is gone (erased or past retention while the comment was being read). */
  call: {
    startedAt: string | null;
    path: string[];
    outcome: Journey['outcome'];
    category: string | null;
    timeToHumanMs: number | null;
    targets: string[];
    fallbacks: { nodeId: string; target: string; reason: FallbackReason; route: string }[];
    survey: { bemotande: number | null; enkelhet: number | null; answered: boolean | null };
  } | null;
}

/** Whether a comment's call is one the filter asks for; a comment whose call is unknown matches only an empty filter. */
export function matchesFilter(journey: Journey | undefined, f: CommentFilter): boolean {
  if (!f.scores && !f.fallback && !f.target) return true;
  if (!journey) return false;
  if (f.scores && ![journey.survey.bemotande, journey.survey.enkelhet].some((v) => v !== null && f.scores!.includes(v))) return false;
  if (f.fallback === 'any' && !journey.fallbacks.length) return false;
  if (f.fallback === 'none' && journey.fallbacks.length) return false;
  if (f.fallback && f.fallback !== 'any' && f.fallback !== 'none' && !journey.fallbacks.some((fb) => fb.reason === f.fallback)) return false;
  if (f.target && !journey.transfers.some((t) => t.target === f.target)) return false;
  return true;
}

/** The comment with what its call's journey says; never the caller's pseudonym. */
export function commentView(c: StoredComment, journey: Journey | undefined): CommentView {
  return {
    callSid: c.callSid,
    at: c.at,
    text: c.text,
    confidence: c.confidence,
    language: c.language,
    flowId: c.flowId ?? journey?.flowId ?? null,
    call: journey
      ? {
          startedAt: journey.startedAt,
          path: journey.path,
          outcome: journey.outcome,
          category: journey.category,
          timeToHumanMs: journey.timeToHumanMs,
          targets: [...new Set(journey.transfers.map((t) => t.target))],
          fallbacks: journey.fallbacks.map((f) => ({ nodeId: f.nodeId, target: f.target, reason: f.reason, route: f.route })),
          survey: { bemotande: journey.survey.bemotande, enkelhet: journey.survey.enkelhet, answered: journey.survey.answered },
        }
      : null,
  };
}
