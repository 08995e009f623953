import fs from 'node:fs';
import { FERRET_BIN } from './ferret';

/**
 * What some suites need from the machine. A missing prerequisite fails the suite at once with the
 * one command that provides it: a suite that quietly skipped (or passed a placeholder) let a green
 * run hide that the Mongo store had not been tested at all. `npm run test:unit` is the deliberately
 * narrower run: it sets CALLPATH_TEST_SCOPE=unit, leaves these suites out and says so.
 */
export const UNIT_SCOPE = process.env.CALLPATH_TEST_SCOPE === 'unit';

/** The MongoDB wire-protocol server that scripts/test.sh starts (FerretDB), or any MongoDB named in MONGODB_TEST_URI. */
export function mongoTestUri(): string {
  const uri = process.env.MONGODB_TEST_URI;
  if (!uri) {
    throw new Error(
      'MONGODB_TEST_URI is not set: this suite tests the Mongo store against a real server. Run `npm test`, which builds and starts FerretDB ' +
        '(or set MONGODB_TEST_URI to a MongoDB of your own); `npm run test:unit` leaves the database suites out.',
    );
  }
  return uri;
}

/** The FerretDB binary that tests start, kill and restart themselves. */
export function ferretBinary(): string {
  if (!fs.existsSync(FERRET_BIN)) throw new Error(`${FERRET_BIN} is not built: run \`bash scripts/ferretdb.sh build\` (npm test does it; it needs Go, see scripts/ci-deps.sh)`);
  return FERRET_BIN;
}
