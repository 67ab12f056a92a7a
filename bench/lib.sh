# Shared by the benchmark scripts in bench/ (sourced, not run). Each script
# sets ROOT, BIN, WORK, LOGIN, PASSWORD and, while a server runs, SERVER_PID,
# SERVER_LOG, BASE and COOKIE; SERVER_DB=postgres makes the local postgres
# processes count as the server's CPU.

log() { echo "[bench] $*" >&2; }
die() { echo "[bench] error: $*" >&2; exit 1; }

# The server's maintenance database: the same URL with /postgres as the database.
pg_admin_url() { echo "${1%/*}/postgres"; }
pg_drop() { # url
    log "dropping ${1##*/}"
    psql -q "$(pg_admin_url "$1")" -c "DROP DATABASE IF EXISTS \"${1##*/}\"" >&2 || log "could not drop ${1##*/}"
}

# Builds the release binary unless SKIP_BUILD=1, then runs a copy of it from
# WORK, so that a rebuild by someone else meanwhile changes nothing.
prepare_binary() {
    if [[ "${SKIP_BUILD:-0}" != 1 ]]; then
        log "building (cargo build --release -p oberih)"
        (cd "$ROOT" && cargo build --release -p oberih >&2)
    fi
    [[ -x "$BIN" ]] || die "$BIN not found"
    cp "$BIN" "$WORK/oberih"
    BIN="$WORK/oberih"
}

# A free port on 127.0.0.1 (bash /dev/tcp cannot ask the kernel; python can, else a fixed range).
free_port() {
    if command -v python3 >/dev/null; then
        python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
    else
        echo $((20000 + RANDOM % 20000))
    fi
}

CLK_TCK="$(getconf CLK_TCK)"
busy_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 }' /proc/stat; }
# The server's CPU ticks. On PostgreSQL the local postgres processes count as the server too:
# the live ones, plus what the postmaster (the oldest) has collected from backends that exited.
server_ticks() {
    local t p master
    t="$(awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat")"
    if [[ "${SERVER_DB:-}" == postgres ]]; then
        master="$(pgrep -x -o postgres || true)"
        for p in $(pgrep -x postgres || true); do
            t=$((t + $(awk -v m="$([[ $p == "$master" ]] && echo 1 || echo 0)" \
                '{ print $14 + $15 + (m ? $16 + $17 : 0) }' "/proc/$p/stat" 2>/dev/null || echo 0)))
        done
    fi
    echo "$t"
}
# Busy CPU in cores over the wall time that was neither the server nor the load generator
# (whose user and system seconds come from bash's `time`).
other_cores() { # b0 b1 s0 s1 wall user sys
    awk -v b="$(($2 - $1))" -v s="$(($4 - $3))" -v hz="$CLK_TCK" -v w="$5" -v u="$6" -v k="$7" \
        'BEGIN { o = ((b - s) / hz - u - k) / w; printf "%.2f", (o < 0 ? 0 : o) }'
}
now_s() { date +%s.%N; }

# Signs in as LOGIN; sets COOKIE to "oberih_session=<hex>".
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

# Fails unless the path answers 200 with the session; the body goes to the file.
fetch_ok() { # path file
    local code
    code="$(curl -sS -o "$2" -w '%{http_code}' -H "Cookie: $COOKIE" "$BASE$1")"
    [[ "$code" == 200 ]] || die "GET $1 answered $code, expected 200"
}

# The server's log without colour codes.
plain_log() { sed 's/\x1b\[[0-9;]*m//g' "$SERVER_LOG"; }

# Responses in the server log since it was emptied, and how many were not 200: "n bad".
count_responses() {
    plain_log | awk '
        /finished processing request/ { n++; if ($0 !~ /status=200$/) bad++ }
        END { print n + 0, bad + 0 }'
}

# When a run had responses other than 200, keeps them and the server's WARN and
# ERROR lines (the log is emptied before the next run) in $WORK/non200.log and
# says which statuses they were.
keep_non_200() { # label
    local kept="$WORK/non200.log"
    {
        echo "== $1"
        plain_log | grep -E 'WARN|ERROR|finished processing request.*status=[0-9]+$' | grep -v 'status=200$'
    } >>"$kept"
    log "not 200: $(plain_log | grep -o 'status=[0-9]*$' | grep -v '=200' | sort | uniq -c | tr -s ' \n' ' ')(kept in $kept)"
}

# wrk's "1.23ms" | "850.00us" | "1.02s" | "1.5m" in milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000
        else if (v ~ /ms$/) n = n
        else if (v ~ /m$/) n *= 60000
        else if (v ~ /s$/) n *= 1000
        printf "%.2f", n
    }'
}
