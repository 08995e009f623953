/**
 * What a recorded call wanted (src/flow/replay/intent.ts): which fallback belongs to which dial
 * (matchAttempts), and the intent read from a journey (intentOf): the calls that have none and why,
 * a call the IVR ended by itself, and each attempt's target, number and outcome, with its label.
 */
import { intentOf, matchAttempts } from '../../../src/flow/replay/intent';
import { flowOf } from '../lint/flows';
import { fallback, journey, transfer } from './journeys';

/** The lint base flow with a person in its directory: numbers for skola, the operator and 4711. */
const own = flowOf((f) => {
  f.directory = { '4711': { name: 'Anna Lind', number: '+46101304711' } };
});

describe('matchAttempts: the fallback each dial ended in', () => {
  test('a journey without transfers has no attempts', () => {
    expect(matchAttempts(journey({ fallbacks: [fallback('skola', 'skola', 'no-answer', 5000)] }))).toEqual([]);
  });

  test('dials without fallbacks: each attempt with none', () => {
    const t1 = transfer('skola', 'skola', 'department', 1000, 3000);
    expect(matchAttempts(journey({ transfers: [t1] }))).toEqual([{ transfer: t1, fallback: null }]);
  });

  test('a fallback goes to the latest dial from its node and target that started before it', () => {
    const t1 = transfer('skola', 'skola', 'department', 1000, null);
    const t2 = transfer('skola', 'skola', 'department', 2000, null);
    const f = fallback('skola', 'skola', 'no-answer', 9000);
    expect(matchAttempts(journey({ transfers: [t1, t2], fallbacks: [f] }))).toEqual([
      { transfer: t1, fallback: null },
      { transfer: t2, fallback: f },
    ]);
  });

  test('a dial that already has its fallback does not take a second one: the earlier dial does', () => {
    const t1 = transfer('skola', 'skola', 'department', 1000, null);
    const t2 = transfer('skola', 'skola', 'department', 2000, null);
    const f1 = fallback('skola', 'skola', 'no-answer', 9000);
    const f2 = fallback('skola', 'skola', 'busy', 9500);
    expect(matchAttempts(journey({ transfers: [t1, t2], fallbacks: [f1, f2] }))).toEqual([
      { transfer: t1, fallback: f2 },
      { transfer: t2, fallback: f1 },
    ]);
  });

  test('a dial that started after the fallback does not own it; one started at the same millisecond does', () => {
    const early = transfer('skola', 'skola', 'department', 1000, null);
    const same = transfer('skola', 'skola', 'department', 5000, null);
    const late = transfer('skola', 'skola', 'department', 5001, null);
    const f = fallback('skola', 'skola', 'no-answer', 5000);
    expect(matchAttempts(journey({ transfers: [early, same, late], fallbacks: [f] }))).toEqual([
      { transfer: early, fallback: null },
      { transfer: same, fallback: f },
      { transfer: late, fallback: null },
    ]);
  });

  test('a fallback of another node or another target belongs to no dial', () => {
    const t1 = transfer('skola', 'skola', 'department', 1000, null);
    const otherNode = fallback('skola2', 'skola', 'no-answer', 5000);
    const otherTarget = fallback('skola', 'omsorg', 'no-answer', 6000);
    expect(matchAttempts(journey({ transfers: [t1], fallbacks: [otherNode, otherTarget] }))).toEqual([{ transfer: t1, fallback: null }]);
  });
});

describe('intentOf: calls without an intent, and why', () => {
  test('a call that never started: no start (before anything else, even while in progress)', () => {
    expect(intentOf(journey({ startedAt: null, outcome: 'in_progress' }), own)).toEqual({ kind: 'none', reason: 'no start' });
  });

  test('a call still in progress', () => {
    expect(intentOf(journey({ outcome: 'in_progress', transfers: [transfer('skola', 'skola', 'department', 1000, null)] }), own)).toEqual({ kind: 'none', reason: 'in progress' });
  });

  test('a call that hung up in the menu, without a transfer', () => {
    expect(intentOf(journey({ outcome: 'abandoned_in_menu', path: ['main'] }), own)).toEqual({ kind: 'none', reason: 'hung up in the menu' });
  });

  test('an engine error without a transfer', () => {
    expect(intentOf(journey({ outcome: 'error_fallback', path: ['main'] }), own)).toEqual({ kind: 'none', reason: 'engine error' });
  });

  test('a self-service call that never entered a node has no ending to replay: counted as hung up in the menu', () => {
    expect(intentOf(journey({ outcome: 'self_service', path: [] }), own)).toEqual({ kind: 'none', reason: 'hung up in the menu' });
  });
});

describe('intentOf: a call the IVR ended by itself', () => {
  test('the ending is the last node of the path, in the call language', () => {
    expect(intentOf(journey({ outcome: 'self_service', language: 'en-GB', path: ['main', 'bye'] }), own)).toEqual({
      kind: 'self-service',
      node: 'bye',
      language: 'en-GB',
      label: 'self-service at bye',
    });
  });

  test('a call without a known language keeps null', () => {
    expect(intentOf(journey({ outcome: 'self_service', language: null, path: ['closed'] }), null)).toEqual({
      kind: 'self-service',
      node: 'closed',
      language: null,
      label: 'self-service at closed',
    });
  });
});

describe('intentOf: an absence notice met instead of a ring', () => {
  const notice = (nodeId: string, target: string, atMs: number) => ({ ...fallback(nodeId, target, 'notice', atMs), targetKind: 'person' as const });

  test('is an attempt of its own, in time order; at the same moment as the next dial, before it', () => {
    const j = journey({
      outcome: 'answered_by_operator',
      transfers: [transfer('operator', 'operator', 'operator', 5000, 9000)],
      fallbacks: [notice('person', '4711', 5000)],
    });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [
        { kind: 'person', target: '4711', number: '+46101304711', outcome: 'notice' },
        { kind: 'operator', target: 'operator', number: '+46101300100', outcome: 'answered' },
      ],
      language: 'sv-SE',
      label: 'person 4711 (notice) → operator',
    });
  });

  test('a call that met a notice and then hung up is replayed by it, not as one that hung up in the menu', () => {
    const j = journey({ outcome: 'abandoned_after_fallback', fallbacks: [notice('person', '4711', 5000)] });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [{ kind: 'person', target: '4711', number: '+46101304711', outcome: 'notice' }],
      language: 'sv-SE',
      label: 'person 4711 (notice)',
    });
  });

  test('a notice never becomes the fallback of an earlier dial to the same person', () => {
    const j = journey({
      transfers: [transfer('person', '4711', 'person', 1000, 4000)],
      fallbacks: [notice('person', '4711', 60_000)],
    });
    expect(matchAttempts(j).map((a) => a.fallback)).toEqual([null]);
    expect((intentOf(j, own) as { label: string }).label).toBe('person 4711 → person 4711 (notice)');
  });
});

describe('intentOf: the transfers a call made', () => {
  test('a department answered: its number from the journey own flow version', () => {
    const j = journey({ transfers: [transfer('skola', 'skola', 'department', 1000, 4000)] });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [{ kind: 'department', target: 'skola', number: '+46101300210', outcome: 'answered' }],
      language: 'sv-SE',
      label: 'department skola',
    });
  });

  test('a person is looked up in the directory, a department among the targets', () => {
    const j = journey({
      outcome: 'answered_by_operator',
      transfers: [transfer('person', '4711', 'person', 1000, null), transfer('operator', 'operator', 'operator', 30_000, 35_000)],
      fallbacks: [fallback('person', '4711', 'no-answer', 26_000)],
    });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [
        { kind: 'person', target: '4711', number: '+46101304711', outcome: 'no-answer' },
        { kind: 'operator', target: 'operator', number: '+46101300100', outcome: 'answered' },
      ],
      language: 'sv-SE',
      label: 'person 4711 (no-answer) → operator',
    });
  });

  test('without the own flow version, or for a target it does not have, no number at all', () => {
    const j = journey({ language: null, transfers: [transfer('skola', 'skola', 'department', 1000, 4000), transfer('x', 'gone', 'department', 9000, 9500)] });
    expect(intentOf(j, null)).toStrictEqual({
      kind: 'transfers',
      attempts: [
        { kind: 'department', target: 'skola', outcome: 'answered' },
        { kind: 'department', target: 'gone', outcome: 'answered' },
      ],
      language: null,
      label: 'department skola → department gone',
    });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [
        { kind: 'department', target: 'skola', number: '+46101300210', outcome: 'answered' },
        { kind: 'department', target: 'gone', outcome: 'answered' },
      ],
      language: null,
      label: 'department skola → department gone',
    });
  });

  test('a person who is not in the directory has no number, even if a target has that id', () => {
    const j = journey({ transfers: [transfer('person', 'skola', 'person', 1000, 4000)] });
    expect(intentOf(j, own)).toStrictEqual({
      kind: 'transfers',
      attempts: [{ kind: 'person', target: 'skola', outcome: 'answered' }],
      language: 'sv-SE',
      label: 'person skola',
    });
  });

  test('each outcome in the label: answered, a fallback reason, hung up while ringing; the operator by its role', () => {
    const j = journey({
      outcome: 'abandoned_while_ringing',
      transfers: [
        transfer('skola', 'skola', 'department', 1000, null),
        transfer('operator', 'operator', 'operator', 20_000, null),
        transfer('person', '4711', 'person', 40_000, null),
      ],
      fallbacks: [fallback('skola', 'skola', 'busy', 2000), fallback('operator', 'operator', 'failed', 21_000)],
    });
    expect(intentOf(j, null)).toEqual({
      kind: 'transfers',
      attempts: [
        { kind: 'department', target: 'skola', outcome: 'busy' },
        { kind: 'operator', target: 'operator', outcome: 'failed' },
        { kind: 'person', target: '4711', outcome: 'unanswered' },
      ],
      language: 'sv-SE',
      label: 'department skola (busy) → operator (failed) → person 4711 (hung up while ringing)',
    });
  });

  test('an answered dial counts as answered even with a fallback recorded against it', () => {
    const j = journey({ transfers: [transfer('skola', 'skola', 'department', 1000, 3000)], fallbacks: [fallback('skola', 'skola', 'no-answer', 5000)] });
    expect(intentOf(j, null)).toMatchObject({ attempts: [{ kind: 'department', target: 'skola', outcome: 'answered' }], label: 'department skola' });
  });

  test('a call with transfers is replayed by them whatever its outcome (even an engine error)', () => {
    const j = journey({ outcome: 'error_fallback', transfers: [transfer('operator', 'operator', 'operator', 1000, null)] });
    expect(intentOf(j, null)).toEqual({
      kind: 'transfers',
      attempts: [{ kind: 'operator', target: 'operator', outcome: 'unanswered' }],
      language: 'sv-SE',
      label: 'operator (hung up while ringing)',
    });
  });
});
