#!/usr/bin/env bash
# FerretDB (MongoDB wire protocol over pure-Go SQLite) for tests and CI.
#
#   scripts/ferretdb.sh build          build tools/ferretdb/bin/ferretdb (no-op if up to date)
#   scripts/ferretdb.sh start [port]   build if needed, start in background on 127.0.0.1:PORT
#                                      (default 27018), wait until it accepts connections,
#                                      print the MongoDB URI (mongodb://127.0.0.1:PORT/callpath)
#   scripts/ferretdb.sh stop           stop the server started by `start`, remove its state
#   scripts/ferretdb.sh status         exit 0 if running (prints pid), 1 otherwise
#   scripts/ferretdb.sh uri [port]     print the URI without starting anything
#
# Env: FERRETDB_RUN_DIR (pid/log/state; default ${TMPDIR:-/tmp}/callpath-ferretdb),
#      FERRETDB_DB (db name in URI; default callpath), FERRETDB_LOG_LEVEL (default error;
#      warn logs every error reply),
#      GO (go binary; default: `go` on PATH, else /usr/local/go/bin/go).
# Only stdout output is the URI from `start`/`uri`; everything else goes to stderr.
set -euo pipefail

SCRIPT_DIR="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd -P)"
REPO_ROOT="$(cd -- "$SCRIPT_DIR/.." && pwd -P)"
SRC_DIR="$REPO_ROOT/tools/ferretdb"
BIN="$SRC_DIR/bin/ferretdb"
RUN_DIR="${FERRETDB_RUN_DIR:-${TMPDIR:-/tmp}/callpath-ferretdb}"
PID_FILE="$RUN_DIR/ferretdb.pid"
LOG_FILE="$RUN_DIR/ferretdb.log"
STATE_DIR="$RUN_DIR/state"
DB_NAME="${FERRETDB_DB:-callpath}"
DEFAULT_PORT=27018
START_TIMEOUT_S=30

log() { printf 'ferretdb.sh: %s\n' "$*" >&2; }
die() { printf '\nferretdb.sh: ERROR: %s\n\n' "$*" >&2; exit 1; }

find_go() {
  if [[ -n "${GO:-}" ]]; then
    command -v "$GO" >/dev/null 2>&1 || die "GO=$GO is not an executable"
    printf '%s\n' "$GO"; return
  fi
  if command -v go >/dev/null 2>&1; then command -v go; return; fi
  if [[ -x /usr/local/go/bin/go ]]; then printf '%s\n' /usr/local/go/bin/go; return; fi
  die "the Go toolchain ('go') was not found on PATH nor at /usr/local/go/bin/go.
    It is required to build FerretDB (the MongoDB-compatible test server) from tools/ferretdb.
    Install Go >= 1.24 (or set GO=/path/to/go) and retry."
}

# True if the binary is missing or older than any input file.
needs_build() {
  [[ -x "$BIN" ]] || return 0
  local f
  for f in "$SRC_DIR"/go.mod "$SRC_DIR"/go.sum "$SRC_DIR"/*.go "$SCRIPT_DIR/ferretdb.sh"; do
    [[ -e "$f" && "$f" -nt "$BIN" ]] && return 0
  done
  return 1
}

cmd_build() {
  if ! needs_build; then
    log "up to date: $BIN"
    return 0
  fi
  local go; go="$(find_go)"
  log "building $BIN with $("$go" version) ..."
  mkdir -p "$SRC_DIR/bin"
  local t0=$SECONDS
  # modernc.org/sqlite is pure Go: no cgo needed. -mod=readonly: go.sum is committed.
  # -buildvcs=false: no git stamping (works in any checkout, e.g. dubious-ownership clones).
  # ferretdb_no_postgresql: we only use the SQLite handler, skip compiling pgx.
  # GOTOOLCHAIN=local: never try to download another Go toolchain (go.mod asks only for 1.24).
  (
    cd "$SRC_DIR"
    CGO_ENABLED=0 GOTOOLCHAIN=local \
      "$go" build -mod=readonly -buildvcs=false -trimpath -tags ferretdb_no_postgresql \
      -ldflags '-s -w' -o "$BIN.tmp.$$" .
  ) || { rm -f "$BIN.tmp.$$"; die "go build of tools/ferretdb failed (see output above)"; }
  mv -f "$BIN.tmp.$$" "$BIN"
  log "built $BIN in $((SECONDS - t0))s"
}

read_pid() { [[ -f "$PID_FILE" ]] && tr -dc '0-9' <"$PID_FILE" || true; }

is_running() {
  local pid; pid="$(read_pid)"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null
}

port_open() { # port -> 0 if something accepts TCP connections on 127.0.0.1:port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

uri_for() { printf 'mongodb://127.0.0.1:%s/%s\n' "$1" "$DB_NAME"; }

check_port() {
  [[ "$1" =~ ^[0-9]+$ ]] && (( $1 > 0 && $1 < 65536 )) || die "invalid port: '$1'"
}

cmd_start() {
  local port="${1:-$DEFAULT_PORT}"
  check_port "$port"
  if is_running; then
    die "already running (pid $(read_pid), pid file $PID_FILE); run '$0 stop' first"
  fi
  if port_open "$port"; then
    die "port 127.0.0.1:$port is already in use by another process; pass another port: $0 start PORT"
  fi
  cmd_build
  mkdir -p "$RUN_DIR"
  rm -rf "$STATE_DIR"
  mkdir -p "$STATE_DIR"
  : >"$LOG_FILE"
  # setsid: own session, so it survives the caller's shell/job control and Ctrl-C.
  local launcher=()
  command -v setsid >/dev/null 2>&1 && launcher=(setsid)
  "${launcher[@]}" "$BIN" -listen "127.0.0.1:$port" -state-dir "$STATE_DIR" \
    -log-level "${FERRETDB_LOG_LEVEL:-error}" </dev/null >>"$LOG_FILE" 2>&1 &
  local pid=$!
  echo "$pid" >"$PID_FILE"
  echo "$port" >"$RUN_DIR/ferretdb.port"

  local deadline=$((SECONDS + START_TIMEOUT_S))
  until port_open "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$PID_FILE"
      log "log ($LOG_FILE):"; sed 's/^/  | /' "$LOG_FILE" >&2 || true
      die "ferretdb exited during startup (see log above)"
    fi
    if (( SECONDS >= deadline )); then
      kill "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      log "log ($LOG_FILE):"; sed 's/^/  | /' "$LOG_FILE" >&2 || true
      die "ferretdb did not accept connections on 127.0.0.1:$port within ${START_TIMEOUT_S}s"
    fi
    sleep 0.2
  done
  log "started pid $pid on 127.0.0.1:$port (state $STATE_DIR, log $LOG_FILE)"
  uri_for "$port"
}

cmd_stop() {
  local pid; pid="$(read_pid)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for ((i = 0; i < 50; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "pid $pid did not exit after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
    log "stopped pid $pid"
  else
    log "not running${pid:+ (stale pid $pid)}"
  fi
  rm -f "$PID_FILE" "$RUN_DIR/ferretdb.port"
  rm -rf "$STATE_DIR"
}

cmd_status() {
  if is_running; then
    log "running, pid $(read_pid), port $(cat "$RUN_DIR/ferretdb.port" 2>/dev/null || echo '?')"
    return 0
  fi
  log "not running"
  return 1
}

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}" >&2
  exit 2
}

case "${1:-}" in
  build)  shift; cmd_build "$@" ;;
  start)  shift; cmd_start "$@" ;;
  stop)   shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  uri)    shift; p="${1:-$DEFAULT_PORT}"; check_port "$p"; uri_for "$p" ;;
  *)      usage ;;
esac
