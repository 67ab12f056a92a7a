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
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
WORK="${1:?the directory bench/orgs_list.sh kept (KEEP=1)}"
BIN="$WORK/oberih"
DB="$WORK/seeded.sqlite3"
PASSWORD="oberih-demo-2026"
[[ -x "$BIN" && -f "$DB" ]] || die "no oberih or seeded.sqlite3 in $WORK"
for tool in curl wrk perf python3; do
    command -v "$tool" >/dev/null || die "$tool is missing"
done
BASE="http://127.0.0.1:$(free_port)"
"$BIN" demo --db "$DB" --listen "${BASE#http://}" >"$WORK/profile-server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break; sleep 0.2; done

LOGIN=analyst; sign_in; ANALYST="$COOKIE"
LOGIN=officer; sign_in; OFFICER="$COOKIE"
CASE="$(curl -fsS -H "Cookie: $OFFICER" "$BASE/cases" | grep -oE 'href="/cases/[0-9]+"' | head -n1 | sed 's/href="\(.*\)"/\1/')"
[[ -n "$CASE" ]] || die "officer sees no case on /cases"

for what in "list|/organisations|$ANALYST" "case|$CASE|$OFFICER"; do
    IFS='|' read -r name path cookie <<<"$what"
    wrk -t2 -c64 -d3s -H "Cookie: $cookie" "$BASE$path" >/dev/null
    wrk -t2 -c64 -d12s -H "Cookie: $cookie" "$BASE$path" >"$WORK/profile-$name.wrk" &
    wrk_pid=$!
    sleep 1
    perf record -F 499 -g -o "$WORK/perf-$name.data" -p "$PID" -- sleep 10 2>/dev/null
    wait "$wrk_pid"
    perf report -i "$WORK/perf-$name.data" --no-children --sort dso,symbol --stdio -g none 2>/dev/null \
        | grep '%' >"$WORK/perf-$name.txt" || true
    echo "== $name ($path): $(awk '/^Requests\/sec:/ { print $2 }' "$WORK/profile-$name.wrk") req/s under perf"
    perf report -i "$WORK/perf-$name.data" --no-children --sort comm --stdio -g none 2>/dev/null | grep '%' | head -3 || true
    python3 - "$WORK/perf-$name.txt" <<'PY'
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
