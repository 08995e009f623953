/**
 * Builders of recorded journeys for the replay tests in this folder: a journey as the store holds it,
 * with only what a case needs set, and its transfers, fallbacks and steps at a number of milliseconds
 * after the call started (T0), so a case's expected figures can be computed from its own numbers.
 */
import type { Journey, JourneyFallback, JourneyStep, JourneyTransfer } from '../../../src/journey/journey';

export const T0 = '2026-03-02T08:00:00.000Z';

/** The time `ms` milliseconds after the call started. */
export const at = (ms: number): string => new Date(Date.parse(T0) + ms).toISOString();

export function journey(over: Partial<Journey> = {}): Journey {
  return {
    callSid: 'CA00000000000000000000000000000001',
    flowId: 'lint',
    flowVersion: null,
    caller: null,
    to: null,
    language: 'sv-SE',
    startedAt: T0,
    endedAt: null,
    durationMs: null,
    ended: true,
    path: [],
    steps: [],
    keyPresses: 0,
    keyPressesBeforeHuman: 0,
    invalidInputs: 0,
    timeouts: 0,
    category: null,
    transfers: [],
    humanAnsweredAt: null,
    answeredBy: null,
    timeToHumanMs: null,
    timeToOperatorMs: null,
    fallbacks: [],
    survey: { offered: false, declined: null, bemotande: null, enkelhet: null, answered: null, skipped: [], completed: false, points: { bemotande: null, enkelhet: null } },
    outcome: 'answered_by_department',
    errors: 0,
    eventCount: 0,
    ...over,
  };
}

/** A dial from node `nodeId` to `target`, started `startMs` after T0; answered `answeredMs` after T0, or not (null). */
export function transfer(nodeId: string, target: string, targetKind: JourneyTransfer['targetKind'], startMs: number, answeredMs: number | null, ringMs: number | null = null): JourneyTransfer {
  return {
    transferId: `${nodeId}-${startMs}`,
    nodeId,
    target,
    targetKind,
    attemptedAt: at(startMs),
    answeredAt: answeredMs === null ? null : at(answeredMs),
    result: answeredMs === null ? 'no-answer' : 'completed',
    ringMs,
    talkSec: null,
  };
}

/** The fallback taken at node `nodeId` for `target`, `atMs` after T0, with `lostKeyPresses` keys pressed after it. */
export function fallback(nodeId: string, target: string, reason: JourneyFallback['reason'], atMs: number, lostKeyPresses = 0): JourneyFallback {
  return { nodeId, target, targetKind: 'department', reason, route: 'operator', at: at(atMs), lostMs: null, lostKeyPresses, outcome: 'answered_by_operator' };
}

/** The caller entered node `nodeId` `enteredMs` after T0. */
export function step(nodeId: string, enteredMs: number): JourneyStep {
  return { nodeId, enteredAt: at(enteredMs), ms: null, keys: null, invalid: [], timeouts: 0 };
}
