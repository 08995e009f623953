import { z } from 'zod';

/**
 * The webhook parameters callpath reads, as Twilio sends them (application/x-www-form-urlencoded).
 * Unknown parameters are allowed: Twilio adds new ones over time.
 */
const Sid = (prefix: string) => z.string().regex(new RegExp(`^${prefix}[0-9a-fA-F]{32}$`), `must be a ${prefix}… sid`);
const Phone = z.string().max(64);

export const CallStatus = z.enum(['queued', 'initiated', 'ringing', 'in-progress', 'completed', 'busy', 'failed', 'no-answer', 'canceled']);

const Base = z.object({
  CallSid: Sid('CA'),
  AccountSid: Sid('AC'),
  From: Phone.optional(),
  To: Phone.optional(),
  CallStatus: CallStatus.optional(),
  Direction: z.string().max(32).optional(),
});

export const VoiceParams = Base;

export const GatherParams = Base.extend({
  Digits: z.string().regex(/^[0-9*#wW]{0,64}$/, 'must be keypad characters').optional(),
  FinishedOnKey: z.string().max(1).optional(),
});

export const DialParams = Base.extend({
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']),
  DialCallSid: Sid('CA').optional(),
  DialCallDuration: z.coerce.number().int().min(0).max(86_400).optional(),
  DialBridged: z.string().optional(),
});

/** Child-leg progress from <Number statusCallbackEvent=...>. */
export const LegParams = z.object({
  CallSid: Sid('CA'),
  ParentCallSid: Sid('CA'),
  AccountSid: Sid('AC'),
  CallStatus: CallStatus,
  Timestamp: z.string().max(64).optional(),
  SequenceNumber: z.coerce.number().int().min(0).max(1000).optional(),
  CallbackSource: z.string().max(64).optional(),
});

/** The call's own status callback. */
export const StatusParams = Base.extend({
  CallStatus: CallStatus,
  CallDuration: z.coerce.number().int().min(0).max(86_400).optional(),
  Timestamp: z.string().max(64).optional(),
  SequenceNumber: z.coerce.number().int().min(0).max(1000).optional(),
});

export const TERMINAL_CALL_STATUSES = new Set(['completed', 'busy', 'failed', 'no-answer', 'canceled']);

/** Twilio's Timestamp is RFC 2822 ("Tue, 17 Nov 2026 09:15:02 +0000"); a bad one falls back to arrival time. */
export function parseTimestamp(raw: string | undefined, fallback: number): number {
  if (!raw) return fallback;
  const t = Date.parse(raw);
  return Number.isFinite(t) ? t : fallback;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`).join('; ');
}
