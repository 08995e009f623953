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
import { runFlowLint } from '../src/flow/lint/cli';

process.exitCode = runFlowLint(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
});
