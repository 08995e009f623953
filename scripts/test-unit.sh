#!/usr/bin/env bash
# npm run test:unit: the quick, narrower run. Every suite that needs nothing but Node and npm, on the
# embedded store. It leaves out, and says so: the Mongo store (its contract, fault and end-to-end
# suites on FerretDB), the browser tests (Chromium) and the docker-compose validation. `npm test` runs
# everything and is what CI runs.
set -euo pipefail
cd "$(dirname "$0")/.."
echo "test:unit leaves out: the Mongo store suites (FerretDB), the browser tests (Chromium), docker-compose validation; npm test runs them" >&2
export CALLPATH_TEST_SCOPE=unit
exec npx jest --ci \
  --testPathIgnorePatterns '/test/store/mongo-' '/test/reliability/mongo-' '/test/reliability/two-instances/' '/test/live/two-instances' '\.browser\.test\.ts$' '/test/deploy/' \
  "$@"
