#!/usr/bin/env bash
# The case list (filtered, keyset-paged) and the deadline list of the demo
# `officer` at 10,000 and at 100,000 cases, against the same server's static
# stylesheet (the ceiling). See docs/BENCHMARKS.md.
#
#   bash bench/cases.sh                      # SQLite in a temporary directory
#   bash bench/cases.sh --db sqlite --db postgres://postgres@127.0.0.1:5432/oberih_bench_cases
#
# Each --db is one database kind to measure in turn: "sqlite" (a fresh file
# per size in the temporary directory, served by `oberih demo`) or a
# PostgreSQL URL: for each size the script creates the database <name>_<size>
# (psql, through the server's "postgres" database; it must not exist yet),
# seeds it, serves it with `oberih serve`, and drops it at the end.
#
# Per database:
#   1. For each size N of SIZES, a fresh database seeded by `oberih bench-seed
#      --orgs 0 --users 0 --cases N`: the demo data plus N synthetic cases
#      (store::bench::seed_cases): 40 % in the officer's unit (Полтавська
#      РВА), about 30 % with a status procedure whose next step falls due
#      between 30 days ago and 30 days ahead. The seed prints keys about 90 %
#      down the officer's two lists, used for the deep pages. Each size gets
#      its own server, all running at once, each signed in as the demo
#      `officer` (case officer of Полтавська РВА).
#   2. Checks every endpoint answers 200 with case rows on it (the number of
#      rows, small → large, goes into the growth table); warms each up for
#      WARMUP.
#   3. wrk -tTHREADS -cCONNECTIONS -dDURATION --latency with the session
#      cookie, in ROUNDS rounds: static, then every list endpoint, each one at
#      every size back to back (so drift of the machine during the run falls
#      on every size alike); then one run of every list endpoint per size at
#      each connection count of SWEEP (single-request latency at 1); one
#      closing static run per size.
#
# Aims (issue 4): p99 under 50 ms, and at 100,000 cases under 1.5 times the
# time at 10,000.
#
# Knobs (environment): SIZES ("10000 100000"), ROUNDS (3), DURATION (10s),
# CONNECTIONS (8), THREADS (2), WARMUP (2s per endpoint, once), SWEEP ("1";
# empty to skip), CHILD_QUERY ("child=yes"), ONLY (an extended regular
# expression: measure only the endpoints whose label matches, besides static;
# e.g. ONLY=deadlines), SKIP_BUILD=1 to use
# target/release/oberih as it is, KEEP=1 to keep the temporary directory.
#
# Every run records the busy CPU that was neither the server nor wrk, in
# cores; runs above 0.25 cores are flagged (someone else was busy).
#
# Needs: cargo, curl, wrk, awk; psql for PostgreSQL. Targets 127.0.0.1 (and
# the given PostgreSQL server) only. Markdown on stdout, progress on stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/oberih"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
SIZES="${SIZES:-10000 100000}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-8}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-2s}"
SWEEP="${SWEEP-1}"
CHILD_QUERY="${CHILD_QUERY:-child=yes}"
ONLY="${ONLY:-}"
LOGIN="officer"
PASSWORD="oberih-demo-2026"


DBS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --db) [[ $# -ge 2 ]] || die "--db needs a value"; DBS+=("$2"); shift 2 ;;
        --db=*) DBS+=("${1#--db=}"); shift ;;
        -h | --help) sed -n '2,42p' "${BASH_SOURCE[0]}"; exit 0 ;;
        *) die "unknown argument $1" ;;
    esac
done
[[ ${#DBS[@]} -gt 0 ]] || DBS=(sqlite)

for tool in curl wrk awk; do
    command -v "$tool" >/dev/null || die "$tool is missing (Debian: apt-get install -y $tool)"
done
for d in "${DBS[@]}"; do
    case "$d" in
        sqlite) ;;
        postgres://* | postgresql://*)
            command -v psql >/dev/null || die "psql is missing (needed for $d)"
            [[ "${d##*/}" =~ ^[a-z_][a-z0-9_]*$ ]] || die "the database name in $d must be [a-z_][a-z0-9_]*"
            ;;
        *) die "--db must be sqlite or a postgres:// URL, not $d" ;;
    esac
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/oberih-bench.XXXXXX")"
SERVER_PID=""
ALL_PIDS=()
PG_CREATED=()
cleanup() {
    local p
    for p in "${ALL_PIDS[@]}"; do
        kill "$p" 2>/dev/null || true
        wait "$p" 2>/dev/null || true
    done
    local u
    for u in "${PG_CREATED[@]}"; do
        pg_drop "$u"
    done
    if [[ "${KEEP:-0}" == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

prepare_binary



# Seeds a fresh database with N cases, starts a server on it, waits until it answers.
# Sets SEED_SECONDS, OFFICER_CASES, OFFICER_DEADLINES, DEEP_CASE, DEEP_DUE, DEEP_ID.
start_server() { # url cases
    local url="$1" n="$2" seedlog="$WORK/$SCENARIO.seed.log"
    log "$SCENARIO: seeding the demo data and $n cases (bench-seed --orgs 0 --users 0 --cases $n)"
    local t0 t1
    t0="$(now_s)"
    OBERIH__DATABASE__URL="$url" "$BIN" bench-seed --orgs 0 --users 0 --cases "$n" >"$seedlog" 2>&1 ||
        { cat "$seedlog" >&2; die "bench-seed failed"; }
    t1="$(now_s)"
    SEED_SECONDS="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
    tail -n 1 "$seedlog" >&2
    local line
    line="$(grep '^cases: .* added' "$seedlog" | tail -n1)"
    [[ -n "$line" ]] || die "no 'cases: … added' line in the bench-seed output"
    OFFICER_CASES="$(sed -n 's/.*officer.s unit: \([0-9]*\) cases.*/\1/p' <<<"$line")"
    OFFICER_DEADLINES="$(sed -n 's/.* \([0-9]*\) deadlines.*/\1/p' <<<"$line")"
    DEEP_CASE="$(sed -n 's/.* after=\([0-9]*\) .*/\1/p' <<<"$line")"
    DEEP_DUE="$(sed -n 's/.* after_due=\([0-9-]*\) .*/\1/p' <<<"$line")"
    DEEP_ID="$(sed -n 's/.* after_id=\([0-9]*\).*/\1/p' <<<"$line")"
    [[ -n "$DEEP_CASE" && -n "$DEEP_DUE" && -n "$DEEP_ID" ]] || die "no deep keys in: $line"
    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    SERVER_LOG="$WORK/$SCENARIO.server.log"
    : >"$SERVER_LOG"
    if [[ "$url" == sqlite://* ]]; then
        "$BIN" demo --db "${url#sqlite://}" --listen "127.0.0.1:$PORT" >>"$SERVER_LOG" 2>&1 &
    else
        OBERIH__DATABASE__URL="$url" OBERIH__SERVER__LISTEN="127.0.0.1:$PORT" OBERIH__SERVER__COOKIE_SECURE=false \
            "$BIN" serve >>"$SERVER_LOG" 2>&1 &
    fi
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





measure() { # round label path [connections]
    local round="$1" label="$2" path="$3" conns="${4:-$CONNECTIONS}" out
    local threads=$((THREADS < conns ? THREADS : conns))
    out="$WORK/wrk.$SCENARIO.$round.${#RESULTS[@]}.txt"
    : >"$SERVER_LOG"
    log "$SCENARIO round $round: $DURATION at $conns connections: $label"
    local b0 s0 b1 s1 wall wu ws
    local TIMEFORMAT='%R %U %S'
    b0="$(busy_ticks)"; s0="$(server_ticks)"
    { time wrk -t"$threads" -c"$conns" -d"$DURATION" --latency -H "Cookie: $COOKIE" "$BASE$path" >"$out"; } 2>"$out.time"
    b1="$(busy_ticks)"; s1="$(server_ticks)"
    read -r wall wu ws <"$out.time"
    local logged bad
    read -r logged bad < <(count_responses)
    [[ "$bad" -gt 0 ]] && keep_non_200 "$SCENARIO round $round: $label"
    local rps p50 p99 reqs errs other
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad))
    other="$(other_cores "$b0" "$b1" "$s0" "$s1" "$wall" "$wu" "$ws")"
    log "  $rps req/s, p50 $p50 ms, p99 $p99 ms; $logged responses logged, $bad not 200; other CPU $other cores"
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    RESULTS+=("$DBKIND|$SIZE|$round|$label|$conns|$rps|$p50|$p99|$reqs|$errs|$other")
}

# Per size of the current database: its server, session, log and deep keys.
declare -A S_PID S_BASE S_COOKIE S_LOG S_DEEP_CASE S_DEEP_DUE S_DEEP_ID

# Makes size N the current one: the globals that measure() and fetch_ok() read.
use_size() { # n
    SIZE="$1"
    SCENARIO="$DBKIND-$1"
    SERVER_PID="${S_PID[$1]}"
    BASE="${S_BASE[$1]}"
    COOKIE="${S_COOKIE[$1]}"
    SERVER_LOG="${S_LOG[$1]}"
    DEEP_CASE="${S_DEEP_CASE[$1]}"
    DEEP_DUE="${S_DEEP_DUE[$1]}"
    DEEP_ID="${S_DEEP_ID[$1]}"
}

# The endpoints of the current size (its deep keys), filtered by ONLY; sets EPS.
endpoints() {
    local -a eps=(
        "static|/static/style.css"
        "cases, first page|/cases"
        "cases, filtered (state=open&form=labour)|/cases?state=open&form=labour"
        "cases, rare form (state=open&form=experiments)|/cases?state=open&form=experiments"
        "cases, rare form, full page (state=open&form=sale_of_child)|/cases?state=open&form=sale_of_child"
        "cases, children ($CHILD_QUERY)|/cases?$CHILD_QUERY"
        "cases, deep page (after=, 90 % down)|/cases?after=$DEEP_CASE"
        "deadlines, first page|/deadlines"
        "deadlines, deep page (after_due=&after_id=, 90 % down)|/deadlines?after_due=$DEEP_DUE&after_id=$DEEP_ID"
    )
    EPS=("${eps[0]}")
    local ep
    for ep in "${eps[@]:1}"; do
        if [[ -z "$ONLY" ]] || grep -Eq -- "$ONLY" <<<"${ep%%|*}"; then
            EPS+=("$ep")
        fi
    done
}

# Seeds size N into URL, starts its server, signs in, checks every endpoint
# answers 200 with case rows, and records the page sizes and row counts.
setup_size() { # url n
    SIZE="$2"
    SCENARIO="$DBKIND-$2"
    start_server "$1" "$2"
    ALL_PIDS+=("$SERVER_PID")
    sign_in
    S_PID[$2]="$SERVER_PID"
    S_BASE[$2]="$BASE"
    S_COOKIE[$2]="$COOKIE"
    S_LOG[$2]="$SERVER_LOG"
    S_DEEP_CASE[$2]="$DEEP_CASE"
    S_DEEP_DUE[$2]="$DEEP_DUE"
    S_DEEP_ID[$2]="$DEEP_ID"
    endpoints
    local ep label path body i=0 sizes="" rows
    : >"$WORK/$SCENARIO.cases.html"
    : >"$WORK/$SCENARIO.deadlines.html"
    for ep in "${EPS[@]}"; do
        IFS='|' read -r label path <<<"$ep"
        i=$((i + 1))
        body="$WORK/$SCENARIO.page.$i"
        fetch_ok "$path" "$body"
        case "$path" in
            /cases) cp "$body" "$WORK/$SCENARIO.cases.html" ;;
            /deadlines) cp "$body" "$WORK/$SCENARIO.deadlines.html" ;;
        esac
        if [[ "$label" != static ]]; then
            grep -q 'UA53-20[0-9][0-9]-[0-9]\{5\}' "$body" || die "GET $path shows no case reference"
            # Rows of the list: a case row carries data-case-id, a deadline row data-procedure-id.
            rows="$(grep -o 'data-case-id="\|data-procedure-id="' "$body" | wc -l)"
            sizes+="${label%%,*} $rows rows $(($(wc -c <"$body") / 1024)) KB; "
            ROWS+=("$DBKIND|$SIZE|$label|$rows")
        fi
    done
    log "$SCENARIO: pages: $sizes"
    # Page sizes: the first case page and the first deadline page (0 when not measured).
    PAGES+=("$DBKIND|$SIZE|$SEED_SECONDS|$OFFICER_CASES|$OFFICER_DEADLINES|$(wc -c <"$WORK/$SCENARIO.cases.html")|$(wc -c <"$WORK/$SCENARIO.deadlines.html")")
}

# Every size of one database is served at once, and each endpoint is measured
# at every size back to back, round by round: a machine that slows down during
# the run slows every size alike, so the ratio between sizes holds.
run_database() { # kind url-or-sqlite
    DBKIND="$1"
    SERVER_DB="$1"
    local d="$2" n ep label path r c
    local -a urls=()
    for n in $SIZES; do
        if [[ "$DBKIND" == sqlite ]]; then
            urls+=("sqlite://$WORK/cases-$n.sqlite3")
        else
            local url="${d%/*}/${d##*/}_$n"
            log "creating PostgreSQL database ${url##*/}"
            psql -q "$(pg_admin_url "$d")" -c "CREATE DATABASE \"${url##*/}\"" >&2 ||
                die "could not create ${url##*/} (it must not exist)"
            PG_CREATED+=("$url")
            urls+=("$url")
        fi
    done
    local k=0
    for n in $SIZES; do
        setup_size "${urls[$k]}" "$n"
        k=$((k + 1))
    done
    for n in $SIZES; do
        use_size "$n"
        endpoints
        for ep in "${EPS[@]}"; do
            IFS='|' read -r label path <<<"$ep"
            log "$SCENARIO: warm-up $WARMUP: $label"
            wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $COOKIE" "$BASE$path" >/dev/null
        done
    done
    local count
    use_size "${SIZES%% *}"
    endpoints
    count="${#EPS[@]}"
    for r in $(seq 1 "$ROUNDS"); do
        for ((k = 0; k < count; k++)); do
            for n in $SIZES; do
                use_size "$n"
                endpoints
                IFS='|' read -r label path <<<"${EPS[$k]}"
                measure "$r" "$label" "$path"
            done
        done
    done
    # Fewer connections (1: the latency of a single request). Set against the closing static run.
    for c in $SWEEP; do
        for ((k = 1; k < count; k++)); do
            for n in $SIZES; do
                use_size "$n"
                endpoints
                IFS='|' read -r label path <<<"${EPS[$k]}"
                measure "$((ROUNDS + 1))" "$label" "$path" "$c"
            done
        done
    done
    for n in $SIZES; do
        use_size "$n"
        measure "$((ROUNDS + 1))" static /static/style.css
    done
    local pid
    for pid in "${ALL_PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    ALL_PIDS=()
    SERVER_PID=""
    if [[ "$DBKIND" == sqlite ]]; then
        [[ "${KEEP:-0}" == 1 ]] || rm -f "$WORK"/cases-*.sqlite3*
    else
        local u
        for u in "${PG_CREATED[@]}"; do
            pg_drop "$u"
        done
        PG_CREATED=()
    fi
}

RESULTS=()
PAGES=()
ROWS=()
START_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
for d in "${DBS[@]}"; do
    if [[ "$d" == sqlite ]]; then
        run_database sqlite sqlite
    else
        run_database postgres "$d"
    fi
done

# ---- report ---------------------------------------------------------------
echo
echo "Run: $START_DATE; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); oberih at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (work tree with uncommitted changes)')."
echo "Signed in as \`$LOGIN\` (Полтавська РВА). wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS interleaved rounds, then one run of each list at ${SWEEP:-no other} connection(s) and a closing static run; $WARMUP warm-up per endpoint."
echo "Load average (1/5/15 min) at the start: $START_LOAD; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| database | cases | seeding | officer's cases | officer's deadlines | /cases | /deadlines |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"
for p in "${PAGES[@]}"; do
    IFS='|' read -r db n secs oc od cb db2 <<<"$p"
    echo "| $db | $n | $secs s | $oc | $od | $((cb / 1024)) KB | $((db2 / 1024)) KB |"
done
echo
{ printf 'rows|%s\n' "${ROWS[@]}"; printf '%s\n' "${RESULTS[@]}"; } | awk -F'|' -v rounds="$ROUNDS" -v conns="$CONNECTIONS" '
    function median(a, n,    i, j, t, b) {
        for (i = 1; i <= n; i++) b[i] = a[i]
        for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
        return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    $1 == "rows" { nrows[$2, $3, $4] = $5; next }
    {
        n++; db[n] = $1; sz[n] = $2; rd[n] = $3; lab[n] = $4; cn[n] = $5; rps[n] = $6; p50[n] = $7; p99[n] = $8
        req[n] = $9; err[n] = $10; oth[n] = $11
        if ($11 > 0.25) disturbed++
        if ($4 == "static") stat[$1, $2, $3] = $6
        key = $1 SUBSEP $2 SUBSEP $4 SUBSEP $5
        if (!(key in seen)) { seen[key] = 1; order[++k] = key }
        if (!(($1, $2) in sizeseen)) { sizeseen[$1, $2] = 1; sizes[$1] = sizes[$1] " " $2 }
    }
    END {
        for (i = 1; i <= n; i++) if (lab[i] != "static") {
            den = 0; c = 0
            if ((db[i], sz[i], rd[i]) in stat) { den += stat[db[i], sz[i], rd[i]]; c++ }
            if ((db[i], sz[i], rd[i] + 1) in stat) { den += stat[db[i], sz[i], rd[i] + 1]; c++ }
            share[i] = c ? rps[i] / (den / c) : 0
        }
        print "| database | cases | endpoint | conn. | runs | req/s | % of static (range) | p50 ms | p99 ms (worst run) | aim p99 < 50 ms | requests | errors | other CPU, cores (max) |"
        print "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
        for (o = 1; o <= k; o++) {
            split(order[o], kk, SUBSEP); m = 0; lo = 1e9; hi = 0; worst = 0; tr = 0; te = 0; om = 0
            delete R; delete S; delete P5; delete P9
            for (i = 1; i <= n; i++) if (db[i] == kk[1] && sz[i] == kk[2] && lab[i] == kk[3] && cn[i] == kk[4]) {
                m++; R[m] = rps[i]; P5[m] = p50[i]; P9[m] = p99[i]; tr += req[i]; te += err[i]
                if (p99[i] > worst) worst = p99[i]
                if (oth[i] > om) om = oth[i]
                if (kk[3] != "static") { S[m] = share[i]; if (share[i] < lo) lo = share[i]; if (share[i] > hi) hi = share[i] }
            }
            mp = median(P9, m); MP50[order[o]] = median(P5, m); MP99[order[o]] = mp
            if (kk[3] == "static") { pct = "100% (ceiling)"; aim = "" }
            else {
                pct = (m > 1) ? sprintf("%.1f%% (%.1f–%.1f)", 100 * median(S, m), 100 * lo, 100 * hi) : sprintf("%.1f%%", 100 * median(S, m))
                aim = (worst < 50 ? "met (every run)" : (mp < 50 ? "met (median run)" : "NOT met"))
            }
            printf "| %s | %s | %s | %s | %d | %.0f | %s | %.2f | %.2f (%.2f) | %s | %d | %d | %.2f |\n", kk[1], kk[2], kk[3], kk[4], m, median(R, m), pct, median(P5, m), mp, worst, aim, tr, te, om
        }
        print ""
        print "Medians over the runs. % of static: each run against the mean of the two static runs around its round (the runs at fewer connections: against the closing static run)."
        print "Other CPU: busy CPU that was neither the server (with the local postgres processes on PostgreSQL) nor wrk; near 0 is normal."
        if (disturbed) printf "**%d run(s) had more than 0.25 cores of other CPU: someone else was busy on the machine.**\n", disturbed
        print ""
        print "**Growth**: the largest size against the smallest (medians; aim: p99 under 1.5 times):"
        print ""
        print "| database | endpoint | conn. | rows on the page | p50 ms small → large | p50 ratio | p99 ms small → large | p99 ratio | aim < 1.5× |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |"
        for (o = 1; o <= k; o++) {
            split(order[o], kk, SUBSEP)
            ns = split(substr(sizes[kk[1]], 2), ss, " ")
            if (ns < 2 || kk[2] != ss[1] || kk[3] == "static") continue
            big = kk[1] SUBSEP ss[ns] SUBSEP kk[3] SUBSEP kk[4]
            if (!(big in MP99)) continue
            r5 = MP50[big] / MP50[order[o]]; r9 = MP99[big] / MP99[order[o]]
            printf "| %s | %s | %s | %s → %s | %.2f → %.2f | %.2f | %.2f → %.2f | %.2f | %s |\n", kk[1], kk[3], kk[4], nrows[kk[1], ss[1], kk[3]], nrows[kk[1], ss[ns], kk[3]], MP50[order[o]], MP50[big], r5, MP99[order[o]], MP99[big], r9, (r9 < 1.5 ? "met" : "NOT met")
        }
        print ""
        print "<details><summary>Every run</summary>"
        print ""
        print "| database | cases | round | endpoint | conn. | req/s | % of static | p50 ms | p99 ms | requests | errors | other CPU, cores |"
        print "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= n; i++)
            printf "| %s | %s | %s | %s | %s | %.0f | %s | %.2f | %.2f | %d | %d | %.2f |\n", db[i], sz[i], rd[i], lab[i], cn[i], rps[i], (lab[i] == "static" ? "—" : sprintf("%.1f%%", 100 * share[i])), p50[i], p99[i], req[i], err[i], oth[i]
        print ""
        print "</details>"
    }'
