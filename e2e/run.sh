#!/usr/bin/env bash
# Runs Oberih's browser tests against a fresh demo server.
#
#   bash e2e/run.sh            (from the repository root, or from anywhere)
#
# OBERIH_BIN picks the server binary (default: target/debug/oberih, built if
# absent). Screenshots and the server's log land in e2e/test-results/.
set -euo pipefail

E2E_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$E2E_DIR/.." && pwd)"
RESULTS_DIR="$E2E_DIR/test-results"
mkdir -p "$RESULTS_DIR"

# Debian's Chromium: Playwright's own browser download does not work here.
if ! command -v chromium >/dev/null; then
  echo "e2e: installing chromium" >&2
  apt-get update && apt-get install -y chromium chromium-driver
fi

# npm packages, when node_modules is missing or older than the lock file.
cd "$E2E_DIR"
if [[ ! -d node_modules/playwright-core ]] \
   || [[ ! -f node_modules/.package-lock.json ]] \
   || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "e2e: npm ci" >&2
  npm ci --no-audit --no-fund
fi

# The server binary.
BIN="${OBERIH_BIN:-$REPO_ROOT/target/debug/oberih}"
if [[ ! -x "$BIN" ]]; then
  if [[ -n "${OBERIH_BIN:-}" ]]; then
    echo "e2e: OBERIH_BIN=$OBERIH_BIN is not an executable file" >&2
    exit 2
  fi
  echo "e2e: building $BIN" >&2
  (cd "$REPO_ROOT" && cargo build -p oberih)
fi

PORT="$(python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])')"
TMP_DIR="$(mktemp -d "${TMPDIR:-/tmp}/oberih-e2e.XXXXXX")"
DB="$TMP_DIR/demo.sqlite3"
LOG="$RESULTS_DIR/server.log"
SERVER_PID=""

cleanup() {
  if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    for _ in $(seq 1 50); do
      kill -0 "$SERVER_PID" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$TMP_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "e2e: starting $BIN demo on 127.0.0.1:$PORT (log: $LOG)" >&2
# Debug-level logs, so the scan below sees everything the server could say.
OBERIH_LOG="${OBERIH_LOG:-debug,sqlx=debug,hyper=info,h2=info}" \
  "$BIN" demo --listen "127.0.0.1:$PORT" --db "$DB" >"$LOG" 2>&1 &
SERVER_PID=$!

export OBERIH_URL="http://127.0.0.1:$PORT"
ready=""
for _ in $(seq 1 120); do
  if ! kill -0 "$SERVER_PID" 2>/dev/null; then
    echo "e2e: the server exited before it was ready; its log:" >&2
    cat "$LOG" >&2
    exit 1
  fi
  if [[ "$(curl -fsS --max-time 2 "$OBERIH_URL/healthz" 2>/dev/null || true)" == "ok" ]]; then
    ready=1
    break
  fi
  sleep 0.5
done
if [[ -z "$ready" ]]; then
  echo "e2e: $OBERIH_URL/healthz did not answer \"ok\" within 60 s; server log:" >&2
  cat "$LOG" >&2
  exit 1
fi

status=0
npm test || status=$?

# Nothing personal reaches a log: the server's whole log of this run must not
# hold the name of any person in the records — the demo people
# (data/demo_people.csv) and the people the browser tests typed in
# (e2e/tests/people.json: [{surname, given_name}, …]).
names="$(mktemp)"
# Surnames only: they are invented and distinctive (given names such as
# "Оксана" are shared with staff accounts, which the demo prints).
tail -n +2 "$REPO_ROOT/data/demo_people.csv" | cut -d, -f1 >"$names"
if [[ -f "$E2E_DIR/tests/people.json" ]]; then
  node -e 'for (const p of require(process.argv[1])) console.log(p.surname)' \
    "$E2E_DIR/tests/people.json" >>"$names"
fi
scanned="$(grep -c . "$names")"
if grep -F -f "$names" "$LOG" >"$TMP_DIR/leaks" 2>/dev/null; then
  echo "e2e: a person's name reached the server log ($LOG):" >&2
  head -n 20 "$TMP_DIR/leaks" >&2
  status=1
else
  echo "e2e: server log ($(wc -l <"$LOG") lines) scanned for $scanned names of people in the records: none found" >&2
fi
rm -f "$names"

if [[ $status -ne 0 ]]; then
  echo "e2e: tests failed (status $status); server log ($LOG):" >&2
  cat "$LOG" >&2
fi
echo "e2e: screenshots in $RESULTS_DIR" >&2
exit "$status"
