#!/usr/bin/env bash
# Load benchmark (issue 20, item 6): one command that builds the demo company of a given size
# once, starts Trellis, signs in the three demo roles, runs each URL of the list with wrk and,
# before each, the static stylesheet (the server's ceiling on this machine in the same minute),
# and prints a Markdown table.
#
#   scripts/load_bench.sh [EMPLOYEES]            # default 20000
#
# Environment (all optional):
#   PG_URL       PostgreSQL server, without a database   (postgres://postgres@127.0.0.1:5432)
#   BENCH_DB     database to build the company in         (trellis_bench_<EMPLOYEES>)
#   TRELLIS_BIN  the binary                                (target/release/trellis, built if missing)
#   DURATION     seconds per URL                           (15)
#   CLIENTS      concurrent connections                    (8)
#   THREADS      wrk threads                               (2)
#   PORT         where Trellis listens                     (3917)
#   URLS         only the URLs whose name contains this    (all)
#
# Needs: wrk (`apt-get install wrk`), curl, psql. The company is built once per database and
# reused by later runs (drop BENCH_DB to rebuild it). The aggregates of the dashboard are built
# by the demo load; the server runs its background jobs as in production.
set -euo pipefail

EMPLOYEES="${1:-20000}"
PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432}"
BENCH_DB="${BENCH_DB:-trellis_bench_${EMPLOYEES}}"
DB_URL="${PG_URL}/${BENCH_DB}"
DURATION="${DURATION:-15}"
CLIENTS="${CLIENTS:-8}"
THREADS="${THREADS:-2}"
PORT="${PORT:-3917}"
URLS="${URLS:-}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN="${TRELLIS_BIN:-$ROOT/target/release/trellis}"
BASE="http://127.0.0.1:${PORT}"
WORK="$(mktemp -d)"
SERVER_PID=""

cleanup() {
    if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

need() { command -v "$1" >/dev/null || { echo "load_bench: $1 is needed ($2)" >&2; exit 2; }; }
need wrk "apt-get install wrk"
need curl "apt-get install curl"
need psql "apt-get install postgresql-client"

if [[ ! -x "$BIN" ]]; then
    echo "# building $BIN (release)" >&2
    (cd "$ROOT" && SQLX_OFFLINE=true cargo build --release --bin trellis >&2)
fi

sql() { psql "$DB_URL" -Atqc "$1"; }

# 1. The company, once.
if ! psql "$PG_URL/postgres" -Atqc "select 1 from pg_database where datname = '$BENCH_DB'" | grep -q 1; then
    psql "$PG_URL/postgres" -qc "create database \"$BENCH_DB\""
fi
if [[ "$(sql "select count(*) from information_schema.tables where table_name = 'people'")" == "0" ]] \
    || [[ "$(sql "select count(*) from people")" == "0" ]]; then
    echo "# building the ${EMPLOYEES}-person demo company in ${BENCH_DB}" >&2
    start=$(date +%s)
    "$BIN" migrate --database-url "$DB_URL" >&2
    "$BIN" demo --employees "$EMPLOYEES" --database-url "$DB_URL" >&2
    echo "# demo built in $(( $(date +%s) - start )) s" >&2
fi
REBUILD_MS="$(sql "select duration_ms from metrics_refreshes where name = 'headcount_monthly'" || true)"

# 2. The server.
"$BIN" serve --database-url "$DB_URL" --addr "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 600); do
    if curl -fs "$BASE/readyz" >/dev/null 2>&1; then break; fi
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then cat "$WORK/server.log" >&2; exit 1; fi
    sleep 0.5
done
curl -fs "$BASE/readyz" >/dev/null || { echo "load_bench: the server never became ready" >&2; tail -20 "$WORK/server.log" >&2; exit 1; }

# 3. The three roles' sessions.
sign_in() {
    local jar="$WORK/$1.jar" token
    token="$(curl -fs -c "$jar" "$BASE/login" | sed -n 's/.*name="csrf_token" value="\([^"]*\)".*/\1/p' | head -1)"
    curl -fs -o /dev/null -b "$jar" -c "$jar" --data-urlencode "email=$1@example.com" \
        --data-urlencode "password=trellis-demo" --data-urlencode "csrf_token=$token" "$BASE/login"
    # "name=value; name=value" for wrk's Cookie header
    awk '!/^#/ && NF >= 7 { printf "%s%s=%s", sep, $6, $7; sep="; " } /^#HttpOnly_/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$jar"
}
EMPLOYEE="$(sign_in employee)"
MANAGER="$(sign_in manager)"
HR="$(sign_in hr)"
[[ -n "$EMPLOYEE" && -n "$MANAGER" && -n "$HR" ]] || { echo "load_bench: a sign-in failed" >&2; exit 1; }

OPENING="$(sql "select id from opportunities where status = 'open' order by published_at desc nulls last limit 1")"
POSTING="$(sql "select o.id from opportunities o join people p on p.id = o.owner_id
                where p.email = 'manager@example.com' and o.status = 'open' limit 1")"
POSTING="${POSTING:-$OPENING}"
CSS="/static/trellis.css"

# name|role|path
LIST="static stylesheet (ceiling)|none|$CSS
/opportunities (browse, by fit)|employee|/opportunities
/api/v1/opportunities|employee|/api/v1/opportunities
/opportunities?q=engineer|employee|/opportunities?q=engineer
/hr/dashboard|hr|/hr/dashboard
/api/v1/metrics|hr|/api/v1/metrics
/hr/people|hr|/hr/people
/postings/{id}/talent|manager|/postings/$POSTING/talent
/api/v1/opportunities/{id}/talent|manager|/api/v1/opportunities/$POSTING/talent
/ home|employee|/
/opportunities/{id}|employee|/opportunities/$OPENING
/postings/{id}/applicants|manager|/postings/$POSTING/applicants
/hr/courses|hr|/hr/courses
/api/v1/mentors|employee|/api/v1/mentors
/hr/skills|hr|/hr/skills
/team|manager|/team
/hr|hr|/hr
/api/v1/me|employee|/api/v1/me"

cookie_of() { case "$1" in employee) echo "$EMPLOYEE";; manager) echo "$MANAGER";; hr) echo "$HR";; *) echo "";; esac; }

# One wrk run: "req/s|p50|p99|non-2xx|errors|bytes per answer"
run() {
    local path="$1" cookie="$2" out accept=()
    [[ "$path" == /api/* ]] && accept=(-H "Accept: application/json")
    if [[ -n "$cookie" ]]; then
        out="$(wrk -t"$THREADS" -c"$CLIENTS" -d"${DURATION}s" --latency --timeout 30s -H "Cookie: $cookie" "${accept[@]}" "$BASE$path" 2>&1)"
    else
        out="$(wrk -t"$THREADS" -c"$CLIENTS" -d"${DURATION}s" --latency --timeout 30s "${accept[@]}" "$BASE$path" 2>&1)"
    fi
    local rps p50 p99 bad errs size
    rps="$(awk '/^Requests\/sec/ {print $2}' <<<"$out")"
    p50="$(awk '$1 == "50%" {print $2}' <<<"$out")"
    p99="$(awk '$1 == "99%" {print $2}' <<<"$out")"
    bad="$(awk '/Non-2xx or 3xx/ {print $NF}' <<<"$out")"
    errs="$(awk '/Socket errors/ {print $0}' <<<"$out" | sed 's/.*Socket errors: //')"
    if [[ -n "$cookie" ]]; then
        size="$(curl -s -o /dev/null -w '%{size_download}' -H "Cookie: $cookie" "${accept[@]}" "$BASE$path")"
    else
        size="$(curl -s -o /dev/null -w '%{size_download}' "$BASE$path")"
    fi
    echo "${rps:-0}|${p50:--}|${p99:--}|${bad:-0}|${errs:-}|${size}"
}

echo
echo "Trellis load benchmark: ${EMPLOYEES} employees (${BENCH_DB}), wrk ${THREADS} threads, ${CLIENTS} connections, ${DURATION} s per URL"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, $(uname -sr), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "dashboard aggregates: last rebuild took ${REBUILD_MS:-?} ms"
echo
echo "| URL | role | req/s | p50 | p99 | non-2xx | answer bytes | ceiling req/s (static, same minute) |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
while IFS='|' read -r name role path; do
    [[ -n "$URLS" && "$name" != *"$URLS"* ]] && continue
    ceiling="$(run "$CSS" "" | cut -d'|' -f1)"
    IFS='|' read -r rps p50 p99 bad errs size <<<"$(run "$path" "$(cookie_of "$role")")"
    echo "| \`$name\` | $role | $rps | $p50 | $p99 | $bad${errs:+ ($errs)} | $size | $ceiling |"
done <<<"$LIST"
