import type { TargetKind } from '../flow/schema';
import type { CallEvent } from '../journey/events';
import { isoTime } from '../journey/iso-time';

/**
 * A callback the caller asked for, kept apart from the call's events and journey.
 *
 * The number: needed in clear to call back, so it is sealed (AES-256-GCM, CALLBACK_KEYS) in the
 * webhook, before anything is recorded, and travels sealed on its `callback.requested` event through
 * the outbox and its journal, like a spoken comment's words (reception/comments.ts). The ingestor
 * splits it off (splitCallbacks) before the event is stored: events, journeys, rollups and the live
 * feed never hold it, not even sealed. Here it rests sealed; reception opens it one request at a
 * time (GET /api/callbacks/:id/number, on the audit trail). The rest of the system knows the caller
 * by pseudonym only.
 *
 * The history: each change reception makes (assigned, tried, done) and the expiry, with its time and
 * who made it, is a row of the callback's own history, not a call event. A call's events feed its
 * journey and the rollups and are kept RETENTION_DAYS; the history names staff and holds their notes
 * about a resident, so it goes with the callback, CALLBACK_RETENTION_DAYS after it is closed. Every
 * change is also on the audit trail.
 */
export type CallbackState = 'open' | 'done' | 'expired';

export type CallbackAction = 'assigned' | 'tried' | 'done' | 'expired';

export interface CallbackChange {
  at: string;
  action: CallbackAction;
  /** Who made it (the user's e-mail, a service account's name); null for the expiry. */
  by: string | null;
  /** assigned: to whom. */
  assignedTo?: string;
  /** tried: what reception noted (no answer, left a message…). */
  note?: string;
}

export interface StoredCallback {
  /** The id of the callback.requested event it came with: a redelivered webhook stores it once. */
  id: string;
  callSid: string;
  flowId: string | null;
  /** The caller's pseudonym (from the journey), for the register extract and erasure; never the number. */
  caller: string | null;
  nodeId: string;
  /** Whom the caller sought last: a directory extension or a target id. */
  target: string | null;
  targetKind: TargetKind | null;
  source: 'caller' | 'keyed';
  language: string;
  requestedAt: string;
  /** The promise's deadline; null when the flow promised none ("as soon as we can"). */
  deadline: string | null;
  /** When it expires if still open. */
  expires: string;
  /** The number, sealed (see callback-seal.ts). */
  sealed: string;
  state: CallbackState;
  assignedTo: string | null;
  /** Tries that reached nobody. */
  tries: number;
  /** When it was done or expired. */
  closedAt: string | null;
  /** Oldest first. */
  history: CallbackChange[];
}

export interface CallbackQuery {
  states?: CallbackState[];
  /** ISO bounds on requestedAt: from inclusive, to exclusive. */
  from?: string;
  to?: string;
  flowId?: string;
  limit?: number;
}

type RequestEvent = Extract<CallEvent, { type: 'callback.requested' }>;

/** A new request as the ingestor makes it (flowId and caller from the journey). */
export type NewCallback = Omit<StoredCallback, 'flowId' | 'caller' | 'state' | 'assignedTo' | 'tries' | 'closedAt' | 'history'>;

/** The events without the sealed numbers, and the callbacks they make. Events without one pass through uncopied. */
export function splitCallbacks(events: readonly CallEvent[]): { events: CallEvent[]; callbacks: NewCallback[] } {
  if (!events.some(hasNumber)) return { events: events as CallEvent[], callbacks: [] };
  const callbacks: NewCallback[] = [];
  const stripped = events.map((e) => {
    if (!hasNumber(e)) return e;
    const { sealed, ...rest } = e;
    if (sealed) {
      callbacks.push({
        id: e.id,
        callSid: e.callSid,
        nodeId: e.nodeId,
        target: e.target,
        targetKind: e.targetKind,
        source: e.source,
        language: e.language,
        requestedAt: isoTime(e.at),
        deadline: e.deadline,
        expires: e.expires,
        sealed,
      });
    }
    return rest as CallEvent;
  });
  return { events: stripped, callbacks };
}

/** The events as anyone but the callbacks store may see them: the sealed number left out. */
export function withoutCallbackNumbers(events: CallEvent[]): CallEvent[] {
  return events.some(hasNumber) ? splitCallbacks(events).events : events;
}

function hasNumber(e: CallEvent): e is CallEvent & RequestEvent {
  return e.type === 'callback.requested' && 'sealed' in e;
}

/** What a change does to an open callback. */
export function applyChange(cb: StoredCallback, change: CallbackChange): StoredCallback {
  const next: StoredCallback = { ...cb, history: [...cb.history, change] };
  if (change.action === 'assigned') next.assignedTo = change.assignedTo ?? null;
  if (change.action === 'tried') next.tries = cb.tries + 1;
  if (change.action === 'done' || change.action === 'expired') {
    next.state = change.action;
    next.closedAt = change.at;
  }
  return next;
}

/** Overdue: still open past its promise's deadline. */
export function isOverdue(cb: Pick<StoredCallback, 'state' | 'deadline'>, now: number): boolean {
  return cb.state === 'open' && cb.deadline !== null && Date.parse(cb.deadline) <= now;
}
