#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# load-test.sh: the team server's load figures, on demand (never in CI).
#
#   build-aux/load-test.sh [BUILD_DIR]      default: _build-server-load (a release build, made if missing)
#
# 1. A SQLite database with ~1,000,000 events: 250,000 pumps imported, then a
#    rule run giving each a motor and an edge (RULE_EXECUTED, ASSET_CREATED,
#    RELATIONSHIP_CREATED per pump).
# 2. wrk (Debian package "wrk"), 64 connections on loopback: timeline pages
#    (50 events, random page 1..200) with a session token; requests/s and
#    latency percentiles.
# 3. The same while an execution of 100,000 pumps (motor, cable, edge each)
#    runs in another project of the same server.
# 4. 100 WebSocket watchers on one execution (20,000 pumps): each must
#    receive every message in the same order (tests/bench-ws-watchers).
#
# Environment: PORT (default 18765), DURATION (wrk seconds, default 20),
# KEEP=1 keeps the work directory.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build-server-load}
port=${PORT:-18765}
duration=${DURATION:-20}
url="http://127.0.0.1:$port"

command -v wrk >/dev/null || { echo "load-test: wrk is missing (apt-get install wrk)" >&2; exit 2; }
command -v curl >/dev/null || { echo "load-test: curl is missing (apt-get install curl)" >&2; exit 2; }
if [ ! -f "$build/build.ninja" ]; then
  meson setup "$build" "$top" --buildtype=release >/dev/null
fi
ninja -C "$build" src/synapse tests/bench-ws-watchers >/dev/null
synapse="$build/src/synapse"
watchers="$build/tests/bench-ws-watchers"

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

echo "== Filling $db"
t0=$(date +%s)
project Timeline 250000 motor
"$synapse" execute --project Timeline --db "$db" | sed -n 1p
project Exec 100000 motor cable
project Watch 20000 motor cable
events=$("$synapse" timeline --project Timeline --limit 1 --db "$db" | tail -1)
echo "Timeline project: $events (filled in $(( $(date +%s) - t0 )) s)"

echo "== Serving"
"$synapse" serve --db "$db" --port "$port" > "$work/serve.log" &
server_pid=$!
for _ in $(seq 50); do curl -sf "$url/api/v1/health" >/dev/null && break; sleep 0.2; done
password=$(sed -n '3p' "$work/serve.log" | tr -d ' ')
token=$(curl -sf -X POST "$url/api/v1/auth/login" -d "{\"username\": \"admin\", \"password\": \"$password\"}" |
        grep -o '"token":"[^"]*"' | cut -d'"' -f4)
project_id () {
  curl -sf -H "Authorization: Bearer $token" "$url/api/v1/projects/$1" | grep -o '"id":"[^"]*"' | head -1 | cut -d'"' -f4
}
timeline_id=$(project_id Timeline)
exec_id=$(project_id Exec)
watch_id=$(project_id Watch)

cat > "$work/timeline.lua" <<EOF
wrk.headers["Authorization"] = "Bearer $token"
math.randomseed(os.time())
request = function ()
  return wrk.format("GET", "/api/v1/events/timeline?project_id=$timeline_id&limit=50&page=" .. math.random(1, 200))
end
done = function (summary, latency, requests)
  io.write(string.format("non-2xx or errors: %d status, %d connect, %d read, %d write, %d timeout\n",
    summary.errors.status, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
EOF

# every worker thread's connection counts the timeline's total once, then
# keeps it until the database changes: warm them up first
wrk -t2 -c64 -d5s -s "$work/timeline.lua" "$url" >/dev/null

echo "== Timeline pages, 64 connections, ${duration} s"
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/timeline.lua" "$url"

echo "== The same while 100,000 pumps are executed"
started=$(curl -sf -X POST -H "Authorization: Bearer $token" "$url/api/v1/rules/execute" \
          -d "{\"project_id\": \"$exec_id\", \"mode\": \"execute\"}")
execution=$(echo "$started" | grep -o '"execution_id":"[^"]*"' | cut -d'"' -f4)
wrk -t2 -c64 -d"${duration}s" --latency -s "$work/timeline.lua" "$url"
status=running
while [ "$status" = running ]; do
  sleep 1
  status=$(curl -sf -H "Authorization: Bearer $token" "$url/api/v1/executions/$execution" |
           grep -o '"status":"[^"]*"' | cut -d'"' -f4)
done
curl -sf -H "Authorization: Bearer $token" "$url/api/v1/executions/$execution" | grep -o '"started_at":"[^"]*","finished_at":"[^"]*"' || true
echo "execution $execution: $status"

echo "== 100 WebSocket watchers on one execution (20,000 pumps)"
started=$(curl -sf -X POST -H "Authorization: Bearer $token" "$url/api/v1/rules/execute" \
          -d "{\"project_id\": \"$watch_id\", \"mode\": \"execute\"}")
execution=$(echo "$started" | grep -o '"execution_id":"[^"]*"' | cut -d'"' -f4)
"$watchers" "$url" "$token" "$execution" 100

echo "== Server log: $(wc -l < "$work/serve.log") lines; answers other than 2xx/101:"
awk '$3 ~ /^\// && $4 !~ /^(2..|101)$/ {print $4}' "$work/serve.log" | sort | uniq -c
