/**
 * Checks IVR flow files before they go live.
 *
 *   npm run flow:lint -- ivr-flows/vaxel.yaml
 *   npm run flow:lint -- --max-operator-keys 2 ivr-flows/
 *
 * Arguments: flow files or folders (default: FLOWS_DIR, ./ivr-flows).
 * Options:
 *   --max-operator-keys N   fail when reaching the operator from anywhere takes more than N key presses
 *                           (default: FLOW_LINT_MAX_OPERATOR_KEYS, else no budget)
 *   --json                  the reports as JSON
 * Exit status: 0 no errors (warnings allowed), 1 errors found, 2 the command itself was wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadToolConfig } from '../src/config';
import { formatLintReports } from '../src/flow/lint/format';
import { lintFlowDir, lintFlowFile, type FlowLintReport } from '../src/flow/lint/lint';

export interface CliIo {
  env: NodeJS.ProcessEnv;
  cwd: string;
  out: (text: string) => void;
  err: (text: string) => void;
}

const USAGE = 'usage: npm run flow:lint -- [--max-operator-keys N] [--json] [flow files or folders]\n';

/**
 * flow:lint as a function of its arguments, so tests run it without a build. Returns the exit
 * status: 0 no errors (warnings allowed), 1 errors found (or the budget exceeded), 2 a usage error.
 */
export function runFlowLint(argv: string[], io: CliIo): number {
  const fail = (message: string) => {
    io.err(`flow:lint: ${message}\n${USAGE}`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { 'max-operator-keys': { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (err) {
    return fail((err as Error).message);
  }
  if (parsed.values.help) {
    io.out(USAGE);
    return 0;
  }
  let config;
  try {
    config = loadToolConfig(io.env);
  } catch (err) {
    return fail((err as Error).message);
  }
  const flag = parsed.values['max-operator-keys'];
  if (flag !== undefined && !/^\d+$/.test(flag)) return fail(`--max-operator-keys must be a whole number, not "${flag}"`);
  const maxOperatorKeys = flag !== undefined ? Number(flag) : config.flowLintMaxOperatorKeys;
  const targets = parsed.positionals.length ? parsed.positionals.map((t) => path.resolve(io.cwd, t)) : [config.flowsDir];

  const reports: FlowLintReport[] = [];
  for (const t of targets) {
    if (!fs.existsSync(t)) return fail(`no such file or folder: ${path.relative(io.cwd, t) || t}`);
    if (fs.statSync(t).isDirectory()) reports.push(...lintFlowDir(t, { maxOperatorKeys }));
    else reports.push(lintFlowFile(t, { maxOperatorKeys }));
  }
  if (parsed.values.json) io.out(JSON.stringify(reports, null, 2) + '\n');
  else io.out(formatLintReports(reports, { maxOperatorKeys, displayPath: (f) => path.relative(io.cwd, f) || f }));
  return reports.some((r) => r.errors > 0) ? 1 : 0;
}

if (require.main === module) {
  process.exitCode = runFlowLint(process.argv.slice(2), {
    env: process.env,
    cwd: process.cwd(),
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
}
