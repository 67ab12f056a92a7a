#!/usr/bin/env bash
# The case officer's assistance list at 10,000 and 100,000 cases, and the
# payment register of a unit-year of 10,000 payments as XLSX (issue 11),
# against the same server's static stylesheet. See docs/BENCHMARKS.md.
#
#   bash bench/assistance.sh
#
# Per size N of SIZES (SQLite, a fresh file each):
#   1. `oberih bench-seed --orgs 0 --users 0 --cases N --assistance --payments P`:
#      the demo data, N synthetic cases (40 % in the demo officer's unit), an
#      assessment for every open case of that unit (one need in ten with
#      nothing planned, one planned service in seven past its date), a stay
#      for one open case in thirty, and P granted statuses with a payment
#      approved this year and entered in the register (one in twenty reversed).
#   2. `oberih demo` serves it; signed in as the demo `officer`.
#   3. wrk -tTHREADS -cCONNECTIONS -dDURATION --latency, ROUNDS rounds of:
#      static, /assistance (the unit's list), /payments/register (the page:
#      totals of the year and its first 500 lines).
#   4. The register of the year as XLSX, downloaded XLSX_RUNS times one after
#      another (curl's time_total): median and slowest, bytes, and the lines
#      counted in the file.
#
# Aims (issue 11): the XLSX under 1 s; the list's p99 under 50 ms.
#
# Knobs: SIZES ("10000 100000"), PAYMENTS (10000), ROUNDS (2), DURATION (10s),
# CONNECTIONS (8), THREADS (2), WARMUP (2s), XLSX_RUNS (5), SKIP_BUILD=1,
# KEEP=1. Needs: cargo, curl, wrk, awk, python3 (to count the XLSX's rows).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/oberih"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
SIZES="${SIZES:-10000 100000}"
PAYMENTS="${PAYMENTS:-10000}"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-2s}"
XLSX_RUNS="${XLSX_RUNS:-5}"
LOGIN="officer"
PASSWORD="oberih-demo-2026"

for tool in curl wrk awk python3; do
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
YEAR="$(date +%Y)"
REGISTER_Q="from=$YEAR-01-01&to=$YEAR-12-31"
RESULTS=()
XLSX=()

measure() { # round label path [connections]
    local round="$1" label="$2" path="$3" conns="${4:-$CONNECTIONS}" out="$WORK/wrk.$SIZE.$round.${#RESULTS[@]}.txt"
    local threads=$((THREADS < conns ? THREADS : conns))
    : >"$SERVER_LOG"
    log "$SIZE round $round: $DURATION at $conns connections: $label"
    local b0 s0 b1 s1 wall wu ws TIMEFORMAT='%R %U %S'
    b0="$(busy_ticks)"; s0="$(server_ticks)"
    { time wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$BASE$path" >"$out"; } 2>"$out.time"
    b1="$(busy_ticks)"; s1="$(server_ticks)"
    read -r wall wu ws <"$out.time"
    local logged bad rps p50 p99 reqs errs other
    read -r logged bad < <(count_responses)
    [[ "$bad" -gt 0 ]] && keep_non_200 "$SIZE round $round: $label"
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad))
    other="$(other_cores "$b0" "$b1" "$s0" "$s1" "$wall" "$wu" "$ws")"
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    log "  $rps req/s, p50 $p50 ms, p99 $p99 ms; $bad not 200; other CPU $other cores"
    RESULTS+=("$SIZE|$round|$label|$conns|$rps|$p50|$p99|$reqs|$errs|$other")
}

for SIZE in $SIZES; do
    DB="$WORK/bench-$SIZE.sqlite3"
    log "$SIZE: seeding (bench-seed --orgs 0 --users 0 --cases $SIZE --assistance --payments $PAYMENTS)"
    t0="$(now_s)"
    OBERIH__DATABASE__URL="sqlite://$DB" "$BIN" bench-seed --orgs 0 --users 0 --cases "$SIZE" --assistance \
        --payments "$PAYMENTS" >"$WORK/seed-$SIZE.log" 2>&1 || { cat "$WORK/seed-$SIZE.log" >&2; die "bench-seed failed"; }
    t1="$(now_s)"
    SEEDED="$(grep '^assistance:' "$WORK/seed-$SIZE.log" | tail -n1)"
    log "$SIZE: $SEEDED ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", b - a }') s in all)"
    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    SERVER_LOG="$WORK/server-$SIZE.log"
    "$BIN" demo --db "$DB" --listen "127.0.0.1:$PORT" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null && break
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "server exited"; }
        sleep 0.2
    done
    sign_in
    fetch_ok "/assistance" "$WORK/list-$SIZE.html"
    rows="$(grep -c '<tr' "$WORK/list-$SIZE.html" || true)"
    log "$SIZE: /assistance answers 200 with $rows table rows"
    for path in /static/style.css /assistance "/payments/register?$REGISTER_Q"; do
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $COOKIE" "$BASE$path" >/dev/null
    done
    for round in $(seq 1 "$ROUNDS"); do
        measure "$round" "static" /static/style.css
        measure "$round" "assistance list" /assistance
        measure "$round" "register page" "/payments/register?$REGISTER_Q"
    done
    # One person at a time: the latency a user sees when nobody else is loading the server.
    measure "single" "assistance list" /assistance 1
    measure "single" "register page" "/payments/register?$REGISTER_Q" 1
    measure "end" "static" /static/style.css
    # The register of the year as XLSX, one download after another.
    times=()
    for i in $(seq 1 "$XLSX_RUNS"); do
        t="$(curl -sS -o "$WORK/register-$SIZE.xlsx" -w '%{http_code} %{time_total} %{size_download}' \
            -H "Cookie: $COOKIE" "$BASE/payments/register.xlsx?$REGISTER_Q")"
        read -r code secs bytes <<<"$t"
        [[ "$code" == 200 ]] || die "register.xlsx answered $code"
        times+=("$secs")
    done
    lines="$(python3 - "$WORK/register-$SIZE.xlsx" <<'PY'
import re, sys, zipfile
xml = zipfile.ZipFile(sys.argv[1]).read("xl/worksheets/sheet1.xml").decode()
print(len(re.findall(r'<c r="C\d+"', xml)) - 1)
PY
)"
    stats="$(printf '%s\n' "${times[@]}" | sort -n | awk '{ a[NR] = $1 } END { printf "%.0f %.0f", a[int((NR + 1) / 2)] * 1000, a[NR] * 1000 }')"
    XLSX+=("$SIZE|$PAYMENTS|$lines|$bytes|${stats% *}|${stats#* }")
    log "$SIZE: register.xlsx ${stats% *} ms median, ${stats#* } ms slowest, $bytes bytes, $lines case cells"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true; SERVER_PID=""
done

echo "| cases | round | endpoint | connections | req/s | % of static | p50 ms | p99 ms | requests | errors | other CPU (cores) |"
echo "| ---: | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for r in "${RESULTS[@]}"; do
    IFS='|' read -r size round label conns rps p50 p99 reqs errs other <<<"$r"
    # The ceiling of a round: the static run of that round and the next static run of the same size
    # (the single-connection runs: the last static run before them and the closing one).
    ceiling="$(printf '%s\n' "${RESULTS[@]}" | awk -F'|' -v s="$size" -v r="$round" '
        $1 == s && $3 == "static" { st[++n] = $5; rd[n] = $2 }
        END {
            for (i = 1; i <= n; i++) if (rd[i] == r) { print (st[i] + st[i + 1 > n ? i : i + 1]) / 2; exit }
            print (st[n - 1] + st[n]) / 2
        }')"
    share="$(awk -v a="$rps" -v b="$ceiling" 'BEGIN { if (b > 0) printf "%.1f%%", 100 * a / b; else print "—" }')"
    [[ "$label" == static ]] && share="100%"
    echo "| $size | $round | $label | $conns | $rps | $share | $p50 | $p99 | $reqs | $errs | $other |"
done
echo
echo "| cases | payments seeded | lines in the XLSX | bytes | median ms | slowest ms |"
echo "| ---: | ---: | ---: | ---: | ---: | ---: |"
for x in "${XLSX[@]}"; do
    IFS='|' read -r size pays lines bytes med max <<<"$x"
    echo "| $size | $pays | $lines | $bytes | $med | $max |"
done
