import type { Flow } from '../flow/schema';
import type { Journey } from '../journey/journey';
import { maskedNumber } from './callback-number';
import { isOverdue, type StoredCallback } from './callbacks';

/** A callback as reception's inbox shows it: the number masked ("070-… 45 67"), never in clear. */
export interface CallbackView {
  id: string;
  callSid: string;
  flowId: string | null;
  state: 'open' | 'overdue' | 'done' | 'expired';
  requestedAt: string;
  /** How long the caller has waited: to now while open, to the close otherwise. */
  waitedMs: number;
  deadline: string | null;
  expires: string;
  /** Whom the caller sought: the person's name or the department's label, with the id. */
  sought: { target: string | null; targetKind: string | null; label: string | null };
  /** The keys the caller pressed on the way (menu choices, extensions), in order. */
  pressed: string[];
  source: 'caller' | 'keyed';
  language: string;
  number: string | null;
  assignedTo: string | null;
  tries: number;
  closedAt: string | null;
  history: StoredCallback['history'];
}

function soughtLabel(flow: Flow | null, target: string | null, kind: string | null): string | null {
  if (!flow || !target) return null;
  return kind === 'person' ? (flow.directory[target]?.name ?? null) : (flow.targets[target]?.label ?? null);
}

export function callbackView(cb: StoredCallback, journey: Journey | undefined, flow: Flow | null, now: number, open: (sealed: string) => string | null): CallbackView {
  const clear = open(cb.sealed);
  const end = cb.closedAt ? Date.parse(cb.closedAt) : now;
  return {
    id: cb.id,
    callSid: cb.callSid,
    flowId: cb.flowId,
    state: isOverdue(cb, now) ? 'overdue' : cb.state,
    requestedAt: cb.requestedAt,
    waitedMs: Math.max(0, end - Date.parse(cb.requestedAt)),
    deadline: cb.deadline,
    expires: cb.expires,
    sought: { target: cb.target, targetKind: cb.targetKind, label: soughtLabel(flow, cb.target, cb.targetKind) },
    pressed: (journey?.steps ?? []).map((s) => s.keys).filter((k): k is string => !!k),
    source: cb.source,
    language: cb.language,
    number: clear ? maskedNumber(clear) : null,
    assignedTo: cb.assignedTo,
    tries: cb.tries,
    closedAt: cb.closedAt,
    history: cb.history,
  };
}
