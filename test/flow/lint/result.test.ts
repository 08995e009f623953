/**
 * The order of findings (byPosition in src/flow/lint/result.ts: file, then path, then code, then
 * message) and what lintFlow makes of them: one list of every rule's findings in that order, counted
 * by severity, with the flow's id, version and operator reach.
 */
import { lintFlow } from '../../../src/flow/lint/lint';
import { byPosition, type LintResult } from '../../../src/flow/lint/result';
import { FILE, flowOf, row } from './flows';

const finding = (file: string, path: string, code: LintResult['code'], message: string): LintResult => ({ severity: 'warning', code, file, path, message });

describe('byPosition', () => {
  const a = finding('a.yaml', 'nodes.z', 'dead-end', 'z');

  test.each([
    ['the file', finding('b.yaml', 'a', 'dead-end', 'a')],
    ['the path', finding('a.yaml', 'nodes.zz', 'dead-end', 'a')],
    ['the code', finding('a.yaml', 'nodes.z', 'fallback-loop', 'a')],
    ['the message', finding('a.yaml', 'nodes.z', 'dead-end', 'zz')],
  ])('%s decides when all before it are equal', (_what, later) => {
    expect([Math.sign(byPosition(a, later)), Math.sign(byPosition(later, a))]).toEqual([-1, 1]);
  });

  test('equal findings are equal', () => {
    expect(byPosition(a, { ...a, severity: 'error' })).toBe(0);
  });

  test('sorts a list by file, path, code and message', () => {
    const list = [
      finding('b.yaml', '', 'schema', 'x'),
      finding('a.yaml', 'nodes.main', 'unreachable-node', 'b'),
      finding('a.yaml', 'nodes.main', 'dead-end', 'b'),
      finding('a.yaml', 'nodes.main', 'dead-end', 'a'),
      finding('a.yaml', '', 'no-operator', 'x'),
    ];
    expect([...list].sort(byPosition).map((r) => [r.file, r.path, r.code, r.message])).toEqual([
      ['a.yaml', '', 'no-operator', 'x'],
      ['a.yaml', 'nodes.main', 'dead-end', 'a'],
      ['a.yaml', 'nodes.main', 'dead-end', 'b'],
      ['a.yaml', 'nodes.main', 'unreachable-node', 'b'],
      ['b.yaml', '', 'schema', 'x'],
    ]);
  });
});

describe('lintFlow', () => {
  /** Findings from several rules: an unreachable menu, an unannounced key, a fallback to a silent hang-up. */
  const flow = () => flowOf((f) => {
    f.nodes.silent = { type: 'hangup' };
    f.nodes.skola.onBusy = 'silent';
    f.nodes.main.routes['2'] = 'bye';
    f.nodes.island = { type: 'menu', prompt: 'Tryck 1.', routes: { '1': 'skola' } };
  });

  test('every rule\'s findings in one list, by path and code, counted by severity', () => {
    const report = lintFlow(flow());
    expect(report.results.map(row)).toEqual([
      ['warning', 'unreachable-node', 'nodes.island', 'node "island" cannot be reached from start "main"'],
      ['warning', 'key-not-announced', 'nodes.main.routes.2', 'key 2 at "main" leads to "bye" but the prompt never tells the caller'],
      ['error', 'fallback-dead-end', 'nodes.skola.onBusy', 'after busy at "skola" the caller is sent to "silent", which leads to no person, operator or message'],
    ]);
    expect([report.errors, report.warnings]).toEqual([1, 2]);
    expect(report.file).toBe(FILE);
    expect(report.flowId).toBe('lint');
    expect(report.version).toBe(flow().version);
    expect(report.operator!.byNode).toEqual({ main: 1, operator: 0 });
  });

  test('the file given overrides the flow\'s source, in the report and in each finding', () => {
    const report = lintFlow(flow(), {}, 'elsewhere.yaml');
    expect([report.file, ...report.results.map((r) => r.file)]).toEqual(['elsewhere.yaml', 'elsewhere.yaml', 'elsewhere.yaml', 'elsewhere.yaml']);
  });

  test('the budget is passed to the operator rule', () => {
    expect(lintFlow(flowOf(), { maxOperatorKeys: 0 }).results.map((r) => [r.code, r.path])).toEqual([['operator-budget', 'nodes.main']]);
    expect(lintFlow(flowOf(), { maxOperatorKeys: 1 }).results).toEqual([]);
  });

  test('a flow without an operator: no operator reach, and the no-operator warning', () => {
    const report = lintFlow(flowOf((f) => {
      delete f.operator;
      f.targets.operator.kind = 'department';
      f.nodes.main.prompt = 'För skola, tryck 1.';
      delete f.nodes.operator;
      f.nodes.skola.onNoAnswer = 'bye';
      f.nodes.main.onExhausted = 'bye';
    }));
    expect(report.operator).toBeNull();
    expect(report.results.map(row)).toEqual([
      ['warning', 'no-operator', 'operator', 'the flow has no operator (no operator.node and no transfer to a target of kind operator): a caller who is lost cannot reach a person'],
    ]);
    expect([report.errors, report.warnings]).toEqual([0, 1]);
  });
});
