#!/usr/bin/env bash
# The consolidated report (DOCX and XLSX) and the coordinator's period
# dashboard on a plan of 40 measures × 20 executors with 10 half-years of
# reports. See docs/BENCHMARKS.md.
#
#   bash bench/plan_reports.sh                      # SQLite in a temporary directory
#   bash bench/plan_reports.sh --db sqlite --db postgres://postgres@127.0.0.1:5432/oberih_bench_plan
#
# Each --db is one database to measure in turn: "sqlite" (a fresh file in the
# temporary directory, served by `oberih demo`) or a PostgreSQL URL whose
# database must not exist yet: the script creates it (psql, through the
# server's "postgres" database), seeds it, serves it with `oberih serve`, and
# drops it at the end.
#
# Per database:
#   1. `oberih bench-seed --orgs 0 --users 0 --plan`: the demo data plus the
#      synthetic plan (store::bench::seed_plan): 4 goals × 1 task × 10 measures,
#      20 executors each, 10 half-year periods, the last one open; 800 reports
#      per period, all written and handed in in the 9 closed ones.
#   2. Signs in as the demo `coordinator` (the plan's reviewer).
#   3. One request at a time: DOCS downloads each of /periods/ID/report.docx
#      and /periods/ID/report.xlsx for the latest closed period, and (for
#      comparison) DOCS requests of each dashboard, in turn, after one
#      unmeasured download of each document; curl's time_total per request.
#      Aim: each document under 1 s.
#   4. Dashboard: wrk -tTHREADS -cCONNECTIONS -dDURATION --latency with the
#      session cookie, in ROUNDS interleaved rounds: static stylesheet (the
#      ceiling), dashboard of the latest closed period, dashboard of the open
#      period; then one run of each dashboard at each connection count of
#      SWEEP (where the aim holds); one closing static run. Aim: p99 under 50 ms.
#
# Knobs (environment): DOCS (20), ROUNDS (3), DURATION (10s), CONNECTIONS
# (16), THREADS (2), WARMUP (3s per endpoint, once), SWEEP ("1 4 8"; empty
# to skip), SKIP_BUILD=1 to use
# target/release/oberih as it is, KEEP=1 to keep the temporary directory.
#
# Every run records the busy CPU that was neither the server nor the load
# generator (curl or wrk), in cores; runs above 0.25 cores are flagged.
#
# Needs: cargo, curl, wrk, awk; psql for PostgreSQL. Targets 127.0.0.1 (and
# the given PostgreSQL server) only. Markdown on stdout, progress on stderr.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BIN="$ROOT/target/release/oberih"
# shellcheck source=bench/lib.sh
source "$ROOT/bench/lib.sh"
DOCS="${DOCS:-20}"
ROUNDS="${ROUNDS:-3}"
DURATION="${DURATION:-10s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-3s}"
SWEEP="${SWEEP-1 4 8}"
LOGIN="coordinator"
PASSWORD="oberih-demo-2026"


DBS=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --db) [[ $# -ge 2 ]] || die "--db needs a value"; DBS+=("$2"); shift 2 ;;
        --db=*) DBS+=("${1#--db=}"); shift ;;
        -h | --help) sed -n '2,40p' "${BASH_SOURCE[0]}"; exit 0 ;;
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
PG_CREATED=()
cleanup() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    local u
    for u in "${PG_CREATED[@]}"; do
        log "dropping ${u##*/}"
        psql -q "$(pg_admin_url "$u")" -c "DROP DATABASE IF EXISTS \"${u##*/}\"" >&2 || log "could not drop ${u##*/}"
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



# Seeds DB_URL, starts a server on it, waits until it answers. Sets PLAN_ID, CLOSED_ID, OPEN_ID.
start_server() { # label url
    local label="$1" url="$2" seedlog="$WORK/$1.seed.log"
    log "$label: seeding the demo data and the plan (bench-seed --orgs 0 --users 0 --plan)"
    local t0 t1
    t0="$(now_s)"
    OBERIH__DATABASE__URL="$url" "$BIN" bench-seed --orgs 0 --users 0 --plan >"$seedlog" 2>&1 ||
        { cat "$seedlog" >&2; die "bench-seed failed"; }
    t1="$(now_s)"
    SEED_SECONDS="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
    cat "$seedlog" >&2
    local ids
    ids="$(sed -n 's/^plan: \([0-9]*\) with .*(ids \([0-9,]*\)).*/\1 \2/p' "$seedlog")"
    [[ -n "$ids" ]] || die "no plan line in the bench-seed output"
    PLAN_ID="${ids%% *}"
    local periods="${ids#* }"
    IFS=',' read -r -a PERIODS <<<"$periods"
    [[ ${#PERIODS[@]} -ge 2 ]] || die "expected at least 2 periods, got $periods"
    OPEN_ID="${PERIODS[-1]}"
    CLOSED_ID="${PERIODS[-2]}"
    PORT="$(free_port)"
    BASE="http://127.0.0.1:$PORT"
    SERVER_LOG="$WORK/$label.server.log"
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

stop_server() {
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
}





# ---- documents ------------------------------------------------------------

# Requests each document (and, for comparison, each dashboard) DOCS times, one at a time, in turn;
# appends "db|label|seconds|bytes|code" to DOCROWS and "db|other_cores|not_200" to DOCCPU.
measure_documents() {
    local p="/periods/$CLOSED_ID/report" f i line label path
    for f in docx xlsx; do
        fetch_ok "$p.$f" "$WORK/$SCENARIO.first.$f"
        head -c 2 "$WORK/$SCENARIO.first.$f" | grep -q PK || die "$p.$f is not a ZIP (OOXML) file"
    done
    local -a seq=("DOCX, closed period|$p.docx" "XLSX, closed period|$p.xlsx"
        "dashboard, closed period (one user)|/periods/$CLOSED_ID" "dashboard, open period (one user)|/periods/$OPEN_ID")
    : >"$SERVER_LOG"
    local b0 s0 b1 s1 wall wu ws secs bytes code
    local TIMEFORMAT='%R %U %S'
    b0="$(busy_ticks)"; s0="$(server_ticks)"
    {
        time for i in $(seq 1 "$DOCS"); do
            for f in "${seq[@]}"; do
                IFS='|' read -r label path <<<"$f"
                line="$(curl -sS -o "$WORK/doc.out" -w '%{time_total} %{size_download} %{http_code}' \
                    -H "Cookie: $COOKIE" "$BASE$path")"
                read -r secs bytes code <<<"$line"
                DOCROWS+=("$SCENARIO|$label|$secs|$bytes|$code")
            done
        done
    } 2>"$WORK/docs.time"
    b1="$(busy_ticks)"; s1="$(server_ticks)"
    read -r wall wu ws <"$WORK/docs.time"
    local other logged bad
    other="$(other_cores "$b0" "$b1" "$s0" "$s1" "$wall" "$wu" "$ws")"
    read -r logged bad < <(count_responses)
    [[ "$bad" -gt 0 ]] && keep_non_200 "$SCENARIO: documents one at a time"
    log "$SCENARIO: one at a time: $logged responses logged, $bad not 200; other CPU $other cores"
    DOCCPU+=("$SCENARIO|$other|$bad")
}

# ---- dashboard ------------------------------------------------------------

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
    cat "$out" >&2
    local logged bad
    read -r logged bad < <(count_responses)
    log "server logged $logged responses, $bad of them not 200"
    local rps p50 p99 reqs errs other
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad))
    other="$(other_cores "$b0" "$b1" "$s0" "$s1" "$wall" "$wu" "$ws")"
    log "CPU used by neither the server nor wrk: $other cores"
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    RESULTS+=("$SCENARIO|$round|$label|$path|$rps|$p50|$p99|$reqs|$errs|$other")
}

run_scenario() { # label url
    SCENARIO="$1"
    SERVER_DB="$1"
    start_server "$1" "$2"
    SEEDS+=("$SCENARIO|$SEED_SECONDS|$PLAN_ID|$CLOSED_ID|$OPEN_ID")
    sign_in
    local page="$WORK/$SCENARIO.dashboard.html"
    fetch_ok "/periods/$CLOSED_ID" "$page"
    fetch_ok "/periods/$OPEN_ID" "$page.open"
    fetch_ok /static/style.css /dev/null
    log "$SCENARIO: closed dashboard $(wc -c <"$page") bytes, open dashboard $(wc -c <"$page.open") bytes"
    measure_documents
    local -a eps=("static|/static/style.css" "dashboard, closed period|/periods/$CLOSED_ID"
        "dashboard, open period|/periods/$OPEN_ID")
    local ep r label path
    for ep in "${eps[@]}"; do
        IFS='|' read -r label path <<<"$ep"
        log "$SCENARIO: warm-up $WARMUP: $label"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $COOKIE" "$BASE$path" >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        for ep in "${eps[@]}"; do
            IFS='|' read -r label path <<<"$ep"
            measure "$r" "$label" "$path"
        done
    done
    # Fewer connections: where the latency aim holds. Set against the closing static run.
    local c
    for c in $SWEEP; do
        measure "$((ROUNDS + 1))" "dashboard, closed period, $c connection(s)" "/periods/$CLOSED_ID" "$c"
        measure "$((ROUNDS + 1))" "dashboard, open period, $c connection(s)" "/periods/$OPEN_ID" "$c"
    done
    measure "$((ROUNDS + 1))" static /static/style.css
    PAGES+=("$SCENARIO|$(wc -c <"$page")|$(wc -c <"$page.open")|$(wc -c <"$WORK/$SCENARIO.first.docx")|$(wc -c <"$WORK/$SCENARIO.first.xlsx")")
    stop_server
}

RESULTS=()
DOCROWS=()
DOCCPU=()
SEEDS=()
PAGES=()
START_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
for d in "${DBS[@]}"; do
    if [[ "$d" == sqlite ]]; then
        run_scenario sqlite "sqlite://$WORK/plan.sqlite3"
    else
        name="${d##*/}"
        log "creating PostgreSQL database $name"
        psql -q "$(pg_admin_url "$d")" -c "CREATE DATABASE \"$name\"" >&2 || die "could not create $name (it must not exist)"
        PG_CREATED+=("$d")
        run_scenario postgres "$d"
    fi
done

# ---- report ---------------------------------------------------------------
echo
echo "Run: $START_DATE; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); oberih at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (work tree with uncommitted changes)')."
echo "Plan: 4 goals × 1 task × 10 measures, 20 executors each, 10 half-year periods (9 closed, 800 reports each, all handed in; the last open). Signed in as \`$LOGIN\`."
echo "Load average (1/5/15 min) at the start: $START_LOAD; at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
echo
echo "| database | seeding | plan | closed period | open period | closed dashboard | open dashboard | DOCX | XLSX |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for s in "${SEEDS[@]}"; do
    IFS='|' read -r db secs plan closed open <<<"$s"
    for pg in "${PAGES[@]}"; do
        IFS='|' read -r pdb dash odash docx xlsx <<<"$pg"
        [[ "$pdb" == "$db" ]] || continue
        awk -v db="$db" -v s="$secs" -v p="$plan" -v c="$closed" -v o="$open" -v d="$dash" -v od="$odash" -v x="$docx" -v l="$xlsx" \
            'BEGIN { printf "| %s | %s s | %s | %s | %s | %.0f KB | %.0f KB | %.0f KB | %.0f KB |\n", db, s, p, c, o, d / 1024, od / 1024, x / 1024, l / 1024 }'
    done
done
echo
echo "**One request at a time**: the consolidated report of the closed period in both formats, and each dashboard for comparison; $DOCS requests of each, in turn (curl time_total, seconds):"
echo
printf '%s\n' "${DOCROWS[@]}" | awk -F'|' -v cpu="$(printf '%s;' "${DOCCPU[@]}")" '
    function sort(a, n,    i, j, t) { for (i = 2; i <= n; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t } }
    function q(a, n, p,    k) { k = int(p * (n - 1) + 0.5) + 1; return a[k] }
    BEGIN { m = split(cpu, c, ";"); for (i = 1; i <= m; i++) if (c[i] != "") { split(c[i], x, "|"); oc[x[1]] = x[2]; bad[x[1]] = x[3] } }
    {
        k = $1 SUBSEP $2
        if (!(k in n)) order[++o] = k
        n[k]++; t[k, n[k]] = $3; size[k] = $4; if ($5 != 200) err[$1]++
    }
    END {
        print "| database | request | size | n | median s | p90 s | max s | aim < 1 s (documents) | other CPU, cores | errors |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |"
        for (i = 1; i <= o; i++) {
            split(order[i], kk, SUBSEP); cnt = n[order[i]]; delete a
            for (j = 1; j <= cnt; j++) a[j] = t[order[i], j] + 0
            sort(a, cnt)
            printf "| %s | %s | %.0f KB | %d | %.3f | %.3f | %.3f | %s | %s | %d |\n", kk[1], kk[2], size[order[i]] / 1024, cnt,
                (cnt % 2 ? a[(cnt + 1) / 2] : (a[cnt / 2] + a[cnt / 2 + 1]) / 2), q(a, cnt, 0.9), a[cnt],
                (kk[2] ~ /^dashboard/ ? "" : (a[cnt] < 1 ? "met (every download)" : ((cnt % 2 ? a[(cnt + 1) / 2] : a[cnt / 2]) < 1 ? "median met, max NOT" : "NOT met"))),
                oc[kk[1]], err[kk[1]] + bad[kk[1]]
        }
    }'
echo
echo "**Dashboard**: wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS interleaved rounds, then one run at each of ${SWEEP:-no other} connection count(s) and a closing static run; ${WARMUP} warm-up per endpoint."
echo
printf '%s\n' "${RESULTS[@]}" | awk -F'|' '
    function median(a, n,    i, j, t, b) {
        for (i = 1; i <= n; i++) b[i] = a[i]
        for (i = 2; i <= n; i++) { t = b[i]; for (j = i - 1; j >= 1 && b[j] > t; j--) b[j + 1] = b[j]; b[j + 1] = t }
        return (n % 2) ? b[(n + 1) / 2] : (b[n / 2] + b[n / 2 + 1]) / 2
    }
    {
        n++; sc[n] = $1; rd[n] = $2; lab[n] = $3; rps[n] = $5; p50[n] = $6; p99[n] = $7; req[n] = $8; err[n] = $9; oth[n] = $10
        if ($10 > 0.25) disturbed++
        if ($3 == "static") stat[$1, $2] = $5
        if (!(($1, $3) in seen)) { seen[$1, $3] = 1; order[++k] = $1 SUBSEP $3 }
    }
    END {
        for (i = 1; i <= n; i++) if (lab[i] != "static") {
            den = 0; cnt = 0
            if ((sc[i], rd[i]) in stat) { den += stat[sc[i], rd[i]]; cnt++ }
            if ((sc[i], rd[i] + 1) in stat) { den += stat[sc[i], rd[i] + 1]; cnt++ }
            share[i] = cnt ? rps[i] / (den / cnt) : 0
        }
        print "| database | endpoint | runs | req/s | % of static (range) | p50 ms | p99 ms (worst run) | aim p99 < 50 ms | requests | errors | other CPU, cores (max) |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: |"
        for (o = 1; o <= k; o++) {
            split(order[o], key, SUBSEP); m = 0; lo = 1e9; hi = 0; worst = 0; tr = 0; te = 0; om = 0
            delete R; delete S; delete P5; delete P9
            for (i = 1; i <= n; i++) if (sc[i] == key[1] && lab[i] == key[2]) {
                m++; R[m] = rps[i]; P5[m] = p50[i]; P9[m] = p99[i]; tr += req[i]; te += err[i]
                if (p99[i] > worst) worst = p99[i]
                if (oth[i] > om) om = oth[i]
                if (key[2] != "static") { S[m] = share[i]; if (share[i] < lo) lo = share[i]; if (share[i] > hi) hi = share[i] }
            }
            mp = median(P9, m)
            if (key[2] == "static") { pct = "100% (ceiling)"; aim = "" }
            else {
                pct = sprintf("%.1f%% (%.1f–%.1f)", 100 * median(S, m), 100 * lo, 100 * hi)
                aim = (worst < 50 ? "met (every run)" : (mp < 50 ? "met (median run)" : "NOT met"))
            }
            printf "| %s | %s | %d | %.0f | %s | %.2f | %.2f (%.2f) | %s | %d | %d | %.2f |\n", key[1], key[2], m, median(R, m), pct, median(P5, m), mp, worst, aim, tr, te, om
        }
        print ""
        print "Medians over the runs. % of static: each run against the mean of the two static runs around its round (the runs at fewer connections: against the closing static run)."
        print "Other CPU: busy CPU that was neither the server (with the local postgres processes on PostgreSQL) nor the load generator; near 0 is normal."
        if (disturbed) printf "**%d run(s) had more than 0.25 cores of other CPU: someone else was busy on the machine.**\n", disturbed
        print ""
        print "<details><summary>Every run</summary>"
        print ""
        print "| database | round | endpoint | req/s | % of static | p50 ms | p99 ms | requests | errors | other CPU, cores |"
        print "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (i = 1; i <= n; i++)
            printf "| %s | %s | %s | %.0f | %s | %.2f | %.2f | %d | %d | %.2f |\n", sc[i], rd[i], lab[i], rps[i], (lab[i] == "static" ? "—" : sprintf("%.1f%%", 100 * share[i])), p50[i], p99[i], req[i], err[i], oth[i]
        print ""
        print "</details>"
    }'
