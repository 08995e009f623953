/**
 * Replays recorded calls against a candidate flow: what each caller wanted (whom they reached or
 * last tried, and the fallbacks they met), and the key presses and menu time that would cost on
 * the candidate, against the flow version each call was made on.
 *
 *   npm run flow:replay -- --flow ivr-flows/new.yaml --from 2026-03-01 --to 2026-04-01
 *   npm run flow:replay -- --flow new.yaml --journeys calls.json --baseline old.yaml
 *
 * Options:
 *   --flow FILE             the candidate flow (required)
 *   --from DATE, --to DATE  calls started in [from, to) (ISO date or date-time)
 *   --journeys FILE         journeys from a JSON file (an array, or a page of GET /api/calls) instead of the store
 *   --baseline FILE         a flow version the calls were made on (repeatable); versions the service has served are
 *                           also read from DATA_DIR/flow-versions and FLOWS_DIR
 *   --think-ms N            caller model: time to answer a prompt (default 1500)
 *   --digit-ms N            caller model: each further digit of an extension (default 0)
 *   --speech-ms-per-char N  caller model: speech time per character (default 60)
 *   --json                  the report as JSON
 * Reads the store from STORE, MONGODB_URI and DATA_DIR like the service. With the embedded store,
 * run it on a copy of DATA_DIR, or while the service is stopped: the store is one process's files.
 * Exit status: 0 a report, 1 the candidate flow is invalid, 2 the command itself was wrong.
 */
import { runFlowReplay } from '../src/flow/replay/cli';

runFlowReplay(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  out: (t) => process.stdout.write(t),
  err: (t) => process.stderr.write(t),
}).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`flow:replay: ${(err as Error).stack ?? err}\n`);
    process.exitCode = 2;
  },
);
