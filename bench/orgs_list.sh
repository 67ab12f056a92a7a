#!/usr/bin/env bash
# Load test of the organisations list against the same server's static
# stylesheet (the ceiling), measured in one run. See docs/BENCHMARKS.md.
#
#   bash bench/orgs_list.sh
#
# Knobs (environment): DURATION (default 20s), CONNECTIONS (64), THREADS (2),
# WARMUP (3s per endpoint), ORGS (10000), USERS (100000), SKIP_SMALL=1 to skip
# the demo-only database, SKIP_BUILD=1 to use target/release/oberih as it is,
# KEEP=1 to keep the temporary directory (databases, server logs, wrk output).
#
# Needs: cargo, curl, wrk (Debian: apt-get install -y wrk). Targets 127.0.0.1
# only. Prints a Markdown table on stdout; progress goes to stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/oberih"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-3s}"
ORGS="${ORGS:-10000}"
USERS="${USERS:-100000}"
LOGIN="analyst"
PASSWORD="oberih-demo-2026"
# The filtered variant: one kind within one territory (id 2 is an oblast of the demo data).
FILTER_QUERY="${FILTER_QUERY:-kind=ngo&territory=2}"

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

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
    if [[ "${KEEP:-0}" == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
    log "building (cargo build --release -p oberih)"
    (cd "$ROOT" && cargo build --release -p oberih >&2)
fi
[[ -x "$BIN" ]] || die "$BIN not found"

free_port() {
    # Ask the kernel for a free port on 127.0.0.1 (bash /dev/tcp cannot; use python if present, else a fixed range).
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 20000))
    fi
}

# Seeds the database if asked, starts the demo server on it, waits until it answers.
start_server() { # db_file seed(0|1)
    local db="$1" seed="$2"
    if [[ "$seed" == 1 ]]; then
        log "seeding $ORGS organisations and $USERS users into $db"
        local t0=$SECONDS
        OBERIH__DATABASE__URL="sqlite://$db" "$BIN" bench-seed --orgs "$ORGS" --users "$USERS" \
            >"$db.seed.log" 2>&1 || { cat "$db.seed.log" >&2; die "bench-seed failed"; }
        log "seeded in $((SECONDS - t0)) s"
    fi
    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    SERVER_LOG="$db.server.log"
    "$BIN" demo --db "$db" --listen "127.0.0.1:$PORT" >"$SERVER_LOG" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 1 300); do
        if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || { cat "$SERVER_LOG" >&2; die "server exited"; }
        sleep 0.2
    done
    die "server did not answer on $BASE"
}

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}

# Signs in as the demo analyst; sets COOKIE to "oberih_session=<hex>".
sign_in() {
    local jar="$WORK/jar" page csrf code
    rm -f "$jar"
    page="$(curl -fsS -c "$jar" -b "$jar" "$BASE/sign-in")"
    csrf="$(grep -o 'name="csrf_token" value="[^"]*"' <<<"$page" | head -n1 | sed 's/.*value="\([^"]*\)"/\1/')"
    [[ -n "$csrf" ]] || die "no csrf_token on /sign-in"
    code="$(curl -sS -o /dev/null -w '%{http_code}' -c "$jar" -b "$jar" \
        --data-urlencode "csrf_token=$csrf" --data-urlencode "login=$LOGIN" \
        --data-urlencode "password=$PASSWORD" "$BASE/sign-in")"
    [[ "$code" == 303 ]] || die "sign-in answered $code, expected 303"
    local token
    token="$(awk '$6 == "oberih_session" { print $7 }' "$jar" | tail -n1)"
    [[ -n "$token" ]] || die "no oberih_session cookie after sign-in"
    COOKIE="oberih_session=$token"
}

# Fails unless the path answers 200 with the session; prints the body.
fetch_ok() { # path
    local out="$WORK/page" code
    code="$(curl -sS -o "$out" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$1")"
    [[ "$code" == 200 ]] || die "GET $1 answered $code, expected 200"
    cat "$out"
}

# Requests the server logged (one line per response), and those not 200.
count_responses() {
    local total bad
    total="$(grep -c 'finished processing request' "$SERVER_LOG" || true)"
    bad="$(grep 'finished processing request' "$SERVER_LOG" | grep -vc 'status=200' || true)"
    echo "$total $bad"
}

to_ms() { # "1.23ms" | "850.00us" | "1.02s" -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000
        else if (v ~ /ms$/) n = n
        else if (v ~ /m$/) n *= 60000
        else if (v ~ /s$/) n *= 1000
        printf "%.2f", n
    }'
}

# Runs wrk against one path; appends "label|path|rps|p50|p99|requests|errors" to RESULTS.
measure() { # label path
    local label="$1" path="$2" out="$WORK/wrk.$RANDOM.txt"
    local hdr=(-H "Cookie: $COOKIE")
    log "warm-up $WARMUP: $label ($path)"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "${hdr[@]}" "$BASE$path" >/dev/null
    local bad_before bad_after
    read -r _ bad_before < <(count_responses)
    log "measure $DURATION at $CONNECTIONS connections: $label"
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "${hdr[@]}" "$BASE$path" >"$out"
    cat "$out" >&2
    read -r _ bad_after < <(count_responses)
    local rps p50 p99 reqs errs
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    # Socket errors and non-2xx/3xx that wrk saw, plus any non-200 the server logged.
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad_after - bad_before))
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    RESULTS+=("$SCENARIO|$label|$path|$rps|$p50|$p99|$reqs|$errs")
}

run_scenario() { # name seed(0|1)
    SCENARIO="$1"
    local db="$WORK/$1.sqlite3"
    start_server "$db" "$2"
    sign_in
    local page next
    fetch_ok /static/style.css >/dev/null
    page="$(fetch_ok /organisations)"
    local rows
    rows="$(grep -c 'href="/organisations/[0-9]' <<<"$page" || true)"
    log "$SCENARIO: first page lists $rows organisation links"
    fetch_ok "/organisations?$FILTER_QUERY" >/dev/null
    next="$(grep -o 'href="[^"]*" rel="next"' <<<"$page" | head -n1 | sed 's/href="\([^"]*\)".*/\1/; s/&#38;/\&/g; s/&amp;/\&/g' || true)"
    measure "static /static/style.css (ceiling, before)" /static/style.css
    measure "list, first page" /organisations
    measure "list, filtered ($FILTER_QUERY)" "/organisations?$FILTER_QUERY"
    if [[ -n "$next" ]]; then
        fetch_ok "$next" >/dev/null
        measure "list, second page (keyset)" "$next"
    else
        log "$SCENARIO: no next page (fewer than 51 organisations); skipping"
    fi
    measure "static /static/style.css (ceiling, after)" /static/style.css
    stop_server
}

RESULTS=()
START_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
if [[ "${SKIP_SMALL:-0}" != 1 ]]; then
    run_scenario "demo-only" 0
fi
run_scenario "seeded" 1

# ---- report ---------------------------------------------------------------
{
    echo
    echo "Run: $START_DATE; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//');"
    echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after ${WARMUP} warm-up per endpoint); seeded = demo data + $ORGS organisations + $USERS users."
    echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo
    echo "| database | endpoint | req/s | % of static | p50 ms | p99 ms | requests | errors |"
    echo "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${RESULTS[@]}" | awk -F'|' '
        { sc[NR] = $1; lab[NR] = $2; rps[NR] = $4; p50[NR] = $5; p99[NR] = $6; req[NR] = $7; err[NR] = $8
          if ($2 ~ /^static/) { ceil_sum[$1] += $4; ceil_n[$1]++ } }
        END {
          for (i = 1; i <= NR; i++) {
            c = ceil_sum[sc[i]] / ceil_n[sc[i]]
            printf "| %s | %s | %.0f | %.1f%% | %.2f | %.2f | %s | %s |\n", sc[i], lab[i], rps[i], 100 * rps[i] / c, p50[i], p99[i], req[i], err[i]
          }
          print ""
          print "% of static = req/s over the mean of the two static runs (before and after) on the same server."
          # Scaling: seeded vs demo-only, same endpoint.
          for (i = 1; i <= NR; i++) if (sc[i] == "demo-only") { small_rps[lab[i]] = rps[i]; small_p99[lab[i]] = p99[i]; small_share[lab[i]] = rps[i] / (ceil_sum[sc[i]] / ceil_n[sc[i]]) }
          header = 0
          for (i = 1; i <= NR; i++) if (sc[i] == "seeded" && lab[i] !~ /^static/ && (lab[i] in small_rps)) {
            if (!header) {
              print ""
              print "| endpoint | req/s seeded / demo-only | % of static seeded / demo-only | p99 seeded / demo-only |"
              print "| --- | ---: | ---: | ---: |"
              header = 1
            }
            share = rps[i] / (ceil_sum[sc[i]] / ceil_n[sc[i]])
            printf "| %s | %.2f | %.2f | %.2f |\n", lab[i], rps[i] / small_rps[lab[i]], share / small_share[lab[i]], (small_p99[lab[i]] > 0 ? p99[i] / small_p99[lab[i]] : 0)
          }
          # Verdict on the seeded list variants.
          print ""
          print "Aims (seeded database): list >= 30% of static req/s, p99 < 50 ms."
          print ""
          for (i = 1; i <= NR; i++) if (sc[i] == "seeded" && lab[i] !~ /^static/) {
            share = 100 * rps[i] / (ceil_sum[sc[i]] / ceil_n[sc[i]])
            printf "- %s: %.1f%% of static (%s); p99 %.2f ms (%s)\n", lab[i], share, (share >= 30 ? "met" : "NOT met"), p99[i], (p99[i] < 50 ? "met" : "NOT met")
          }
        }'
}
