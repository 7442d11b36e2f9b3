#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# load-test.sh: the team server's load figures, on demand; CI runs it at a tiny size (meson test load-test).
#
#   build-aux/load-test.sh [BUILD_DIR]      default: _build-server-load (a release build, made if missing)
#
# 1. A SQLite database with ~1,000,000 events: 250,000 pumps imported, then a
#    rule run giving each a motor and an edge (RULE_EXECUTED, ASSET_CREATED,
#    RELATIONSHIP_CREATED per pump). PUMPS sets that number; the other
#    projects are sized from it.
# 2. wrk (Debian package "wrk"), 64 connections on loopback: timeline pages
#    (50 events, random page 1..200) with a session token; requests/s and
#    latency percentiles.
# 3. The same while an execution of 100,000 pumps (motor, cable, edge each)
#    runs in another project of the same server.
# 4. 100 WebSocket watchers on one execution (20,000 pumps): each must
#    receive every message in the same order (tests/bench-ws-watchers).
#
# Any answer other than 2xx makes the script fail: that is how it rots.
#
# Environment: PORT (default 18765; 0: any free one), DURATION (wrk seconds, default 20),
# PUMPS (default 250000), WATCHERS (default 100), DB (a database an earlier
# run filled and kept: no new fill; its executions then find nothing to do,
# so only the timeline figures are new), KEEP=1 keeps the work
# directory, SYNAPSE and BENCH_WS_WATCHERS: built programs to use as they are
# (the meson test gives its own; then BUILD_DIR is not built).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build-server-load}
port=${PORT:-18765}
if [ "$port" = 0 ]; then   # any free port (the meson test: other builds may run theirs at the same time)
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
fi
duration=${DURATION:-20}
n_pumps=${PUMPS:-250000}
n_watchers=${WATCHERS:-100}
url="http://127.0.0.1:$port"
json="Content-Type: application/json"

command -v wrk >/dev/null || { echo "load-test: wrk is missing (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "load-test: curl is missing (apt-get install curl)" >&2; exit 2; }
if [ -n "${SYNAPSE:-}" ] && [ -n "${BENCH_WS_WATCHERS:-}" ]; then
  synapse=$SYNAPSE
  watchers=$BENCH_WS_WATCHERS
else
  if [ ! -f "$build/build.ninja" ]; then
    meson setup "$build" "$top" --buildtype=release >/dev/null
  fi
  ninja -C "$build" src/synapse tests/bench-ws-watchers >/dev/null
  synapse="$build/src/synapse"
  watchers="$build/tests/bench-ws-watchers"
fi

work=$(mktemp -d /tmp/synapse-load-XXXXXX)
db="$work/load.db"
server_pid=
cleanup () {
  [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"
}
trap cleanup EXIT

pumps () {   # N PREFIX > CSV
  awk -v n="$1" -v p="$2" 'BEGIN {
    print "TAG,TYPE,AREA,DISCIPLINE,pump_type,hp,length_m";
    for (i = 1; i <= n; i++) printf "%s-PP-%06d,PUMP,210,MECHANICAL,CENTRIFUGAL,%d,%d\n", p, i, 10 + i % 90, 20 + i % 80 }'
}
cat > "$work/motor.json" <<'EOF'
{"id": "load-pump-motor", "name": "FIRM: Pumps require Motor", "source": "FIRM", "action_type": "CREATE_CHILD",
 "condition": {"asset_type": "PUMP"},
 "action": {"type": "MOTOR", "naming": "{tag}-M", "relation": "powers", "inherit_properties": ["hp", "length_m"]}}
EOF
cat > "$work/cable.json" <<'EOF'
{"id": "load-motor-cable", "name": "FIRM: Motors require Power Cable", "source": "FIRM", "action_type": "CREATE_CABLE",
 "condition": {"asset_type": "MOTOR"},
 "action": {"naming": "{tag}-PWR", "to": "source", "cable_type": "TECK90", "sizing": "auto"}}
EOF

project () {   # NAME N_PUMPS RULE...
  local name=$1 n=$2; shift 2
  "$synapse" project create "$name" --db "$db" >/dev/null
  pumps "$n" "$name" > "$work/$name.csv"
  "$synapse" import "$work/$name.csv" --project "$name" --db "$db" >/dev/null
  for rule in "$@"; do
    # rule ids are global: one per project
    sed "s/\"id\": \"load-/\"id\": \"$name-/" "$work/$rule.json" > "$work/$name-$rule.json"
    "$synapse" rules add "$work/$name-$rule.json" --project "$name" --db "$db" >/dev/null
  done
}

if [ -n "${DB:-}" ]; then
  db=$DB
  echo "== Using $db"
else
  echo "== Filling $db"
  t0=$(date +%s)
  project Timeline "$n_pumps" motor
  "$synapse" execute --project Timeline --db "$db" | sed -n 1p
  project Exec $(( n_pumps * 2 / 5 )) motor cable
  project Watch $(( n_pumps * 2 / 25 )) motor cable
  events=$("$synapse" timeline --project Timeline --limit 1 --db "$db" | tail -1)
  echo "Timeline project: $events (filled in $(( $(date +%s) - t0 )) s)"
fi

echo "== Serving"
"$synapse" serve --db "$db" --port "$port" > "$work/serve.log" &
server_pid=$!
for _ in $(seq 50); do curl -sf "$url/api/v1/health" >/dev/null && break; sleep 0.2; done
if [ -n "${DB:-}" ]; then   # its admin's password was printed once, long ago: a new one
  password=load-test-$$-$RANDOM
  printf '%s\n%s\n' "$password" "$password" | "$synapse" user passwd admin --db "$db" >/dev/null
else
  password=$(sed -n '3p' "$work/serve.log" | tr -d ' ')
fi
token=$(curl -sf -X POST -H "$json" "$url/api/v1/auth/login" -d "{\"username\": \"admin\", \"password\": \"$password\"}" |
        grep -o '"token":"[^"]*"' | cut -d'"' -f4)
project_id () {
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/projects/$1" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
}
timeline_id=$(project_id Timeline)
exec_id=$(project_id Exec)
watch_id=$(project_id Watch)

events_total=$(sqlite3 "$db" "SELECT count(*) FROM workflow_events WHERE project_id = '$timeline_id'")
sqlite3 "$db" "SELECT id FROM assets WHERE project_id = '$timeline_id' LIMIT 5000" > "$work/assets.txt"
n_assets=$(wc -l < "$work/assets.txt")
created=$(sqlite3 "$db" "SELECT count(*) FROM workflow_events WHERE project_id = '$timeline_id' AND event_type = 'ASSET_CREATED'")
deep=$(( created / 50 < 20000 ? created / 50 + 1 : 20000 ))
all_pages=$(( events_total / 50 + 1 ))
last_position=$(sqlite3 "$db" "SELECT max(position) FROM workflow_events WHERE project_id = '$timeline_id'")

# One wrk script per kind of request: its query's tail is a Lua expression, evaluated per request.
wrk_script () {   # NAME LUA_EXPRESSION
  {
    echo "wrk.headers[\"Authorization\"] = \"Bearer $token\""
    echo "math.randomseed(os.time())"
    echo "assets = {}"
    echo "for line in io.lines(\"$work/assets.txt\") do assets[#assets + 1] = line end"
    cat <<EOF
request = function ()
  return wrk.format("GET", "/api/v1/events/timeline?project_id=$timeline_id&limit=50" .. $2)
end
done = function (summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d status, %d connect, %d read, %d write, %d timeout\\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
EOF
  } > "$work/$1.lua"
}
wrk_script cached '"&page=" .. math.random(1, 200)'
wrk_script uncached '"&page=" .. math.random(1, '"$all_pages"')'
wrk_script asset '"&asset_id=" .. assets[math.random(1, #assets)]'
wrk_script typed '"&event_types=ASSET_CREATED&page=" .. math.random(1, '"$deep"')'
wrk_script keyset '"&before=" .. math.random(2, '"$last_position"')'
wrk_script typed_keyset '"&event_types=ASSET_CREATED&before=" .. math.random(2, '"$last_position"')'

# wrk stops on time, but the server still answers what was asked: one
# request, queued behind that backlog, says the server is idle again, so no
# step is measured on the one before it
settle () {
  curl -sf -o /dev/null -H "Authorization: Bearer $token" \
    "$url/api/v1/events/timeline?project_id=$timeline_id&limit=50&page=1" || true
}

failures=0
load () {   # SCRIPT TITLE GOAL: wrk over 64 connections; any answer but 2xx counts as a failure
  settle
  echo "== $2, 64 connections, ${duration} s (goal: $3)"
  wrk -t2 -c64 -d"${duration}s" --latency -s "$work/$1.lua" "$url" | tee "$work/wrk.out"
  if ! grep -q "non-2xx or errors: 0 status" "$work/wrk.out"; then
    echo "load-test: $2: answers other than 2xx" >&2
    failures=$((failures + 1))
  fi
}

# every worker thread's connection counts each filter's total once, then
# keeps it until the database changes: warm them up first (one request, then
# 64 connections: the first wave on a cold server is its own figure)
settle
echo "== Warming up: 64 connections on cold workers, $(( duration < 5 ? duration : 5 )) s"
wrk -t2 -c64 -d"$(( duration < 5 ? duration : 5 ))s" -s "$work/cached.lua" "$url" | grep -E "requests in|Requests/sec|Socket errors" || true

load cached "Timeline pages 1-200 (cached totals)" "p99 under 100 ms, 0 errors"
load uncached "Timeline pages 1-$all_pages by number (uncached pages, $events_total events)" \
  "at least 3,000 requests/s, p99 under 100 ms: by keyset, below"
load asset "Timeline filtered by one asset_id (random among $n_assets assets)" "under 5 ms a request, at least 5,000 requests/s"
load keyset "Timeline pages at any depth by keyset (before a random position)" "at least 3,000 requests/s, p99 under 100 ms"
load typed "Timeline pages 1-$deep with event_types=ASSET_CREATED" "page numbers no slower than 20 ms"
load typed_keyset "Timeline pages at any depth by keyset with event_types=ASSET_CREATED" "the speed of page 1"

echo "== Timeline pages 1-200 while $(( n_pumps * 2 / 5 )) pumps are executed"
started=$(curl -sf -X POST -H "$json" -H "Authorization: Bearer $token" "$url/api/v1/rules/execute" \
          -d "{\"project_id\": \"$exec_id\", \"mode\": \"execute\"}")
execution=$(echo "$started" | grep -o '"execution_id":"[^"]*"' | cut -d'"' -f4)
load cached "Timeline pages 1-200 during the execution" "p99 under 100 ms: slow requests do not hold fast ones"
status=running
while [ "$status" = running ]; do
  sleep 1
  status=$(curl -sf -H "Authorization: Bearer $token" "$url/api/v1/executions/$execution" |
           grep -o '"status":"[^"]*"' | cut -d'"' -f4)
done
curl -sf -H "Authorization: Bearer $token" "$url/api/v1/executions/$execution" | grep -o '"started_at":"[^"]*","finished_at":"[^"]*"' || true
echo "execution $execution: $status"
[ "$status" = completed ] || [ -n "${DB:-}" ] || failures=$((failures + 1))

echo "== $n_watchers WebSocket watchers on one execution ($(( n_pumps * 2 / 25 )) pumps)"
started=$(curl -sf -X POST -H "$json" -H "Authorization: Bearer $token" "$url/api/v1/rules/execute" \
          -d "{\"project_id\": \"$watch_id\", \"mode\": \"execute\"}")
execution=$(echo "$started" | grep -o '"execution_id":"[^"]*"' | cut -d'"' -f4)
"$watchers" "$url" "$token" "$execution" "$n_watchers" || failures=$((failures + 1))

echo "== Server log: $(wc -l < "$work/serve.log") lines; answers other than 2xx/101:"
awk '$3 ~ /^\// && $4 !~ /^(2..|101)$/ {print $4}' "$work/serve.log" | sort | uniq -c
# "aborted": wrk closing its connections when its time is up, not an answer
if awk '$3 ~ /^\// && $4 ~ /^[0-9]+$/ && $4 !~ /^(2..|101)$/ {bad = 1} END {exit !bad}' "$work/serve.log"; then
  failures=$((failures + 1))
fi
if [ "$failures" -gt 0 ]; then
  echo "load-test: $failures check(s) failed" >&2
  exit 1
fi
echo "load-test: every answer 2xx"
