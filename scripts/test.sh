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

# Every prerequisite first: a run that would fail (or skip) an hour in for a missing tool stops now.
missing=()
[[ -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]] || missing+=("Chromium (${CHROMIUM_PATH:-/usr/bin/chromium}) for the browser tests")
command -v docker-compose >/dev/null 2>&1 || missing+=("docker-compose, which validates docker-compose.yml")
command -v go >/dev/null 2>&1 || [[ -x /usr/local/go/bin/go ]] || [[ -x tools/ferretdb/bin/ferretdb ]] || missing+=("Go, which builds the FerretDB test server")
node -e "require('better-sqlite3')" 2>/dev/null || missing+=("better-sqlite3's native module (run npm ci)")
if ((${#missing[@]})); then
  printf 'npm test: missing %s\n' "${missing[@]}" >&2
  printf 'npm test: run `bash scripts/ci-deps.sh && npm ci`, then npm test again (npm run test:unit runs what needs none of these)\n' >&2
  exit 1
fi

npx tsc --noEmit -p .
MONGODB_TEST_URI="$(scripts/ferretdb.sh start "$port")?maxPoolSize=1"
export MONGODB_TEST_URI

echo "== all suites (embedded store; Mongo store contract on FerretDB)"
npx jest --ci "$@"
# Only suites whose harness runs on the configured store: the harness refuses a test that brings its
# own store in this phase, and asserts that the service under test runs on MongoDB.
echo "== end-to-end webhook and sign-in suites on the Mongo store (FerretDB)"
HARNESS_STORE=mongo npx jest --ci test/e2e test/privacy/retention-and-export.test.ts \
  test/identity/local-sign-in.test.ts test/identity/live-session.test.ts test/identity/oidc-sign-in.test.ts test/identity/tokens-and-audit.test.ts
