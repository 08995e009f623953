/**
 * actualCost (src/flow/replay/replay.ts): what a recorded call cost up to the end point the estimate
 * uses: the start of the final transfer, the fallback the call ended on, or the ending of a
 * self-service call. Ringing of unanswered dials is kept apart from menu time.
 */
import type { Intent } from '../../../src/flow/replay/intent';
import { actualCost } from '../../../src/flow/replay/replay';
import { fallback, journey, step, transfer } from './journeys';
import { department, selfService, transfers } from './intents';

const wanted: Intent = transfers([department('skola')]);

describe('actualCost of a self-service call', () => {
  test('up to entering its last node, with every key pressed, and no ringing', () => {
    const j = journey({ outcome: 'self_service', keyPresses: 2, keyPressesBeforeHuman: 0, steps: [step('main', 1000), step('info', 2500), step('bye', 4200)] });
    expect(actualCost(j, selfService('bye'))).toEqual({ keys: 2, menuMs: 4200, ringMs: 0 });
  });

  test('without recorded steps: no figure', () => {
    expect(actualCost(journey({ outcome: 'self_service', keyPresses: 1 }), selfService('bye'))).toBeNull();
  });

  test('a call that never started: no figure', () => {
    expect(actualCost(journey({ startedAt: null, steps: [step('bye', 4200)] }), selfService('bye'))).toBeNull();
  });
});

describe('actualCost of a call that made transfers', () => {
  test('answered: up to the start of the dial, with the keys pressed before the human answered', () => {
    const j = journey({ keyPresses: 3, keyPressesBeforeHuman: 1, transfers: [transfer('skola', 'skola', 'department', 16_620, 22_000, 5380)] });
    expect(actualCost(j, wanted)).toEqual({ keys: 1, menuMs: 16_620, ringMs: 0 });
  });

  test('hung up while it rang: up to the start of the dial, with every key pressed', () => {
    const j = journey({ outcome: 'abandoned_while_ringing', keyPresses: 2, keyPressesBeforeHuman: 0, transfers: [transfer('skola', 'skola', 'department', 16_620, null, 9000)] });
    expect(actualCost(j, wanted)).toEqual({ keys: 2, menuMs: 16_620, ringMs: 0 });
  });

  test('a dial nobody answered, then another answered: its ringing as recorded with the dial, apart from menu time', () => {
    const j = journey({
      outcome: 'answered_by_operator',
      keyPresses: 2,
      keyPressesBeforeHuman: 2,
      transfers: [transfer('skola', 'skola', 'department', 10_000, null, 20_000), transfer('operator', 'operator', 'operator', 31_000, 40_000)],
      fallbacks: [fallback('skola', 'skola', 'no-answer', 30_500)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 2, menuMs: 31_000 - 20_000, ringMs: 20_000 });
  });

  test('without the ringing recorded with the dial: from the dial to its fallback', () => {
    const j = journey({
      keyPresses: 1,
      keyPressesBeforeHuman: 1,
      transfers: [transfer('skola', 'skola', 'department', 10_000, null, null), transfer('operator', 'operator', 'operator', 31_000, 40_000)],
      fallbacks: [fallback('skola', 'skola', 'no-answer', 30_500)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 1, menuMs: 31_000 - 20_500, ringMs: 20_500 });
  });

  test('a dial recorded as ringing 0 ms (busy) counts 0, not the time to its fallback', () => {
    const j = journey({
      keyPresses: 1,
      keyPressesBeforeHuman: 1,
      transfers: [transfer('skola', 'skola', 'department', 10_000, null, 0), transfer('operator', 'operator', 'operator', 12_000, 20_000)],
      fallbacks: [fallback('skola', 'skola', 'busy', 11_000)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 1, menuMs: 12_000, ringMs: 0 });
  });

  test('ended on a fallback: up to the fallback, without the keys pressed after it; the ringing of every unanswered dial summed', () => {
    const j = journey({
      outcome: 'abandoned_after_fallback',
      keyPresses: 7,
      keyPressesBeforeHuman: 0,
      transfers: [transfer('skola', 'skola', 'department', 10_000, null, 20_000), transfer('operator', 'operator', 'operator', 35_000, null, 30_000)],
      fallbacks: [fallback('skola', 'skola', 'no-answer', 30_200, 3), fallback('operator', 'operator', 'no-answer', 65_100, 2)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 5, menuMs: 65_100 - 50_000, ringMs: 50_000 });
  });

  test('a journey without transfers has no figure for a transfer intent', () => {
    expect(actualCost(journey({ keyPresses: 1 }), wanted)).toBeNull();
  });

  test('a call that never started: no figure', () => {
    expect(actualCost(journey({ startedAt: null, transfers: [transfer('skola', 'skola', 'department', 1000, 2000)] }), wanted)).toBeNull();
  });
});

describe('actualCost of a call that met an absence notice', () => {
  const notice = (nodeId: string, target: string, atMs: number, lostKeyPresses = 0) => ({ ...fallback(nodeId, target, 'notice', atMs, lostKeyPresses), targetKind: 'person' as const });

  test('ended on the notice (the caller hung up after it): up to the notice, without the keys pressed after it, no ringing', () => {
    const j = journey({ outcome: 'abandoned_after_fallback', keyPresses: 6, fallbacks: [notice('person', '4711', 9_000, 1)] });
    expect(actualCost(j, wanted)).toEqual({ keys: 5, menuMs: 9_000, ringMs: 0 });
  });

  test('a notice after the last dial ends the call there: the dial\'s ringing before it is kept apart', () => {
    const j = journey({
      outcome: 'abandoned_after_fallback',
      keyPresses: 4,
      transfers: [transfer('skola', 'skola', 'department', 10_000, null, 20_000)],
      fallbacks: [fallback('skola', 'skola', 'no-answer', 30_200), notice('person', '4711', 40_000, 1)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 3, menuMs: 40_000 - 20_000, ringMs: 20_000 });
  });

  test('a notice, then the operator answered at the same moment: up to the operator\'s dial, which comes after the notice', () => {
    const j = journey({
      outcome: 'answered_by_operator',
      keyPresses: 5,
      keyPressesBeforeHuman: 5,
      transfers: [transfer('operator', 'operator', 'operator', 9_000, 15_000)],
      fallbacks: [notice('person', '4711', 9_000)],
    });
    expect(actualCost(j, wanted)).toEqual({ keys: 5, menuMs: 9_000, ringMs: 0 });
  });
});
