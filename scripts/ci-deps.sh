#!/usr/bin/env bash
# Installs what CI (and a fresh developer machine) needs and is not already there.
# This is the single place for apt installs. Idempotent: installs only what is
# missing, and runs `apt-get update` only when something has to be installed.
# Works as root with no stdin (CI). Safe to call from any cwd.
#
# What it ensures:
#   - Go toolchain >= 1.24 (NOT from apt: Debian bookworm's golang-go is 1.19, too old for
#     FerretDB). The machine image provides /usr/local/go; if it's missing we fail loudly.
#     Used by scripts/ferretdb.sh to build the MongoDB-compatible test server.
#   - chromium (+ fonts-liberation) for browser tests, only if /usr/bin/chromium is missing.
#   - docker-compose, to validate docker-compose.yml with `docker-compose config` (never run here).
#   - a C++ toolchain and python3, with which npm compiles better-sqlite3 (the embedded store's
#     SQLite) where no prebuilt binary can be downloaded; the Node headers come with Node.js.
# FerretDB itself needs nothing from apt (pure-Go SQLite, CGO_ENABLED=0).
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

log() { printf 'ci-deps: %s\n' "$*" >&2; }
die() { printf '\nci-deps: ERROR: %s\n\n' "$*" >&2; exit 1; }

# --- apt packages: "<already-present check>|<package>" -------------------------------
# A check is either an absolute path that must exist, or "dpkg:<pkg>" (package installed).
APT_WANTS=(
  "/usr/bin/chromium|chromium"
  "dpkg:fonts-liberation|fonts-liberation"   # real fonts for headless screenshots
  "/usr/bin/docker-compose|docker-compose"    # validates docker-compose.yml (no engine runs here)
  "/usr/bin/g++|g++"                          # node-gyp builds better-sqlite3
  "/usr/bin/make|make"
  "/usr/bin/python3|python3"
)

have() {
  local check="$1"
  case "$check" in
    dpkg:*) dpkg-query -W -f='${Status}' "${check#dpkg:}" 2>/dev/null | grep -q 'install ok installed' ;;
    *)      [[ -e "$check" ]] ;;
  esac
}

missing=()
for entry in "${APT_WANTS[@]}"; do
  check="${entry%%|*}" pkg="${entry#*|}"
  if have "$check"; then
    log "ok: $pkg"
  else
    missing+=("$pkg")
  fi
done

if ((${#missing[@]})); then
  SUDO=()
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install: ${missing[*]}"
    SUDO=(sudo -n)
  fi
  command -v apt-get >/dev/null 2>&1 || die "apt-get not found; cannot install: ${missing[*]}"
  log "installing: ${missing[*]}"
  "${SUDO[@]}" apt-get update -qq </dev/null
  "${SUDO[@]}" apt-get install -y -qq --no-install-recommends \
    -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
    "${missing[@]}" </dev/null
  for entry in "${APT_WANTS[@]}"; do
    have "${entry%%|*}" || die "package ${entry#*|} was installed but '${entry%%|*}' is still missing"
  done
else
  log "nothing to install from apt"
fi

# --- Go (for tools/ferretdb) ----------------------------------------------------------
GO_BIN=""
if command -v go >/dev/null 2>&1; then GO_BIN="$(command -v go)"
elif [[ -x /usr/local/go/bin/go ]]; then GO_BIN=/usr/local/go/bin/go
fi
[[ -n "$GO_BIN" ]] || die "Go toolchain not found (neither 'go' on PATH nor /usr/local/go/bin/go).
    It is needed to build the FerretDB test server (scripts/ferretdb.sh build); Debian's
    golang-go (1.19) is too old. Use a machine image that ships Go >= 1.24."
go_ver="$("$GO_BIN" env GOVERSION 2>/dev/null || true)"   # e.g. go1.26.8
if [[ "$go_ver" =~ ^go1\.([0-9]+) ]] && ((BASH_REMATCH[1] >= 24)); then
  log "ok: $go_ver ($GO_BIN)"
else
  die "Go >= 1.24 required for tools/ferretdb, found '${go_ver:-unknown}' at $GO_BIN"
fi

# --- Node headers (node-gyp builds better-sqlite3 against them, offline) ---------------------------
node_inc="$(node -p "require('path').resolve(process.execPath, '../../include/node')" 2>/dev/null || true)"
if [[ -f "$node_inc/node.h" || -d "${HOME:-/root}/.cache/node-gyp/$(node -p process.versions.node 2>/dev/null)" ]]; then
  log "ok: Node headers"
else
  die "the Node.js headers (node.h) were not found beside $(command -v node); install Node.js with its headers (e.g. the nodesource nodejs package) so npm can build better-sqlite3"
fi
