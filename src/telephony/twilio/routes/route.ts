import type { z } from 'zod';
import type { Step } from '../../../flow/actions';
import type { StepInputs } from '../../../flow/context';
import type { Flow } from '../../../flow/schema';
import type { CallState } from '../../../flow/state';
import type { FormParams } from '../form';

/** One webhook's decision: what to render and record, and for which call. */
export interface Outcome {
  step: Step;
  callSid: string;
  stepNo: number;
  at?: number;
}

/** A webhook path: its parameters, and parse → engine → step. */
export interface WebhookRoute {
  schema: z.ZodTypeAny;
  decide: (params: never, query: FormParams, now: number) => Outcome;
  /** A callback whose answer Twilio ignores: always an empty document, even after a failure (no fallback). */
  silent: boolean;
  /** What to answer when `decide` fails; absent, the caller's safe fallback (the operator). */
  onFailure?: (query: FormParams, body: FormParams) => Step;
}

export const route = <S extends z.ZodTypeAny>(
  schema: S,
  silent: boolean,
  decide: (p: z.infer<S>, query: FormParams, now: number) => Outcome,
  onFailure?: WebhookRoute['onFailure'],
): WebhookRoute => ({ schema, silent, decide: decide as WebhookRoute['decide'], onFailure });

/** What the routes share: the flow and state a continuation URL names. */
export interface RouteContext {
  requireState(query: FormParams): { state: CallState; flow: Flow };
  /** What the service knows for a step at `now` (absence notices), handed to the engine as it is. */
  /** What a step may read beyond the call: notices, and for a callback node the caller's number (From) and the sealing. */
  inputsAt(now: number, from?: string): StepInputs;
}
