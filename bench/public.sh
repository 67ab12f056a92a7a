#!/usr/bin/env bash
# The public pages (issue 12) against the same server's static stylesheet:
# the hotlines page, the job-offer check's questions, and its result (a POST
# with three red flags). See docs/BENCHMARKS.md.
#
#   bash bench/public.sh
#
# 1. `oberih demo` on a fresh SQLite file, with the public rate limit raised
#    out of the way (OBERIH__SECURITY__PUBLIC_REQUESTS_PER_MINUTE), since all
#    the load comes from one address; the limiter still runs on every request.
# 2. wrk -tTHREADS -cCONNECTIONS -dDURATION --latency, ROUNDS interleaved
#    rounds of: static, /help, GET /help/job-check, POST /help/job-check;
#    then one closing static run. Each page is set against the mean of the
#    static runs around its round.
# 3. Every response is counted in the server's log: anything but 200 is an
#    error.
#
# Aim (issue 12): each public page at least 50 % of the static ceiling's
# throughput.
#
# Knobs: ROUNDS (3), DURATION (10s), CONNECTIONS (64), THREADS (2),
# WARMUP (3s), SKIP_BUILD=1, KEEP=1. Needs: cargo, curl, wrk, awk.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/oberih"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-3s}"

for tool in curl wrk awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y $tool)"
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oberih-bench.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [[ "${KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

prepare_binary

# The job check's POST: three red flags, as a browser sends them.
cat >"$WORK/post.lua" <<'LUA'
wrk.method = "POST"
wrk.body = "flag=messenger&flag=pressure&flag=company"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
LUA

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
SERVER_LOG="$WORK/server.log"
OBERIH__SECURITY__PUBLIC_REQUESTS_PER_MINUTE=100000000 \
    "$BIN" demo --db "$WORK/demo.sqlite3" --listen "127.0.0.1:$PORT" >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "server exited"; }
    sleep 0.2
done
for path in /static/style.css /help /help/job-check; do
    code="$(curl -sS -o /dev/null -w '%{http_code}' "$BASE$path")"
    [[ "$code" == 200 ]] || die "GET $path answered $code"
done
risk="$(curl -sS --data 'flag=messenger&flag=pressure&flag=company' "$BASE/help/job-check" | grep -o 'data-risk="[a-z]*"' || true)"
[[ "$risk" == 'data-risk="high"' ]] || die "the job check's POST did not answer a high risk ($risk)"
for path in /static/style.css /help /help/job-check; do
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$BASE$path" >/dev/null
done

RESULTS=()
measure() { # round label path [lua]
    local round="$1" label="$2" path="$3" script="${4:-}" out="$WORK/wrk.$round.${#RESULTS[@]}.txt"
    : >"$SERVER_LOG"
    log "round $round: $DURATION at $CONNECTIONS connections: $label"
    local b0 s0 b1 s1 wall wu ws TIMEFORMAT='%R %U %S'
    local args=(-t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency)
    [[ -n "$script" ]] && args+=(-s "$script")
    b0="$(busy_ticks)"; s0="$(server_ticks)"
    { time wrk "${args[@]}" "$BASE$path" >"$out"; } 2>"$out.time"
    b1="$(busy_ticks)"; s1="$(server_ticks)"
    read -r wall wu ws <"$out.time"
    local logged bad rps p50 p99 reqs errs other
    read -r logged bad < <(count_responses)
    [[ "$bad" -gt 0 ]] && keep_non_200 "round $round: $label"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad))
    other="$(other_cores "$b0" "$b1" "$s0" "$s1" "$wall" "$wu" "$ws")"
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    log "  $rps req/s, p50 $p50 ms, p99 $p99 ms; $bad not 200; other CPU $other cores"
    RESULTS+=("$round|$label|$rps|$p50|$p99|$reqs|$errs|$other")
}

for round in $(seq 1 "$ROUNDS"); do
    measure "$round" "static" /static/style.css
    measure "$round" "hotlines (/help)" /help
    measure "$round" "job check, questions" /help/job-check
    measure "$round" "job check, result (POST)" /help/job-check "$WORK/post.lua"
done
measure "end" "static" /static/style.css

echo "| round | endpoint | req/s | % of static | p50 ms | p99 ms | requests | errors | other CPU (cores) |"
echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${RESULTS[@]}"; do
    IFS='|' read -r round label rps p50 p99 reqs errs other <<<"$r"
    # The ceiling of a round: the mean of its static run and the next one.
    ceiling="$(printf '%s\n' "${RESULTS[@]}" | awk -F'|' -v r="$round" '
        $2 == "static" { st[++n] = $3; rd[n] = $1 }
        END { for (i = 1; i <= n; i++) if (rd[i] == r) { print (st[i] + st[i + 1 > n ? i : i + 1]) / 2; exit } }')"
    share="$(awk -v a="$rps" -v b="$ceiling" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "—" }')"
    [[ "$label" == static ]] && share="100%"
    echo "| $round | $label | $rps | $share | $p50 | $p99 | $reqs | $errs | $other |"
done
