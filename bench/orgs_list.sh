#!/usr/bin/env bash
# Load test of the organisations list against the same server's static
# stylesheet (the ceiling), measured in one run. See docs/BENCHMARKS.md.
#
#   bash bench/orgs_list.sh
#
# Method: on each database the endpoints are measured in ROUNDS interleaved
# rounds (static, then each list variant, DURATION each), with one more static
# run at the end, so every round's list numbers sit between two static runs;
# the ceiling of a round is the mean of those two. This spreads the machine's
# drift (other tenants, other builds) over both sides of the ratio.
#
# Knobs (environment): ROUNDS (default 3), DURATION (10s per run), CONNECTIONS
# (64), THREADS (2), WARMUP (3s per endpoint, once), ORGS (10000), USERS
# (100000), SKIP_SMALL=1 to skip the demo-only database, DIAGNOSE=1 to add, on
# the seeded database, endpoints that take the list page apart (see
# docs/BENCHMARKS.md), SKIP_BUILD=1 to use
# target/release/oberih as it is, KEEP=1 to keep the temporary directory
# (databases, server logs, wrk output).
#
# Each run also records the CPU that neither the server nor wrk used (from
# /proc/stat), in cores: other people's builds on the same machine show up
# there, and such runs are flagged in the report.
#
# Needs: cargo, curl, wrk (Debian: apt-get install -y wrk). Targets 127.0.0.1
# only. Prints a Markdown table on stdout; progress goes to stderr.
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
ORGS="${ORGS:-10000}"
USERS="${USERS:-100000}"
LOGIN="analyst"
# The case page is measured as the demo's case officer: the analyst may not read cases.
CASE_LOGIN="officer"
PASSWORD="oberih-demo-2026"
# The filtered variant: one kind within one territory (id 2 is an oblast of the demo data).
FILTER_QUERY="${FILTER_QUERY:-kind=ngo&territory=2}"


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

prepare_binary


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
    # Appending, so that the log can be emptied between measurements while the server writes to it.
    : >"$SERVER_LOG"
    "$BIN" demo --db "$db" --listen "127.0.0.1:$PORT" >>"$SERVER_LOG" 2>&1 &
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


# Fails unless the path answers 200 with the session; prints the body.
fetch_ok() { # path
    local out="$WORK/page" code
    code="$(curl -sS -o "$out" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$1")"
    [[ "$code" == 200 ]] || die "GET $1 answered $code, expected 200"
    cat "$out"
}




# Signs in as LOGIN_AS (sign_in reads LOGIN) and leaves that session's cookie in COOKIE.
sign_in_as() { # login
    local saved="$LOGIN"
    LOGIN="$1"
    sign_in
    LOGIN="$saved"
}

# Runs wrk once against one path; appends
# "scenario|round|label|path|rps|p50|p99|requests|errors|other_cores" to RESULTS.
measure() { # round label path [header] [cookie]
    local round="$1" label="$2" path="$3" header="${4:-X-Bench: 1}" cookie="${5:-$ANALYST_COOKIE}" out
    out="$WORK/wrk.$SCENARIO.$round.${#RESULTS[@]}.txt"
    : >"$SERVER_LOG"
    log "$SCENARIO round $round: $DURATION at $CONNECTIONS connections: $label"
    local b0 s0 b1 s1 wall wu ws
    b0="$(busy_ticks)"
    s0="$(server_ticks)"
    local TIMEFORMAT='%R %U %S'
    { time wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $cookie" -H "$header" \
        "$BASE$path" >"$out"; } 2>"$out.time"
    b1="$(busy_ticks)"
    s1="$(server_ticks)"
    read -r wall wu ws <"$out.time"
    cat "$out" >&2
    local logged bad
    read -r logged bad < <(count_responses)
    [[ "$bad" -gt 0 ]] && keep_non_200 "$SCENARIO round $round: $label"
    log "server logged $logged responses, $bad of them not 200"
    local rps p50 p99 reqs errs other
    rps="$(awk '/^Requests\/sec:/ { print $2 }' "$out")"
    p50="$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")"
    p99="$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")"
    reqs="$(awk '/requests in/ { print $1 }' "$out")"
    # Socket errors and non-2xx/3xx that wrk saw, plus any non-200 the server logged.
    errs="$(awk '/Socket errors/ { gsub(",", ""); s += $4 + $6 + $8 + $10 } /Non-2xx/ { s += $NF } END { print s + 0 }' "$out")"
    errs=$((errs + bad))
    # Busy CPU of the whole machine less the server's and wrk's, in cores.
    other="$(awk -v b="$((b1 - b0))" -v s="$((s1 - s0))" -v hz="$CLK_TCK" -v w="$wall" -v u="$wu" -v k="$ws" \
        'BEGIN { o = ((b - s) / hz - u - k) / w; printf "%.2f", (o < 0 ? 0 : o) }')"
    log "CPU used by neither the server nor wrk: $other cores"
    [[ -n "$rps" && -n "$p99" ]] || die "could not parse wrk output for $label"
    RESULTS+=("$SCENARIO|$round|$label|$path|$rps|$p50|$p99|$reqs|$errs|$other")
}

run_scenario() { # name seed(0|1)
    SCENARIO="$1"
    local db="$WORK/$1.sqlite3"
    start_server "$db" "$2"
    sign_in_as "$CASE_LOGIN"
    OFFICER_COOKIE="$COOKIE"
    local cases case_path
    cases="$(fetch_ok /cases)"
    case_path="$(grep -oE 'href="/cases/[0-9]+"' <<<"$cases" | head -n1 | sed 's/href="\(.*\)"/\1/' || true)"
    [[ -n "$case_path" ]] || die "$CASE_LOGIN sees no case on /cases"
    fetch_ok "$case_path" | grep -q 'Обставини\|Circumstances' || log "$SCENARIO: $case_path answered 200 without the facts heading"
    sign_in_as "$LOGIN"
    ANALYST_COOKIE="$COOKIE"
    local page next
    fetch_ok /static/style.css >/dev/null
    page="$(fetch_ok /organisations)"
    log "$SCENARIO: first page lists $(grep -c 'href="/organisations/[0-9]' <<<"$page" || true) organisation links"
    fetch_ok "/organisations?$FILTER_QUERY" >/dev/null
    # Endpoints as "label|path"; the static stylesheet is the ceiling.
    local -a eps=("static|/static/style.css" "list, first page|/organisations" "list, filtered ($FILTER_QUERY)|/organisations?$FILTER_QUERY")
    # The next-page link: its href has "&#38;" for "&".
    next="$(grep -o 'href="[^"]*" rel="next"' <<<"$page" | head -n1 | sed 's/href="\([^"]*\)".*/\1/; s/&#38;/\&/g; s/&amp;/\&/g' || true)"
    if [[ -n "$next" ]]; then
        fetch_ok "$next" >/dev/null
        eps+=("list, second page (keyset)|$next")
        # A page deep in the list: the same link with a key near the end of the seeded names.
        local deep
        deep="$(sed -E 's/[0-9]{6}$/009000/' <<<"$next")"
        if [[ "$deep" != "$next" ]] && [[ "$(fetch_ok "$deep" | grep -c 'href="/organisations/[0-9]' || true)" -ge 50 ]]; then
            eps+=("list, deep page (keyset, after No. 009000)|$deep")
        else
            log "$SCENARIO: could not make a deep-page link from $next; skipping it"
        fi
    else
        log "$SCENARIO: no next page (fewer than 51 organisations); skipping it"
    fi
    # The case page: every view is audited (a case_viewed row in its own short
    # transaction after the reads), so this endpoint writes as well as reads.
    eps+=("case page (officer; audited view)|$case_path||officer")
    if [[ "${DIAGNOSE:-0}" == 1 && "$SCENARIO" == seeded ]]; then
        # The list page taken apart. "яя" sorts after every name, so that page has no rows.
        local empty="/organisations?after=%D1%8F%D1%8F"
        eps+=("diag: /healthz (one trivial query, no session)|/healthz"
            "diag: /account (session lookup, small page)|/account"
            "diag: list, empty page (session, territories, layout)|$empty"
            "diag: list, htmx fragment, empty (session only)|$empty|HX-Request: true"
            "diag: list, htmx fragment (session + 50 rows, no territories, no layout)|/organisations|HX-Request: true")
        fetch_ok "$empty" | grep -q 'href="/organisations/[0-9]' && die "the empty page has rows"
    fi
    local ep r label path header who cookie
    for ep in "${eps[@]}"; do
        IFS='|' read -r label path header who <<<"$ep"
        cookie="$ANALYST_COOKIE"; [[ "$who" == officer ]] && cookie="$OFFICER_COOKIE"
        log "$SCENARIO: warm-up $WARMUP: $label"
        wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $cookie" -H "${header:-X-Bench: 1}" "$BASE$path" >/dev/null
    done
    for r in $(seq 1 "$ROUNDS"); do
        for ep in "${eps[@]}"; do
            IFS='|' read -r label path header who <<<"$ep"
            cookie="$ANALYST_COOKIE"; [[ "$who" == officer ]] && cookie="$OFFICER_COOKIE"
            measure "$r" "$label" "$path" "$header" "$cookie"
        done
    done
    measure "$((ROUNDS + 1))" static /static/style.css
    stop_server
}

RESULTS=()
START_DATE="$(date -u '+%Y-%m-%d %H:%M UTC')"
START_LOAD="$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${SKIP_SMALL:-0}" != 1 ]]; then
    run_scenario "demo-only" 0
fi
run_scenario "seeded" 1

# ---- report ---------------------------------------------------------------
echo
echo "Run: $START_DATE; $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); oberih at $(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo unknown)$(cd "$ROOT" && git diff --quiet HEAD 2>/dev/null || echo ' (work tree with uncommitted changes)')."
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency, $ROUNDS interleaved rounds per database (+1 closing static run), ${WARMUP} warm-up per endpoint; seeded = demo data + $ORGS organisations + $USERS users."
echo "Load average (1/5/15 min) at the start: $START_LOAD; at the end: $(cut -d' ' -f1-3 /proc/loadavg) (the benchmark alone keeps both cores busy)."
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
        # Per run: the share of the ceiling, the ceiling being the mean of the static runs around its round.
        for (i = 1; i <= n; i++) if (lab[i] != "static") share[i] = rps[i] / ((stat[sc[i], rd[i]] + stat[sc[i], rd[i] + 1]) / 2)
        print "| database | endpoint | runs | req/s | % of static (range) | p50 ms | p99 ms (worst run) | requests | errors | other CPU, cores (max) |"
        print "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
        for (o = 1; o <= k; o++) {
            split(order[o], key, SUBSEP); m = 0; lo = 1e9; hi = 0; worst = 0; tr = 0; te = 0; om = 0
            delete R; delete S; delete P5; delete P9
            for (i = 1; i <= n; i++) if (sc[i] == key[1] && lab[i] == key[2]) {
                m++; R[m] = rps[i]; P5[m] = p50[i]; P9[m] = p99[i]; tr += req[i]; te += err[i]
                if (p99[i] > worst) worst = p99[i]
                if (oth[i] > om) om = oth[i]
                if (key[2] != "static") { S[m] = share[i]; if (share[i] < lo) lo = share[i]; if (share[i] > hi) hi = share[i] }
            }
            mr[order[o]] = median(R, m); mp[order[o]] = median(P9, m); wp[order[o]] = worst
            if (key[2] == "static") pct = "100% (ceiling)"
            else { ms[order[o]] = median(S, m); pct = sprintf("%.1f%% (%.1f–%.1f)", 100 * ms[order[o]], 100 * lo, 100 * hi) }
            printf "| %s | %s | %d | %.0f | %s | %.2f | %.2f (%.2f) | %d | %d | %.2f |\n", key[1], key[2], m, mr[order[o]], pct, median(P5, m), mp[order[o]], worst, tr, te, om
        }
        print ""
        print "Medians over the runs. % of static: each run against the mean of the two static runs around its round; the range is the lowest and highest run."
        print "Other CPU: busy CPU of the machine that was neither the server nor wrk (kernel network work not charged to either shows up here too; near 0 is normal)."
        if (disturbed) printf "**%d run(s) had more than 0.25 cores of other CPU: someone else was busy on the machine; treat those numbers with care or run again.**\n", disturbed
        hdr = 0
        for (o = 1; o <= k; o++) {
            split(order[o], key, SUBSEP)
            if (key[1] != "seeded" || key[2] == "static" || !(("demo-only" SUBSEP key[2]) in mr)) continue
            small = "demo-only" SUBSEP key[2]
            if (!hdr) { print ""; print "| endpoint | req/s seeded / demo-only | % of static seeded / demo-only | p99 seeded / demo-only |"; print "| --- | ---: | ---: | ---: |"; hdr = 1 }
            printf "| %s | %.2f | %.2f | %.2f |\n", key[2], mr[order[o]] / mr[small], ms[order[o]] / ms[small], mp[order[o]] / mp[small]
        }
        first = "seeded" SUBSEP "list, first page"
        for (o = 1; o <= k; o++) {
            split(order[o], key, SUBSEP)
            if (key[1] == "seeded" && key[2] ~ /^list, deep page/ && (first in mr)) {
                print ""
                printf "Deep page against first page (seeded): req/s %.2f, p99 %.2f.\n", mr[order[o]] / mr[first], mp[order[o]] / mp[first]
            }
        }
        print ""
        print "Aims on the seeded database: the list at >= 30% of the static ceiling, p99 < 50 ms (median run; worst run in brackets)."
        print ""
        for (o = 1; o <= k; o++) {
            split(order[o], key, SUBSEP)
            if (key[1] != "seeded" || key[2] == "static" || key[2] ~ /^diag/) continue
            printf "- %s: %.1f%% of static (%s); p99 %.2f ms (%s; worst run %.2f ms)\n", key[2], 100 * ms[order[o]], (ms[order[o]] >= 0.30 ? "met" : "NOT met"), mp[order[o]], (mp[order[o]] < 50 ? "met" : "NOT met"), wp[order[o]]
        }
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
