import path from 'node:path';
import { runFlowLint } from '../../scripts/flow-lint';

const FIXTURES = path.join(__dirname, '../fixtures/flows');

function run(argv: string[], env: Record<string, string> = {}) {
  let out = '';
  let err = '';
  const code = runFlowLint(argv, { env, cwd: FIXTURES, out: (t) => (out += t), err: (t) => (err += t) });
  return { code, out, err };
}

describe('npm run flow:lint', () => {
  test('a clean flow: exit 0, the operator reach reported', () => {
    const r = run(['good/vaxel.yaml']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('good/vaxel.yaml  (vaxel@');
    expect(r.out).toContain('    from anywhere: at most 1 key press, from welcome, main, language, person, person_unavailable\n');
    expect(r.out).toContain('    after no-answer/busy at person → person_unavailable: 1 key press (person_unavailable: 0 → operator)\n');
    expect(r.out).toContain('  no findings\n');
    expect(r.out.endsWith('1 file: 0 errors, 0 warnings\n')).toBe(true);
  });

  test('errors: exit 1, one line per finding with path, code and reason', () => {
    const r = run(['bad/dead-end-key.yaml', 'bad/unreachable-node.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  error    nodes.main.routes.9  [dead-end]  dead end: key 9 at "main" leads to "bye", which hangs up without a word\n');
    expect(r.out).toContain('  warning  nodes.bygglov  [unreachable-node]  node "bygglov" cannot be reached from start "main"\n');
    expect(r.out.endsWith('2 files: 1 error, 1 warning\n')).toBe(true);
  });

  test('warnings alone pass', () => {
    expect(run(['bad/unreachable-node.yaml']).code).toBe(0);
  });

  test('a schema error names file, path and reason', () => {
    const r = run(['bad/unknown-node.yaml']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('  error    nodes.main.routes.1  [schema]  unknown node "skolan"\n');
  });

  test('the budget: from the flag, else from FLOW_LINT_MAX_OPERATOR_KEYS; the flag wins', () => {
    expect(run(['--max-operator-keys', '0', 'good/vaxel.yaml']).code).toBe(1);
    expect(run(['--max-operator-keys', '0', 'good/vaxel.yaml']).out).toContain('    budget: 1 > 0 EXCEEDED\n');
    expect(run(['good/vaxel.yaml'], { FLOW_LINT_MAX_OPERATOR_KEYS: '0' }).code).toBe(1);
    const ok = run(['--max-operator-keys', '1', 'good/vaxel.yaml'], { FLOW_LINT_MAX_OPERATOR_KEYS: '0' });
    expect(ok.code).toBe(0);
    expect(ok.out).toContain('    budget: 1 ≤ 1 ok\n');
  });

  test('no arguments: the FLOWS_DIR folder', () => {
    const r = run([], { FLOWS_DIR: path.join(FIXTURES, 'bad') });
    expect(r.code).toBe(1);
    expect(r.out).toContain('bad/operator-budget.yaml');
  });

  test('--json gives the reports', () => {
    const r = run(['--json', 'bad/fallback-dead-end.yaml']);
    const reports = JSON.parse(r.out);
    expect(reports[0].results[0]).toMatchObject({ code: 'fallback-dead-end', path: 'nodes.skola.onBusy' });
  });

  test('usage errors: exit 2 with the reason', () => {
    expect(run(['--max-operator-keys', 'two', 'good/vaxel.yaml'])).toMatchObject({ code: 2, err: expect.stringContaining('--max-operator-keys must be a whole number, not "two"') });
    expect(run(['good/nope.yaml'])).toMatchObject({ code: 2, err: expect.stringContaining('no such file or folder: good/nope.yaml') });
    expect(run(['--frobnicate'])).toMatchObject({ code: 2 });
    expect(run(['good/vaxel.yaml'], { FLOW_LINT_MAX_OPERATOR_KEYS: '-1' })).toMatchObject({ code: 2, err: expect.stringContaining('FLOW_LINT_MAX_OPERATOR_KEYS') });
  });
});
