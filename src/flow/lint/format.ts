import type { FlowLintReport } from './lint';
import { describeSteps, keyPresses } from './operator-reach';

/**
 * The linter's report for people: findings one a line (severity, path, code, message), then the
 * key presses to the operator from anywhere and after each fallback, and the budget verdict.
 */
export function formatLintReports(reports: FlowLintReport[], opts: { maxOperatorKeys?: number; displayPath?: (file: string) => string } = {}): string {
  const show = opts.displayPath ?? ((f: string) => f);
  const out: string[] = [];
  for (const r of reports) {
    out.push(`${show(r.file)}${r.flowId ? `  (${r.flowId}@${r.version})` : ''}`);
    for (const f of r.results) {
      const where = f.file !== r.file ? `${show(f.file)}: ` : '';
      out.push(`  ${f.severity.padEnd(7)}  ${where}${f.path || '(file)'}  [${f.code}]  ${f.message}`);
    }
    const op = r.operator;
    if (op) {
      out.push('  operator reach (fewest key presses; waiting, for retries to run out or for a transfer to go unanswered, is not a way there):');
      if (op.max) {
        out.push(`    from anywhere: at most ${keyPresses(op.max.keys)}, from ${op.max.from.join(', ')}`);
        out.push(`      e.g. ${describeSteps(op.max.from[0], op.max.steps)}`);
      } else out.push('    from anywhere: no node reaches the operator by keys');
      for (const f of op.afterFallbacks) {
        const head = `    after ${f.reasons.join('/')} at ${f.node} → ${f.route}:`;
        if (f.keys === null) out.push(`${head} ${f.endsCall ? 'the call ends there' : 'the operator cannot be reached'}`);
        else out.push(`${head} ${keyPresses(f.keys)}${f.steps.length ? ` (${describeSteps(f.route, f.steps)})` : ''}`);
      }
      if (opts.maxOperatorKeys !== undefined && op.max) {
        const ok = op.max.keys <= opts.maxOperatorKeys;
        out.push(`    budget: ${op.max.keys} ${ok ? '≤' : '>'} ${opts.maxOperatorKeys} ${ok ? 'ok' : 'EXCEEDED'}`);
      }
    }
    if (!r.results.length) out.push('  no findings');
    out.push('');
  }
  const errors = reports.reduce((s, r) => s + r.errors, 0);
  const warnings = reports.reduce((s, r) => s + r.warnings, 0);
  const files = reports.filter((r) => r.flowId !== null || r.results.some((f) => f.file === r.file)).length;
  out.push(`${files} ${files === 1 ? 'file' : 'files'}: ${errors} ${errors === 1 ? 'error' : 'errors'}, ${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`);
  return out.join('\n') + '\n';
}
