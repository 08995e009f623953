/**
 * The linter's report for people (src/flow/lint/format.ts), as exact text: the file line with flow
 * and version, one line per finding (severity padded, path or "(file)", a finding from another file
 * named), the operator reach (from anywhere, after each fallback, the budget verdict), "no findings",
 * and the closing count with its singulars and plurals.
 */
import path from 'node:path';
import { formatLintReports } from '../../../src/flow/lint/format';
import type { FlowLintReport } from '../../../src/flow/lint/lint';
import { lintFlowFile } from '../../../src/flow/lint/lint';
import type { OperatorReach } from '../../../src/flow/lint/operator-reach';
import type { LintResult } from '../../../src/flow/lint/result';

const FIXTURES = path.join(__dirname, '../../fixtures/flows');

const report = (over: Partial<FlowLintReport>): FlowLintReport => ({
  file: 'a.yaml', flowId: 'a', version: 'v1', results: [], operator: null, errors: 0, warnings: 0, ...over,
});
const finding = (severity: LintResult['severity'], file: string, path: string, message = 'why'): LintResult => ({ severity, code: 'dead-end', file, path, message });
const reach = (over: Partial<OperatorReach>): OperatorReach => ({ operatorNodes: ['operator'], byNode: {}, max: null, afterFallbacks: [], ...over });

const OPERATOR_HEAD = '  operator reach (fewest key presses; waiting, for retries to run out or for a transfer to go unanswered, is not a way there):';

describe('the demo fixture', () => {
  test('the whole report: reach from anywhere with an example, after each fallback, the budget kept, no findings, the count', () => {
    const r = lintFlowFile(path.join(FIXTURES, 'good/vaxel.yaml'));
    const text = formatLintReports([r], { maxOperatorKeys: 1, displayPath: (f) => path.relative(FIXTURES, f) });
    expect(text).toBe([
      `good/vaxel.yaml  (vaxel@${r.version})`,
      OPERATOR_HEAD,
      '    from anywhere: at most 1 key press, from welcome, main, language, person, person_unavailable',
      '      e.g. welcome: next → main: 0 → operator',
      '    after no-answer/busy/failed at skola → operator: 0 key presses',
      '    after no-answer/busy/failed at omsorg → operator: 0 key presses',
      '    after no-answer/busy/failed at bygglov → operator: 0 key presses',
      '    after no-answer/busy/failed at vatten → operator: 0 key presses',
      '    after no-answer/busy at person → person_unavailable: 1 key press (person_unavailable: 0 → operator)',
      '    after failed at person → operator: 0 key presses',
      '    after no-answer/busy/failed at operator → operator_closed: the call ends there',
      '    budget: 1 ≤ 1 ok',
      '  no findings',
      '',
      '1 file: 0 errors, 0 warnings',
      '',
    ].join('\n'));
  });
});

describe('findings', () => {
  test('severity padded to one width, the path or (file), the code in brackets, the message; a finding of another file names it', () => {
    const text = formatLintReports([report({
      results: [
        finding('error', 'a.yaml', 'nodes.main', 'dead end here'),
        finding('warning', 'a.yaml', '', 'the whole file'),
        finding('error', 'b.yaml', 'id', 'also in a.yaml'),
      ],
      errors: 2,
      warnings: 1,
    })]);
    expect(text).toBe([
      'a.yaml  (a@v1)',
      '  error    nodes.main  [dead-end]  dead end here',
      '  warning  (file)  [dead-end]  the whole file',
      '  error    b.yaml: id  [dead-end]  also in a.yaml',
      '',
      '1 file: 2 errors, 1 warning',
      '',
    ].join('\n'));
  });

  test('displayPath shows the report\'s file and another finding\'s file', () => {
    const text = formatLintReports([report({ results: [finding('error', 'b.yaml', 'id')], errors: 1 })], { displayPath: (f) => `./${f}` });
    expect(text.split('\n').slice(0, 2)).toEqual(['./a.yaml  (a@v1)', '  error    ./b.yaml: id  [dead-end]  why']);
  });
});

describe('the operator reach', () => {
  test('no node reaches the operator by keys; a budget is then not judged', () => {
    const text = formatLintReports([report({ operator: reach({}) })], { maxOperatorKeys: 2 });
    expect(text).toBe(['a.yaml  (a@v1)', OPERATOR_HEAD, '    from anywhere: no node reaches the operator by keys', '  no findings', '', '1 file: 0 errors, 0 warnings', ''].join('\n'));
  });

  test('after a fallback: the call ends, the operator cannot be reached, or key presses with and without steps', () => {
    const text = formatLintReports([report({
      operator: reach({
        afterFallbacks: [
          { node: 'skola', reasons: ['no-answer'], route: 'bye', keys: null, steps: [], endsCall: true },
          { node: 'skola', reasons: ['busy', 'failed'], route: 'stuck', keys: null, steps: [], endsCall: false },
          { node: 'q', reasons: ['max-wait'], route: 'operator', keys: 0, steps: [], endsCall: false },
          { node: 'person', reasons: ['notice'], route: 'menu', keys: 2, steps: [{ from: 'menu', label: '1', to: 'more' }, { from: 'more', label: '0', to: 'operator' }], endsCall: false },
        ],
      }),
    })]);
    expect(text.split('\n').slice(3, 7)).toEqual([
      '    after no-answer at skola → bye: the call ends there',
      '    after busy/failed at skola → stuck: the operator cannot be reached',
      '    after max-wait at q → operator: 0 key presses',
      '    after notice at person → menu: 2 key presses (menu: 1 → more: 0 → operator)',
    ]);
  });

  test('from anywhere: the most key presses, every node with that many, and the way from the first', () => {
    const max = { keys: 2, from: ['main', 'more'], steps: [{ from: 'main', label: '1', to: 'more' }, { from: 'more', label: '0', to: 'operator' }] };
    const lines = (opts: { maxOperatorKeys?: number }) => formatLintReports([report({ operator: reach({ max }) })], opts).split('\n');
    expect(lines({}).slice(2, 5)).toEqual([
      '    from anywhere: at most 2 key presses, from main, more',
      '      e.g. main: 1 → more: 0 → operator',
      '  no findings',
    ]);
    expect(lines({ maxOperatorKeys: 2 })[4]).toBe('    budget: 2 ≤ 2 ok');
    expect(lines({ maxOperatorKeys: 1 })[4]).toBe('    budget: 2 > 1 EXCEEDED');
    expect(lines({ maxOperatorKeys: 0 })[4]).toBe('    budget: 2 > 0 EXCEEDED');
  });

  test('a max with no steps (the node is the operator) shows the node alone', () => {
    const text = formatLintReports([report({ operator: reach({ max: { keys: 0, from: ['operator'], steps: [] } }) })]);
    expect(text.split('\n').slice(2, 4)).toEqual(['    from anywhere: at most 0 key presses, from operator', '      e.g. operator']);
  });
});

describe('the count', () => {
  test('no reports: nothing but the count', () => {
    expect(formatLintReports([])).toBe('0 files: 0 errors, 0 warnings\n');
  });

  test('files, errors and warnings summed over the reports, plural beyond one', () => {
    const text = formatLintReports([
      report({ results: [finding('error', 'a.yaml', 'x'), finding('warning', 'a.yaml', 'y')], errors: 1, warnings: 1 }),
      report({ file: 'b.yaml', flowId: 'b', results: [finding('error', 'b.yaml', 'x'), finding('warning', 'b.yaml', 'y'), finding('warning', 'b.yaml', 'z')], errors: 1, warnings: 2 }),
    ]);
    expect(text.split('\n').slice(-3)).toEqual(['', '2 files: 2 errors, 3 warnings', '']);
  });

  test('a file that did not load counts when a finding is its own; the folder\'s report (findings of its files) does not', () => {
    const broken = report({ file: 'c.yaml', flowId: null, version: null, results: [finding('error', 'c.yaml', '')], errors: 1 });
    const folder = report({ file: 'flows', flowId: null, version: null, results: [finding('error', 'a.yaml', 'id')], errors: 1 });
    expect(formatLintReports([broken]).split('\n')).toEqual(['c.yaml', '  error    (file)  [dead-end]  why', '', '1 file: 1 error, 0 warnings', '']);
    expect(formatLintReports([folder]).split('\n')).toEqual(['flows', '  error    a.yaml: id  [dead-end]  why', '', '0 files: 1 error, 0 warnings', '']);
    expect(formatLintReports([report({ flowId: null, version: null })]).split('\n').slice(-2)).toEqual(['0 files: 0 errors, 0 warnings', '']);
  });
});
