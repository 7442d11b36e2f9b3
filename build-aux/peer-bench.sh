#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# peer-bench.sh: the 10,000-pump job with synapse and with the specification's own design, in one run; prints the ratio.
#
#   build-aux/peer-bench.sh [BUILD_DIR]      default: _build (a release build, made if missing)
#
# The job (issue 16's first rows): PUMPS centrifugal pumps (default 10,000)
# imported into a SQLite database; rules motor, 600 V and sized cable; then
# the whole command `synapse execute`, start-up included, timed from outside.
# Its database growth (the WAL included) per event is printed too. The
# design's figure is ../shared/peer-bench's bench_rules.py on the same
# number of pumps, one commit per batch (its best case), run from a copy
# (that folder may be read-only). Needs python3-sqlalchemy.
#
# Environment: PUMPS, PEER (the peer-bench folder), SYNAPSE (a built synapse
# to use as it is), KEEP=1 keeps the work directory.
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/_build}
n=${PUMPS:-10000}
peer=${PEER:-$top/../shared/peer-bench}

if [ -n "${SYNAPSE:-}" ]; then
  synapse=$SYNAPSE
else
  [ -f "$build/build.ninja" ] || meson setup "$build" "$top" --buildtype=release >/dev/null
  ninja -C "$build" src/synapse >/dev/null
  synapse="$build/src/synapse"
fi
[ -f "$peer/bench_rules.py" ] || { echo "peer-bench: no $peer/bench_rules.py (set PEER)" >&2; exit 2; }
/usr/bin/python3 -c 'import sqlalchemy' 2>/dev/null ||
  { echo "peer-bench: python3-sqlalchemy is missing (apt-get install python3-sqlalchemy)" >&2; exit 2; }

work=$(mktemp -d /tmp/synapse-peer-XXXXXX)
cleanup () { [ "${KEEP:-0}" = 1 ] && echo "kept $work" || rm -rf "$work"; }
trap cleanup EXIT
db="$work/job.db"

size () {   # the database and its WAL, in bytes
  local total=0 f
  for f in "$db" "$db-wal"; do
    [ -f "$f" ] && total=$(( total + $(stat -c %s "$f") ))
  done
  echo "$total"
}

echo "== Synapse: $n pumps -> motor + 600 V + sized cable, SQLite, the whole command"
awk -v n="$n" 'BEGIN {
  print "TAG,TYPE,AREA,DISCIPLINE,pump_type,hp,length_m";
  for (i = 1; i <= n; i++) printf "210-PP-%05d,PUMP,210,MECHANICAL,CENTRIFUGAL,%d,%d\n", i, 10 + i % 90, 20 + i % 80 }' > "$work/pumps.csv"
cat > "$work/motor.json" <<'JSON'
{"id": "peer-pump-motor", "name": "FIRM: Centrifugal Pumps require Electric Motor", "source": "FIRM",
 "discipline": "ELECTRICAL", "action_type": "CREATE_CHILD",
 "condition": {"asset_type": ["PUMP"], "all": [{"key": "pump_type", "op": "==", "value": "CENTRIFUGAL"}]},
 "action": {"type": "MOTOR", "naming": "{area}-M-{tag_number}", "relation": "powers", "discipline": "ELECTRICAL",
            "inherit_properties": ["hp", "area", "length_m"], "properties": {"enclosure": "TEFC"}}}
JSON
cat > "$work/voltage.json" <<'JSON'
{"id": "peer-ca-600v", "name": "COUNTRY: Canadian Motors are 600 V", "source": "COUNTRY", "is_enforced": true,
 "discipline": "ELECTRICAL", "action_type": "SET_PROPERTY",
 "condition": {"asset_type": "MOTOR", "project_country": "CA"},
 "action": {"properties": {"voltage": 600}, "mode": "set"}}
JSON
cat > "$work/cable.json" <<'JSON'
{"id": "peer-motor-cable", "name": "FIRM: Motors require Power Cable", "source": "FIRM",
 "discipline": "ELECTRICAL", "action_type": "CREATE_CABLE",
 "condition": {"asset_type": "MOTOR", "all": [{"key": "hp", "op": "exists"}]},
 "action": {"naming": "{tag}-PWR", "to": "source", "cable_type": "TECK90", "sizing": "auto"}}
JSON
"$synapse" project create Peer --country CA --db "$db" >/dev/null
"$synapse" import "$work/pumps.csv" --project Peer --db "$db" >/dev/null
for rule in motor voltage cable; do
  "$synapse" rules add "$work/$rule.json" --project Peer --db "$db" >/dev/null
done
events_before=$(sqlite3 "$db" "SELECT count(*) FROM workflow_events")
bytes_before=$(size)
t0=$(date +%s.%N)
"$synapse" execute --project Peer --db "$db" >/dev/null
t1=$(date +%s.%N)
events=$(( $(sqlite3 "$db" "SELECT count(*) FROM workflow_events") - events_before ))
growth=$(( $(size) - bytes_before ))
ours=$(echo "$t1 - $t0" | bc -l)
printf "synapse execute:          %8.2f s  (%d events)\n" "$ours" "$events"
printf "database growth:          %8.1f MB  (%d bytes per event with its indexes, WAL included; goal <= 400)\n" \
  "$(echo "$growth / 1000000" | bc -l)" $(( growth / (events > 0 ? events : 1) ))

echo "== The specification's design (peer-bench bench_rules.py, per-batch commit)"
cp -r "$peer" "$work/peer"
( cd "$work/peer" && PYTHONDONTWRITEBYTECODE=1 /usr/bin/python3 bench_rules.py --backend sqlite --pumps "$n" --runs 1 \
    --modes per_batch ) > "$work/peer.log" 2>&1 || { cat "$work/peer.log" >&2; exit 1; }
theirs=$(grep -o 'rules per_batch run 1: [0-9.]*s' "$work/peer.log" | grep -o '[0-9.]*s$' | tr -d s)
theirs_events=$(grep -o '[0-9]* events/s' "$work/peer.log" | head -1 || true)
[ -n "$theirs" ] || { cat "$work/peer.log" >&2; echo "peer-bench: no time in its output" >&2; exit 1; }
printf "design, per-batch commit: %8.2f s  (%s)\n" "$theirs" "$theirs_events"
printf "ratio (design / synapse): %8.1f x  (goal: at least 5 x)\n" "$(echo "$theirs / $ours" | bc -l)"
