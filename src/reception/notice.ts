import { phoneKey } from '../flow/registry';

/**
 * An absence notice (hänvisning): why a person in a flow's directory cannot answer, and until when.
 * The IVR says it before any ring and sends the caller on at once, instead of twenty seconds of ringing.
 */
export const NOTICE_REASONS = ['meeting', 'out', 'sick', 'leave', 'gone-for-the-day', 'other'] as const;
export type NoticeReason = (typeof NOTICE_REASONS)[number];

/** Reasons that make no sense without a return time ("in a meeting until …"). Sick, leave and other may be open-ended. */
export const REASONS_NEEDING_UNTIL: ReadonlySet<NoticeReason> = new Set(['meeting', 'out', 'gone-for-the-day']);

/** The longest free text of an `other` notice: it is spoken to every caller who seeks the person. */
export const NOTICE_TEXT_MAX = 120;

export interface Notice {
  /** The person, by their number in E.164 (see personKey): the same person in two flows has one notice. */
  person: string;
  reason: NoticeReason;
  /** ISO time the person is back; null when open-ended (sick, leave, other only). */
  until: string | null;
  /** Only for `other`: a short sentence said after the person's name. */
  text?: string;
  /** The audit trail's actor who set it (`user:<email>`, `service:API_TOKEN`), or `calendar` for a feed. */
  setBy: string;
  /** ISO time it was set. */
  setAt: string;
}

/**
 * The key a person's notice is kept under: their number as E.164 digits (spaces and dashes dropped,
 * as the registry keys numbers). A sip: or client: address is kept as written: it has no digits form.
 */
export function personKey(number: string): string {
  const trimmed = number.trim();
  return trimmed.startsWith('+') ? phoneKey(trimmed) : trimmed;
}

/** A notice whose return time has passed no longer applies: the person is expected back, so the phone rings again. */
export function noticeApplies(n: Pick<Notice, 'until'>, now: number): boolean {
  return n.until === null || Date.parse(n.until) > now;
}
