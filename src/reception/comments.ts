import type { CallEvent } from '../journey/events';
import { isoTime } from '../journey/iso-time';

/**
 * The words a caller said after the survey, kept apart from the call's events and journey.
 *
 * Why apart: residents say names and case details in a comment. Events and journeys are kept for
 * RETENTION_DAYS and feed rollups, CSV exports and the live board; a comment is kept for the shorter
 * COMMENT_RETENTION_DAYS and shown only to reception and admins, each read on the audit trail.
 *
 * How the words travel: on their `survey.comment` event, through the outbox and its journal, exactly
 * like every other event of the webhook. The webhook then answers only once the words are journaled,
 * as it does for keys (a crash loses nothing the caller was thanked for), with no second write path
 * to keep in step. The ingestor splits the words off (splitComments) before the events are stored,
 * so the events table never holds them; the journal holds them until delivery, then deletes the row
 * with its bytes zeroed (secure_delete). Listeners of the live feed get the events without them.
 */
export interface StoredComment {
  /** The id of the survey.comment event it came with: a redelivered webhook stores it once. */
  id: string;
  callSid: string;
  /** ISO time the comment's Gather ended. */
  at: string;
  text: string;
  /** The recogniser's confidence, 0–1; null when it gave none. */
  confidence: number | null;
  /** The language it was recognised in (the call's: sv-SE, en-GB, ...). */
  language: string;
  /** The flow the call was on; null when its journey was not known when the comment was stored. */
  flowId: string | null;
}

/** Newest first, as the comments list pages them. */
export interface CommentQuery {
  /** ISO bounds on `at`: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  flowId?: string;
  limit?: number;
  /** Continue after this comment in the (at desc, id desc) order of a previous page. */
  before?: { at: string; id: string };
}

type CommentEvent = Extract<CallEvent, { type: 'survey.comment' }>;

/**
 * The events without the words, and the comments the words make (flowId not known yet). Events that
 * carry no words are passed through as they are, so the common case copies nothing.
 */
export function splitComments(events: readonly CallEvent[]): { events: CallEvent[]; comments: Omit<StoredComment, 'flowId'>[] } {
  if (!events.some(hasWords)) return { events: events as CallEvent[], comments: [] };
  const comments: Omit<StoredComment, 'flowId'>[] = [];
  const stripped = events.map((e) => {
    if (!hasWords(e)) return e;
    const { text, ...rest } = e;
    if (text) comments.push({ id: e.id, callSid: e.callSid, at: isoTime(e.at), text, confidence: e.confidence, language: e.language });
    return rest as CallEvent;
  });
  return { events: stripped, comments };
}

/** The events as anyone but the comments store may see them: the words left out. */
export function withoutCommentWords(events: CallEvent[]): CallEvent[] {
  return events.some(hasWords) ? splitComments(events).events : events;
}

function hasWords(e: CallEvent): e is CallEvent & CommentEvent {
  return e.type === 'survey.comment' && 'text' in e;
}
