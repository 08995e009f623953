/**
 * replayJourneys (src/flow/replay/replay.ts): each recorded call's intent, actual cost and estimates
 * before (on the flow version it was made on) and after (on the candidate); the calls left out and why;
 * the groups per intent with their means, paths and counts, in order; and the totals over the calls
 * that have all three figures.
 */
import { DEFAULT_CALLER_MODEL } from '../../../src/flow/replay/model';
import { replayJourneys } from '../../../src/flow/replay/replay';
import type { Flow } from '../../../src/flow/schema';
import { flowOf } from '../lint/flows';
import { chars, M } from './intents';
import { fallback, journey, step, transfer } from './journeys';

/** The version the calls were made on: a 20-character main menu (1 200 ms to press under M), key 2 to the goodbye. */
const old: Flow = flowOf((f) => {
  f.nodes.main.prompt = chars(20);
  f.nodes.main.routes = { '1': 'skola', '2': 'bye' };
  f.nodes.skola.say = chars(30);
});
/** The candidate: the same with a 10-character main menu (1 100 ms). */
const candidate: Flow = flowOf((f) => {
  f.nodes.main.prompt = chars(10);
  f.nodes.main.routes = { '1': 'skola', '2': 'bye' };
  f.nodes.skola.say = chars(30);
});

const sid = (n: number) => `CA${String(n).padStart(32, '0')}`;

describe('replayJourneys', () => {
  test('the versions compared differ', () => {
    expect(old.version).not.toBe(candidate.version);
  });

  test('calls of another flow, or without an intent, are counted by reason and not replayed', () => {
    const r = replayJourneys(
      [
        journey({ callSid: sid(1), flowId: 'other' }),
        journey({ callSid: sid(2), flowId: 'other' }),
        journey({ callSid: sid(3), flowId: null }),
        journey({ callSid: sid(4), startedAt: null }),
        journey({ callSid: sid(5), outcome: 'in_progress' }),
        journey({ callSid: sid(6), outcome: 'abandoned_in_menu' }),
        journey({ callSid: sid(7), outcome: 'error_fallback' }),
      ],
      candidate,
    );
    expect(r.skipped).toEqual({ 'another flow (other)': 2, 'another flow (unknown)': 1, 'no start': 1, 'in progress': 1, 'hung up in the menu': 1, 'engine error': 1 });
    expect(r.calls).toBe(7);
    expect(r.replayed).toEqual([]);
    expect(r.groups).toEqual([]);
    expect(r.totals).toEqual({ calls: 0, actual: { keys: 0, menuMs: 0, ringMs: 0 }, before: { keys: 0, menuMs: 0, ringMs: 0 }, after: { keys: 0, menuMs: 0, ringMs: 0 } });
  });

  test('the candidate and the caller model are in the report; the default caller when none is given', () => {
    const r = replayJourneys([], candidate);
    expect(r.candidate).toEqual({ id: 'lint', version: candidate.version, source: 'lint-case.json' });
    expect(r.model).toEqual(DEFAULT_CALLER_MODEL);
    expect(replayJourneys([], candidate, { model: M }).model).toEqual(M);
  });

  test('a call: its intent, its actual cost, the estimate on its own version and on the candidate', () => {
    const j = journey({
      callSid: sid(1),
      flowVersion: old.version,
      outcome: 'answered_by_operator',
      keyPresses: 1,
      keyPressesBeforeHuman: 1,
      transfers: [transfer('skola', 'skola', 'department', 1300, null, 20_000), transfer('operator', 'operator', 'operator', 21_400, 30_000)],
      fallbacks: [fallback('skola', 'skola', 'no-answer', 21_400)],
    });
    const steps = ['main [1]', 'ring skola: no-answer', 'ring operator'];
    expect(replayJourneys([j], candidate, { model: M, versions: [old] }).replayed).toEqual([
      {
        callSid: sid(1),
        flowVersion: old.version,
        intent: {
          kind: 'transfers',
          attempts: [
            { kind: 'department', target: 'skola', number: '+46101300210', outcome: 'no-answer' },
            { kind: 'operator', target: 'operator', number: '+46101300100', outcome: 'answered' },
          ],
          language: 'sv-SE',
          label: 'department skola (no-answer) → operator',
        },
        actual: { keys: 1, menuMs: 1400, ringMs: 20_000 },
        before: { keys: 1, menuMs: 1200, ringMs: 25_300, steps },
        after: { keys: 1, menuMs: 1100, ringMs: 25_300, steps },
      },
    ]);
  });

  test('a call on a version not given, or of unknown version: no estimate before (undefined), nor numbers in its intent', () => {
    const answered = { transfers: [transfer('skola', 'skola', 'department', 1250, 4000)], keyPresses: 1, keyPressesBeforeHuman: 1 };
    const r = replayJourneys([journey({ ...answered, flowVersion: old.version }), journey({ ...answered, flowVersion: null })], candidate, { model: M });
    expect(r.replayed.map((x) => [x.before, x.intent])).toEqual([
      [undefined, { kind: 'transfers', attempts: [{ kind: 'department', target: 'skola', outcome: 'answered' }], language: 'sv-SE', label: 'department skola' }],
      [undefined, { kind: 'transfers', attempts: [{ kind: 'department', target: 'skola', outcome: 'answered' }], language: 'sv-SE', label: 'department skola' }],
    ]);
  });

  test('a call on the candidate own version is estimated on the candidate, once for both figures', () => {
    const j = journey({ flowVersion: candidate.version, transfers: [transfer('skola', 'skola', 'department', 1250, 4000)], keyPresses: 1, keyPressesBeforeHuman: 1 });
    const [x] = replayJourneys([j], candidate, { model: M }).replayed;
    expect(x.after).toEqual({ keys: 1, menuMs: 1100, ringMs: 0, steps: ['main [1]', 'ring skola'] });
    expect(x.before).toBe(x.after);
  });

  test('a version of another flow with the same version string is not taken for the journey own', () => {
    const j = journey({ flowVersion: old.version, transfers: [transfer('skola', 'skola', 'department', 1250, 4000)], keyPresses: 1, keyPressesBeforeHuman: 1 });
    const [x] = replayJourneys([j], candidate, { model: M, versions: [{ ...old, id: 'other' }] }).replayed;
    expect(x.before).toBeUndefined();
  });
});

describe('replayJourneys: groups per intent and totals', () => {
  const operatorAfterSkola = journey({
    callSid: sid(1),
    flowVersion: old.version,
    outcome: 'answered_by_operator',
    keyPresses: 1,
    keyPressesBeforeHuman: 1,
    transfers: [transfer('skola', 'skola', 'department', 1300, null, 20_000), transfer('operator', 'operator', 'operator', 21_400, 30_000)],
    fallbacks: [fallback('skola', 'skola', 'no-answer', 21_400)],
  });
  /** A department the candidate does not have, on a version not available. */
  const gone = journey({ callSid: sid(2), flowVersion: null, keyPresses: 1, keyPressesBeforeHuman: 1, transfers: [transfer('x', 'gone', 'department', 2000, 3000)] });
  /** The goodbye, on the old version: 1.5 s. */
  const byeOld = journey({ callSid: sid(3), flowVersion: old.version, outcome: 'self_service', path: ['main', 'bye'], keyPresses: 1, steps: [step('main', 0), step('bye', 1500)] });
  /** The goodbye, on the candidate's version, language unknown, no steps recorded: no actual figure. */
  const byeCandidate = journey({ callSid: sid(4), flowVersion: candidate.version, language: null, outcome: 'self_service', path: ['main', 'bye'], keyPresses: 1 });
  /** The school in English, on the old version. */
  const skolaEnglish = journey({ callSid: sid(5), flowVersion: old.version, language: 'en-GB', keyPresses: 3, keyPressesBeforeHuman: 1, transfers: [transfer('skola', 'skola', 'department', 1250, 4000)] });
  const skipped = journey({ callSid: sid(6), outcome: 'abandoned_in_menu' });

  const r = replayJourneys([operatorAfterSkola, gone, byeOld, byeCandidate, skolaEnglish, skipped], candidate, { model: M, versions: [old] });

  test('most calls first, then by label; a language other than the candidate default is part of the label', () => {
    expect(r.groups.map((g) => [g.label, g.calls])).toEqual([
      ['self-service at bye', 2],
      ['department gone', 1],
      ['department skola (no-answer) → operator', 1],
      ['department skola [en-GB]', 1],
    ]);
  });

  test('a group: means over the calls that have each figure, the first path found on each side', () => {
    expect(r.groups[0]).toEqual({
      label: 'self-service at bye',
      calls: 2,
      actual: { keys: 1, menuMs: 1500, ringMs: 0 },
      before: { keys: 1, menuMs: (1200 + 1100) / 2, ringMs: 0 },
      after: { keys: 1, menuMs: 1100, ringMs: 0 },
      beforePath: ['main [2]', 'bye'],
      afterPath: ['main [2]', 'bye'],
      notInCandidate: 0,
      versionUnknown: 0,
    });
  });

  test('a group the candidate cannot serve, on a version not available: no estimates, no paths, both counted', () => {
    expect(r.groups[1]).toEqual({
      label: 'department gone',
      calls: 1,
      actual: { keys: 1, menuMs: 2000, ringMs: 0 },
      before: null,
      after: null,
      beforePath: null,
      afterPath: null,
      notInCandidate: 1,
      versionUnknown: 1,
    });
  });

  test('a group with a fallback: ringing apart in each figure', () => {
    expect(r.groups[2]).toEqual({
      label: 'department skola (no-answer) → operator',
      calls: 1,
      actual: { keys: 1, menuMs: 1400, ringMs: 20_000 },
      before: { keys: 1, menuMs: 1200, ringMs: 25_300 },
      after: { keys: 1, menuMs: 1100, ringMs: 25_300 },
      beforePath: ['main [1]', 'ring skola: no-answer', 'ring operator'],
      afterPath: ['main [1]', 'ring skola: no-answer', 'ring operator'],
      notInCandidate: 0,
      versionUnknown: 0,
    });
  });

  test('totals: sums over the calls with all three figures only', () => {
    expect(r.totals).toEqual({
      calls: 3,
      actual: { keys: 3, menuMs: 1400 + 1500 + 1250, ringMs: 20_000 },
      before: { keys: 3, menuMs: 1200 * 3, ringMs: 25_300 },
      after: { keys: 3, menuMs: 1100 * 3, ringMs: 25_300 },
    });
  });

  test('every call counted; the one that hung up in the menu as skipped', () => {
    expect(r.calls).toBe(6);
    expect(r.replayed.map((x) => x.callSid)).toEqual([sid(1), sid(2), sid(3), sid(4), sid(5)]);
    expect(r.skipped).toEqual({ 'hung up in the menu': 1 });
  });
});

describe('replayJourneys: means', () => {
  test('over the calls that have the figure, in fractions of a key and a millisecond', () => {
    const bye = (n: number, keys: number, ms: number) => journey({ callSid: sid(n), flowVersion: old.version, outcome: 'self_service', path: ['bye'], keyPresses: keys, steps: [step('bye', ms)] });
    const r = replayJourneys([bye(1, 1, 1000), bye(2, 2, 2001), journey({ callSid: sid(3), outcome: 'self_service', path: ['bye'] })], candidate, { model: M, versions: [old] });
    expect(r.groups).toEqual([
      {
        label: 'self-service at bye',
        calls: 3,
        actual: { keys: 1.5, menuMs: 1500.5, ringMs: 0 },
        before: { keys: 1, menuMs: 1200, ringMs: 0 },
        after: { keys: 1, menuMs: 1100, ringMs: 0 },
        beforePath: ['main [2]', 'bye'],
        afterPath: ['main [2]', 'bye'],
        notInCandidate: 0,
        versionUnknown: 1,
      },
    ]);
  });

  test('the first path found is the one shown: a later call on another version does not replace it', () => {
    const other: Flow = flowOf((f) => {
      f.nodes.main.routes = { '1': 'skola', '3': 'bye' };
    });
    const bye = (n: number, version: string) => journey({ callSid: sid(n), flowVersion: version, outcome: 'self_service', path: ['bye'], keyPresses: 1, steps: [step('bye', 1000)] });
    const r = replayJourneys([bye(1, old.version), bye(2, other.version)], candidate, { model: M, versions: [old, other] });
    expect(r.groups.map((g) => g.beforePath)).toEqual([['main [2]', 'bye']]);
    const reversed = replayJourneys([bye(2, other.version), bye(1, old.version)], candidate, { model: M, versions: [old, other] });
    expect(reversed.groups.map((g) => g.beforePath)).toEqual([['main [3]', 'bye']]);
  });

  test('a call without a figure does not hide the path of a later one that has it', () => {
    const bye = (n: number, version: string | null) => journey({ callSid: sid(n), flowVersion: version, outcome: 'self_service', path: ['bye'], keyPresses: 1, steps: [step('bye', 1000)] });
    const r = replayJourneys([bye(1, null), bye(2, old.version)], candidate, { model: M, versions: [old] });
    expect(r.groups.map((g) => [g.beforePath, g.versionUnknown])).toEqual([[['main [2]', 'bye'], 1]]);
  });

  test('a renamed department: the call on an unknown version (no number) cannot be served by the candidate, the one with its number can', () => {
    const renamed: Flow = flowOf((f) => {
      f.targets = { operator: f.targets.operator, skolan: f.targets.skola };
      f.nodes.skola.target = 'skolan';
    });
    const skola = (n: number, version: string | null) =>
      journey({ callSid: sid(n), flowVersion: version, keyPresses: 1, keyPressesBeforeHuman: 1, transfers: [transfer('skola', 'skola', 'department', 1000, 3000)] });
    const r = replayJourneys([skola(1, null), skola(2, old.version)], renamed, { model: M, versions: [old] });
    expect(r.groups).toEqual([
      {
        label: 'department skola',
        calls: 2,
        actual: { keys: 1, menuMs: 1000, ringMs: 0 },
        before: { keys: 1, menuMs: 1200, ringMs: 0 },
        after: { keys: 1, menuMs: 400 + 1000, ringMs: 0 }, // the base flow's 40-character main menu
        beforePath: ['main [1]', 'ring skola'],
        afterPath: ['main [1]', 'ring skola'],
        notInCandidate: 1,
        versionUnknown: 1,
      },
    ]);
  });
});
