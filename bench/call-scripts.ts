import type { CallerScript } from '../src/sim/virtual-caller';

/**
 * The call mix the webhook bench replays: the paths a municipal switchboard sees, weighted roughly
 * as they occur (most callers pick a department or the operator; a share meet a transfer nobody
 * answers and take the fallback; most answer the survey, some hang up on it).
 */
export interface WeightedScript {
  name: string;
  weight: number;
  script: CallerScript;
}

const answer = { answer: true as const, ringMs: 8_000, talkMs: 150_000 };
/** The demo's operator is a queue: an operator takes the caller after 40 s (the agent call, the bridge, the Dial's end are in the mix). */
const operator = { takenBy: { from: '+46701110001', agentNumber: '+46101300199', afterSec: 40, talkMs: 150_000 } };
const noAnswer = { answer: false as const, status: 'no-answer' as const };
const busy = { answer: false as const, status: 'busy' as const, ringMs: 1_000 };

export const CALL_MIX: WeightedScript[] = [
  { name: 'menu → department, answered, survey', weight: 22, script: { digits: ['1'], dials: [answer], survey: ['5', '4', '1'] } },
  { name: 'menu → operator queue (0), taken after 40 s, survey', weight: 18, script: { digits: ['0'], queue: operator, survey: ['4', '4', '1'] } },
  { name: 'menu → department, no answer → fallback to the operator queue, survey', weight: 12, script: { digits: ['2'], dials: [noAnswer], queue: operator, survey: ['3', '2', '2'] } },
  { name: 'extension, answered, survey', weight: 10, script: { digits: ['5', '4711'], dials: [answer], survey: ['5', '5', '1'] } },
  { name: 'extension, no answer → fallback menu → operator queue, survey', weight: 8, script: { digits: ['5', '4712', '0'], dials: [noAnswer], queue: operator, survey: ['2', '1', '2'] } },
  { name: 'extension busy → try another extension, answered, survey', weight: 4, script: { digits: ['5', '4713', '1', '4714'], dials: [busy, answer], survey: ['4', '3', '1'] } },
  { name: 'invalid key, then department busy → operator queue, no survey answer', weight: 5, script: { digits: ['7', '4'], dials: [busy], queue: operator, survey: [] } },
  { name: 'English, department answered, survey', weight: 4, script: { digits: ['9', '1', '3'], dials: [answer], survey: ['5', '4', '1'] } },
  { name: 'silent in the menu → operator queue after retries', weight: 5, script: { digits: ['', '', ''], queue: operator, survey: ['4', '', ''] } },
  { name: 'hangs up in the menu', weight: 6, script: { digits: [] } },
  { name: 'hangs up while the department rings', weight: 4, script: { digits: ['3'], dials: [{ answer: false, status: 'caller-hangs-up', ringMs: 15_000 }] } },
  { name: 'hangs up in the operator queue after 70 s', weight: 3, script: { digits: ['0'], queue: { hangUpAfterSec: 70 } } },
  { name: 'operator queue at its longest wait (300 s) → closed message', weight: 2, script: { digits: ['0'] } },
];
