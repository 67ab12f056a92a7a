#!/usr/bin/env bash
# Where the server's CPU goes on the organisations list and on the case page:
# perf samples the release server for 10 s under the load of wrk (64
# connections) on each, and the samples are grouped by what they are. See
# docs/BENCHMARKS.md, "Where the time goes, again".
#
#   KEEP=1 bash bench/orgs_list.sh      # keeps the seeded database and the binary
#   bash bench/profile_pages.sh /tmp/oberih-bench.XXXXXX
#
# Needs perf (Debian: linux-perf), wrk, curl, python3; targets 127.0.0.1 only.
# perf needs kernel.perf_event_paranoid <= 1 or root.
set -euo pipefail
KEPT="${1:?the directory bench/orgs_list.sh kept (KEEP=1)}"
BIN="$KEPT/oberih"
DB="$KEPT/seeded.sqlite3"
[[ -x "$BIN" && -f "$DB" ]] || { echo "no oberih or seeded.sqlite3 in $KEPT" >&2; exit 1; }
PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
BASE="http://127.0.0.1:$PORT"
"$BIN" demo --db "$DB" --listen "127.0.0.1:$PORT" >"$KEPT/profile-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.2; done

sign_in() { # login → the session cookie
    local jar="$KEPT/jar.$1" csrf
    rm -f "$jar"
    csrf="$(curl -fsS -c "$jar" -b "$jar" "$BASE/sign-in" | grep -o 'name="csrf_token" value="[^"]*"' | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')"
    curl -sS -o /dev/null -c "$jar" -b "$jar" --data-urlencode "csrf_token=$csrf" --data-urlencode "login=$1" \
        --data-urlencode "password=oberih-demo-2026" "$BASE/sign-in"
    echo "oberih_session=$(awk '$6 == "oberih_session" { print $7 }' "$jar" | tail -n1)"
}
ANALYST="$(sign_in analyst)"
OFFICER="$(sign_in officer)"
CASE="$(curl -fsS -H "Cookie: $OFFICER" "$BASE/cases" | grep -oE 'href="/cases/[0-9]+"' | head -n1 | sed 's/href="\(.*\)"/\1/')"

for what in "list|/organisations|$ANALYST" "case|$CASE|$OFFICER"; do
    IFS='|' read -r name path cookie <<<"$what"
    wrk -t2 -c64 -d3s -H "Cookie: $cookie" "$BASE$path" >/dev/null
    wrk -t2 -c64 -d12s -H "Cookie: $cookie" "$BASE$path" >"$KEPT/profile-$name.wrk" &
    local_wrk=$!
    sleep 1
    perf record -F 499 -g -o "$KEPT/perf-$name.data" -p "$PID" -- sleep 10 2>/dev/null
    wait "$local_wrk"
    perf report -i "$KEPT/perf-$name.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
        | grep '%' >"$KEPT/perf-$name.txt" || true
    echo "== $name ($path): $(awk '/^Requests\/sec:/ { print $2 }' "$KEPT/profile-$name.wrk") req/s under perf"
    perf report -i "$KEPT/perf-$name.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep '%' | head -3 || true
    python3 - "$KEPT/perf-$name.txt" <<'PY'
import re, sys
groups = [
    ("kernel: thread hand-offs (futex, wake-ups, context switches)",
     r"\[kernel\.kallsyms\].*(futex|finish_task_switch|spin_unlock|schedule|wake|irqentry|reschedule|syscall|exit_to_user)"),
    ("kernel: network and file I/O", r"\[kernel\.kallsyms\]"),
    ("allocator and memory copies", r"libc\.so\.6.*(malloc|free|_int_|unlink_chunk|memmove|memcpy|memcmp|memset|strn?cmp|consolidate)"),
    ("sqlx and SQLite copying and converting values", r"oberih.*(sqlx|from_utf8|sqlite3_value|SqliteRow|AnyRow|AnyValue|type_info|Decode|FromRow)"),
    ("SQLite running the queries", r"oberih.*sqlite3"),
    ("sqlx worker channel (flume)", r"oberih.*flume"),
    ("rendering (askama)", r"oberih.*askama"),
    ("HTTP (hyper, axum, tower)", r"oberih.*(hyper|axum|tower|http::)"),
    ("logging and tracing", r"oberih.*(tracing|sharded_slab|fmt::)"),
    ("libc, other", r"libc\.so"),
    ("the rest of the binary", r"oberih"),
]
total = {}
for line in open(sys.argv[1]):
    m = re.match(r"\s*([\d.]+)%\s+(.*)", line)
    if not m:
        continue
    share, rest = float(m.group(1)), m.group(2)
    for name, rx in groups:
        if re.search(rx, rest):
            total[name] = total.get(name, 0) + share
            break
    else:
        total["other"] = total.get("other", 0) + share
for name, _ in groups + [("other", "")]:
    if name in total:
        print(f"{total[name]:5.1f}%  {name}")
PY
done
