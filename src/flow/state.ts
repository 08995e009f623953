import { z } from 'zod';

/**
 * Where a call is in its flow. It travels in the URL of the next webhook (Twilio signs the full URL,
 * so it cannot be forged), which keeps the webhook answer independent of any database read.
 */
export const CallState = z.object({
  /** flow id and content version: a call finishes on the version it started with */
  f: z.string().min(1).max(64),
  v: z.string().min(1).max(64),
  /** current node */
  n: z.string().min(1).max(64),
  /** language */
  l: z.string().regex(/^[a-z]{2}-[A-Z]{2}$/),
  /** retries used at the current node */
  r: z.coerce.number().int().min(0).max(20).default(0),
  /** step counter: unique per webhook within a call, so retried deliveries are recognised */
  k: z.coerce.number().int().min(0).max(10_000),
  /** transfer target (target id, or directory extension) */
  t: z.string().max(64).optional(),
  /** the person (directory extension) or target last sought, kept from node to node: whom a backup node rings the backup of, and whom a callback request names */
  p: z.string().max(64).optional(),
  /** survey question index and try at that question */
  q: z.coerce.number().int().min(0).max(10).optional(),
  x: z.coerce.number().int().min(0).max(5).optional(),
  /** 1 while the survey waits for the caller's consent (opt-in) */
  c: z.coerce.number().int().min(0).max(1).optional(),
  /** at a callback node: 1 keying a number, 2 confirming the keyed number (absent: confirming their own) */
  b: z.coerce.number().int().min(0).max(2).optional(),
  /** at a callback node: the keyed number, sealed (AES-GCM, never in clear), until the caller confirms it */
  z: z.string().max(200).optional(),
});
export type CallState = z.infer<typeof CallState>;

export function encodeState(s: CallState): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) if (v !== undefined) p.set(k, String(v));
  return p.toString();
}

/** Parses the state from query parameters; null if it is absent or has been tampered with. */
export function decodeState(query: Record<string, unknown>): CallState | null {
  const r = CallState.safeParse(query);
  return r.success ? r.data : null;
}
