#!/usr/bin/env bash
# The project's test command (npm test): every jest suite on the embedded store, then the store
# contract and the end-to-end webhook tests again on a real MongoDB wire-protocol server (FerretDB,
# built from tools/ferretdb with Go). A missing Go toolchain fails the run: the Mongo store is never
# silently left untested.
set -euo pipefail
cd "$(dirname "$0")/.."

export FERRETDB_RUN_DIR="${FERRETDB_RUN_DIR:-${TMPDIR:-/tmp}/callpath-test-ferretdb-$$}"
port="${FERRETDB_PORT:-$((27100 + RANDOM % 800))}"
cleanup() { scripts/ferretdb.sh stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

npx tsc --noEmit -p .
MONGODB_TEST_URI="$(scripts/ferretdb.sh start "$port")?maxPoolSize=1"
export MONGODB_TEST_URI

echo "== all suites (embedded store; Mongo store contract on FerretDB)"
npx jest --ci "$@"
# Only suites whose harness runs on the configured store: the harness refuses a test that brings its
# own store in this phase, and asserts that the service under test runs on MongoDB.
echo "== end-to-end webhook suites on the Mongo store (FerretDB)"
HARNESS_STORE=mongo npx jest --ci test/e2e test/privacy/retention-and-export.test.ts
