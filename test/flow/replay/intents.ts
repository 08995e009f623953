/**
 * Intents and a caller model for the cheapest-path tests in this folder. The model's figures are round
 * (10 ms per character, 1 s to answer, 100 ms per further digit) and prompts are `chars(n)`, n
 * characters long, so each expected time is n × 10 plus 1 000 per answer, computed in the test.
 */
import type { Intent, IntentAttempt } from '../../../src/flow/replay/intent';
import type { CallerModel } from '../../../src/flow/replay/model';

export const M: CallerModel = { speechMsPerChar: 10, thinkMs: 1000, digitMs: 100 };

/** A prompt `n` characters long (n × 10 ms under M). */
export const chars = (n: number): string => 'a'.repeat(n);

export const transfers = (attempts: IntentAttempt[], language: string | null = 'sv-SE'): Intent => ({ kind: 'transfers', attempts, language, label: 'test' });

export const selfService = (node: string, language: string | null = 'sv-SE'): Intent => ({ kind: 'self-service', node, language, label: `self-service at ${node}` });

export const department = (target: string, outcome: IntentAttempt['outcome'] = 'answered', number?: string): IntentAttempt => ({ kind: 'department', target, outcome, ...(number ? { number } : {}) });
export const person = (target: string, outcome: IntentAttempt['outcome'] = 'answered', number?: string): IntentAttempt => ({ kind: 'person', target, outcome, ...(number ? { number } : {}) });
export const operator = (outcome: IntentAttempt['outcome'] = 'answered'): IntentAttempt => ({ kind: 'operator', target: 'operator', outcome });
