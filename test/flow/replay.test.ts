import fs from 'node:fs';
import path from 'node:path';
import { loadFlowFile } from '../../src/flow/loader';
import type { Flow, FlowNode } from '../../src/flow/schema';
import { cheapestPath } from '../../src/flow/replay/cheapest';
import { intentOf } from '../../src/flow/replay/intent';
import { DEFAULT_CALLER_MODEL } from '../../src/flow/replay/model';
import { replayJourneys, type ReplayReport } from '../../src/flow/replay/replay';
import type { Journey } from '../../src/journey/journey';
import { startHarness, tempDir, type Harness, takenAfter } from '../helpers/harness';

const GOOD = path.join(__dirname, '../fixtures/flows/good');
const before = loadFlowFile(path.join(GOOD, 'vaxel.yaml'));
const after = loadFlowFile(path.join(GOOD, 'vaxel-no-answer-to-operator.yaml'));

/*
 * Hand computation with the default caller model (60 ms per character, 1.5 s to answer), prompt
 * lengths from test/fixtures/flows/good/vaxel.yaml:
 *   welcome 35 + main 217 characters = 252 × 60 = 15 120 ms, + 1 500 to press = 16 620 ms
 *   person search prompt 31 × 60 = 1 860, + 1 500 to key 4711 = 3 360 ms       (running: 19 980)
 *   ringing the person: "Du kopplas nu." 14 × 60 = 840 + ringSeconds 20 000 = 20 840 ms
 *   person_unavailable 118 × 60 = 7 080, + 1 500 to press 0 = 8 580 ms        (running: 28 560)
 *   language menu 43 × 60 = 2 580 + 1 500 = 4 080; main in English 248 × 60 = 14 880 + 1 500 = 16 380
 * On the changed flow the no-answer goes straight to the operator: its sentence is said after the
 * operator's dial has begun, so it is not menu time.
 */
const A = { keys: 6, menuMs: 28_560, ringMs: 20_840 }; // 5, 4711, no answer, 0 → operator
const A_AFTER = { keys: 5, menuMs: 19_980, ringMs: 20_840 }; // 5, 4711, no answer → operator
const B = { keys: 1, menuMs: 16_620, ringMs: 0 }; // 1 → skola answers
const C = { keys: 3, menuMs: 16_620 + 4_080 + 16_380, ringMs: 0 }; // 9, 1 (English), 3 → bygglov answers
const D = { keys: 5, menuMs: 19_980, ringMs: 20_840 }; // 5, 4711, no answer, then the caller hangs up

describe('flow:replay on calls made through the real service', () => {
  let h: Harness;
  let journeys: Journey[];
  let report: ReplayReport;

  beforeAll(async () => {
    const flows = tempDir('callpath-replay-flows-');
    fs.copyFileSync(path.join(GOOD, 'vaxel.yaml'), path.join(flows, 'vaxel.yaml'));
    h = await startHarness({ env: { FLOWS_DIR: flows } });
    await h.caller.call({ digits: ['5', '4711', '0'], dials: [{ answer: false, status: 'no-answer' }], queue: takenAfter(20) });
    await h.caller.call({ digits: ['1'] });
    await h.caller.call({ digits: ['9', '1', '3'] });
    await h.caller.call({ digits: ['5', '4711'], dials: [{ answer: false, status: 'no-answer' }] });
    await h.caller.call({ digits: [] });
    await h.settle();
    journeys = await h.service.store.listJourneys({ limit: 100 });
    report = replayJourneys(journeys, after, { versions: [before] });
  });
  afterAll(async () => h?.close());

  test('the calls were recorded on the flow version they were made on', () => {
    expect(journeys).toHaveLength(5);
    expect(new Set(journeys.map((j) => j.flowVersion))).toEqual(new Set([before.version]));
    expect(after.version).not.toBe(before.version);
  });

  test('per intent: actual, like for like before, and after, as computed by hand', () => {
    const byLabel = Object.fromEntries(report.groups.map((g) => [g.label, g]));
    expect(Object.keys(byLabel).sort()).toEqual([
      'department bygglov [en-GB]',
      'department skola',
      'person 4711 (no-answer)',
      'person 4711 (no-answer) → operator',
    ]);
    expect(byLabel['person 4711 (no-answer) → operator']).toMatchObject({ calls: 1, actual: A, before: A, after: A_AFTER, notInCandidate: 0, versionUnknown: 0 });
    expect(byLabel['department skola']).toMatchObject({ actual: B, before: B, after: B });
    expect(byLabel['department bygglov [en-GB]']).toMatchObject({ actual: C, before: C, after: C });
    expect(byLabel['person 4711 (no-answer)']).toMatchObject({ actual: D, before: D, after: D });
  });

  test('the paths say which keys were pressed where', () => {
    const g = report.groups.find((x) => x.label === 'person 4711 (no-answer) → operator')!;
    expect(g.beforePath).toEqual(['welcome', 'main [5]', 'person [4711]', 'ring person 4711: no-answer', 'person_unavailable [0]', 'ring operator']);
    expect(g.afterPath).toEqual(['welcome', 'main [5]', 'person [4711]', 'ring person 4711: no-answer', 'ring operator']);
    expect(report.groups.find((x) => x.label === 'department bygglov [en-GB]')!.afterPath).toEqual(['welcome', 'main [9]', 'language [1]', 'main [3]', 'ring bygglov']);
  });

  test('totals over the comparable calls; the call that hung up in the menu has no intent', () => {
    expect(report.skipped).toEqual({ 'hung up in the menu': 1 });
    expect(report.totals.calls).toBe(4);
    const menu = (...xs: { menuMs: number }[]) => xs.reduce((s, x) => s + x.menuMs, 0);
    expect(report.totals.before).toEqual({ keys: 15, menuMs: menu(A, B, C, D), ringMs: 41_680 });
    expect(report.totals.actual).toEqual(report.totals.before);
    expect(report.totals.after).toEqual({ keys: 14, menuMs: menu(A_AFTER, B, C, D), ringMs: 41_680 });
  });
});

describe('replay without the service', () => {
  const journey = (over: Partial<Journey>): Journey =>
    ({
      callSid: 'CA' + '0'.repeat(32),
      flowId: 'vaxel',
      flowVersion: before.version,
      language: 'sv-SE',
      startedAt: '2026-03-02T08:00:00.000Z',
      outcome: 'answered_by_department',
      path: [],
      steps: [],
      transfers: [],
      fallbacks: [],
      keyPresses: 0,
      keyPressesBeforeHuman: 0,
      ...over,
    }) as Journey;

  test('a journey of a version that is not available: no like-for-like figure, still an after figure', () => {
    const j = journey({
      flowVersion: 'gone00000000',
      transfers: [{ transferId: '1', nodeId: 'skola', target: 'skola', targetKind: 'department', attemptedAt: '2026-03-02T08:00:16.620Z', answeredAt: '2026-03-02T08:00:22.000Z', result: 'completed', ringMs: 5380, talkSec: 60 }],
      keyPresses: 1,
      keyPressesBeforeHuman: 1,
    });
    const r = replayJourneys([j], after);
    expect(r.groups[0]).toMatchObject({ label: 'department skola', before: null, after: B, actual: B, versionUnknown: 1 });
    expect(r.totals.calls).toBe(0);
  });

  test('a target the candidate no longer has cannot be realised, and says so', () => {
    const intent = { kind: 'transfers' as const, attempts: [{ kind: 'department' as const, target: 'fritid', outcome: 'answered' as const }], language: 'sv-SE', label: 'department fritid' };
    expect(cheapestPath(after, intent, DEFAULT_CALLER_MODEL)).toBeNull();
  });

  test('a renamed department is still found by its number from the journey own version', () => {
    const { skola: skolaTarget, ...otherTargets } = after.targets;
    const candidate: Flow = {
      ...after,
      version: 'renamed00000',
      targets: { ...otherTargets, skolan: skolaTarget },
      nodes: { ...after.nodes, skola: { ...after.nodes.skola, target: 'skolan' } as FlowNode },
    };
    const j = journey({
      transfers: [{ transferId: '1', nodeId: 'skola', target: 'skola', targetKind: 'department', attemptedAt: '2026-03-02T08:00:16.620Z', answeredAt: '2026-03-02T08:00:22.000Z', result: 'completed', ringMs: 5380, talkSec: 60 }],
    });
    const intent = intentOf(j, before);
    expect(intent).toMatchObject({ kind: 'transfers', attempts: [{ kind: 'department', target: 'skola', number: '+46101300210', outcome: 'answered' }] });
    expect(cheapestPath(candidate, intent as Exclude<typeof intent, { kind: 'none' }>, DEFAULT_CALLER_MODEL)).toMatchObject({ keys: 1, menuMs: B.menuMs });
  });

  test('a call the IVR ended by itself is replayed as reaching the same ending', () => {
    const j = journey({ outcome: 'self_service', path: ['welcome', 'main', 'operator', 'operator_closed'] });
    expect(intentOf(j, before)).toMatchObject({ kind: 'self-service', node: 'operator_closed', label: 'self-service at operator_closed' });
  });
});
