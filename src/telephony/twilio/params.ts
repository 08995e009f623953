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

/**
 * A speech Gather's action: the recogniser's words and its confidence (0–1). A Confidence that is not
 * a number in range counts as none rather than failing the webhook: a caller who has just spoken a
 * comment must not be sent to the operator over a missing decimal.
 */
export const SpeechParams = Base.extend({
  SpeechResult: z.string().max(8000).optional(),
  Confidence: z
    .string()
    .optional()
    .transform((c) => {
      const n = c === undefined || c.trim() === '' ? NaN : Number(c);
      return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
    }),
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

const Count = z.coerce.number().int().min(0).max(100_000);
const QueueSecs = z.coerce.number().int().min(0).max(86_400);

/** Enqueue's waitUrl: the caller's place, asked for again whenever the wait document ends. */
export const QueueWaitParams = Base.extend({
  QueueSid: Sid('QU').optional(),
  QueuePosition: Count.default(1),
  QueueTime: QueueSecs.default(0),
  AvgQueueTime: QueueSecs.optional(),
  CurrentQueueSize: Count.default(1),
  MaxQueueSize: Count.optional(),
});

/** A key pressed in the wait document's Gather. */
export const QueueKeyParams = GatherParams;

export const QueueResult = z.enum(['bridged', 'bridging-in-process', 'queue-full', 'redirected', 'hangup', 'leave', 'error', 'system-error']);

/** Enqueue's action: how the caller left the queue. */
export const QueueResultParams = Base.extend({
  QueueResult,
  QueueSid: Sid('QU').optional(),
  QueueTime: QueueSecs.default(0),
});

/** `<Queue url>`: made on the waiting caller's call (CallSid) the moment an operator takes it. */
export const QueueBridgeParams = Base.extend({
  QueueSid: Sid('QU').optional(),
  QueueTime: QueueSecs.default(0),
  DequeingCallSid: Sid('CA').optional(),
});

/** The operator's `<Dial><Queue>` ended: the conversation, or the wait for a caller. */
export const AgentDialParams = Base.extend({
  DialCallStatus: z.enum(['completed', 'answered', 'busy', 'no-answer', 'failed', 'canceled']).optional(),
  DialCallSid: Sid('CA').optional(),
  QueueSid: Sid('QU').optional(),
});
